// Expected values are written inline, where the reader compares them.
#pragma warning disable CA1861

using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Iamport.Danal.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Iamport.Danal.Tests.Contract;

/// <summary>
/// What the client promises over the I'mport V1 API, run against every backend (<see cref="RecordedContractTests"/>:
/// MockHttp answering with the reference's recorded shapes; <see cref="FakeContractTests"/>: the fake I'mport).
/// The assertions are the same on both, so the fake cannot drift from the shapes the client was built on.
/// </summary>
public abstract class ClientContractTests
{
    /// <summary>The clock both the client and (where it has one) the backend follow.</summary>
    protected static readonly DateTimeOffset Start = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    protected const string CustomerUid = "cust_0001";

    /// <summary>A Hangul syllable: I'mport's messages are Korean and must reach the caller intact (never parsed: section 4).</summary>
    private const string Hangul = "[\uAC00-\uD7A3]";

    private HttpClient? _http;

    protected FakeTimeProvider Time { get; private set; } = null!;

    private protected RequestRecorder Recorder { get; private set; } = null!;

    protected IIamportClient Client { get; private set; } = null!;

    [SetUp]
    public void SetUpBackend()
    {
        Time = new FakeTimeProvider(Start);
        Recorder = new RequestRecorder(CreateBackend(Time));
        _http = new HttpClient(Recorder);
        Client = new IamportClient(_http, new IamportOptions { ImpKey = "contract_key", ImpSecret = "contract_secret" }, timeProvider: Time);
        GivenBillingKey(CustomerUid);
    }

    [TearDown]
    public void TearDownClient()
    {
        _http?.Dispose();
        Recorder.Dispose();
    }

    /// <summary>Creates the backend; it accepts <c>contract_key</c>/<c>contract_secret</c>.</summary>
    protected abstract HttpMessageHandler CreateBackend(FakeTimeProvider time);

    /// <summary>Makes the backend hold an approving billing key for <paramref name="customerUid"/>.</summary>
    protected abstract void GivenBillingKey(string customerUid);

    /// <summary>Makes the next charge of <paramref name="customerUid"/> decline with <paramref name="reason"/>.</summary>
    protected abstract void GivenNextChargeDeclines(string customerUid, string reason);

    /// <summary>Makes look-ups of missing things answer in <paramref name="style"/>.</summary>
    protected abstract void GivenNotFoundStyle(NotFoundStyle style);

    /// <summary>How many times the backend really charged <paramref name="merchantUid"/>; <see langword="null"/> when it keeps no ledger.</summary>
    protected abstract int? ChargeCount(string merchantUid);

    private static ChargeRequest Charge(string merchantUid, decimal amount = 9900m) => new()
    {
        CustomerUid = CustomerUid,
        MerchantUid = merchantUid,
        Amount = amount,
        Name = "월간 구독",
    };

    [Test]
    public async Task AnyCall_TwoCallsWithinTokenLife_FetchOneToken()
    {
        ChargeResult charge = await Client.ChargeBillingKeyAsync(Charge("contract-token-1"));
        var key = await Client.GetBillingKeyAsync(CustomerUid);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(charge.Outcome, Is.EqualTo(ChargeOutcome.Approved));
            Assert.That(key, Is.Not.Null);
            Assert.That(Recorder.TokenRequests, Is.EqualTo(1));
            Assert.That(Recorder.BearerTokens, Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task AnyCall_ConcurrentCallersWithoutToken_FetchOneToken()
    {
        var keys = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Client.GetBillingKeyAsync(CustomerUid)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(keys, Has.All.Not.Null);
            Assert.That(Recorder.TokenRequests, Is.EqualTo(1));
            Assert.That(Recorder.BearerTokens, Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task AnyCall_InTokensLastMinute_RefreshesAndKeepsTheExtendedToken()
    {
        await Client.ChargeBillingKeyAsync(Charge("contract-extend-1"));

        // Past the client's refresh margin (1 minute before the 30-minute expiry): it asks again, I'mport extends the same token.
        Time.Advance(TimeSpan.FromMinutes(29.5));
        var key = await Client.GetBillingKeyAsync(CustomerUid);
        int afterRefresh = Recorder.TokenRequests;

        // Past the original expiry: only the 5-minute extension keeps the token alive, and the client must not ask again yet.
        Time.Advance(TimeSpan.FromMinutes(3));
        ChargeResult later = await Client.ChargeBillingKeyAsync(Charge("contract-extend-2"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(key, Is.Not.Null);
            Assert.That(afterRefresh, Is.EqualTo(2), "one getToken at the start, one in the last minute");
            Assert.That(later.Outcome, Is.EqualTo(ChargeOutcome.Approved));
            Assert.That(Recorder.TokenRequests, Is.EqualTo(2), "the extended token is used until its new expiry minus the margin");
            Assert.That(Recorder.BearerTokens, Has.Count.EqualTo(1), "I'mport returns the same token, extended");
            Assert.That(Recorder.Sent.Select(r => r.Status), Has.None.EqualTo(401));
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_CardDeclined_ReportsDeclinedWithFailReason()
    {
        GivenNextChargeDeclines(CustomerUid, TestCards.LimitExceededReason);

        ChargeResult result = await Client.ChargeBillingKeyAsync(Charge("contract-decline-1"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Declined));
            Assert.That(result.IsApproved, Is.False);
            Assert.That(result.IsReconciled, Is.False);
            Assert.That(result.FailReason, Does.Contain("한도초과"));
            Assert.That(result.Payment!.Status, Is.EqualTo(PaymentStatus.Failed));
            Assert.That(result.Payment.MerchantUid, Is.EqualTo("contract-decline-1"));
            Assert.That(ChargeCount("contract-decline-1"), Is.Null.Or.EqualTo(0));
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_MerchantUidAlreadyPaid_ThrowsCode1AndChargesOnce()
    {
        ChargeResult first = await Client.ChargeBillingKeyAsync(Charge("contract-dup-1"));

        var ex = Assert.ThrowsAsync<IamportException>(() => Client.ChargeBillingKeyAsync(Charge("contract-dup-1")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Outcome, Is.EqualTo(ChargeOutcome.Approved));
            Assert.That(ex, Is.Not.InstanceOf<IamportOutcomeUnknownException>());
            Assert.That(ex!.StatusCode, Is.EqualTo(200));
            Assert.That(ex.Code, Is.EqualTo(1));
            Assert.That(ex.ApiMessage, Does.Match(Hangul), "the Korean message is kept intact");
            Assert.That(Recorder.Count(HttpMethod.Post, "/subscribe/payments/again"), Is.EqualTo(2));
            Assert.That(Recorder.Sent.Count(r => r.Path.StartsWith("/payments/find/", StringComparison.Ordinal)), Is.Zero, "a refusal is an answer: no look-up");
            Assert.That(ChargeCount("contract-dup-1"), Is.Null.Or.EqualTo(1), "nothing charged twice");
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_UnknownCustomerUid_ThrowsCodeMinus1WithoutLookUp()
    {
        var request = new ChargeRequest { CustomerUid = "cust_unknown", MerchantUid = "contract-unknown-1", Amount = 9900m, Name = "월간 구독" };

        var ex = Assert.ThrowsAsync<IamportException>(() => Client.ChargeBillingKeyAsync(request));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex, Is.Not.InstanceOf<IamportOutcomeUnknownException>());
            Assert.That(ex!.Code, Is.EqualTo(-1), "section 4: code -1 for again with an unknown customer_uid");
            Assert.That(ex.ApiMessage, Does.Match(Hangul));
            Assert.That(ex.ToString(), Does.Not.Contain("cust_unknown"), "the customer_uid is never part of an exception");
            Assert.That(Recorder.Sent.Count(r => r.Path.StartsWith("/payments/find/", StringComparison.Ordinal)), Is.Zero);
            Assert.That(ChargeCount("contract-unknown-1"), Is.Null.Or.EqualTo(0));
        }
    }

    [TestCase(NotFoundStyle.Http404, 404)]
    [TestCase(NotFoundStyle.Http200, 200)]
    public async Task Lookups_NothingThere_ReturnNull(NotFoundStyle style, int status)
    {
        GivenNotFoundStyle(style);

        // The payment routes' not-found is a 404 (a 200 refusal there may be an outage's answer, so it is not believed);
        // the billing-key route's is documented as HTTP 200 with code != 0, and a 404 is believed everywhere.
        Payment? payment = null;
        Payment? found = null;
        if (status == 404)
        {
            payment = await Client.GetPaymentAsync("imp_000000000000");
            found = await Client.GetPaymentByMerchantUidAsync("contract-none-1");
        }
        else
        {
            Assert.ThrowsAsync<IamportException>(() => Client.GetPaymentAsync("imp_000000000000"));
            Assert.ThrowsAsync<IamportException>(() => Client.GetPaymentByMerchantUidAsync("contract-none-1"));
        }

        var key = await Client.GetBillingKeyAsync("cust_nobody");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(payment, Is.Null);
            Assert.That(found, Is.Null);
            Assert.That(key, Is.Null);
            Assert.That(Recorder.Sent.Where(r => r.Bearer is not null).Select(r => r.Status), Is.EqualTo(new int?[] { status, status, status }), "the backend answered in this form");
        }
    }

    [Test]
    public async Task CancelPaymentAsync_WrongChecksum_ThrowsWithKoreanMessageAndRefundsNothing()
    {
        ChargeResult charge = await Client.ChargeBillingKeyAsync(Charge("contract-cancel-1", 9900m));
        var request = new CancelPaymentRequest { ImpUid = charge.Payment!.ImpUid, Amount = 1000m, Checksum = 5000m, Reason = "부분 환불" };

        var ex = Assert.ThrowsAsync<IamportException>(() => Client.CancelPaymentAsync(request));
        Payment? after = await Client.GetPaymentByMerchantUidAsync("contract-cancel-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.Code, Is.Not.Null.And.Not.EqualTo(0));
            Assert.That(ex.ApiMessage, Does.Match(Hangul));
            Assert.That(ex.Path, Is.EqualTo("/payments/cancel"));
            Assert.That(after!.CancelAmount, Is.Zero);
            Assert.That(after.Status, Is.EqualTo(PaymentStatus.Paid));
        }
    }

    private static ScheduleRequest Scheduled(string merchantUid, DateTimeOffset at) =>
        new() { MerchantUid = merchantUid, ScheduleAt = at, Amount = 9900m, Name = "월간 구독" };

    [Test]
    public async Task ScheduleLists_TwoSchedules_NewestFirstAndToExclusive()
    {
        await Client.ScheduleAsync(CustomerUid, [Scheduled("contract-sched-1", Start.AddDays(1)), Scheduled("contract-sched-2", Start.AddDays(2))]);

        var perCustomer = await Client.GetSchedulesByCustomerUidAsync(CustomerUid, Start, Start.AddDays(3)).ToListAsync();
        var perKey = await Client.GetSchedulesByCustomerUidAsync(CustomerUid, Start, Start.AddDays(3)).ToListAsync();
        var merchantWide = await Client.GetSchedulesAsync(Start, Start.AddDays(2)).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(perCustomer.Select(s => s.MerchantUid), Is.EqualTo(new[] { "contract-sched-2", "contract-sched-1" }), "newest schedule_at first");
            Assert.That(perKey.Select(s => s.MerchantUid), Is.EqualTo(new[] { "contract-sched-2", "contract-sched-1" }));
            Assert.That(merchantWide.Select(s => s.MerchantUid), Is.EqualTo(new[] { "contract-sched-1" }), "schedule_at == to is outside the range");
            Assert.That(perCustomer[0].ScheduledAt, Is.EqualTo(Start.AddDays(2)));
        }
    }

    [Test]
    public async Task UpdateScheduleAsync_NewTime_LookUpShowsIt()
    {
        await Client.ScheduleAsync(CustomerUid, [Scheduled("contract-move-1", Start.AddDays(1))]);

        Schedule moved = await Client.MoveScheduleAsync("contract-move-1", Start.AddDays(5));
        Schedule? after = await Client.GetScheduleAsync("contract-move-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(moved.ScheduledAt, Is.EqualTo(Start.AddDays(5)));
            Assert.That(after!.ScheduledAt, Is.EqualTo(Start.AddDays(5)));
            Assert.That(after.ScheduleStatus, Is.EqualTo(ScheduleStatus.Scheduled));
        }
    }

    [Test]
    public async Task GetPaymentsAsync_OneUnknown_ReturnsTheFoundAndNamesTheMissing()
    {
        ChargeResult charge = await Client.ChargeBillingKeyAsync(Charge("contract-multi-1"));

        LookupResult<Payment> result = await Client.GetPaymentsAsync([charge.Payment!.ImpUid, "imp_000000000000"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Found.Select(p => p.MerchantUid), Is.EqualTo(new[] { "contract-multi-1" }));
            Assert.That(result.NotFound, Is.EqualTo(new[] { "imp_000000000000" }));
            Assert.That(Recorder.Sent[^1].Status, Is.EqualTo(207), "a partial answer");
        }
    }

    [Test]
    public async Task GetBillingKeysAsync_OneUnknown_ReturnsTheFoundAndNamesTheMissing()
    {
        LookupResult<BillingKey> result = await Client.GetBillingKeysAsync([CustomerUid, "cust_nobody"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Found.Select(k => k.CustomerUid), Is.EqualTo(new[] { CustomerUid }));
            Assert.That(result.NotFound, Is.EqualTo(new[] { "cust_nobody" }));
            Assert.That(Recorder.Sent[^1].Status, Is.EqualTo(207));
        }
    }

    [Test]
    public async Task GetPaymentsByStatusAsync_PaidToday_ListsTheCharge()
    {
        await Client.ChargeBillingKeyAsync(Charge("contract-status-1"));

        var paid = await Client.GetPaymentsByStatusAsync(PaymentStatus.Paid, Start.AddHours(-1), Start.AddHours(1)).ToListAsync();
        var failed = await Client.GetPaymentsByStatusAsync(PaymentStatus.Failed, Start.AddHours(-1), Start.AddHours(1)).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(paid.Select(p => p.MerchantUid), Does.Contain("contract-status-1"));
            Assert.That(failed.Select(p => p.MerchantUid), Does.Not.Contain("contract-status-1"));
        }
    }

    [Test]
    public async Task UnscheduleAsync_MerchantUidsOnly_RevokesThoseOfAnyKeyAndLeavesTheRest()
    {
        GivenBillingKey("cust_0002");
        await Client.ScheduleAsync(CustomerUid, [Scheduled("contract-unsched-a1", Start.AddDays(1)), Scheduled("contract-unsched-a2", Start.AddDays(2))]);
        await Client.ScheduleAsync("cust_0002", [Scheduled("contract-unsched-b1", Start.AddDays(1))]);

        IReadOnlyList<Schedule> revoked = await Client.UnscheduleAsync(["contract-unsched-a1", "contract-unsched-b1"]);
        Schedule? a1 = await Client.GetScheduleAsync("contract-unsched-a1");
        Schedule? a2 = await Client.GetScheduleAsync("contract-unsched-a2");
        Schedule? b1 = await Client.GetScheduleAsync("contract-unsched-b1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(revoked.Select(s => s.MerchantUid).Order(), Is.EqualTo(new[] { "contract-unsched-a1", "contract-unsched-b1" }));
            Assert.That(revoked.Select(s => s.ScheduleStatus), Is.All.EqualTo(ScheduleStatus.Revoked));
            Assert.That(new[] { a1!.ScheduleStatus, a2!.ScheduleStatus, b1!.ScheduleStatus }, Is.EqualTo(new[] { ScheduleStatus.Revoked, ScheduleStatus.Scheduled, ScheduleStatus.Revoked }));
        }
    }

    [Test]
    public void UnscheduleAsync_MerchantUidsNonePending_ThrowsCode1()
    {
        var ex = Assert.ThrowsAsync<IamportException>(() => Client.UnscheduleAsync(["contract-unsched-none"]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.Code, Is.EqualTo(1));
            Assert.That(ex.ApiMessage, Does.Match(Hangul));
        }
    }

    [Test]
    public async Task UpdatePreparedPaymentAsync_Registered_TheNewAmountIsRead()
    {
        await Client.PreparePaymentAsync("contract-prep-1", 1000m);

        PreparedPayment updated = await Client.UpdatePreparedPaymentAsync("contract-prep-1", 2500m);
        PreparedPayment? read = await Client.GetPreparedPaymentAsync("contract-prep-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((updated.MerchantUid, updated.Amount), Is.EqualTo(("contract-prep-1", 2500m)));
            Assert.That(read!.Amount, Is.EqualTo(2500m));
            Assert.That(Recorder.Count(HttpMethod.Put, "/payments/prepare"), Is.EqualTo(1));
        }
    }

    [Test]
    public void UpdatePreparedPaymentAsync_NothingRegistered_Throws404Code1()
    {
        var ex = Assert.ThrowsAsync<IamportException>(() => Client.UpdatePreparedPaymentAsync("contract-prep-none", 2500m));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(404));
            Assert.That(ex.Code, Is.EqualTo(1));
            Assert.That(ex.ApiMessage, Does.Match(Hangul));
        }
    }
}
