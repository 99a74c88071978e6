using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using Iamport.Danal.Testing;
using Iamport.Danal.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Iamport.Danal.Tests.EndToEnd;

/// <summary>Every fault the fake can inject on a charge, driven through the real client: what the client reports
/// must match what the fake really did.</summary>
public class ClientFaultTests
{
    private const string MerchantUid = "fault-order-1";

    [Test]
    public async Task ChargeBillingKeyAsync_SlowAnswer_ApprovedOnceTheAnswerComes()
    {
        await using var h = new FaultHarness();
        await h.WarmUpTokenAsync();
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.Latency(TimeSpan.FromSeconds(5)));

        Task<ChargeResult> pending = h.Client.ChargeBillingKeyAsync(FaultHarness.Charge(MerchantUid));
        bool completedEarly = pending.IsCompleted;
        // Small steps until it ends: on a loaded machine the request may reach the fake's latency wait only after the
        // first steps, and a fixed number of steps taken before it would leave it waiting forever.
        await h.Time.AdvanceUntilDoneAsync(pending);
        ChargeResult result = await pending;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(completedEarly, Is.False, "the answer waits for the fake's clock");
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Approved));
            Assert.That(result.IsReconciled, Is.False);
            Assert.That(h.Fake.PaidChargeCount(MerchantUid), Is.EqualTo(1));
            Assert.That(h.Fake.RequestCount(FakeRoutes.FindAllPayments), Is.Zero);
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_AnswerSlowerThanTimeout_NotChargedAfterLookUpAndNeverAppliedLater()
    {
        // The client's timeout is real time (it guards real sockets); the fake's latency is on the fake clock, which never
        // moves here, so the answer cannot come before the client gives up.
        await using var h = new FaultHarness(timeout: TimeSpan.FromMilliseconds(200));
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.Latency(TimeSpan.FromHours(1)));

        Task<ChargeResult> charge = h.Client.ChargeBillingKeyAsync(FaultHarness.Charge(MerchantUid));
        while (h.Fake.RequestCount(FakeRoutes.FindAllPayments) == 0 && !charge.IsCompleted)
        {
            await Task.Delay(10);
        }

        // Only now the fake clock moves (the settle period of the look-ups): the abandoned request was cancelled before.
        await h.Time.AdvanceUntilDoneAsync(charge);
        ChargeResult result = await charge;
        h.Time.Advance(TimeSpan.FromHours(2));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.NotCharged));
            Assert.That(result.IsReconciled, Is.True);
            Assert.That(h.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(1), "never resent");
            Assert.That(h.Fake.GetPayments(MerchantUid), Is.Empty, "the abandoned request is not applied later either");
        }
    }

    private static IEnumerable<TestCaseData> LostReplies()
    {
        // (fault on the charge, over Kestrel loopback rather than in-process, what the fake really did)
        yield return Case("ChargedThenTimeout", Fault.DropResponseAfterCommit(asTimeout: true), loopback: false, ChargeOutcome.Approved);
        yield return Case("ChargedThenReset", Fault.DropResponseAfterCommit(asTimeout: false), loopback: false, ChargeOutcome.Approved);
        yield return Case("ChargedThenConnectionAborted", Fault.DropResponseAfterCommit(), loopback: true, ChargeOutcome.Approved);
        yield return Case("ResetBeforeCommit", Fault.ResetBeforeCommit(), loopback: false, ChargeOutcome.NotCharged);
        yield return Case("ConnectionResetBeforeCommit", Fault.ResetBeforeCommit(), loopback: true, ChargeOutcome.NotCharged);
        yield return Case("ServerErrorHtml", Fault.ServerErrorHtml(), loopback: false, ChargeOutcome.NotCharged);

        static TestCaseData Case(string name, Fault fault, bool loopback, ChargeOutcome applied) =>
            new TestCaseData(fault, loopback, applied).SetName("ChargeBillingKeyAsync_" + name + "_ReconciledTo" + applied);
    }

    [TestCaseSource(nameof(LostReplies))]
    public async Task ChargeBillingKeyAsync_LostReply_ReconciledToWhatTheFakeDid(Fault fault, bool loopback, ChargeOutcome applied)
    {
        await using var h = new FaultHarness(loopback: loopback);
        if (loopback)
        {
            await h.StartAsync();
        }

        h.Fake.Faults.Next(FakeRoutes.Again, fault);

        Task<ChargeResult> charge = h.Client.ChargeBillingKeyAsync(FaultHarness.Charge(MerchantUid));
        await h.Time.AdvanceUntilDoneAsync(charge);
        ChargeResult result = await charge;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(applied));
            Assert.That(result.IsReconciled, Is.True, "no usable reply: the outcome comes from the look-up");
            Assert.That(h.Fake.PaidChargeCount(MerchantUid), Is.EqualTo(applied == ChargeOutcome.Approved ? 1 : 0));
            Assert.That(result.Payment?.ImpUid, Is.EqualTo(applied == ChargeOutcome.Approved ? h.Fake.GetPayments(MerchantUid)[0].ImpUid : null));
            Assert.That(h.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(1), "never resent");
            // Found at once when charged; "not found" is only believed after the settle period, so looked up again.
            Assert.That(h.Fake.RequestCount(FakeRoutes.FindAllPayments), applied == ChargeOutcome.Approved ? Is.EqualTo(1) : Is.GreaterThan(1));
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_RecordVisibleOnlyTwoSecondsAfterTheReset_ApprovedNotNotCharged()
    {
        await using var h = new FaultHarness();
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.DropResponseRecordLater(TimeSpan.FromSeconds(2)));

        Task<ChargeResult> charge = h.Client.ChargeBillingKeyAsync(FaultHarness.Charge(MerchantUid));
        await h.Time.AdvanceUntilDoneAsync(charge);
        ChargeResult result = await charge;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Approved), "the first look-ups found nothing; the settle period waited for the record");
            Assert.That(result.IsReconciled, Is.True);
            Assert.That(h.Fake.PaidChargeCount(MerchantUid), Is.EqualTo(1));
            Assert.That(h.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(1), "never resent");
            Assert.That(h.Fake.RequestCount(FakeRoutes.FindAllPayments), Is.GreaterThan(1));
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task ChargeBillingKeyAsync_ResponseDroppedOnTestChannel_ApprovedWhateverIncludeSandbox(bool includeSandbox)
    {
        // A test channel may hide its payments from look-ups unless include_sandbox=true (documented for GET
        // /payments/{imp_uid} only; the fake hides them everywhere here): the reconciliation look-up always asks for
        // them, or it would report "not charged" for a charge that happened.
        await using var h = new FaultHarness(sandbox: true, includeSandbox: includeSandbox);
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.DropResponseAfterCommit());

        ChargeResult result = await h.Client.ChargeBillingKeyAsync(FaultHarness.Charge(MerchantUid));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Approved));
            Assert.That(result.IsReconciled, Is.True);
            Assert.That(result.Payment!.IsSandbox, Is.True);
            Assert.That(h.Fake.PaidChargeCount(MerchantUid), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_ErrorEnvelopeOn200_ThrowsWithoutLookUp()
    {
        await using var h = new FaultHarness();
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.ErrorEnvelope(1, "비인증결제모듈 사용정보를 찾을 수 없습니다."));

        var ex = Assert.ThrowsAsync<IamportException>(() => h.Client.ChargeBillingKeyAsync(FaultHarness.Charge(MerchantUid)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex, Is.Not.InstanceOf<IamportOutcomeUnknownException>());
            Assert.That(ex!.StatusCode, Is.EqualTo(200));
            Assert.That(ex.Code, Is.EqualTo(1));
            Assert.That(ex.ApiMessage, Is.EqualTo("비인증결제모듈 사용정보를 찾을 수 없습니다."));
            Assert.That(h.Fake.PaidChargeCount(MerchantUid), Is.Zero);
            Assert.That(h.Fake.RequestCount(FakeRoutes.FindAllPayments), Is.Zero, "a refusal is an answer");
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_TokenRevoked_RefreshesOnceReplaysAndChargesOnce()
    {
        await using var h = new FaultHarness();
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.RevokeToken());

        ChargeResult result = await h.Client.ChargeBillingKeyAsync(FaultHarness.Charge(MerchantUid));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Approved));
            Assert.That(result.IsReconciled, Is.False);
            Assert.That(h.Fake.TokenRequestCount, Is.EqualTo(2), "one refresh");
            Assert.That(h.Fake.TokensIssuedCount, Is.EqualTo(2), "the revoked token is not handed out again");
            Assert.That(h.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(2), "the 401 and one replay");
            Assert.That(h.Fake.PaidChargeCount(MerchantUid), Is.EqualTo(1));
        }
    }

    [TestCase(1, TestName = "AnyCall_ServerNowOneHourAhead_TokenHandlingUnaffected")]
    [TestCase(-1, TestName = "AnyCall_ServerNowOneHourBehind_TokenHandlingUnaffected")]
    public async Task AnyCall_ServerNowSkewed_TokenHandlingUnaffected(int hours)
    {
        await using var h = new FaultHarness();
        h.Fake.Faults.Next(FakeRoutes.GetToken, Fault.SkewNow(TimeSpan.FromHours(hours)));

        ChargeResult first = await h.Client.ChargeBillingKeyAsync(FaultHarness.Charge("fault-skew-1"));
        h.Time.Advance(TimeSpan.FromMinutes(28));
        ChargeResult second = await h.Client.ChargeBillingKeyAsync(FaultHarness.Charge("fault-skew-2"));
        int tokensBeforeMargin = h.Fake.TokenRequestCount;
        h.Time.Advance(TimeSpan.FromMinutes(1.5));
        ChargeResult third = await h.Client.ChargeBillingKeyAsync(FaultHarness.Charge("fault-skew-3"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(h.Fake.Faults.Injected, Has.Count.EqualTo(1));
            Assert.That(new[] { first.Outcome, second.Outcome, third.Outcome }, Is.All.EqualTo(ChargeOutcome.Approved));
            Assert.That(tokensBeforeMargin, Is.EqualTo(1), "expiry comes from expired_at - now, not the local clock");
            Assert.That(h.Fake.TokenRequestCount, Is.EqualTo(2), "refreshed in the last minute");
            Assert.That(h.Fake.TokensIssuedCount, Is.EqualTo(1), "and got the same token, extended");
            Assert.That(h.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(3), "no 401 and replay");
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_ResponseDroppedAndLookUpFailsThroughTheWindow_ThrowsOutcomeUnknownWhileCharged()
    {
        await using var h = new FaultHarness();
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.DropResponseAfterCommit());
        h.Fake.Faults.Next(FakeRoutes.FindAllPayments, Fault.ServerErrorHtml(), count: 100);

        Task<ChargeResult> charge = h.Client.ChargeBillingKeyAsync(FaultHarness.Charge(MerchantUid));
        await h.Time.AdvanceUntilDoneAsync(charge);

        var ex = Assert.ThrowsAsync<IamportOutcomeUnknownException>(() => charge);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.MerchantUid, Is.EqualTo(MerchantUid));
            Assert.That(h.Fake.PaidChargeCount(MerchantUid), Is.EqualTo(1), "the card was charged: the shop must reconcile");
            Assert.That(h.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(1), "never resent");
            Assert.That(h.Fake.RequestCount(FakeRoutes.FindAllPayments), Is.EqualTo(10), "looked up for the whole 10 s window");
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_ResponseDroppedAndLookUpFailsForASecond_ReportsApproved()
    {
        await using var h = new FaultHarness();
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.DropResponseAfterCommit());
        h.Fake.Faults.Next(FakeRoutes.FindAllPayments, Fault.ServerErrorHtml(), count: 4);

        Task<ChargeResult> charge = h.Client.ChargeBillingKeyAsync(FaultHarness.Charge(MerchantUid));
        await h.Time.AdvanceUntilDoneAsync(charge);
        ChargeResult result = await charge;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Approved));
            Assert.That(result.IsReconciled, Is.True);
            Assert.That(h.Fake.PaidChargeCount(MerchantUid), Is.EqualTo(1));
            Assert.That(h.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(1), "never resent");
            Assert.That(h.Fake.RequestCount(FakeRoutes.FindAllPayments), Is.EqualTo(5));
        }
    }

}

/// <summary>A fake with one approving key, on a fake clock, and the real client talking to it in-process or over loopback.</summary>
internal sealed class FaultHarness : IAsyncDisposable
{
    public const string CustomerUid = "cust_fault_1";
    private const string Key = "fault_key";
    private const string Secret = "fault_secret";

    private readonly TimeSpan _timeout;
    private readonly bool _sandbox;
    private HttpClient? _http;
    private IamportClient? _client;

    public FaultHarness(bool loopback = false, TimeSpan? timeout = null, bool sandbox = false, bool? includeSandbox = null)
    {
        _timeout = timeout ?? TimeSpan.FromSeconds(30);
        _sandbox = includeSandbox ?? sandbox;
        Fake = new FakeIamport(new FakeIamportOptions { ImpKey = Key, ImpSecret = Secret, Sandbox = sandbox, HideSandboxFromSearches = sandbox }, Time);
        Fake.IssueBillingKey(CustomerUid);
        if (!loopback)
        {
            _http = new HttpClient(Fake.CreateHandler());
            _client = new IamportClient(_http, new IamportOptions { ImpKey = Key, ImpSecret = Secret, Timeout = _timeout, IncludeSandbox = _sandbox }, timeProvider: Time);
        }
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));

    public FakeIamport Fake { get; }

    public IamportClient Client => _client ?? throw new InvalidOperationException("Call StartAsync first.");

    /// <summary>Starts the fake on Kestrel and points a client with a real socket handler at it.</summary>
    public async Task StartAsync()
    {
        Uri baseAddress = await Fake.StartAsync(0);
        _http = new HttpClient();
        _client = new IamportClient(_http, new IamportOptions { ImpKey = Key, ImpSecret = Secret, BaseAddress = baseAddress, Timeout = _timeout, IncludeSandbox = _sandbox }, timeProvider: Time);
    }

    /// <summary>Makes one call so the token is cached and later requests reach their route without a getToken first.</summary>
    public Task WarmUpTokenAsync() => Client.GetBillingKeyAsync(CustomerUid);

    public static ChargeRequest Charge(string merchantUid) => new()
    {
        CustomerUid = CustomerUid,
        MerchantUid = merchantUid,
        Amount = 9900m,
        Name = "월간 구독",
    };

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        await Fake.DisposeAsync();
    }
}
