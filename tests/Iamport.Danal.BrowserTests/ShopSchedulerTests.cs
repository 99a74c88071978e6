using System.Net;
using Iamport.Danal.Samples.Shop.Billing;
using Iamport.Danal.Samples.Shop.Data;
using Iamport.Danal.Testing;
using static Iamport.Danal.BrowserTests.SchedulerShop;

namespace Iamport.Danal.BrowserTests;

/// <summary>The shop on I'mport's scheduler (<c>Shop:RenewalEngine=Scheduler</c>) over real loopback HTTP, on one fake
/// clock: periods registered once, run by the fake, recorded from their webhooks, the next one registered; the paths that
/// race a schedule I'mport is running (a card change, a cancellation, a second instance's copy of the webhook) released
/// together by a barrier with seeded head starts; switching engines both ways. Asserted against the fake's records (its
/// payments and, through the library, its schedules) and the store.</summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class ShopSchedulerTests
{
    private static readonly string[] FailedThenPaid = ["failed", "paid"];

    /// <summary>Register a card on the scheduler: the first period is registered at once; the fake runs it on its clock,
    /// its webhook records it paid and registers the next period; a decline goes past due and dunning charges it again.</summary>
    [Test]
    public async Task Scheduler_TwoPeriodsAndADecline_EachRegisteredOnceRecordedFromWebhooksAndDunned()
    {
        await using var clocked = await StartAsync();
        var shop = clocked.Shop;
        using var customer = await shop.NewCustomerAsync();
        var (subscription, first) = await RegisterCardAsync(shop, customer);
        Assert.That(await PendingAsync(shop), Has.Exactly(1).Matches<Schedule>(s => s.MerchantUid == first && s.CustomerUid == subscription.CustomerUid));

        // Period 1: run by I'mport, recorded from its webhook, period 2 registered.
        await RunDueAsync(clocked, TimeSpan.FromMinutes(2));
        var afterFirst = (await shop.Store.FindSubscriptionAsync(subscription.Id))!;
        Assert.That((await shop.Store.FindChargeAsync(first))!.Status, Is.EqualTo(ChargeStatus.Paid));
        string second = MerchantUid(afterFirst);
        Assert.That(second, Is.Not.EqualTo(first));
        Assert.That((await PendingAsync(shop)).Select(s => s.MerchantUid), Is.EqualTo(new[] { second }));

        // Period 2 declined: past due, no next schedule; dunning's first retry (a day later) pays it; period 3 registered.
        clocked.Fake.DeclineNext(subscription.CustomerUid!);
        await RunDueAsync(clocked, afterFirst.NextChargeOn!.Value.ToDateTime(TimeOnly.MinValue) - clocked.Time.GetUtcNow().UtcDateTime + TimeSpan.FromDays(1));
        Assert.That((await shop.Store.FindSubscriptionAsync(subscription.Id))!.Status, Is.EqualTo(SubscriptionStatus.PastDue));
        Assert.That((await shop.Store.FindChargeAsync(second))!.Status, Is.EqualTo(ChargeStatus.Declined));
        Assert.That(await PendingAsync(shop), Is.Empty, "no schedule while past due");

        clocked.Advance(TimeSpan.FromDays(1));
        await ClockedShop.RunRenewalsAsync(shop);
        var afterRetry = (await shop.Store.FindSubscriptionAsync(subscription.Id))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterRetry.Status, Is.EqualTo(SubscriptionStatus.Active));
            Assert.That(clocked.Fake.GetPayments(second).Select(p => p.Status), Is.EqualTo(FailedThenPaid));
            Assert.That(clocked.Fake.PaidChargeCount(first), Is.EqualTo(1));
            Assert.That((await PendingAsync(shop)).Select(s => s.MerchantUid), Is.EqualTo(new[] { MerchantUid(afterRetry) }), "period 3 registered once dunning's retry paid");
            Assert.That(clocked.Fake.RequestCount(FakeRoutes.Schedule), Is.EqualTo(3), "each period registered once");
        }
    }

    /// <summary>The webhook of a run schedule lost, and a period whose registration never reached I'mport: the
    /// reconciliation records the first through the outcome call and registers the second.</summary>
    [Test]
    public async Task Reconciliation_LostWebhookAndMissingSchedule_RecordedAndRegistered()
    {
        await using var clocked = await StartAsync();
        var shop = clocked.Shop;
        using var customer = await shop.NewCustomerAsync();
        var (subscription, first) = await RegisterCardAsync(shop, customer);

        clocked.Fake.Options.WebhookUrl = null; // lost
        await RunDueAsync(clocked, TimeSpan.FromMinutes(2));
        Assert.That((await shop.Store.FindChargeAsync(first))!.Status, Is.EqualTo(ChargeStatus.Scheduled), "nothing heard yet");

        var report = await Schedules(shop).RunOnceAsync();
        var after = (await shop.Store.FindSubscriptionAsync(subscription.Id))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report, Is.EqualTo(new ScheduleReport(Recorded: 1, Registered: 1, Revoked: 0)));
            Assert.That((await shop.Store.FindChargeAsync(first))!.Status, Is.EqualTo(ChargeStatus.Paid));
            Assert.That((await PendingAsync(shop)).Select(s => s.MerchantUid), Is.EqualTo(new[] { MerchantUid(after) }));
            Assert.That(clocked.Fake.PaidChargeCount(first), Is.EqualTo(1));
        }

        Assert.That(await Schedules(shop).RunOnceAsync(), Is.EqualTo(new ScheduleReport(0, 0, 0)), "a second pass repairs nothing");

        // The operator page lists the pass that repaired something (and not the one that did not).
        using var admin = shop.NewAdminClient();
        string page = await admin.GetStringAsync(new Uri("admin/operations", UriKind.Relative));
        Assert.That(page, Does.Contain("예약결제 대사 (복구 내역) <span class=\"count\">1건</span>"));
        Assert.That(page, Does.Contain("<td data-label=\"결과 기록\">1건</td><td data-label=\"예약 등록\">1건</td><td data-label=\"예약 취소\">0건</td>"));
    }

    /// <summary>A card change's verification released together with I'mport running the period's schedule on the old
    /// key, with seeded head starts: the period is charged at most once and recorded, the old key is deleted with no
    /// schedule left on it, and the subscription's next period is pending on the new key.</summary>
    [Test]
    public Task Race_CardChangeAgainstExecutingSchedule_NoDoubleChargeNoScheduleOnDeletedKey() =>
        RaceScheduleRunAsync(23, async race =>
        {
            string oldKey = race.Subscription.CustomerUid!;
            var change = await race.Customer.StartCardChangeAsync(race.Subscription.Id);
            var paid = await race.Customer.PayInWindowAsync(change);
            string newKey = change["params"]!["customer_uid"]!.GetValue<string>();
            return (
                async () => (await race.Customer.VerifyAsync(paid["imp_uid"]!.GetValue<string>(), paid["merchant_uid"]!.GetValue<string>())).EnsureSuccessStatusCode().Dispose(),
                async () =>
                {
                    var now = (await race.Clocked.Shop.Store.FindSubscriptionAsync(race.Subscription.Id))!;
                    var fake = race.Clocked.Fake;
                    using (Assert.EnterMultipleScope())
                    {
                        Assert.That(now.Status, Is.EqualTo(SubscriptionStatus.Active), race.At + ": never charged on a deleted key");
                        if (race.Order == Order.SecondFirst)
                        {
                            Assert.That(fake.GetPayments(race.Period).Select(p => p.CustomerUid == newKey), Is.All.True, race.At + ": charged on the new key only");
                        }

                        Assert.That(fake.PaidChargeCount(race.Period), Is.LessThanOrEqualTo(1), race.At);
                        Assert.That(fake.HasBillingKey(oldKey), Is.False, race.At + ": the old key is deleted");
                        Assert.That(now.CustomerUid, Is.EqualTo(newKey), race.At + ": bills the new key");
                    }
                });
        });

    /// <summary>The customer's card removal (the subscription ends) released together with I'mport running the period's
    /// schedule: charged at most once and, if charged, recorded; no schedule left on the deleted key.</summary>
    [Test]
    public Task Race_CancellationAgainstExecutingSchedule_ChargedAtMostOnceRecordedAndNothingLeftScheduled() =>
        RaceScheduleRunAsync(230, race => Task.FromResult<(Func<Task>, Func<Task>)>((
            async () =>
            {
                using var removed = await race.Customer.Http.PostAsync(new Uri($"subscriptions/{race.Subscription.Id}/remove-card", UriKind.Relative), null);
                Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            },
            async () =>
            {
                var fake = race.Clocked.Fake;
                var status = (await race.Clocked.Shop.Store.FindSubscriptionAsync(race.Subscription.Id))!.Status;
                using (Assert.EnterMultipleScope())
                {
                    if (race.Order == Order.SecondFirst)
                    {
                        Assert.That(fake.GetPayments(race.Period), Is.Empty, race.At + ": nothing charged after the cancellation");
                    }

                    Assert.That(status, Is.EqualTo(SubscriptionStatus.Cancelled), race.At);
                    Assert.That(fake.HasBillingKey(race.Subscription.CustomerUid!), Is.False, race.At + ": the key is deleted");
                    Assert.That(fake.PaidChargeCount(race.Period), Is.LessThanOrEqualTo(1), race.At);
                }
            })));

    /// <summary>Two shop instances on one database get the same webhook of a run schedule at once (and again): the
    /// period is recorded once and the next one registered exactly once at I'mport.</summary>
    [Test]
    public async Task Race_TwoInstancesHandleTheSameWebhook_RecordedOnceNextRegisteredOnce()
    {
        await using var clocked = await StartAsync();
        var other = await clocked.AddInstanceAsync(SchedulerEngine);
        clocked.Fake.Options.WebhookUrl = null; // the test delivers the webhook itself, to both
        var shop = clocked.Shop;
        for (int trial = 0; trial < Trials; trial++)
        {
            using var customer = await shop.NewCustomerAsync();
            var (subscription, period) = await RegisterCardAsync(shop, customer);
            await RunDueAsync(clocked, TimeSpan.FromMinutes(2));
            var payment = clocked.Fake.GetPayments(period).Single();
            int registrations = clocked.Fake.RequestCount(FakeRoutes.Schedule);

            var answers = await ReleaseTogetherAsync(
                () => shop.PostWebhookAsync(payment.ImpUid, period, "paid"),
                () => other.PostWebhookAsync(payment.ImpUid, period, "paid"),
                () => other.PostWebhookAsync(payment.ImpUid, period, "paid"));

            var after = (await shop.Store.FindSubscriptionAsync(subscription.Id))!;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(answers.Select(a => a.StatusCode), Is.All.EqualTo(HttpStatusCode.OK), $"trial {trial}");
                Assert.That((await shop.Store.FindChargeAsync(period))!.Status, Is.EqualTo(ChargeStatus.Paid), $"trial {trial}");
                Assert.That(after.NextChargeOn, Is.EqualTo(subscription.NextChargeOn!.Value.AddMonths(1)), $"trial {trial}: moved on one period");
                Assert.That(clocked.Fake.RequestCount(FakeRoutes.Schedule) - registrations, Is.EqualTo(1), $"trial {trial}: the next period registered once");
            }

            foreach (var answer in answers)
            {
                answer.Dispose();
            }

            await AssertConsistentAsync(clocked, $"trial {trial}");
        }
    }

    /// <summary>Active subscriptions on the job, switched to the scheduler and back, a period under each: every period
    /// charged exactly once, none skipped, and nothing left scheduled at I'mport on the job.</summary>
    [TestCase(5)]
    public async Task SwitchEngines_JobToSchedulerAndBack_EveryPeriodChargedOnce(int subscriptions)
    {
        await using var clocked = await ClockedShop.StartAsync();
        clocked.Fake.Options.RunSchedulesAutomatically = false;
        var job = clocked.Shop;
        clocked.Fake.Options.WebhookUrl = new Uri(job.Address, "iamport/webhook");
        var customers = new List<ShopCustomer>();
        for (int i = 0; i < subscriptions; i++)
        {
            var customer = await job.NewCustomerAsync();
            customers.Add(customer);
            await customer.CheckOutAsync("register");
        }

        try
        {
            // Period 1 on the job.
            await ClockedShop.RunRenewalsAsync(job);
            var ids = new List<long>();
            foreach (var customer in customers)
            {
                ids.Add((await SubscriptionOfAsync(job, customer)).Id);
            }


            // Switched to the scheduler: the reconciliation registers period 2 of each; I'mport charges it.
            var scheduler = await clocked.AddInstanceAsync(SchedulerEngine);
            clocked.Fake.Options.WebhookUrl = new Uri(scheduler.Address, "iamport/webhook");
            Assert.That((await Schedules(scheduler).RunOnceAsync()).Registered, Is.EqualTo(subscriptions));
            var due2 = (await scheduler.Store.FindSubscriptionAsync(ids[0]))!.NextChargeOn!.Value;
            await RunDueAsync(clocked, due2.ToDateTime(new TimeOnly(1, 0)) - clocked.Time.GetUtcNow().UtcDateTime);

            // Period 3 registered by the webhooks; switched back to the job before it runs: revoked, then charged by the job.
            Assert.That(await PendingAsync(scheduler), Has.Count.EqualTo(subscriptions));
            var due3 = (await scheduler.Store.FindSubscriptionAsync(ids[0]))!.NextChargeOn!.Value;
            clocked.Advance(due3.ToDateTime(new TimeOnly(1, 0)) - clocked.Time.GetUtcNow().UtcDateTime);
            clocked.Fake.Options.WebhookUrl = new Uri(job.Address, "iamport/webhook");
            await ClockedShop.RunRenewalsAsync(job);
            await clocked.Fake.RunDueSchedulesAsync(); // nothing is left to run
            await clocked.Fake.WhenWebhooksSentAsync();

            using (Assert.EnterMultipleScope())
            {
                foreach (long id in ids)
                {
                    var charges = await job.Store.ListChargesAsync(id);
                    Assert.That(charges.Select(c => c.Status), Is.EqualTo(Enumerable.Repeat(ChargeStatus.Paid, 3)), $"subscription {id}: three periods paid");
                    foreach (var charge in charges)
                    {
                        Assert.That(clocked.Fake.PaidChargeCount(charge.MerchantUid), Is.EqualTo(1), charge.MerchantUid);
                    }
                }

                Assert.That(await PendingAsync(job), Is.Empty, "nothing left scheduled on the job");
                Assert.That(clocked.Fake.Payments.Count(p => p.Status == "paid" && p.MerchantUid.StartsWith("sub", StringComparison.Ordinal)), Is.EqualTo(3 * subscriptions), "no renewal paid beyond the three periods");
            }
        }
        finally
        {
            customers.ForEach(c => c.Dispose());
        }
    }

    /// <summary>Seeded trials of a race against I'mport running a period's schedule, each on a customer who just registered
    /// a card (its first period registered): <paramref name="prepare"/> readies the other side and returns it with the
    /// checks; the period comes due, both sides race in the trial's order and head start, everything settles, the checks
    /// run, and the store is checked against the fake.</summary>
    private static async Task RaceScheduleRunAsync(int seed, Func<RaceTrial, Task<(Func<Task> Against, Func<Task> Check)>> prepare)
    {
        await using var clocked = await StartAsync();
        var random = new Random(seed);
        for (int trial = 0; trial < Trials; trial++)
        {
            using var customer = await clocked.Shop.NewCustomerAsync();
            await customer.CheckOutAsync("register");
            var subscription = await SubscriptionOfAsync(clocked.Shop, customer);
            var order = (Order)(trial % 3);
            int headStart = random.Next(0, 3);
            var race = new RaceTrial(clocked, customer, subscription, order, $"trial {trial} ({order}, head start {headStart})");
            var (against, check) = await prepare(race);
            clocked.Advance(TimeSpan.FromMinutes(2));
            await RaceAsync(order, headStart, () => clocked.Fake.RunDueSchedulesAsync(), against);
            await SettleAsync(clocked, race.At);
            await check();
            await AssertConsistentAsync(clocked, race.At);
        }
    }

    /// <summary>One race trial: the customer, their subscription, how the sides meet, and its name in messages.</summary>
    private sealed record RaceTrial(ClockedShop Clocked, ShopCustomer Customer, Subscription Subscription, Order Order, string At)
    {
        public string Period => MerchantUid(Subscription);
    }
}
