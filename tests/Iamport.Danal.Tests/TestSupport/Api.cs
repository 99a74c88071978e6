using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Payments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Iamport.Danal.Tests.TestSupport;

/// <summary>Addresses, fixtures and a client wired to a <see cref="MockHttpMessageHandler"/>.</summary>
internal static class Api
{
    public const string Base = "https://api.iamport.kr";
    public const string TokenUrl = Base + "/users/getToken";
    public const string AgainUrl = Base + "/subscribe/payments/again";
    public const string FindUrl = Base + "/payments/find/*";
    public const string Secret = "test_secret_never_logged";
    public const string CustomerUid = "cust_0001";

    /// <summary>Server clock of the reference's token example.</summary>
    public const long ServerNow = 1512446940;

    public static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", name));

    public static string Token(string accessToken = "tok_1", long now = ServerNow, long lifetimeSeconds = 1800) =>
        $$$"""{"code":0,"message":null,"response":{"access_token":"{{{accessToken}}}","now":{{{now}}},"expired_at":{{{now + lifetimeSeconds}}}}}""";

    public static IamportOptions Options() => new() { ImpKey = "test_key", ImpSecret = Secret };

    public static IamportClient Client(MockHttpMessageHandler mock, TimeProvider? time = null, IamportOptions? options = null, ILogger<IamportClient>? logger = null) =>
        new(new HttpClient(new CancellableHandler(mock)), options ?? Options(), logger, time);

    /// <summary>Makes a pending mocked response observe cancellation, as a real socket handler does.</summary>
    private sealed class CancellableHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Task<HttpResponseMessage> response = base.SendAsync(request, cancellationToken);
            await Task.WhenAny(response, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return await response.ConfigureAwait(false);
        }
    }

    /// <summary>Answers every getToken with <see cref="Token"/>.</summary>
    public static MockedRequest WhenToken(this MockHttpMessageHandler mock, string accessToken = "tok_1") =>
        mock.When(HttpMethod.Post, TokenUrl).Respond("application/json", Token(accessToken));

    public static ChargeRequest Charge(string merchantUid = "sub_42_2026_12", decimal amount = 9900m) => new()
    {
        CustomerUid = CustomerUid,
        MerchantUid = merchantUid,
        Amount = amount,
        Name = "월간 구독",
    };

    /// <summary>Moves the fake clock on in 50 ms steps until <paramref name="task"/> ends: pauses between look-ups elapse at once.</summary>
    public static async Task AdvanceUntilDoneAsync(this FakeTimeProvider time, Task task)
    {
        for (int step = 0; step < 2_000 && !task.IsCompleted; step++)
        {
            await Task.Delay(1);
            time.Advance(TimeSpan.FromMilliseconds(50));
        }

        Assert.That(task.IsCompleted, Is.True, "the call did not end within 100 s of fake time");
    }
}
