using System;
using System.Net.Http;
using System.Threading.Tasks;
using Iamport.Danal.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Iamport.Danal.Tests.EndToEnd;

/// <summary>A retry that reuses a declined attempt's merchant_uid: only this attempt's record decides its outcome,
/// never an earlier attempt's. The fake and the client run on separate fake clocks, moved together.</summary>
public class RetryAttemptTests
{
    private const string CustomerUid = "cust_retry_1";

    [Test]
    public async Task ChargeBillingKeyAsync_RetryOfDeclinedOrderRecordAppearsTwoSecondsLater_Approved()
    {
        await using var h = new TwoClocks(TimeSpan.Zero);
        h.Fake.DeclineNext(CustomerUid);
        ChargeResult declined = await h.Client.ChargeBillingKeyAsync(Charge("retry-order-1"));
        h.Advance(TimeSpan.FromSeconds(5));
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.DropResponseRecordLater(TimeSpan.FromSeconds(2)));

        ChargeResult retry = await h.RunAsync(h.Client.ChargeBillingKeyAsync(Charge("retry-order-1")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(declined.Outcome, Is.EqualTo(ChargeOutcome.Declined));
            Assert.That(retry.Outcome, Is.EqualTo(ChargeOutcome.Approved));
            Assert.That(retry.IsReconciled, Is.True);
            Assert.That(retry.Payment!.ImpUid, Is.Not.EqualTo(declined.Payment!.ImpUid));
            Assert.That(h.Fake.PaidChargeCount("retry-order-1"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_RetryOfDeclinedOrderNeverRecorded_NotChargedAfterTheSettlePeriodNeverDeclined()
    {
        await using var h = new TwoClocks(TimeSpan.Zero);
        h.Fake.DeclineNext(CustomerUid);
        await h.Client.ChargeBillingKeyAsync(Charge("retry-order-2"));
        h.Advance(TimeSpan.FromSeconds(5));
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.ResetBeforeCommit());
        DateTimeOffset sent = h.ClientTime.GetUtcNow();

        ChargeResult retry = await h.RunAsync(h.Client.ChargeBillingKeyAsync(Charge("retry-order-2")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(retry.Outcome, Is.EqualTo(ChargeOutcome.NotCharged));
            Assert.That(h.ClientTime.GetUtcNow() - sent, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(3)));
            Assert.That(h.Fake.RequestCount(FakeRoutes.FindAllPayments), Is.GreaterThan(1), "the earlier decline was looked past");
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_SeveralEarlierAttemptsLostRepliesAndClockSkew_OnlyThisAttemptsRecordDecides()
    {
        int seed = Environment.GetEnvironmentVariable("RETRY_SEED") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next();
        TestContext.Out.WriteLine($"seed {seed} (set RETRY_SEED to repeat)");
        var random = new Random(seed);
        for (int trial = 0; trial < 12; trial++)
        {
            // The server's clock up to an hour ahead of or behind the app's.
            var skew = TimeSpan.FromSeconds(random.Next(-3600, 3600));
            await using var h = new TwoClocks(skew);
            string order = "retry-seeded-" + trial;
            int earlier = random.Next(1, 4);
            for (int i = 0; i < earlier; i++)
            {
                h.Fake.DeclineNext(CustomerUid);
                if (random.Next(2) == 0)
                {
                    // An earlier attempt whose reply was lost too: reconciled to its own decline.
                    h.Fake.Faults.Next(FakeRoutes.Again, Fault.DropResponseAfterCommit());
                }

                ChargeResult old = await h.RunAsync(h.Client.ChargeBillingKeyAsync(Charge(order)));
                Assert.That(old.Outcome, Is.EqualTo(ChargeOutcome.Declined), $"seed {seed} trial {trial} earlier attempt {i}");
                h.Advance(TimeSpan.FromSeconds(random.Next(1, 120)));
            }

            bool declineThisOne = random.Next(3) == 0;
            if (declineThisOne)
            {
                h.Fake.DeclineNext(CustomerUid);
            }

            Fault[] faults = [Fault.DropResponseRecordLater(TimeSpan.FromMilliseconds(random.Next(0, 2800))), Fault.DropResponseAfterCommit(asTimeout: random.Next(2) == 0), Fault.ResetBeforeCommit()];
            Fault fault = faults[random.Next(faults.Length)];
            h.Fake.Faults.Next(FakeRoutes.Again, fault);
            int recordsBefore = h.Fake.GetPayments(order).Count;

            ChargeResult result = await h.RunAsync(h.Client.ChargeBillingKeyAsync(Charge(order)));

            var records = h.Fake.GetPayments(order);
            ChargeOutcome truth = records.Count == recordsBefore ? ChargeOutcome.NotCharged
                : records[^1].Status == "paid" ? ChargeOutcome.Approved : ChargeOutcome.Declined;
            Assert.That(result.Outcome, Is.EqualTo(truth), $"seed {seed} trial {trial}: {earlier} earlier attempts, fault {fault.Kind}, skew {skew}");
        }
    }

    private static ChargeRequest Charge(string merchantUid) => new() { CustomerUid = CustomerUid, MerchantUid = merchantUid, Amount = 9900m, Name = "월간 구독" };

    /// <summary>The fake on one fake clock, the client on another that is <c>skew</c> behind it.</summary>
    private sealed class TwoClocks : IAsyncDisposable
    {
        private readonly HttpClient _http;

        public TwoClocks(TimeSpan skew)
        {
            var start = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
            ServerTime = new FakeTimeProvider(start + skew);
            ClientTime = new FakeTimeProvider(start);
            Fake = new FakeIamport(new FakeIamportOptions { ImpKey = "k", ImpSecret = "s" }, ServerTime);
            Fake.IssueBillingKey(CustomerUid);
            _http = new HttpClient(Fake.CreateHandler());
            Client = new IamportClient(_http, new IamportOptions { ImpKey = "k", ImpSecret = "s" }, timeProvider: ClientTime);
        }

        public FakeTimeProvider ServerTime { get; }

        public FakeTimeProvider ClientTime { get; }

        public FakeIamport Fake { get; }

        public IamportClient Client { get; }

        public void Advance(TimeSpan by)
        {
            ServerTime.Advance(by);
            ClientTime.Advance(by);
        }

        /// <summary>Moves both clocks on in 50 ms steps until <paramref name="task"/> ends.</summary>
        public async Task<T> RunAsync<T>(Task<T> task)
        {
            for (int step = 0; step < 2_000 && !task.IsCompleted; step++)
            {
                await Task.Delay(1);
                Advance(TimeSpan.FromMilliseconds(50));
            }

            Assert.That(task.IsCompleted, Is.True, "the call did not end within 100 s of fake time");
            return await task;
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await Fake.DisposeAsync();
        }
    }
}
