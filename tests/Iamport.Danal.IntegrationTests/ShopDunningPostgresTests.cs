using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.LoadRunner.Renewal;
using Iamport.Danal.Samples.Shop;
using Iamport.Danal.Samples.Shop.Billing;
using Iamport.Danal.Samples.Shop.Data;
using Iamport.Danal.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Iamport.Danal.IntegrationTests;

/// <summary>Dunning and the bound on refused renewals on PostgreSQL, with two shop instances on one database racing
/// each pass (released together by a barrier), on one fake clock shared with the fake I'mport.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ShopDunningPostgresTests
{
    [Test]
    [CancelAfter(120_000)]
    public async Task Dunning_TwoInstancesOnOnePostgres_RetriesOnceEachOnScheduleThenCancelsEachOnce()
    {
        Postgres.Require();
        await using var server = await ThrowawayPostgres.StartAsync();
        for (int trial = 0; trial < 2; trial++)
        {
            await TrialAsync(await ThrowawayPostgres.CreateSchemaAsync(server.ConnectionString, "dunning" + trial));
        }
    }

    private static async Task TrialAsync(string connectionString)
    {
        const int Declining = 12, Refused = 2;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var fake = new FakeIamport(new FakeIamportOptions { MerchantCode = ShopApp.EmbeddedMerchantCode }, time);
        await fake.StartAsync();
        string keys = Path.Combine(TestContext.CurrentContext.WorkDirectory, "shop-keys-" + Guid.NewGuid().ToString("N"));
        string[] args =
        [
            "--ConnectionStrings:Shop=" + connectionString,
            "--Iamport:ImpKey=" + fake.Options.ImpKey, "--Iamport:ImpSecret=" + fake.Options.ImpSecret,
            "--Iamport:MerchantCode=" + ShopApp.EmbeddedMerchantCode, "--Iamport:BaseAddress=" + fake.BaseAddress,
            "--Iamport:ReconciliationWindow=00:00:00", "--Iamport:NotChargedSettlePeriod=00:00:00", // look-up pauses wait on the fake clock
            "--Shop:KeysDirectory=" + keys, "--Shop:RenewalWorkerEnabled=false", "--Logging:LogLevel:Default=Warning",
            "--Shop:DunningSchedule=1.00:00:00, 2.00:00:00", "--Shop:MaxRefusedTries=2",
        ];
        await using var shopA = await ShopApp.CreateAsync(args, b => b.Services.AddSingleton<TimeProvider>(time));
        await using var shopB = await ShopApp.CreateAsync(args, b => b.Services.AddSingleton<TimeProvider>(time));
        var store = shopA.Services.GetRequiredService<IShopStore>();

        var today = ShopClock.Today(time);
        var subscriptions = new List<NewSubscription>();
        for (int i = 0; i < Declining; i++)
        {
            fake.IssueBillingKey("cu_declining_" + i, TestCards.LimitExceeded); // issued, declines every charge
            subscriptions.Add(new NewSubscription("pg", "Pro", 9_900, "cu_declining_" + i, null, today));
        }

        for (int i = 0; i < Refused; i++)
        {
            subscriptions.Add(new NewSubscription("pg", "Pro", 9_900, "cu_never_issued_" + i, null, today)); // refused: unknown key
        }

        await store.AddActiveSubscriptionsAsync(subscriptions);

        // Two renewal passes (declines, and the refused ones reach their bound), then the two dunning days.
        var apps = new[] { shopA, shopB, shopA, shopB };
        for (int pass = 0; pass < 2; pass++)
        {
            await TogetherAsync(apps, app => app.Services.GetRequiredService<RenewalJob>().RunOnceAsync());
            await TogetherAsync(apps, app => app.Services.GetRequiredService<Dunning>().RunOnceAsync());
        }

        int afterRenewals = fake.RequestCount(FakeRoutes.Again);
        var retried = new List<int>();
        var cancelled = new List<int>();
        for (int day = 1; day <= 2; day++)
        {
            time.Advance(TimeSpan.FromDays(1));
            var reports = await TogetherAsync(apps, app => app.Services.GetRequiredService<Dunning>().RunOnceAsync());
            retried.Add(reports.Sum(r => r.Retried));
            cancelled.Add(reports.Sum(r => r.Cancelled));
        }

        var all = new List<Subscription>();
        for (long id = 1; id <= Declining + Refused; id++)
        {
            all.Add((await store.FindSubscriptionAsync(id))!);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterRenewals, Is.EqualTo(Declining + Refused * 2), "declined once each; refused exactly Shop:MaxRefusedTries times each");
            Assert.That(retried, Is.EqualTo(new[] { Declining + Refused, Declining + Refused }), "each retry charged once, over both instances");
            Assert.That(cancelled, Is.EqualTo(new[] { 0, Declining + Refused }));
            Assert.That(fake.RequestCount(FakeRoutes.Again), Is.EqualTo(afterRenewals + 2 * (Declining + Refused)));
            Assert.That(all.Select(s => s.Status), Is.All.EqualTo(SubscriptionStatus.Cancelled));
            Assert.That(fake.RequestCount(FakeRoutes.DeleteCustomer), Is.EqualTo(Declining), "each issued key deleted once (a never-issued one has nothing to delete)");
            Assert.That(Enumerable.Range(0, Declining).Where(i => fake.HasBillingKey("cu_declining_" + i)), Is.Empty);
            for (long id = 1; id <= Declining + Refused; id++)
            {
                Assert.That((await store.FindDunningAsync(id))!.Status, Is.EqualTo(DunningState.Cancelled));
            }
        }
    }

    /// <summary>A customer's 다시 결제 and dunning's final cancellation of the same past-due period, released together
    /// by a barrier on PostgreSQL (read committed, two connections): exactly one wins. Either the period is claimed for
    /// the retry and the subscription stays, or the subscription is cancelled and nothing is claimed; never a retry
    /// charging a key whose subscription was just cancelled.</summary>
    [Test]
    [CancelAfter(120_000)]
    public async Task ClaimRetryAsync_AgainstDunningsFinalCancel_ExactlyOneWins()
    {
        Postgres.Require();
        const int Trials = 60;
        await using var server = await ThrowawayPostgres.StartAsync();
        string connectionString = await ThrowawayPostgres.CreateSchemaAsync(server.ConnectionString, "retry_vs_cancel");
        string keys = Path.Combine(TestContext.CurrentContext.WorkDirectory, "shop-keys-" + Guid.NewGuid().ToString("N"));
        await using var shop = await ShopApp.CreateAsync(
            ["--ConnectionStrings:Shop=" + connectionString, "--Shop:KeysDirectory=" + keys, "--Shop:RenewalWorkerEnabled=false", "--Logging:LogLevel:Default=Warning"]);
        var store = shop.Services.GetRequiredService<IShopStore>();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await store.AddActiveSubscriptionsAsync(Enumerable.Range(0, Trials).Select(i => new NewSubscription("pg", "Pro", 9_900, "cu_race_" + i, null, today)).ToList());
        var claims = await store.ClaimDueAsync(today, "sub", Trials);
        foreach (var claim in claims)
        {
            await store.MarkChargeNotPaidAsync(claim.MerchantUid, claim.Attempt, ChargeStatus.Declined, null, "한도 초과");
        }

        // Seeded head starts of up to a few milliseconds for either side, so each wins some trials.
        int seed = Random.Shared.Next();
        TestContext.Out.WriteLine($"seed {seed}");
        var random = new Random(seed);
        int retried = 0, cancelled = 0;
        var both = new List<string>();
        foreach (var claim in claims)
        {
            int retrySpin = random.Next(2) == 0 ? random.Next(2_000_000) : 0, cancelSpin = retrySpin == 0 ? random.Next(200_000) : 0;
            using var barrier = new Barrier(2);
            var retry = Task.Run(async () =>
            {
                barrier.SignalAndWait();
                Thread.SpinWait(retrySpin);
                return await store.ClaimRetryAsync(claim.SubscriptionId);
            });
            var cancel = Task.Run(async () =>
            {
                barrier.SignalAndWait();
                Thread.SpinWait(cancelSpin);
                return await store.CancelAfterDunningAsync(claim.MerchantUid);
            });
            ClaimedCharge? retryClaim = await retry;
            string? cancelledKey = await cancel;
            var subscription = (await store.FindSubscriptionAsync(claim.SubscriptionId))!;
            if (retryClaim is not null && cancelledKey is not null)
            {
                both.Add(claim.MerchantUid);
            }

            retried += retryClaim is not null ? 1 : 0;
            cancelled += cancelledKey is not null ? 1 : 0;
            Assert.That(subscription.Status, Is.EqualTo(retryClaim is not null ? SubscriptionStatus.PastDue : SubscriptionStatus.Cancelled), claim.MerchantUid);
        }

        TestContext.Out.WriteLine($"{retried} retried, {cancelled} cancelled (seed {seed})");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(both, Is.Empty, "retried and cancelled at once");
            Assert.That(retried + cancelled, Is.EqualTo(Trials), "exactly one of the two won each trial");
        }
    }

    private static async Task<T[]> TogetherAsync<T>(WebApplication[] apps, Func<WebApplication, Task<T>> pass)
    {
        using var barrier = new Barrier(apps.Length);
        return await Task.WhenAll(apps.Select(app => Task.Run(async () =>
        {
            barrier.SignalAndWait();
            return await pass(app);
        })));
    }
}
