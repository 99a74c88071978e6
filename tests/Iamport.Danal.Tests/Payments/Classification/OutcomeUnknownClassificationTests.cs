using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using static Iamport.Danal.Tests.Payments.Classification.Replies;

namespace Iamport.Danal.Tests.Payments.Classification;

/// <summary>Every report of the transport that leaves the classifier without an outcome for the whole reconciliation
/// window: <see cref="IamportOutcomeUnknownException"/>, never a guess.</summary>
public class OutcomeUnknownClassificationTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("LookupsRefused200", _ => Refusal(HttpStatusCode.OK));
        yield return Case("LookupsRefused500", _ => Refusal(HttpStatusCode.InternalServerError, 1, Outages[0]));
        yield return Case("LookupsHtml502", _ => Html(HttpStatusCode.BadGateway));
        yield return Case("LookupsRedirected", _ => Html(HttpStatusCode.MovedPermanently));
        yield return Case("LookupsReset", Reset);
        yield return Case("LookupsHtml404", _ => Html(HttpStatusCode.NotFound));
        yield return Case("LookupFindsReady", _ => Payment("again-paid.json", r => r["status"] = "ready"));
        yield return Case("LookupFindsThisAttemptCancelled", _ => Payment("again-paid.json", r => r["status"] = "cancelled"));

        static TestCaseData Case(string name, Func<HttpRequestMessage, HttpResponseMessage> lookups) =>
            new TestCaseData(lookups).SetName("ChargeBillingKeyAsync_NoResponseAnd" + name + "_OutcomeUnknownAfterTheWindow");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task ChargeBillingKeyAsync_Lookups_OutcomeUnknownAfterTheWindow(Func<HttpRequestMessage, HttpResponseMessage> lookups)
    {
        DateTimeOffset start = new Microsoft.Extensions.Time.Testing.FakeTimeProvider().GetUtcNow();
        var (result, error, server) = await ChargeAsync(Reset, lookups);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result, Is.Null);
            Assert.That(error, Is.TypeOf<IamportOutcomeUnknownException>());
            Assert.That(((IamportException)error!).MayHaveBeenApplied, Is.True);
            Assert.That(server.Time.GetUtcNow() - start, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(server.Charges, Is.EqualTo(1));
        }
    }
}
