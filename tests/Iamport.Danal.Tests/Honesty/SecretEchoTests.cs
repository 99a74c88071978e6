using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;

namespace Iamport.Danal.Tests.Honesty;

/// <summary>Servers and handlers that echo what they were sent: no token, key, secret or customer_uid reaches an
/// exception's text, a log record or an activity tag.</summary>
[NonParallelizable]
public class SecretEchoTests
{
    private const string OldToken = "tok_old_aaaaaaaaaaaa";
    private const string KoreanCustomer = "고객_0001";

    private static readonly string[] Forbidden =
    [
        ScriptedIamport.Token, OldToken, "test_key", Api.Secret, Api.CustomerUid, KoreanCustomer, Uri.EscapeDataString(KoreanCustomer),
    ];

    private static string Echo(HttpRequestMessage request) =>
        "<html><body><h1>502 Bad Gateway</h1><pre>" + request.Method + " " + request.RequestUri!.PathAndQuery + "\n"
        + string.Join("\n", request.Headers.Select(h => h.Key + ": " + string.Join(",", h.Value)))
        + "\n" + (request.Content?.ReadAsStringAsync().Result ?? "") + "</pre></body></html>";

    private static HttpResponseMessage Html(HttpStatusCode status, string body) => new(status) { Content = new StringContent(body) };

    private static IEnumerable<TestCaseData> EchoingServers()
    {
        static TestCaseData Case(string name, Action<ScriptedIamport> script, Func<IamportClient, Task> call) =>
            new TestCaseData(script, call).SetName("AnyCall_" + name + "_NoSecretInExceptionLogOrTrace");

        yield return Case(
            "EnvelopeMessageEchoesAuthorization",
            s => s.OnCharge = r => ScriptedIamport.Json($"{{\"code\":-1,\"message\":\"bad header Authorization: {r.Headers.Authorization} for {Api.CustomerUid}\",\"response\":null}}"),
            c => c.ChargeBillingKeyAsync(Api.Charge()));
        yield return Case(
            "HtmlPageEchoesRequestHeadersAndBody",
            s =>
            {
                s.OnCharge = r => Html(HttpStatusCode.BadGateway, Echo(r));
                s.OnFind = r => Html(HttpStatusCode.BadGateway, Echo(r));
            },
            c => c.ChargeBillingKeyAsync(Api.Charge()));
        yield return Case(
            "GetTokenErrorEchoesItsBody",
            s => s.OnToken = r => ScriptedIamport.Json("{\"code\":-1,\"message\":" + System.Text.Json.JsonSerializer.Serialize("잘못된 요청: " + r.Content!.ReadAsStringAsync().Result) + ",\"response\":null}", HttpStatusCode.Unauthorized),
            c => c.ChargeBillingKeyAsync(Api.Charge()));
        yield return Case(
            "GetTokenHtmlEchoesItsBody",
            s => s.OnToken = r => Html(HttpStatusCode.InternalServerError, Echo(r)),
            c => c.ChargeBillingKeyAsync(Api.Charge()));
        yield return Case(
            "UrlEncodedCustomerUidEchoedInPath",
            s => s.OnOther = r => Html(HttpStatusCode.NotFound, "<h1>Not Found</h1><p>" + r.RequestUri!.AbsolutePath + " " + r.RequestUri.OriginalString + "</p>"),
            c => c.GetBillingKeyAsync(KoreanCustomer));
        yield return Case(
            "PreviousTokenEchoedAfterRefresh",
            s =>
            {
                int tokens = 0, charges = 0;
                s.OnToken = _ => ScriptedIamport.Json(Api.Token(++tokens == 1 ? OldToken : ScriptedIamport.Token));
                s.OnCharge = _ => ++charges == 1
                    ? ScriptedIamport.Json("{\"code\":-1,\"message\":\"Unauthorized\",\"response\":null}", HttpStatusCode.Unauthorized)
                    : ScriptedIamport.Json($"{{\"code\":-1,\"message\":\"token {OldToken} was revoked\",\"response\":null}}");
            },
            c => c.ChargeBillingKeyAsync(Api.Charge()));
    }

    [TestCaseSource(nameof(EchoingServers))]
    public async Task AnyCall_EchoingServer_NoSecretInExceptionLogOrTrace(object script, Func<IamportClient, Task> call)
    {
        using var server = new ScriptedIamport();
        ((Action<ScriptedIamport>)script)(server);
        IamportOptions options = Api.Options();
        options.ReconciliationWindow = TimeSpan.Zero;
        var logger = new FakeLogger<IamportClient>();
        var tags = new ConcurrentQueue<string>();
        using ActivityListener listener = Listen(tags);

        Exception? thrown = null;
        try
        {
            await call(server.Client(options, logger));
        }
        catch (Exception ex)
        {
            thrown = ex;
        }

        Assert.That(thrown, Is.InstanceOf<IamportException>());
        AssertClean("exception", [thrown!.ToString()]);
        AssertClean("log", logger.Collector.GetSnapshot().Select(r => r.Message + " " + string.Join(",", r.StructuredState?.Select(p => p.Value) ?? [])));
        Assert.That(tags, Is.Not.Empty, "the listener saw the calls");
        AssertClean("activity tag", tags);
    }

    [Test]
    public async Task ChargeBillingKeyAsync_HandlerExceptionEchoesAuthorization_InnerExceptionScrubbed()
    {
        using var http = new HttpClient(new EchoThrowingHandler());
        IamportOptions options = Api.Options();
        options.ReconciliationWindow = TimeSpan.Zero;
        var client = new IamportClient(http, options);

        var ex = Assert.ThrowsAsync<IamportOutcomeUnknownException>(() => client.ChargeBillingKeyAsync(Api.Charge()));

        Assert.That(ex!.ToString(), Does.Contain("HttpRequestException"), "the cause's type is kept");
        AssertClean("exception", [ex.ToString()]);
        await Task.CompletedTask;
    }

    private static void AssertClean(string where, IEnumerable<string> texts)
    {
        foreach (string text in texts)
        {
            foreach (string secret in Forbidden)
            {
                Assert.That(text, Does.Not.Contain(secret), $"{where}: {text}");
            }
        }
    }

    private static ActivityListener Listen(ConcurrentQueue<string> tags)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Iamport.Danal",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                tags.Enqueue(activity.DisplayName + " " + activity.StatusDescription);
                foreach (KeyValuePair<string, object?> tag in activity.TagObjects)
                {
                    tags.Enqueue(tag.Key + "=" + tag.Value);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    /// <summary>Answers getToken, then fails every other request with an exception quoting the Authorization header and the body.</summary>
    private sealed class EchoThrowingHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath == "/users/getToken")
            {
                return ScriptedIamport.Json(Api.Token(ScriptedIamport.Token));
            }

            string body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"proxy refused {request.RequestUri} with Authorization={request.Headers.Authorization} body={body}");
        }
    }
}
