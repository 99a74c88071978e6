using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Iamport.Danal.Tests.TestSupport;

/// <summary>One test's fake I'mport: a strict MockHttp handler that answers getToken, a fake clock, and the client.</summary>
/// <remarks>Tests end with <c>api.Mock.VerifyNoOutstandingExpectation()</c>; unexpected requests throw.</remarks>
internal sealed class LifecycleTestSupport : IDisposable
{
    public const string ApiBase = "https://api.iamport.kr";
    public const string Json = "application/json";

    /// <summary>The fake clock's start: 2026-11-27 09:00:00 UTC (unix 1795770000).</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    private const string TokenBody = """{"code":0,"message":null,"response":{"access_token":"tok","now":1700000000,"expired_at":1700001800}}""";

    public LifecycleTestSupport(bool includeSandbox = false)
    {
        // Always: getToken (a When) must answer even while ordered Expects are outstanding.
        Mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        Mock.Fallback.Respond(request => throw new InvalidOperationException($"Unexpected request {request.Method} {request.RequestUri}"));
        Token = Mock.When(HttpMethod.Post, ApiBase + "/users/getToken").Respond(Json, TokenBody);
        Time = new FakeTimeProvider(Now);
        Client = new IamportClient(Mock.ToHttpClient(), new IamportOptions { ImpKey = "k", ImpSecret = "s", IncludeSandbox = includeSandbox }, timeProvider: Time);
    }

    public MockHttpMessageHandler Mock { get; }

    /// <summary>Gets the getToken definition: every call starts with it, so zero matches means no request was sent at all.</summary>
    public MockedRequest Token { get; }

    public FakeTimeProvider Time { get; }

    public IamportClient Client { get; }

    public int RequestsSent => Mock.GetMatchCount(Token);

    /// <summary>Reads a recorded response shape from TestData.</summary>
    public static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", name));

    /// <summary>Reads a fixture and changes its <c>response</c> object, as a forger or a changed payment would.</summary>
    public static string Tampered(string name, Action<JsonObject> change)
    {
        JsonObject root = JsonNode.Parse(Fixture(name))!.AsObject();
        change(root["response"]!.AsObject());
        return root.ToJsonString();
    }

    /// <summary>Expects one GET and answers it with a fixture body.</summary>
    public MockedRequest ExpectGet(string pathAndQuery, string body, HttpStatusCode status = HttpStatusCode.OK) =>
        Mock.Expect(HttpMethod.Get, ApiBase + pathAndQuery).Respond(status, Json, body);

    /// <summary>Expects one call, records its JSON body and answers it with a fixture body.</summary>
    public SentBody Expect(HttpMethod method, string pathAndQuery, string body, HttpStatusCode status = HttpStatusCode.OK)
    {
        var sent = new SentBody();
        Mock.Expect(method, ApiBase + pathAndQuery).Respond(async request =>
        {
            sent.Json = request.Content is null ? null : JsonNode.Parse(await request.Content.ReadAsStringAsync().ConfigureAwait(false));
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, Json) };
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
