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
