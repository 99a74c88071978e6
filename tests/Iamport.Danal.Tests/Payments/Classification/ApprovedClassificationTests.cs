using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using static Iamport.Danal.Tests.Payments.Classification.Replies;

namespace Iamport.Danal.Tests.Payments.Classification;

/// <summary>Every report of the transport that the classifier turns into <see cref="ChargeOutcome.Approved"/>: from
/// the charge's reply, and from the look-ups after a lost one (the same classifier).</summary>
public class ApprovedClassificationTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("AnswerPaid", _ => Paid(), _ => throw new AssertionException("no look-up"), reconciled: false);
        yield return Case("NoResponseThenLookupPaid", Reset, _ => Paid(), reconciled: true);
        yield return Case("HtmlGatewayThenLookupPaid", _ => Html(HttpStatusCode.BadGateway), _ => Paid(), reconciled: true);
        yield return Case("RedirectThenLookupPaid", _ => Html(HttpStatusCode.TemporaryRedirect), _ => Paid(), reconciled: true);
        yield return Case("ReadyAnswerThenLookupPaid", _ => Payment("again-paid.json", r => r["status"] = "ready"), _ => Paid(), reconciled: true);
        foreach (HttpStatusCode gateway in GatewayStatuses())
        {
            // A gateway's envelope after the charge was applied upstream is not I'mport's refusal: looked up first.
            yield return Case($"Envelope{(int)gateway}AfterTheChargeWasAppliedThenLookupPaid", _ => Refusal(gateway), _ => Paid(), reconciled: true);
        }

        // An earlier declined attempt's record is visible first; this attempt's paid record appears later.
        yield return Case("LostReplyEarlierFailedThenPaidAppears", Reset, InTurn(() => Records(Earlier("again-failed.json")), () => Records(Earlier("again-failed.json")), () => Records(Paid(), Earlier("again-failed.json"))), reconciled: true);

        static TestCaseData Case(string name, Func<HttpRequestMessage, HttpResponseMessage> charge, Func<HttpRequestMessage, HttpResponseMessage> lookups, bool reconciled) =>
            new TestCaseData(charge, lookups, reconciled).SetName("ChargeBillingKeyAsync_" + name + "_Approved");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task ChargeBillingKeyAsync_Report_Approved(Func<HttpRequestMessage, HttpResponseMessage> charge, Func<HttpRequestMessage, HttpResponseMessage> lookups, bool reconciled)
    {
        var (result, error, server) = await ChargeAsync(charge, lookups);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Is.Null);
            Assert.That(result?.Outcome, Is.EqualTo(ChargeOutcome.Approved));
            Assert.That(result?.IsReconciled, Is.EqualTo(reconciled));
            Assert.That(server.Charges, Is.EqualTo(1), "never resent");
        }
    }

    private static IEnumerable<TestCaseData> RefusingLookups()
    {
        // Look-ups refused in every status I'mport or a gateway answers with, with several messages, before the
        // outage ends: none of them is "not found".
        var statuses = new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.InternalServerError };
        for (int i = 0; i < statuses.Length; i++)
        {
            for (int m = 0; m < Outages.Length; m++)
            {
                HttpStatusCode status = statuses[i];
                string message = Outages[m];
                yield return new TestCaseData(status, message).SetName($"ChargeBillingKeyAsync_LookupsRefused{(int)status}Message{m}ForFourSecondsThenPaid_ApprovedNeverNotCharged");
            }
        }
    }

    [TestCaseSource(nameof(RefusingLookups))]
    public async Task ChargeBillingKeyAsync_LookupsRefusedThenPaid_ApprovedNeverNotCharged(HttpStatusCode status, string message)
    {
        var server = new Honesty.ScriptedIamport { OnCharge = Reset };
        DateTimeOffset lost = server.Time.GetUtcNow();
        server.OnFind = _ => server.Time.GetUtcNow() - lost < TimeSpan.FromSeconds(4) ? Refusal(status, -1, message) : Paid();

        Task<ChargeResult> charge = server.Client().ChargeBillingKeyAsync(TestSupport.Api.Charge());
        await TestSupport.Api.AdvanceUntilDoneAsync(server.Time, charge);
        ChargeResult result = await charge;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Approved));
            Assert.That(server.Finds, Is.GreaterThan(3), "the refusals were looked past, not believed");
            Assert.That(server.Charges, Is.EqualTo(1));
        }
    }
}
