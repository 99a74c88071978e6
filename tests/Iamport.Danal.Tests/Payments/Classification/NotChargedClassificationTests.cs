using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using static Iamport.Danal.Tests.Payments.Classification.Replies;

namespace Iamport.Danal.Tests.Payments.Classification;

/// <summary>Every report of the transport that the classifier turns into <see cref="ChargeOutcome.NotCharged"/> (only
/// ever from look-ups, only after the settle period), and the refusals it believes (nothing charged, an exception).</summary>
public class NotChargedClassificationTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("NoResponseThenLookup404", Reset, _ => NotFound());
        yield return Case("NoResponseThenEmptyList", Reset, _ => Records());
        yield return Case("NoResponseThenOnlyAnEarlierAttemptFailed", Reset, _ => Records(Earlier("again-failed.json")));
        yield return Case("NoResponseThenOnlyAnEarlierAttemptCancelled", Reset, _ => Records(Payment("again-paid.json", p => { p["status"] = "cancelled"; p["started_at"] = TestSupport.Api.ServerNow - 60; })));
        yield return Case("NoResponseThenRefusedLookupsThen404", Reset, InTurn(() => Refusal(HttpStatusCode.OK), () => Refusal(HttpStatusCode.InternalServerError), () => NotFound()));

        static TestCaseData Case(string name, Func<HttpRequestMessage, HttpResponseMessage> charge, Func<HttpRequestMessage, HttpResponseMessage> lookups) =>
            new TestCaseData(charge, lookups).SetName("ChargeBillingKeyAsync_" + name + "_NotChargedAfterTheSettlePeriod");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task ChargeBillingKeyAsync_Report_NotChargedAfterTheSettlePeriod(Func<HttpRequestMessage, HttpResponseMessage> charge, Func<HttpRequestMessage, HttpResponseMessage> lookups)
    {
        DateTimeOffset start = new Microsoft.Extensions.Time.Testing.FakeTimeProvider().GetUtcNow();
        var (result, error, server) = await ChargeAsync(charge, lookups);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Is.Null);
            Assert.That(result?.Outcome, Is.EqualTo(ChargeOutcome.NotCharged));
            Assert.That(result?.IsReconciled, Is.True);
            Assert.That(server.Time.GetUtcNow() - start, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(3)));
            Assert.That(server.Charges, Is.EqualTo(1));
        }
    }

    private static IEnumerable<TestCaseData> Refusals()
    {
        // I'mport's own refusal shapes: believed at once, no look-up.
        yield return new TestCaseData((Func<HttpRequestMessage, HttpResponseMessage>)(_ => Refusal(HttpStatusCode.OK, -1, "등록되지 않은 구매자입니다.")), 0).SetName("ChargeBillingKeyAsync_Refused200_IamportExceptionWithoutLookup");
        yield return new TestCaseData((Func<HttpRequestMessage, HttpResponseMessage>)(_ => Refusal(HttpStatusCode.BadRequest, 1, "bad params")), 0).SetName("ChargeBillingKeyAsync_Refused400_IamportExceptionWithoutLookup");

        // A gateway's envelope: looked up first; found nothing, the refusal is reported as it came.
        foreach (HttpStatusCode gateway in GatewayStatuses())
        {
            yield return new TestCaseData((Func<HttpRequestMessage, HttpResponseMessage>)(_ => Refusal(gateway)), 1).SetName($"ChargeBillingKeyAsync_Envelope{(int)gateway}AndNothingFound_RefusalReportedAfterLookups");
        }
    }

    [TestCaseSource(nameof(Refusals))]
    public async Task ChargeBillingKeyAsync_Refusal_IamportException(Func<HttpRequestMessage, HttpResponseMessage> charge, int minimumLookups)
    {
        var (result, error, server) = await ChargeAsync(charge, _ => NotFound());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result, Is.Null);
            Assert.That(error, Is.TypeOf<IamportException>());
            Assert.That(((IamportException)error!).HasApiAnswer, Is.True);
            Assert.That(((IamportException)error).MayHaveBeenApplied, Is.False);
            Assert.That(server.Finds, minimumLookups == 0 ? Is.Zero : Is.GreaterThanOrEqualTo(minimumLookups));
        }
    }
}
