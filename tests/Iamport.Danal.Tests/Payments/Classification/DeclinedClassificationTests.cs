using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using static Iamport.Danal.Tests.Payments.Classification.Replies;

namespace Iamport.Danal.Tests.Payments.Classification;

/// <summary>Every report of the transport that the classifier turns into <see cref="ChargeOutcome.Declined"/>.</summary>
public class DeclinedClassificationTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("AnswerFailed", _ => Failed(), _ => throw new AssertionException("no look-up"), reconciled: false, settled: false);
        yield return Case("NoResponseThenLookupFailedForThisAttempt", Reset, _ => Failed(), reconciled: true, settled: true);
        yield return Case("NoResponseThenThisAttemptFailedBesideAnEarlierOne", Reset, _ => Records(Failed(), Earlier("again-failed.json")), reconciled: true, settled: true);

        static TestCaseData Case(string name, Func<HttpRequestMessage, HttpResponseMessage> charge, Func<HttpRequestMessage, HttpResponseMessage> lookups, bool reconciled, bool settled) =>
            new TestCaseData(charge, lookups, reconciled, settled).SetName("ChargeBillingKeyAsync_" + name + "_Declined");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task ChargeBillingKeyAsync_Report_Declined(Func<HttpRequestMessage, HttpResponseMessage> charge, Func<HttpRequestMessage, HttpResponseMessage> lookups, bool reconciled, bool settled)
    {
        var (result, error, server) = await ChargeAsync(charge, lookups);
        DateTimeOffset start = new Microsoft.Extensions.Time.Testing.FakeTimeProvider().GetUtcNow();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Is.Null);
            Assert.That(result?.Outcome, Is.EqualTo(ChargeOutcome.Declined));
            Assert.That(result?.IsReconciled, Is.EqualTo(reconciled));
            Assert.That(result?.FailReason, Is.Not.Null);

            // A decline found by a look-up is believed after the settle period: an earlier attempt's record in the same
            // second could not be told apart, and this attempt's paid record may still appear.
            Assert.That(server.Time.GetUtcNow() - start, settled ? Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(3)) : Is.EqualTo(TimeSpan.Zero));
        }
    }
}
