using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Internal;
using Iamport.Danal.Tests.TestSupport;

namespace Iamport.Danal.Tests;

/// <summary>What <see cref="IamportTelemetry.EnrichHttpRequest"/> makes of the requests the client really sends (both builds).</summary>
public class TelemetryTests
{
    [Test]
    public async Task EnrichHttpRequest_RequestsTheClientSends_CarryRouteTemplatesOnly()
    {
        var handler = new EnrichingHandler();
        var client = new IamportClient(new HttpClient(handler), Api.Options());

        await client.GetBillingKeyAsync(Api.CustomerUid);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(handler.Spans, Has.Count.EqualTo(2), "getToken and the look-up");
            Assert.That(handler.Spans[1].DisplayName, Is.EqualTo("GET /subscribe/customers/{customer_uid}"));
            Assert.That(handler.Spans[1].GetTagItem("url.full"), Is.EqualTo("https://api.iamport.kr/subscribe/customers/{customer_uid}"));
            Assert.That(handler.Spans[1].GetTagItem("url.path"), Is.EqualTo("/subscribe/customers/{customer_uid}"));
            Assert.That(handler.Spans[1].GetTagItem("url.template"), Is.EqualTo("/subscribe/customers/{customer_uid}"));
            Assert.That(handler.Spans[1].GetTagItem("url.query"), Is.Null);
            Assert.That(handler.Spans[0].GetTagItem("url.full"), Is.EqualTo("https://api.iamport.kr/users/getToken"));
        }
    }

    [Test]
    public void EnrichHttpRequest_ARequestTheLibraryDidNotSend_IsLeftAsItIs()
    {
        using var activity = new Activity("GET");
        activity.SetTag("url.full", "https://example.com/a/b?c=d");
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.com/a/b?c=d");

        IamportTelemetry.EnrichHttpRequest(activity, request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(activity.GetTagItem("url.full"), Is.EqualTo("https://example.com/a/b?c=d"));
            Assert.That(activity.DisplayName, Is.EqualTo("GET"));
        }
    }

    [TestCase(null, "unknown", TestName = "OutcomeValue_Unknown_IsLowerCase")]
    [TestCase(ChargeOutcome.Approved, "approved", TestName = "OutcomeValue_Approved_IsLowerCase")]
    [TestCase(ChargeOutcome.Declined, "declined", TestName = "OutcomeValue_Declined_IsLowerCase")]
    [TestCase(ChargeOutcome.NotCharged, "not_charged", TestName = "OutcomeValue_NotCharged_IsSnakeCase")]
    public void OutcomeValue_EachOutcome_IsOneCase(ChargeOutcome? outcome, string expected) =>
        Assert.That(Telemetry.OutcomeValue(outcome), Is.EqualTo(expected));

    [Test]
    public void OutcomeValue_EveryOutcome_IsLowerCaseSnake()
    {
        foreach (ChargeOutcome outcome in Enum.GetValues<ChargeOutcome>())
        {
            Assert.That(Telemetry.OutcomeValue(outcome), Does.Match("^[a-z]+(_[a-z]+)*$"), outcome.ToString());
        }
    }

    /// <summary>Runs the enrichment on every request, as OpenTelemetry's HttpClient instrumentation would, and answers it.</summary>
    private sealed class EnrichingHandler : HttpMessageHandler
    {
        public List<Activity> Spans { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var span = new Activity(request.Method.Method);
            span.SetTag("url.full", request.RequestUri!.AbsoluteUri);
            span.SetTag("url.path", request.RequestUri.AbsolutePath);
            IamportTelemetry.EnrichHttpRequest(span, request);
            Spans.Add(span);
            string body = request.RequestUri.AbsolutePath == "/users/getToken" ? Api.Token() : Api.Fixture("billing-key.json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body) });
        }
    }
}
