using Iamport.Danal.Samples.Shop.Billing;
using Iamport.Danal.Samples.Shop.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Iamport.Danal.BrowserTests;

/// <summary>What the scheduler engine's race tests share (<see cref="ShopSchedulerTests"/>, <see cref="ShopSchedulerRaceTests"/>):
/// a clocked shop on the scheduler, the fake's schedules as the library lists them, the consistency every race must
/// leave, and the barrier that releases the racing paths together.</summary>
internal static class SchedulerShop
{
    public const string SchedulerEngine = "Shop:RenewalEngine=Scheduler";

    /// <summary>Seeded trials per race.</summary>
    public const int Trials = 12;

    /// <summary>A shop on the scheduler engine and its fake on one clock; the fake runs schedules only when asked, and
    /// sends their webhooks to the first instance.</summary>
    public static async Task<ClockedShop> StartAsync(params string[] settings)
    {
        var clocked = await ClockedShop.StartAsync([SchedulerEngine, .. settings]);
        clocked.Fake.Options.RunSchedulesAutomatically = false; // run on demand, so a run can be released with a race
        clocked.Fake.Options.WebhookUrl = new Uri(clocked.Shop.Address, "iamport/webhook");
        return clocked;
    }

    public static ScheduleEngine Schedules(ShopHost host) => host.App.Services.GetRequiredService<ScheduleEngine>();

    /// <summary>The instance's library client, to look at (or change) I'mport's side as the shop sees it.</summary>
    public static IIamportClient Client(ShopHost host) => host.App.Services.GetRequiredService<IIamportClient>();

    public static string MerchantUid(Subscription subscription) =>
        "sub" + subscription.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "_" + ShopClock.Period(subscription.NextChargeOn!.Value);

    public static async Task<Subscription> SubscriptionOfAsync(ShopHost shop, ShopCustomer customer) =>
        (await shop.Store.FindSubscriptionAsync((await customer.SubscriptionsAsync()).Single()!["id"]!.GetValue<long>()))!;

    /// <summary>The customer registers a card on the scheduler: their subscription, and its first period's merchant_uid.</summary>
    public static async Task<(Subscription Subscription, string Period)> RegisterCardAsync(ShopHost shop, ShopCustomer customer)
    {
        await customer.CheckOutAsync("register");
        var subscription = await SubscriptionOfAsync(shop, customer);
        return (subscription, MerchantUid(subscription));
    }

    /// <summary>Moves both clocks on and lets the fake run what fell due, waiting for the webhooks' first tries.</summary>
    public static async Task RunDueAsync(ClockedShop clocked, TimeSpan by)
    {
        clocked.Advance(by);
        await clocked.Fake.RunDueSchedulesAsync();
        await clocked.Fake.WhenWebhooksSentAsync();
    }

    /// <summary>Lets every webhook out and checks what the racing paths themselves must leave (nothing paid twice or
    /// unrecorded, no schedule on a deleted key, every active subscription scheduled), then runs the reconciliation
    /// once, as the daily pass would, which must find nothing to repair.</summary>
    public static async Task SettleAsync(ClockedShop clocked, string at)
    {
        await clocked.Fake.WhenWebhooksSentAsync();
        await AssertConsistentAsync(clocked, at + ", before the reconciliation");
        Assert.That(await Schedules(clocked.Shop).RunOnceAsync(), Is.EqualTo(new ScheduleReport(0, 0, 0)), at + ": nothing left for the reconciliation");
    }

    /// <summary>Schedules pending at I'mport, merchant-wide, as the library lists them.</summary>
    public static async Task<List<Schedule>> PendingAsync(ShopHost shop)
    {
        var client = Client(shop);
        var now = shop.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var list = new List<Schedule>();
        await foreach (var s in client.GetSchedulesAsync(now.AddDays(-1), now.AddMonths(2), ScheduleStatus.Scheduled))
        {
            list.Add(s);
        }

        return list;
    }

    /// <summary>What must hold after every race: no period paid twice at I'mport; every payment the fake holds recorded
    /// paid; no schedule pending on a key that is gone; no run reported as a mismatch; no billing key in a log line;
    /// every active subscription has exactly one pending schedule, for its next period, on its key.</summary>
    public static async Task AssertConsistentAsync(ClockedShop clocked, string at)
    {
        var pending = await PendingAsync(clocked.Shop);
        using (Assert.EnterMultipleScope())
        {
            foreach (var group in clocked.Fake.Payments.Where(p => p.MerchantUid.StartsWith("sub", StringComparison.Ordinal)).GroupBy(p => p.MerchantUid))
            {
                Assert.That(group.Count(p => p.Status == "paid"), Is.LessThanOrEqualTo(1), $"{at}: {group.Key} paid once at most");
                if (group.Any(p => p.Status == "paid"))
                {
                    Assert.That((await clocked.Shop.Store.FindChargeAsync(group.Key))?.Status, Is.EqualTo(ChargeStatus.Paid), $"{at}: {group.Key} recorded");
                }
            }

            Assert.That(pending.Where(s => !clocked.Fake.HasBillingKey(s.CustomerUid!)).Select(s => s.MerchantUid), Is.Empty, at + ": no schedule on a deleted key");
            var lines = clocked.Hosts.SelectMany(h => h.Logs.Lines).ToList();
            Assert.That(lines, Has.None.Contains("not as asked"), at + ": no run taken for a mismatch");

            // No billing key the fake has seen reaches a log line in any case (keys are "cu_" and hex, which URL and JSON
            // encoding leave as they are).
            var keys = clocked.Fake.Payments.Select(p => p.CustomerUid).Concat(pending.Select(s => s.CustomerUid)).OfType<string>().Distinct();
            Assert.That(keys.Where(key => lines.Any(line => line.Contains(key, StringComparison.OrdinalIgnoreCase))), Is.Empty, at + ": no billing key logged");
            foreach (var subscription in await AllActiveAsync(clocked.Shop))
            {
                Assert.That(pending.Where(s => s.MerchantUid.StartsWith($"sub{subscription.Id}_", StringComparison.Ordinal)).Select(s => (s.MerchantUid, s.CustomerUid == subscription.CustomerUid)),
                    Is.EqualTo(new[] { (MerchantUid(subscription), true) }), $"{at}: subscription {subscription.Id} has its next schedule, once, on its key");
            }
        }
    }

    public static async Task<IReadOnlyList<Subscription>> AllActiveAsync(ShopHost shop)
    {
        var active = new List<Subscription>();
        for (long id = 1; await shop.Store.FindSubscriptionAsync(id) is { } subscription; id++)
        {
            if (subscription.Status == SubscriptionStatus.Active)
            {
                active.Add(subscription);
            }
        }

        return active;
    }

    /// <summary>How the two sides of a race meet: released together by a barrier, or one strictly after the other.</summary>
    public enum Order
    {
        Together,
        FirstFirst,
        SecondFirst,
    }

    public static async Task RaceAsync(Order order, int headStart, Func<Task> first, Func<Task> second)
    {
        switch (order)
        {
            case Order.FirstFirst:
                await first();
                await second();
                break;
            case Order.SecondFirst:
                await second();
                await first();
                break;
            default:
                // The seeded head start goes to one side, so the interleavings vary from trial to trial.
                await ReleaseTogetherAsync(
                    async () => { await Spin(headStart % 2 == 0 ? headStart : 0); await first(); },
                    async () => { await Spin(headStart % 2 == 1 ? headStart : 0); await second(); });
                break;
        }
    }

    public static async Task Spin(int yields)
    {
        for (int i = 0; i < yields; i++)
        {
            await Task.Yield();
        }
    }

    public static async Task ReleaseTogetherAsync(params Func<Task>[] actions)
    {
        using var barrier = new Barrier(actions.Length);
        await Task.WhenAll(actions.Select(a => Task.Run(async () =>
        {
            barrier.SignalAndWait();
            await a();
        })));
    }

    public static async Task<HttpResponseMessage[]> ReleaseTogetherAsync(params Func<Task<HttpResponseMessage>>[] actions)
    {
        using var barrier = new Barrier(actions.Length);
        return await Task.WhenAll(actions.Select(a => Task.Run(async () =>
        {
            barrier.SignalAndWait();
            return await a();
        })));
    }

    /// <summary>Releases <paramref name="actions"/> together by a barrier, each after a seeded head start (0 to 3 yields),
    /// started in a seeded order; returns how they were released, for messages.</summary>
    public static async Task<string> ReleaseSeededAsync(Random random, params Func<Task>[] actions)
    {
        int[] yields = [.. actions.Select(_ => random.Next(0, 4))];
        int[] order = [.. Enumerable.Range(0, actions.Length).OrderBy(_ => random.Next())];
        using var barrier = new Barrier(actions.Length);
        await Task.WhenAll(order.Select(i => Task.Run(async () =>
        {
            barrier.SignalAndWait();
            await Spin(yields[i]);
            await actions[i]();
        })));
        return "started " + string.Join(",", order) + ", head starts " + string.Join(",", yields);
    }
}
