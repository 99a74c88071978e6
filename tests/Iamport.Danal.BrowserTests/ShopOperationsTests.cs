using System.Net;
using System.Net.Http.Json;
using Iamport.Danal.Samples.Shop;
using Iamport.Danal.Samples.Shop.Billing;
using Iamport.Danal.Samples.Shop.Data;
using Iamport.Danal.Testing;

namespace Iamport.Danal.BrowserTests;

/// <summary>Operations over real loopback HTTP, without a browser: dunning on a fake clock, the bound on refused
/// renewals, the receipt link, and the operator page behind the admin token.</summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class ShopOperationsTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static readonly string[] FailedThenPaid = ["failed", "paid"];

    /// <summary>Seeded schedules (1 to 3 retries, hours to days apart), and the clock stepped to just before and then to
    /// each retry: a declined period is charged again exactly at each scheduled time, never between, and the last
    /// decline cancels the subscription, deletes its key and tells the customer.</summary>
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public async Task Dunning_DeclinedEveryTime_RetriesExactlyOnScheduleThenCancelsWithNotice(int seed)
    {
        var random = new Random(seed);
        var schedule = new List<TimeSpan>();
        for (int i = random.Next(1, 4), last = 0; i > 0; i--)
        {
            last += random.Next(60, 5 * 24 * 60); // minutes after the decline, increasing
            schedule.Add(TimeSpan.FromMinutes(last));
        }

        string setting = string.Join(", ", schedule.Select(s => s.ToString("c", System.Globalization.CultureInfo.InvariantCulture)));
        TestContext.Out.WriteLine($"seed {seed}: Shop:DunningSchedule={setting}");
        await using var clocked = await ClockedShop.StartAsync("Shop:DunningSchedule=" + setting);
        var shop = clocked.Shop;
        using var customer = await shop.NewCustomerAsync();
        await customer.CheckOutAsync("register", TestCards.LimitExceeded); // a key whose every charge is declined
        long subscriptionId = (await customer.SubscriptionsAsync()).Single()!["id"]!.GetValue<long>();
        string key = (await shop.Store.FindSubscriptionAsync(subscriptionId))!.CustomerUid!;

        await ClockedShop.RunRenewalsAsync(shop);
        string merchantUid = (await shop.Store.ListChargesAsync(subscriptionId)).Single().MerchantUid;
        Assert.That((await shop.Store.FindSubscriptionAsync(subscriptionId))!.Status, Is.EqualTo(SubscriptionStatus.PastDue));

        var elapsed = TimeSpan.Zero;
        for (int retry = 0; retry < schedule.Count; retry++)
        {
            var early = schedule[retry] - Minute;
            clocked.Advance(early - elapsed);
            await ClockedShop.RunRenewalsAsync(shop);
            Assert.That(clocked.Fake.ChargeAttemptCount(merchantUid), Is.EqualTo(1 + retry), $"one minute before retry {retry + 1}: not yet");
            Assert.That(await PageAsync(customer), Does.Contain($"자동 재시도 {retry}/{schedule.Count}회"));

            clocked.Advance(Minute);
            elapsed = schedule[retry];
            string counts = await ClockedShop.RunRenewalsAsync(shop);
            Assert.That(clocked.Fake.ChargeAttemptCount(merchantUid), Is.EqualTo(2 + retry), $"at retry {retry + 1}: charged once more");
            Assert.That(counts, Does.Contain("retried=1"));
        }

        // Passes long after change nothing more.
        clocked.Advance(TimeSpan.FromDays(3));
        await ClockedShop.RunRenewalsAsync(shop);
        string page = await PageAsync(customer);
        var subscription = (await shop.Store.FindSubscriptionAsync(subscriptionId))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(subscription.Status, Is.EqualTo(SubscriptionStatus.Cancelled));
            Assert.That(subscription.CustomerUid, Is.Null);
            Assert.That(clocked.Fake.HasBillingKey(key), Is.False, "the key is deleted at I'mport");
            Assert.That(clocked.Fake.GetPayments(merchantUid).Select(p => p.Status).ToList(), Has.Count.EqualTo(1 + schedule.Count).And.All.EqualTo("failed"));
            Assert.That(clocked.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(1 + schedule.Count), "nothing charged after the cancellation");
            Assert.That((await shop.Store.FindDunningAsync(subscriptionId))!.Status, Is.EqualTo(DunningState.Cancelled));
            Assert.That(page, Does.Contain($"미납으로 구독이 해지되었습니다: 결제가 {1 + schedule.Count}번 거절되어"));
            Assert.That(page, Does.Contain("해지됨"));
        }
    }

    [Test]
    public async Task Dunning_RetryApproved_ReactivatesAndNeverCancels()
    {
        await using var clocked = await ClockedShop.StartAsync();
        var shop = clocked.Shop;
        using var customer = await shop.NewCustomerAsync();
        await customer.CheckOutAsync("register");
        long subscriptionId = (await customer.SubscriptionsAsync()).Single()!["id"]!.GetValue<long>();
        clocked.Fake.DeclineNext((await shop.Store.FindSubscriptionAsync(subscriptionId))!.CustomerUid!);
        await ClockedShop.RunRenewalsAsync(shop);
        string merchantUid = (await shop.Store.ListChargesAsync(subscriptionId)).Single().MerchantUid;

        clocked.Advance(TimeSpan.FromDays(1)); // the default schedule's first retry
        string counts = await ClockedShop.RunRenewalsAsync(shop);
        clocked.Advance(TimeSpan.FromDays(7));
        await ClockedShop.RunRenewalsAsync(shop);

        var subscription = (await shop.Store.FindSubscriptionAsync(subscriptionId))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(counts, Does.Contain("retried=1&cancelled=0"));
            Assert.That(subscription.Status, Is.EqualTo(SubscriptionStatus.Active));
            Assert.That(clocked.Fake.GetPayments(merchantUid).Select(p => p.Status), Is.EqualTo(FailedThenPaid));
            Assert.That((await shop.Store.FindDunningAsync(subscriptionId))!.Status, Is.EqualTo(DunningState.Closed));
        }
    }

    /// <summary>Two shop processes on one database run dunning at the same moment, several times each: every retry is
    /// charged once, every cancellation deletes its key once.</summary>
    [Test]
    public async Task Dunning_TwoInstancesAtOnce_EachRetryChargedOnceAndEachKeyDeletedOnce()
    {
        const int Subscriptions = 6;
        await using var clocked = await ClockedShop.StartAsync("Shop:DunningSchedule=1.00:00:00, 2.00:00:00");
        var other = await clocked.AddInstanceAsync("Shop:DunningSchedule=1.00:00:00, 2.00:00:00");
        for (int i = 0; i < Subscriptions; i++)
        {
            using var customer = await clocked.Shop.NewCustomerAsync();
            await customer.CheckOutAsync("register", TestCards.LimitExceeded);
        }

        await clocked.Shop.NewRenewalJob().RunOnceAsync();
        var hosts = new[] { clocked.Shop, other, clocked.Shop, other };
        for (int day = 1; day <= 2; day++)
        {
            clocked.Advance(TimeSpan.FromDays(1));
            using var barrier = new Barrier(hosts.Length);
            var reports = await Task.WhenAll(hosts.Select(h => Task.Run(async () =>
            {
                var dunning = h.App.Services.GetService(typeof(Dunning)) as Dunning;
                barrier.SignalAndWait();
                return await dunning!.RunOnceAsync();
            })));
            Assert.That(reports.Sum(r => r.Retried), Is.EqualTo(Subscriptions), $"day {day}: one retry per subscription, over all instances");
            Assert.That(clocked.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(Subscriptions * (1 + day)));
            if (day == 2)
            {
                Assert.That(reports.Sum(r => r.Cancelled), Is.EqualTo(Subscriptions));
            }
        }

        Assert.That(clocked.Fake.RequestCount(FakeRoutes.DeleteCustomer), Is.EqualTo(Subscriptions), "each key deleted once");
    }

    /// <summary>A renewal refused before approval (the key is unknown at I'mport) is claimed again only up to
    /// Shop:MaxRefusedTries runs; then the subscription is past due, and the operator page shows the tries.</summary>
    [TestCase(1)]
    [TestCase(3)]
    public async Task Renewal_RefusedUnknownKey_TriedAtMostMaxRefusedTriesThenPastDueAndShown(int maxTries)
    {
        await using var shop = await ShopHost.StartEmbeddedAsync(null, ["Shop:MaxRefusedTries=" + maxTries, .. ClockedShop.NoLookUpPauses]);
        var today = ShopClock.Today(TimeProvider.System);
        await shop.Store.AddActiveSubscriptionsAsync([new NewSubscription("operator-test", "Pro", 9_900, "cu_never_issued_" + maxTries, null, today)]);

        for (int run = 0; run < maxTries + 2; run++)
        {
            await ClockedShop.RunRenewalsAsync(shop);
        }

        var subscription = (await shop.Store.FindSubscriptionAsync(1))!; // the only one, in a fresh database
        var charge = (await shop.Store.ListChargesAsync(subscription.Id)).Single();
        using var admin = shop.NewAdminClient();
        string page = await admin.GetStringAsync(new Uri("admin/operations", UriKind.Relative));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(shop.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(maxTries), "refused: tried maxTries times, then no more");
            Assert.That(charge.Status, Is.EqualTo(ChargeStatus.Failed));
            Assert.That(charge.Attempts, Is.EqualTo(maxTries));
            Assert.That(subscription.Status, Is.EqualTo(SubscriptionStatus.PastDue));
            Assert.That(page, Does.Contain($"data-testid=\"past-due\" data-merchant-uid=\"{charge.MerchantUid}\""));
            Assert.That(page, Does.Contain($"<td data-label=\"시도\">{maxTries}회</td>"));
        }
    }

    [Test]
    public async Task Receipt_PaidCheckoutAndRenewal_LinkedOnCustomersPage()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync();
        using var customer = await shop.NewCustomerAsync();
        await customer.CheckOutAsync("subscribe");
        await customer.CheckOutAsync("register");
        await ClockedShop.RunRenewalsAsync(shop);

        string page = await PageAsync(customer);
        var paid = shop.Fake.Payments.Where(p => p.Status == "paid" && p.Amount > 0).ToList();
        var client = (IIamportClient)shop.App.Services.GetService(typeof(IIamportClient))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(paid, Has.Count.EqualTo(2), "the first month paid in the window, and one renewal");
            foreach (var payment in paid)
            {
                string? receipt = (await client.GetPaymentAsync(payment.ImpUid))!.ReceiptUrl;
                Assert.That(receipt, Is.Not.Null.And.StartsWith("https://"));
                Assert.That(page, Does.Contain($"<a class=\"receipt\" href=\"{receipt}\" target=\"_blank\" rel=\"noopener noreferrer\">영수증</a>"));
            }
        }
    }

    [Test]
    public async Task OperatorPage_WithoutAdminToken_RefusedAndActionsChangeNothing()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync();
        using var customer = await shop.NewCustomerAsync();
        await customer.CheckOutAsync("register", TestCards.LimitExceeded);
        await ClockedShop.RunRenewalsAsync(shop);
        long subscriptionId = (await customer.SubscriptionsAsync()).Single()!["id"]!.GetValue<long>();
        int charged = shop.Fake.RequestCount(FakeRoutes.Again);

        using var anonymous = new HttpClient { BaseAddress = shop.Address };
        using var wrong = new HttpClient { BaseAddress = shop.Address };
        wrong.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", shop.AdminToken![..^1] + "x");
        var refused = new List<(string Who, HttpStatusCode Status)>();
        foreach (var (who, http) in new[] { ("anonymous", anonymous), ("wrong token", wrong), ("customer", customer.Http) })
        {
            using var get = await http.GetAsync(new Uri("admin/operations", UriKind.Relative));
            using var retry = await http.PostAsync(new Uri($"admin/subscriptions/{subscriptionId}/retry", UriKind.Relative), null);
            using var form = await http.PostAsync(new Uri($"admin/subscriptions/{subscriptionId}/retry", UriKind.Relative),
                new FormUrlEncodedContent(new Dictionary<string, string> { ["admin_token"] = "guess" }));
            refused.AddRange([(who + " GET", get.StatusCode), (who + " retry", retry.StatusCode), (who + " retry with a guessed form token", form.StatusCode)]);
        }

        using var admin = shop.NewAdminClient();
        using var page = await admin.GetAsync(new Uri("admin/operations", UriKind.Relative));
        string html = await page.Content.ReadAsStringAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Where(r => r.Status != HttpStatusCode.Unauthorized), Is.Empty, "every request without the token is 401");
            Assert.That(shop.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(charged), "nothing charged");
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(page.Headers.CacheControl?.NoStore, Is.True, "its forms carry the token: never cached");
            Assert.That(html, Does.Contain("<h1>운영 현황</h1>").And.Contain("data-testid=\"past-due\""));
        }
    }

    /// <summary>The page lists a checkout left pending past the sweep age, a refund I'mport refused and a past-due
    /// period; 지금 조회 closes the abandoned checkout, 지금 재시도 pays the period, each answering the page with what it did.</summary>
    [Test]
    public async Task OperatorPage_StaleCheckoutFailedRefundPastDue_ListedAndActionsResolveThem()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync(null, ["Shop:SweepAfter=00:00:00", .. ClockedShop.NoLookUpPauses]);
        shop.Fake.Options.WebhookUrl = null; // the console refund below must stay unknown to the shop
        using var customer = await shop.NewCustomerAsync();
        var paid = await customer.CheckOutAsync("subscribe");
        await customer.CheckOutAsync("register");
        string abandoned = (await customer.StartCheckoutAsync("register"))["params"]!["merchant_uid"]!.GetValue<string>(); // never paid

        // A refund refused by I'mport: the payment was refunded in the console meanwhile.
        await shop.Fake.CancelFromConsoleAsync(paid["imp_uid"]!.GetValue<string>());
        long paidChargeId = (await shop.Store.FindChargeAsync(paid["merchant_uid"]!.GetValue<string>()))!.Id;
        using (await customer.Http.PostAsync(new Uri($"charges/{paidChargeId}/refund", UriKind.Relative), null))
        {
        }

        // A past-due period: the second subscription's first renewal is declined once.
        var second = (await customer.SubscriptionsAsync()).Select(x => x!["id"]!.GetValue<long>()).Max();
        shop.Fake.DeclineNext((await shop.Store.FindSubscriptionAsync(second))!.CustomerUid!);
        await ClockedShop.RunRenewalsAsync(shop);
        string declined = (await shop.Store.ListChargesAsync(second)).Single().MerchantUid;

        using var admin = shop.NewAdminClient();
        string before = await admin.GetStringAsync(new Uri("admin/operations", UriKind.Relative));
        string afterLookUp = await PostPageAsync(admin, $"admin/checkouts/{abandoned}/lookup");
        string afterRetry = await PostPageAsync(admin, $"admin/subscriptions/{second}/retry");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(before, Does.Contain($"data-testid=\"stale-checkouts\" data-merchant-uid=\"{abandoned}\""));
            Assert.That(before, Does.Contain($"data-testid=\"refund-failed\" data-merchant-uid=\"{paid["merchant_uid"]!.GetValue<string>()}\""));
            Assert.That(before, Does.Contain($"data-testid=\"past-due\" data-merchant-uid=\"{declined}\""));
            Assert.That(afterLookUp, Does.Contain("조회 결과 완료되지 않은 결제창입니다. 닫았습니다.").And.Not.Contain("data-testid=\"stale-checkouts\""));
            Assert.That((await shop.Store.FindCheckoutAsync(abandoned))!.Status, Is.EqualTo(CheckoutRecord.Closed));
            Assert.That(afterRetry, Does.Contain("다시 결제했습니다. 구독이 다시 이용 중입니다.").And.Not.Contain("data-testid=\"past-due\""));
            Assert.That((await shop.Store.FindSubscriptionAsync(second))!.Status, Is.EqualTo(SubscriptionStatus.Active));
            Assert.That(shop.Fake.PaidChargeCount(declined), Is.EqualTo(1));
        }
    }

    [Test]
    public void Start_MalformedDunningSchedule_FailsNamingTheSetting()
    {
        var ex = Assert.ThrowsAsync<FormatException>(() => ShopHost.StartEmbeddedAsync(null, "Shop:DunningSchedule=3.00:00:00, 1.00:00:00"));
        Assert.That(ex!.Message, Does.Contain("Shop:DunningSchedule").And.Contain("\"1.00:00:00\""));
    }

    private static async Task<string> PostPageAsync(HttpClient admin, string path)
    {
        using var response = await admin.PostAsync(new Uri(path, UriKind.Relative), null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> PageAsync(ShopCustomer customer) =>
        await customer.Http.GetStringAsync(new Uri("/", UriKind.Relative));
}
