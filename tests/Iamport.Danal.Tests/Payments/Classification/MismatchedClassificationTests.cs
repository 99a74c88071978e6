using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using static Iamport.Danal.Tests.Payments.Classification.Replies;

namespace Iamport.Danal.Tests.Payments.Classification;

/// <summary>Every report of the transport that the classifier turns into <see cref="ChargeOutcome.Mismatched"/>: paid,
/// but not as asked.</summary>
public class MismatchedClassificationTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("AnswerPaidOtherAmount", _ => Payment("again-paid.json", r => r["amount"] = 1), _ => throw new AssertionException("no look-up"), reconciled: false);
        yield return Case("AnswerPaidOtherCustomer", _ => Payment("again-paid.json", r => r["customer_uid"] = "cust_other"), _ => throw new AssertionException("no look-up"), reconciled: false);
        yield return Case("AnswerPaidOtherMerchantUid", _ => Payment("again-paid.json", r => r["merchant_uid"] = "other_order"), _ => throw new AssertionException("no look-up"), reconciled: false);
        yield return Case("NoResponseThenLookupPaidOtherAmount", Reset, _ => Payment("again-paid.json", r => r["amount"] = 1), reconciled: true);

        // An earlier attempt of the merchant_uid was paid with another amount: the order's money moved, never "not charged".
        yield return Case("NoResponseThenEarlierAttemptPaidOtherAmount", Reset, _ => Records(Payment("again-paid.json", r => { r["amount"] = 1; r["started_at"] = TestSupport.Api.ServerNow - 60; })), reconciled: true);

        static TestCaseData Case(string name, Func<HttpRequestMessage, HttpResponseMessage> charge, Func<HttpRequestMessage, HttpResponseMessage> lookups, bool reconciled) =>
            new TestCaseData(charge, lookups, reconciled).SetName("ChargeBillingKeyAsync_" + name + "_Mismatched");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task ChargeBillingKeyAsync_Report_Mismatched(Func<HttpRequestMessage, HttpResponseMessage> charge, Func<HttpRequestMessage, HttpResponseMessage> lookups, bool reconciled)
    {
        var (result, error, _) = await ChargeAsync(charge, lookups);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Is.Null);
            Assert.That(result?.Outcome, Is.EqualTo(ChargeOutcome.Mismatched));
            Assert.That(result?.IsApproved, Is.False);
            Assert.That(result?.IsReconciled, Is.EqualTo(reconciled));
            Assert.That(result?.Payment, Is.Not.Null);
        }
    }
}
