using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Iamport.Danal.Tests.Payments;

/// <summary>A charge whose reply is lost is looked up, never resent.</summary>
public class ChargeReconciliationTests
{
    private const string FindUrl = Api.Base + "/payments/findAll/sub_42_2026_12";

    private static IEnumerable<TestCaseData> LostReplies()
    {
        yield return Case("Timeout", r => r.Throw(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout")));
        yield return Case("ConnectionReset", r => r.Throw(new HttpRequestException("Connection reset by peer")));
        yield return Case("BadGatewayHtml", r => r.Respond(HttpStatusCode.BadGateway, "text/html", "<html><body>502 Bad Gateway</body></html>"));
        yield return Case("TruncatedJson", r => r.Respond(HttpStatusCode.OK, "application/json", "{\"code\":0,\"response\":{\"imp_u"));

        static TestCaseData Case(string reply, Func<MockedRequest, MockedRequest> lose) =>
            new TestCaseData(lose).SetName($"ChargeBillingKeyAsync_{reply}AndLookupFindsPaid_ReportsApprovedAfterOnePost");
    }

    [TestCaseSource(nameof(LostReplies))]
    public async Task ChargeBillingKeyAsync_LostReplyAndLookupFindsPaid_ReportsApprovedAfterOnePost(Func<MockedRequest, MockedRequest> loseReply)
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        MockedRequest again = loseReply(mock.When(HttpMethod.Post, Api.AgainUrl));
        mock.Expect(HttpMethod.Get, FindUrl).WithQueryString("sorting", "-started").Respond("application/json", Api.Page("again-paid.json"));

        ChargeResult result = await Api.Client(mock).ChargeBillingKeyAsync(Api.Charge());

        mock.VerifyNoOutstandingExpectation();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Approved));
            Assert.That(result.IsReconciled, Is.True);
            Assert.That(result.Payment!.ImpUid, Is.EqualTo("imp_123456789012"));
            Assert.That(mock.GetMatchCount(again), Is.EqualTo(1), "the charge POST went out exactly once");
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_TimeoutAndLookupFindsFailed_ReportsDeclined()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        MockedRequest again = mock.When(HttpMethod.Post, Api.AgainUrl).Throw(new TaskCanceledException());
        mock.When(HttpMethod.Get, FindUrl).Respond("application/json", Api.Page("again-failed.json"));
        var time = new FakeTimeProvider();

        // A decline found by a look-up is believed once the settle period has passed (this attempt's paid record could still appear).
        Task<ChargeResult> charge = Api.Client(mock, time).ChargeBillingKeyAsync(Api.Charge());
        await time.AdvanceUntilDoneAsync(charge);
        ChargeResult result = await charge;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Declined));
            Assert.That(result.FailReason, Does.Contain("한도초과"));
            Assert.That(mock.GetMatchCount(again), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_TimeoutAndLookupAnswers200WithCodeNot0_NotBelievedAsNotFound()
    {
        // "Not found" is recognised positively (404 on this route): an HTTP 200 refusal may be an outage's answer.
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        mock.When(HttpMethod.Post, Api.AgainUrl).Throw(new TaskCanceledException());
        MockedRequest find = mock.When(HttpMethod.Get, FindUrl).Respond(HttpStatusCode.OK, "application/json", Api.Fixture("not-found.json"));
        var time = new FakeTimeProvider();

        Task<ChargeResult> charge = Api.Client(mock, time).ChargeBillingKeyAsync(Api.Charge());
        await time.AdvanceUntilDoneAsync(charge);

        Assert.ThrowsAsync<IamportOutcomeUnknownException>(() => charge);
        Assert.That(mock.GetMatchCount(find), Is.EqualTo(10), "looked up for the whole window");
    }

    [TestCase(HttpStatusCode.NotFound)]
    public async Task ChargeBillingKeyAsync_TimeoutAndLookupFindsNothing_ReportsNotChargedOnlyAfterTheSettlePeriod(HttpStatusCode notFoundStatus)
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        MockedRequest again = mock.When(HttpMethod.Post, Api.AgainUrl).Throw(new TaskCanceledException());
        MockedRequest find = mock.When(HttpMethod.Get, FindUrl).Respond(notFoundStatus, "application/json", Api.Fixture("not-found.json"));
        var time = new FakeTimeProvider();

        Task<ChargeResult> charge = Api.Client(mock, time).ChargeBillingKeyAsync(Api.Charge());
        await time.AdvanceUntilDoneAsync(charge);
        ChargeResult result = await charge;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.NotCharged));
            Assert.That(result.IsApproved, Is.False);
            Assert.That(result.Payment, Is.Null);
            Assert.That(mock.GetMatchCount(again), Is.EqualTo(1));

            // Look-ups at 0, 0.1, 0.3, 0.7, 1.5 s find nothing and are not believed; the one at 3.1 s is (3 s settle period).
            Assert.That(mock.GetMatchCount(find), Is.EqualTo(6));
            Assert.That(time.GetUtcNow() - FakeStart, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(3)));
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_RecordAppearsAfterTwoSeconds_ReportsApprovedNotNotCharged()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        mock.When(HttpMethod.Post, Api.AgainUrl).Throw(new HttpRequestException("Connection reset by peer"));
        var time = new FakeTimeProvider();
        DateTimeOffset lost = time.GetUtcNow();
        mock.When(HttpMethod.Get, FindUrl).Respond(_ => time.GetUtcNow() - lost < TimeSpan.FromSeconds(2)
            ? new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent(Api.Fixture("not-found.json")) }
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Api.Page("again-paid.json")) });

        Task<ChargeResult> charge = Api.Client(mock, time).ChargeBillingKeyAsync(Api.Charge());
        await time.AdvanceUntilDoneAsync(charge);
        ChargeResult result = await charge;

        Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Approved));
    }

    [Test]
    public async Task ChargeBillingKeyAsync_NoSettlePeriod_BelievesTheFirstNotFound()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        mock.When(HttpMethod.Post, Api.AgainUrl).Throw(new TaskCanceledException());
        MockedRequest find = mock.When(HttpMethod.Get, FindUrl).Respond(HttpStatusCode.NotFound, "application/json", Api.Fixture("not-found.json"));
        IamportOptions options = Api.Options();
        options.NotChargedSettlePeriod = TimeSpan.Zero;

        ChargeResult result = await Api.Client(mock, new FakeTimeProvider(), options).ChargeBillingKeyAsync(Api.Charge());

        Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.NotCharged));
        Assert.That(mock.GetMatchCount(find), Is.EqualTo(1));
    }

    [Test]
    public async Task ChargeBillingKeyAsync_TimeoutAndLookupKeepsFailing_LooksUpForTheWindowThenThrowsOutcomeUnknown()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        MockedRequest again = mock.When(HttpMethod.Post, Api.AgainUrl).Throw(new TaskCanceledException());
        MockedRequest find = mock.When(HttpMethod.Get, FindUrl).Throw(new HttpRequestException("Connection refused"));
        var time = new FakeTimeProvider();

        Task<ChargeResult> charge = Api.Client(mock, time).ChargeBillingKeyAsync(Api.Charge());
        await time.AdvanceUntilDoneAsync(charge);

        var ex = Assert.ThrowsAsync<IamportOutcomeUnknownException>(() => charge);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.MerchantUid, Is.EqualTo("sub_42_2026_12"));
            Assert.That(ex.Message, Does.Contain("sub_42_2026_12").And.Contain("may have been charged"));
            Assert.That(ex.Message, Does.Not.Contain(Api.CustomerUid));
            Assert.That(ex, Is.InstanceOf<IamportException>());
            Assert.That(mock.GetMatchCount(again), Is.EqualTo(1));

            // Pauses of 0.1, 0.2, 0.4, 0.8, 1.6, 2, 2, 2 s, then the 0.9 s left of the default 10 s window.
            Assert.That(mock.GetMatchCount(find), Is.EqualTo(10), "the look-up, not the charge, is repeated");
            Assert.That(time.GetUtcNow() - FakeStart, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(10)).And.LessThan(TimeSpan.FromSeconds(11)));
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_LookupFailsTwiceThenAnswers_ReportsTheOutcomeAfterTwoPauses()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        mock.When(HttpMethod.Post, Api.AgainUrl).Throw(new HttpRequestException("Connection reset by peer"));
        int lookups = 0;
        mock.When(HttpMethod.Get, FindUrl).Respond(_ => ++lookups <= 2
            ? new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>502</html>") }
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Api.Page("again-paid.json")) });
        var time = new FakeTimeProvider();

        Task<ChargeResult> charge = Api.Client(mock, time).ChargeBillingKeyAsync(Api.Charge());
        await time.AdvanceUntilDoneAsync(charge);
        ChargeResult result = await charge;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Approved));
            Assert.That(result.IsReconciled, Is.True);
            Assert.That(lookups, Is.EqualTo(3));
            Assert.That(time.GetUtcNow() - FakeStart, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(300)).And.LessThan(TimeSpan.FromSeconds(1)));
        }
    }

    [Test]
    public void ChargeBillingKeyAsync_LookupFindsPaymentStillReadyAndNoWindow_ThrowsOutcomeUnknownAfterOneLookup()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        mock.When(HttpMethod.Post, Api.AgainUrl).Throw(new TaskCanceledException());
        MockedRequest find = mock.When(HttpMethod.Get, FindUrl).Respond("application/json", Api.Page("again-paid.json").Replace("\"status\":\"paid\"", "\"status\":\"ready\"", StringComparison.Ordinal));
        IamportOptions options = Api.Options();
        options.ReconciliationWindow = TimeSpan.Zero;

        Assert.ThrowsAsync<IamportOutcomeUnknownException>(() => Api.Client(mock, options: options).ChargeBillingKeyAsync(Api.Charge()));
        Assert.That(mock.GetMatchCount(find), Is.EqualTo(1));
    }

    [Test]
    public async Task ChargeBillingKeyAsync_CancelledWhileWaitingToLookUpAgain_ThrowsOutcomeUnknownCarryingTheCancellation()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        mock.When(HttpMethod.Post, Api.AgainUrl).Throw(new TaskCanceledException());
        MockedRequest find = mock.When(HttpMethod.Get, FindUrl).Throw(new HttpRequestException("Connection refused"));
        using var cts = new CancellationTokenSource();
        var time = new FakeTimeProvider();

        Task<ChargeResult> charge = Api.Client(mock, time).ChargeBillingKeyAsync(Api.Charge(), cts.Token);
        while (mock.GetMatchCount(find) == 0)
        {
            await Task.Delay(1);
        }

        await cts.CancelAsync();

        // The reply was lost: the card may have been charged, so a bare cancellation would say too little.
        var ex = Assert.ThrowsAsync<IamportOutcomeUnknownException>(() => charge);
        Assert.That(ex!.InnerException, Is.InstanceOf<OperationCanceledException>());
        Assert.That(mock.GetMatchCount(find), Is.EqualTo(1));
    }

    [Test]
    public async Task ChargeBillingKeyAsync_IncludeSandboxOff_LookupStillAsksForSandboxPayments()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        mock.When(HttpMethod.Post, Api.AgainUrl).Throw(new TaskCanceledException());
        mock.Expect(HttpMethod.Get, FindUrl).WithQueryString("include_sandbox", "true").Respond("application/json", Api.Page("again-paid.json"));

        ChargeResult result = await Api.Client(mock).ChargeBillingKeyAsync(Api.Charge());

        mock.VerifyNoOutstandingExpectation();
        Assert.That(result.IsApproved, Is.True);
    }

    [Test]
    public async Task ChargeBillingKeyAsync_ConfiguredTimeoutElapses_ReconcilesInsteadOfResending()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        var never = new TaskCompletionSource<HttpResponseMessage>();
        MockedRequest again = mock.When(HttpMethod.Post, Api.AgainUrl);
        again.Respond(() => never.Task);
        mock.Expect(HttpMethod.Get, FindUrl).Respond("application/json", Api.Page("again-paid.json"));
        IamportOptions options = Api.Options();
        options.Timeout = TimeSpan.FromMilliseconds(50);

        ChargeResult result = await Api.Client(mock, options: options).ChargeBillingKeyAsync(Api.Charge());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Approved));
            Assert.That(mock.GetMatchCount(again), Is.EqualTo(1));
        }
    }

    private static readonly DateTimeOffset FakeStart = new FakeTimeProvider().GetUtcNow();

}
