using System.Net;
using Iamport.Danal.Samples.Shop.Data;
using Iamport.Danal.Testing;
using static Iamport.Danal.BrowserTests.SchedulerShop;

namespace Iamport.Danal.BrowserTests;

/// <summary>The races of an ordinary day on I'mport's scheduler (<c>Shop:RenewalEngine=Scheduler</c>), two shop
/// instances on one database, over real loopback HTTP, on one fake clock: the daily reconciliation on both instances
/// while the period's webhook and its copy arrive; a card change against the reconciliation repairing that
/// subscription's period and the fake running it; the customer's 다시 결제 against the declined run's late webhook and
/// dunning; a refund or card removal against the paid run's webhook and the reconciliation. Each is released together
/// by a barrier with seeded head starts and start orders, <see cref="Trials"/> seeded trials, and asserted against the
/// fake's payments, its schedules (through the library) and the store; then the reconciliation must find nothing.</summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class ShopSchedulerRaceTests
{
    /// <summary>The period run by I'mport, its webhook not yet heard; released together: the reconciliation
    /// (정기결제 지금 실행) on both instances, the webhook to one and its copy to the other. Recorded once, the next period
    /// registered exactly once at I'mport, nothing paid twice.</summary>
    [Test]
    public async Task Race_TwoReconciliationsAgainstTheWebhookAndItsCopy_RecordedOnceNextRegisteredOnce()
    {
        await using var clocked = await StartAsync();
        var shop = clocked.Shop;
        var other = await clocked.AddInstanceAsync(SchedulerEngine, "Shop:RenewalConcurrency=4");
        clocked.Fake.Options.WebhookUrl = null; // the test delivers the webhook itself, late, with a copy
        var random = new Random(2301);
        for (int trial = 0; trial < Trials; trial++)
        {
            using var customer = await shop.NewCustomerAsync();
            var (subscription, period) = await RegisterCardAsync(shop, customer);
            await RunDueAsync(clocked, TimeSpan.FromMinutes(2));
            var payment = clocked.Fake.GetPayments(period).Single();
            int registrations = clocked.Fake.RequestCount(FakeRoutes.Schedule);
            int recordedBefore = (await shop.Store.ListScheduleRepairsAsync(1000)).Sum(r => r.Recorded);

            string released = await ReleaseSeededAsync(random,
                () => ClockedShop.RunRenewalsAsync(shop),
                () => ClockedShop.RunRenewalsAsync(other),
                () => WebhookAsync(shop, payment.ImpUid, period),
                () => WebhookAsync(other, payment.ImpUid, period));

            string at = $"trial {trial} ({released})";
            var after = (await shop.Store.FindSubscriptionAsync(subscription.Id))!;
            using (Assert.EnterMultipleScope())
            {
                Assert.That((await shop.Store.FindChargeAsync(period))!.Status, Is.EqualTo(ChargeStatus.Paid), at);
                Assert.That(clocked.Fake.PaidChargeCount(period), Is.EqualTo(1), at);
                Assert.That(after.NextChargeOn, Is.EqualTo(subscription.NextChargeOn!.Value.AddMonths(1)), at + ": moved on one period");
                Assert.That(clocked.Fake.RequestCount(FakeRoutes.Schedule) - registrations, Is.EqualTo(1), at + ": the next period registered once");
                Assert.That((await shop.Store.ListScheduleRepairsAsync(1000)).Sum(r => r.Recorded) - recordedBefore, Is.LessThanOrEqualTo(1), at + ": the operator page counts it recorded once at most");
            }

            await SettleAsync(clocked, at);
        }
    }

    /// <summary>A registration slow to reach I'mport (its row written, its request not yet there) while the
    /// reconciliation runs on both instances: the period's next registration by its webhook (a copy of which reaches the
    /// other instance meanwhile), or a new card's first period. The reconciliation leaves a registration in flight to
    /// its registrar: registered exactly once at I'mport, pending once, nothing charged by the job beside it.</summary>
    [TestCase(true)]
    [TestCase(false)]
    public async Task SlowRegistration_AgainstReconciliationOnBothInstances_RegisteredOnce(bool byWebhook)
    {
        await using var clocked = await StartAsync();
        var shop = clocked.Shop;
        var other = await clocked.AddInstanceAsync(SchedulerEngine);
        clocked.Fake.Options.WebhookUrl = null; // the test delivers the webhook itself
        using var customer = await shop.NewCustomerAsync();
        string? period = null;
        string? impUid = null;
        if (byWebhook)
        {
            await customer.CheckOutAsync("register");
            period = MerchantUid(await SubscriptionOfAsync(shop, customer));
            await RunDueAsync(clocked, TimeSpan.FromMinutes(2));
            impUid = clocked.Fake.GetPayments(period).Single().ImpUid;
        }

        int registrations = clocked.Fake.RequestCount(FakeRoutes.Schedule);
        var registration = clocked.GateOf(shop).Hold(HttpMethod.Post, "/subscribe/payments/schedule");
        Task registering = byWebhook ? WebhookAsync(shop, impUid!, period!) : customer.CheckOutAsync("register");
        await registration.Arrived;
        await ReleaseTogetherAsync(
            () => ClockedShop.RunRenewalsAsync(shop),
            () => ClockedShop.RunRenewalsAsync(other),
            () => byWebhook ? WebhookAsync(other, impUid!, period!) : Task.CompletedTask);
        registration.Release();
        await registering;

        await SettleAsync(clocked, byWebhook ? "webhook" : "new card");
        var subscription = await SubscriptionOfAsync(shop, customer);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(clocked.Fake.RequestCount(FakeRoutes.Schedule) - registrations, Is.EqualTo(1), "registered once");
            Assert.That(clocked.Fake.Payments.Where(p => p.MerchantUid == MerchantUid(subscription)), Is.Empty, "the pending period not charged by the job");
        }
    }

    /// <summary>How the period stands when a card change races the reconciliation.</summary>
    private enum PeriodState
    {
        /// <summary>Run by I'mport on the old key; its webhook lost.</summary>
        WebhookLost,

        /// <summary>Due: I'mport runs it during the race (its webhook reaches the shop).</summary>
        Executing,

        /// <summary>The schedule is gone at I'mport (revoked behind the shop's back): the reconciliation registers it again.</summary>
        ScheduleMissing,
    }

    /// <summary>A card change's verification (new key) released together with the reconciliation on the other instance
    /// repairing that subscription's period (its webhook lost, or its schedule missing) and with the fake running what is
    /// due: never charged on a deleted key, the old key deleted, exactly one pending schedule for the next period on the
    /// new key, nothing paid twice.</summary>
    [Test]
    public async Task Race_CardChangeAgainstReconciliationAndExecutingSchedule_NothingOnADeletedKeyOneScheduleOnTheNewKey()
    {
        await using var clocked = await StartAsync();
        var shop = clocked.Shop;
        var other = await clocked.AddInstanceAsync(SchedulerEngine, "Shop:RenewalConcurrency=4");
        var webhookUrl = clocked.Fake.Options.WebhookUrl;
        var random = new Random(2302);
        for (int trial = 0; trial < Trials; trial++)
        {
            var state = (PeriodState)(trial % 3);
            using var customer = await shop.NewCustomerAsync();
            var (subscription, period) = await RegisterCardAsync(shop, customer);
            string oldKey = subscription.CustomerUid!;

            // The new card is issued in the window; only the callback below applies it.
            clocked.Fake.Options.WebhookUrl = null;
            var change = await customer.StartCardChangeAsync(subscription.Id);
            var paid = await customer.PayInWindowAsync(change);
            string newKey = change["params"]!["customer_uid"]!.GetValue<string>();
            clocked.Advance(TimeSpan.FromMinutes(2));
            if (state == PeriodState.WebhookLost)
            {
                await clocked.Fake.RunDueSchedulesAsync();
            }
            else if (state == PeriodState.ScheduleMissing)
            {
                await Client(shop).UnscheduleAsync(oldKey, [period]);
            }

            clocked.Fake.Options.WebhookUrl = webhookUrl;
            string released = await ReleaseSeededAsync(random,
                async () =>
                {
                    using var verified = await customer.VerifyAsync(paid["imp_uid"]!.GetValue<string>(), paid["merchant_uid"]!.GetValue<string>());
                    Assert.That(verified.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                },
                () => ClockedShop.RunRenewalsAsync(other),
                () => clocked.Fake.RunDueSchedulesAsync());

            string at = $"trial {trial} ({state}, {released})";
            await SettleAsync(clocked, at);
            var now = (await shop.Store.FindSubscriptionAsync(subscription.Id))!;
            var fake = clocked.Fake;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(fake.GetPayments(period).Where(p => p.Status != "paid").Select(p => p.FailReason), Is.Empty, at + ": never charged on a deleted key");
                Assert.That(now.Status, Is.EqualTo(SubscriptionStatus.Active), at);
                Assert.That(now.CustomerUid, Is.EqualTo(newKey), at + ": bills the new key");
                Assert.That(fake.HasBillingKey(oldKey), Is.False, at + ": the old key is deleted");
                Assert.That(fake.PaidChargeCount(period), Is.LessThanOrEqualTo(1), at);
            }
        }
    }

    /// <summary>A declined scheduled run, past due; released together: the customer's 다시 결제 (or the operator's 지금
    /// 재시도), the declined run's late webhook (to both instances) and the dunning pass (정기결제 지금 실행 on the other instance), with the fake
    /// charging a paid merchant_uid again if asked (so only the shop keeps a period from being paid twice). Paid exactly
    /// once, active again, the next period registered once.</summary>
    [Test]
    public async Task Race_RetryAgainstLateDeclinedWebhookAndDunning_PaidOnceNextRegisteredOnce()
    {
        // The first automatic retry a minute after the decline, so the dunning pass races the customer's.
        string[] dunning = ["Shop:DunningSchedule=00:01:00, 1.00:00:00"];
        await using var clocked = await StartAsync(dunning);
        var shop = clocked.Shop;
        var other = await clocked.AddInstanceAsync([SchedulerEngine, .. dunning]);
        clocked.Fake.Options.WebhookUrl = null; // the test delivers the declined run's webhook itself, late
        clocked.Fake.Options.ChargePaidMerchantUidAgain = true;
        var random = new Random(2303);
        for (int trial = 0; trial < Trials; trial++)
        {
            using var customer = await shop.NewCustomerAsync();
            var (subscription, period) = await RegisterCardAsync(shop, customer);
            clocked.Fake.DeclineNext(subscription.CustomerUid!);
            await RunDueAsync(clocked, TimeSpan.FromMinutes(2));
            var declined = clocked.Fake.GetPayments(period).Single();

            // Heard of by the reconciliation (the webhook late), or by a first copy of the webhook (a duplicate comes late).
            bool heardFromWebhook = trial % 2 == 1;
            if (heardFromWebhook)
            {
                await WebhookAsync(shop, declined.ImpUid, period);
            }
            else
            {
                await Schedules(shop).RunOnceAsync();
            }

            Assert.That((await shop.Store.FindSubscriptionAsync(subscription.Id))!.Status, Is.EqualTo(SubscriptionStatus.PastDue));
            clocked.Advance(TimeSpan.FromMinutes(2));
            int registrations = clocked.Fake.RequestCount(FakeRoutes.Schedule);

            bool byOperator = trial % 4 >= 2;
            string released = await ReleaseSeededAsync(random,
                async () =>
                {
                    if (byOperator)
                    {
                        using var admin = shop.NewAdminClient();
                        using var retried = await admin.PostAsync(new Uri($"admin/subscriptions/{subscription.Id}/retry", UriKind.Relative), null);
                        Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                    }
                    else
                    {
                        using var retried = await customer.Http.PostAsync(new Uri($"subscriptions/{subscription.Id}/retry", UriKind.Relative), null);
                        Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
                    }
                },
                () => WebhookAsync(shop, declined.ImpUid, period),
                () => WebhookAsync(other, declined.ImpUid, period),
                () => ClockedShop.RunRenewalsAsync(other));

            string at = $"trial {trial} ({(heardFromWebhook ? "webhook" : "reconciliation")} first, {(byOperator ? "operator's" : "customer's")} retry, {released})";
            await SettleAsync(clocked, at);
            var after = (await shop.Store.FindSubscriptionAsync(subscription.Id))!;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(clocked.Fake.PaidChargeCount(period), Is.EqualTo(1), at + ": paid once");
                Assert.That((await shop.Store.FindChargeAsync(period))!.Status, Is.EqualTo(ChargeStatus.Paid), at);
                Assert.That(after.Status, Is.EqualTo(SubscriptionStatus.Active), at);
                Assert.That(after.NextChargeOn, Is.EqualTo(subscription.NextChargeOn!.Value.AddMonths(1)), at + ": moved on one period");
                Assert.That(clocked.Fake.RequestCount(FakeRoutes.Schedule) - registrations, Is.EqualTo(1), at + ": the next period registered once");
            }
        }
    }

    /// <summary>The reconciliation records a period whose webhook was lost and registers the next one on the key the
    /// subscription bills, slowly (its request not yet at I'mport), while the customer's card change is verified, whose
    /// deletion of the old key is slow too; the two requests then reach I'mport in either order. The next period ends
    /// pending once, on the new key; nothing is left on the deleted key.</summary>
    [TestCase(true)]
    [TestCase(false)]
    public async Task SlowRegistrationOnTheOldKey_AgainstCardChange_OneScheduleOnTheNewKey(bool registrationFirst)
    {
        await using var clocked = await StartAsync();
        var shop = clocked.Shop;
        var other = await clocked.AddInstanceAsync(SchedulerEngine);
        clocked.Fake.Options.WebhookUrl = null; // lost
        using var customer = await shop.NewCustomerAsync();
        await customer.CheckOutAsync("register");
        var subscription = await SubscriptionOfAsync(shop, customer);
        string oldKey = subscription.CustomerUid!;
        var change = await customer.StartCardChangeAsync(subscription.Id);
        var paid = await customer.PayInWindowAsync(change);
        string newKey = change["params"]!["customer_uid"]!.GetValue<string>();
        await RunDueAsync(clocked, TimeSpan.FromMinutes(2));

        var registration = clocked.GateOf(other).Hold(HttpMethod.Post, "/subscribe/payments/schedule");
        var reconciliation = Schedules(other).RunOnceAsync();
        await registration.Arrived;
        var deletion = clocked.GateOf(shop).Hold(HttpMethod.Delete, "/subscribe/customers/");
        var verification = customer.VerifyAsync(paid["imp_uid"]!.GetValue<string>(), paid["merchant_uid"]!.GetValue<string>());
        await deletion.Arrived;
        if (registrationFirst)
        {
            registration.Release();
            await reconciliation;
            deletion.Release();
            (await verification).EnsureSuccessStatusCode().Dispose();
        }
        else
        {
            deletion.Release();
            (await verification).EnsureSuccessStatusCode().Dispose();
            registration.Release();
            await reconciliation;
        }

        await SettleAsync(clocked, registrationFirst ? "registration first" : "deletion first");
        var now = (await shop.Store.FindSubscriptionAsync(subscription.Id))!;
        var pending = (await PendingAsync(shop)).Where(s => s.MerchantUid.StartsWith($"sub{subscription.Id}_", StringComparison.Ordinal)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(now.CustomerUid, Is.EqualTo(newKey));
            Assert.That(clocked.Fake.HasBillingKey(oldKey), Is.False, "the old key is deleted");
            Assert.That(pending.Select(s => (s.MerchantUid, s.CustomerUid)), Is.EqualTo(new[] { (MerchantUid(now), newKey) }), "the next period pending once, on the new key");
        }
    }

    /// <summary>The declined run's late webhook looks its payment up slowly: it read the period while still declined,
    /// then the customer's 다시 결제 claims it and its charge is on its way to I'mport (slow too), then the look-up's answer
    /// (declined: the earlier attempt) comes back, then the dunning pass runs. What the webhook learnt about the earlier
    /// attempt is not recorded over the retry's claim, so dunning does not charge the period again: paid exactly once,
    /// active, the next period registered once. With the customer's retry on either instance.</summary>
    [TestCase(false)]
    [TestCase(true)]
    public async Task SlowLateDeclinedWebhook_AgainstRetryInFlightAndDunning_PaidOnce(bool retryOnOtherInstance)
    {
        string[] dunning = ["Shop:DunningSchedule=00:01:00, 1.00:00:00"];
        await using var clocked = await StartAsync(dunning);
        var shop = clocked.Shop;
        var other = await clocked.AddInstanceAsync([SchedulerEngine, .. dunning]);
        clocked.Fake.Options.WebhookUrl = null;
        clocked.Fake.Options.ChargePaidMerchantUidAgain = true; // I'mport is not relied on to refuse a paid merchant_uid
        using var customer = await (retryOnOtherInstance ? other : shop).NewCustomerAsync();
        await customer.CheckOutAsync("register");
        var subscription = await SubscriptionOfAsync(shop, customer);
        string period = MerchantUid(subscription);
        clocked.Fake.DeclineNext(subscription.CustomerUid!);
        await RunDueAsync(clocked, TimeSpan.FromMinutes(2));
        var declined = clocked.Fake.GetPayments(period).Single();
        await ClockedShop.RunRenewalsAsync(shop); // the reconciliation records the decline; dunning opens, its first retry a minute on
        Assert.That((await shop.Store.FindSubscriptionAsync(subscription.Id))!.Status, Is.EqualTo(SubscriptionStatus.PastDue));
        clocked.Advance(TimeSpan.FromMinutes(2));
        int registrations = clocked.Fake.RequestCount(FakeRoutes.Schedule);

        var lookUp = clocked.GateOf(shop).Hold(HttpMethod.Get, "/payments/findAll/");
        var webhook = WebhookAsync(shop, declined.ImpUid, period);
        await lookUp.Arrived;
        var charge = clocked.GateOf(retryOnOtherInstance ? other : shop).Hold(HttpMethod.Post, "/subscribe/payments/again");
        var retry = customer.Http.PostAsync(new Uri($"subscriptions/{subscription.Id}/retry", UriKind.Relative), null);
        await charge.Arrived;
        lookUp.Release();
        await webhook;
        await ClockedShop.RunRenewalsAsync(other);
        charge.Release();
        using (var answer = await retry)
        {
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        }

        await SettleAsync(clocked, "after the retry");
        var after = (await shop.Store.FindSubscriptionAsync(subscription.Id))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(clocked.Fake.PaidChargeCount(period), Is.EqualTo(1), "paid once");
            Assert.That((await shop.Store.FindChargeAsync(period))!.Status, Is.EqualTo(ChargeStatus.Paid));
            Assert.That(after.Status, Is.EqualTo(SubscriptionStatus.Active));
            Assert.That(after.NextChargeOn, Is.EqualTo(subscription.NextChargeOn!.Value.AddMonths(1)), "moved on one period");
            Assert.That(clocked.Fake.RequestCount(FakeRoutes.Schedule) - registrations, Is.EqualTo(1), "the next period registered once");
        }
    }

    /// <summary>A subscription paid in the window, its second month run by I'mport and not yet heard of; released
    /// together: the customer's refund of the first month (which ends the subscription while it is the latest paid) or
    /// card removal, the run's webhook, and the reconciliation on the other instance. A cancelled subscription has
    /// nothing left scheduled at I'mport and its key is deleted; no schedule on a deleted key; nothing paid twice or
    /// left unrecorded.</summary>
    [Test]
    public async Task Race_RefundOrRemovalAgainstPaidWebhookAndReconciliation_NothingScheduledForACancelledSubscription()
    {
        await using var clocked = await StartAsync();
        var shop = clocked.Shop;
        var other = await clocked.AddInstanceAsync(SchedulerEngine, "Shop:RenewalConcurrency=4");
        clocked.Fake.Options.WebhookUrl = null; // the test delivers the run's webhook itself
        var random = new Random(2304);
        for (int trial = 0; trial < Trials; trial++)
        {
            bool refund = trial % 2 == 0;
            using var customer = await shop.NewCustomerAsync();
            await customer.CheckOutAsync("subscribe");
            var subscription = await SubscriptionOfAsync(shop, customer);
            var first = (await shop.Store.ListChargesAsync(subscription.Id)).Single(c => c.Status == ChargeStatus.Paid);
            string period = MerchantUid(subscription);
            string key = subscription.CustomerUid!;
            await RunDueAsync(clocked, subscription.NextChargeOn!.Value.ToDateTime(new TimeOnly(1, 0)) - clocked.Time.GetUtcNow().UtcDateTime);
            var payment = clocked.Fake.GetPayments(period).Single();

            string released = await ReleaseSeededAsync(random,
                async () =>
                {
                    using var answer = await customer.Http.PostAsync(
                        new Uri(refund ? $"charges/{first.Id}/refund" : $"subscriptions/{subscription.Id}/remove-card", UriKind.Relative), null);
                    Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
                },
                () => WebhookAsync(shop, payment.ImpUid, period),
                () => ClockedShop.RunRenewalsAsync(other));

            string at = $"trial {trial} ({(refund ? "refund" : "card removal")}, {released})";
            await SettleAsync(clocked, at);
            var after = (await shop.Store.FindSubscriptionAsync(subscription.Id))!;
            var pending = await PendingAsync(shop);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(clocked.Fake.PaidChargeCount(period), Is.EqualTo(1), at);
                Assert.That((await shop.Store.FindChargeAsync(period))!.Status, Is.EqualTo(ChargeStatus.Paid), at + ": the run recorded");
                if (after.Status == SubscriptionStatus.Cancelled)
                {
                    Assert.That(pending.Where(s => s.MerchantUid.StartsWith($"sub{subscription.Id}_", StringComparison.Ordinal)).Select(s => s.MerchantUid), Is.Empty,
                        at + ": nothing scheduled for a cancelled subscription");
                    Assert.That(clocked.Fake.HasBillingKey(key), Is.False, at + ": the key is deleted");
                }
                else
                {
                    Assert.That(refund, Is.True, at + ": only a refund of a month no longer the latest leaves it active");
                    Assert.That(after.Status, Is.EqualTo(SubscriptionStatus.Active), at);
                }
            }
        }
    }

    private static async Task WebhookAsync(ShopHost host, string impUid, string merchantUid)
    {
        using var answer = await host.PostWebhookAsync(impUid, merchantUid, "paid");
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), merchantUid);
    }
}
