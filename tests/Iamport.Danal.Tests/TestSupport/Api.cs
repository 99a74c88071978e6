using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Iamport.Danal.Tests.TestSupport;

/// <summary>The unit tests' one support file: addresses, recorded fixtures, the token body, and <see cref="ApiFixture"/>.</summary>
internal static class Api
{
    public const string Base = "https://api.iamport.kr";
    public const string Json = "application/json";
    public const string TokenUrl = Base + "/users/getToken";
    public const string AgainUrl = Base + "/subscribe/payments/again";
    /// <summary>The look-up a charge is reconciled with: every record of the merchant_uid.</summary>
    public const string FindUrl = Base + "/payments/findAll/*";
    public const string Secret = "test_secret_never_logged";
    public const string CustomerUid = "cust_0001";

    /// <summary>Server clock of the reference's token example.</summary>
    public const long ServerNow = 1512446940;

    /// <summary>Reads a recorded response shape from TestData.</summary>
    public static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", name));

    /// <summary>Reads a payment fixture as the one record of a <c>findAll</c> page, as the reconciliation look-up sees it.</summary>
    public static string Page(string name)
    {
        JsonObject root = JsonNode.Parse(Fixture(name))!.AsObject();
        JsonNode? payment = root["response"];
        root["response"] = new JsonObject { ["total"] = 1, ["previous"] = 0, ["next"] = 0, ["list"] = new JsonArray(payment!.DeepClone()) };
        return root.ToJsonString();
    }

    /// <summary>Reads a fixture and changes its <c>response</c> object, as a forger or a changed payment would.</summary>
    public static string Tampered(string name, Action<JsonObject> change)
    {
        JsonObject root = JsonNode.Parse(Fixture(name))!.AsObject();
        change(root["response"]!.AsObject());
        return root.ToJsonString();
    }

    public static string Token(string accessToken = "tok_1", long now = ServerNow, long lifetimeSeconds = 1800) =>
        $$$"""{"code":0,"message":null,"response":{"access_token":"{{{accessToken}}}","now":{{{now}}},"expired_at":{{{now + lifetimeSeconds}}}}}""";

    /// <summary>An instant as the unix seconds I'mport's query strings carry.</summary>
    public static string UnixSeconds(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

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
        mock.When(HttpMethod.Post, TokenUrl).Respond(Json, Token(accessToken));

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

/// <summary>One test's fake I'mport: a strict MockHttp handler that answers getToken, a fake clock, and the client.</summary>
/// <remarks>Tests end with <c>api.Mock.VerifyNoOutstandingExpectation()</c>; unexpected requests throw.</remarks>
internal sealed class ApiFixture : IDisposable
{
    /// <summary>The fake clock's start: 2026-11-27 09:00:00 UTC (unix 1795770000).</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    public ApiFixture(bool includeSandbox = false)
    {
        // Always: getToken (a When) must answer even while ordered Expects are outstanding.
        Mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        Mock.Fallback.Respond(request => throw new InvalidOperationException($"Unexpected request {request.Method} {request.RequestUri}"));
        Token = Mock.WhenToken();
        Time = new FakeTimeProvider(Now);
        Client = new IamportClient(Mock.ToHttpClient(), new IamportOptions { ImpKey = "k", ImpSecret = "s", IncludeSandbox = includeSandbox }, timeProvider: Time);
    }

    public MockHttpMessageHandler Mock { get; }

    /// <summary>Gets the getToken definition: every call starts with it, so zero matches means no request was sent at all.</summary>
    public MockedRequest Token { get; }

    public FakeTimeProvider Time { get; }

    public IamportClient Client { get; }

    public int RequestsSent => Mock.GetMatchCount(Token);

    /// <summary>Expects one GET and answers it with a fixture body.</summary>
    public MockedRequest ExpectGet(string pathAndQuery, string body, HttpStatusCode status = HttpStatusCode.OK) =>
        Mock.Expect(HttpMethod.Get, Api.Base + pathAndQuery).Respond(status, Api.Json, body);

    /// <summary>Expects one call, records its JSON body and answers it with a fixture body.</summary>
    public SentBody Expect(HttpMethod method, string pathAndQuery, string body, HttpStatusCode status = HttpStatusCode.OK)
    {
        var sent = new SentBody();
        Mock.Expect(method, Api.Base + pathAndQuery).Respond(async request =>
        {
            sent.Json = request.Content is null ? null : JsonNode.Parse(await request.Content.ReadAsStringAsync().ConfigureAwait(false));
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, Api.Json) };
        });
        return sent;
    }

    public void Dispose() => Mock.Dispose();
}

/// <summary>The JSON body a test's expected request carried.</summary>
internal sealed class SentBody
{
    public JsonNode? Json { get; set; }
}
