using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Iamport.Danal.Tests;

public class IamportClientTokenTests
{
    private const string PaymentUrl = Api.Base + "/payments/imp_123456789012";

    [Test]
    public async Task GetPaymentAsync_1000ConcurrentCallsWithoutToken_FetchesOneToken()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        var release = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        MockedRequest token = mock.When(HttpMethod.Post, Api.TokenUrl);
        token.Respond(async () =>
        {
            await release.Task;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Api.Token()) };
        });
        mock.When(HttpMethod.Get, PaymentUrl).Respond("application/json", Api.Fixture("again-paid.json"));
        IamportClient client = Api.Client(mock);

        Task[] calls = Enumerable.Range(0, 1000).Select(_ => Task.Run(() => client.GetPaymentAsync("imp_123456789012"))).ToArray();
        release.SetResult(true);
        await Task.WhenAll(calls);

        Assert.That(mock.GetMatchCount(token), Is.EqualTo(1));
    }

    [TestCase(+1)]
    [TestCase(-1)]
    public async Task GetPaymentAsync_LocalClockOffByOneHour_UsesServerLifetimeMinusMargin(int hoursOff)
    {
        // The local clock is an hour away from the server's `now`; only the server's lifetime (expired_at - now) counts.
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Api.ServerNow).AddHours(hoursOff));
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        int fetched = 0;
        MockedRequest token = mock.When(HttpMethod.Post, Api.TokenUrl)
            .Respond(_ => new StringContent(Api.Token($"tok_{Interlocked.Increment(ref fetched)}")));
        MockedRequest withFirst = mock.When(HttpMethod.Get, PaymentUrl).WithHeaders("Authorization", "Bearer tok_1")
            .Respond("application/json", Api.Fixture("again-paid.json"));
        MockedRequest withSecond = mock.When(HttpMethod.Get, PaymentUrl).WithHeaders("Authorization", "Bearer tok_2")
            .Respond("application/json", Api.Fixture("again-paid.json"));
        IamportClient client = Api.Client(mock, time);

        await client.GetPaymentAsync("imp_123456789012");
        time.Advance(TimeSpan.FromSeconds(1800 - 60 - 1));
        await client.GetPaymentAsync("imp_123456789012");
        int fetchesBeforeMargin = mock.GetMatchCount(token);
        time.Advance(TimeSpan.FromSeconds(2));
        await client.GetPaymentAsync("imp_123456789012");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fetchesBeforeMargin, Is.EqualTo(1), "token reused until expiry minus the margin");
            Assert.That(mock.GetMatchCount(token), Is.EqualTo(2), "refreshed once past expiry minus the margin");
            Assert.That(mock.GetMatchCount(withFirst), Is.EqualTo(2));
            Assert.That(mock.GetMatchCount(withSecond), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task GetPaymentAsync_TokenRefreshMarginConfigured_RefreshesThatEarly()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Api.ServerNow));
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        MockedRequest token = mock.WhenToken();
        mock.When(HttpMethod.Get, PaymentUrl).Respond("application/json", Api.Fixture("again-paid.json"));
        IamportOptions options = Api.Options();
        options.TokenRefreshMargin = TimeSpan.FromMinutes(10);
        IamportClient client = Api.Client(mock, time, options);

        await client.GetPaymentAsync("imp_123456789012");
        time.Advance(TimeSpan.FromMinutes(20) + TimeSpan.FromSeconds(1));
        await client.GetPaymentAsync("imp_123456789012");

        Assert.That(mock.GetMatchCount(token), Is.EqualTo(2));
    }

    [Test]
    public async Task ChargeBillingKeyAsync_401Once_RefreshesAndReplaysOnce()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        int fetched = 0;
        MockedRequest token = mock.When(HttpMethod.Post, Api.TokenUrl)
            .Respond(_ => new StringContent(Api.Token($"tok_{Interlocked.Increment(ref fetched)}")));
        mock.Expect(HttpMethod.Post, Api.AgainUrl).WithHeaders("Authorization", "Bearer tok_1")
            .Respond(HttpStatusCode.Unauthorized, "application/json", Api.Fixture("unauthorized.json"));
        mock.Expect(HttpMethod.Post, Api.AgainUrl).WithHeaders("Authorization", "Bearer tok_2")
            .Respond("application/json", Api.Fixture("again-paid.json"));

        var result = await Api.Client(mock).ChargeBillingKeyAsync(Api.Charge());

        mock.VerifyNoOutstandingExpectation();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsApproved, Is.True);
            Assert.That(mock.GetMatchCount(token), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_401Twice_ThrowsWithoutThirdRequest()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        MockedRequest again = mock.When(HttpMethod.Post, Api.AgainUrl)
            .Respond(HttpStatusCode.Unauthorized, "application/json", "");

        var ex = Assert.ThrowsAsync<IamportException>(() => Api.Client(mock).ChargeBillingKeyAsync(Api.Charge()));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(401));
            Assert.That(mock.GetMatchCount(again), Is.EqualTo(2));
        }

        await Task.CompletedTask;
    }

    [Test]
    public void ChargeBillingKeyAsync_BadKeyOrSecret_Throws401WithoutSecret()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.When(HttpMethod.Post, Api.TokenUrl).Respond(HttpStatusCode.Unauthorized, "application/json", Api.Fixture("unauthorized.json"));
        MockedRequest again = mock.When(HttpMethod.Post, Api.AgainUrl).Respond("application/json", Api.Fixture("again-paid.json"));

        var ex = Assert.ThrowsAsync<IamportException>(() => Api.Client(mock).ChargeBillingKeyAsync(Api.Charge()));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(401));
            Assert.That(ex.Path, Is.EqualTo("/users/getToken"));
            Assert.That(ex.ToString(), Does.Not.Contain(Api.Secret));
            Assert.That(mock.GetMatchCount(again), Is.Zero);
        }
    }

    [Test]
    public async Task GetTokenAsync_Request_SendsKeyAndSecretAsJson()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.Expect(HttpMethod.Post, Api.TokenUrl)
            .WithContent($$"""{"imp_key":"test_key","imp_secret":"{{Api.Secret}}"}""")
            .Respond("application/json", Api.Token());
        mock.When(HttpMethod.Get, PaymentUrl).Respond("application/json", Api.Fixture("again-paid.json"));

        await Api.Client(mock).GetPaymentAsync("imp_123456789012");

        mock.VerifyNoOutstandingExpectation();
    }
}
