using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Iamport.Danal.Samples.Shop.Billing;
using Iamport.Danal.Samples.Shop.Data;
using Iamport.Danal.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Iamport.Danal.BrowserTests;

/// <summary>The shop's server side over real loopback HTTP, without a browser.</summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class ShopServerTests
{
    [Test]
    public async Task RunOnceAsync_TwoShopInstancesRacing_ChargeEachPeriodExactlyOnce()
    {
        await using var fake = new FakeIamport();
        await fake.StartAsync();
        string db = ShopHost.NewDatabasePath();
        await using var shopA = await ShopHost.StartWithFakeAsync(fake, db);
        await using var shopB = await ShopHost.StartWithFakeAsync(fake, db);

        // Five customers register a card (key only): each subscription's first month is due today.
        for (int i = 0; i < 5; i++)
        {
            using var customer = await shopA.NewCustomerAsync();
            await customer.CheckOutAsync("register");
        }

        var jobs = new[] { shopA.NewRenewalJob(), shopB.NewRenewalJob(), shopA.NewRenewalJob(), shopB.NewRenewalJob() };
        var reports = await Task.WhenAll(jobs.Select(job => Task.Run(() => job.RunOnceAsync())));

        var renewals = fake.Payments.Where(p => p.CustomerUidUsage == "payment").ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reports.Sum(r => r.Approved), Is.EqualTo(5));
            Assert.That(renewals, Has.Count.EqualTo(5), "one again request per subscription reached I'mport");
            Assert.That(renewals.Select(p => p.MerchantUid).Distinct().Count(), Is.EqualTo(5));
            Assert.That(renewals.Select(p => fake.PaidChargeCount(p.MerchantUid)), Is.All.EqualTo(1));
            Assert.That(fake.RequestCount(FakeRoutes.Again), Is.EqualTo(5));
        }

        // A later run (either instance) finds nothing due: the period moved on.
        var again = await shopB.NewRenewalJob().RunOnceAsync();
        Assert.That(again.Approved + fake.RequestCount(FakeRoutes.Again), Is.EqualTo(5));
    }

    [Test]
    public async Task RunOnceAsync_MerchantUid_IsDerivedFromSubscriptionAndPeriod()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync();
        using var customer = await shop.NewCustomerAsync();
        await customer.CheckOutAsync("register");

        await shop.NewRenewalJob().RunOnceAsync();

        var subscription = (await customer.SubscriptionsAsync()).Single()!;
        long id = subscription["id"]!.GetValue<long>();
        var charge = subscription["charges"]!.AsArray().Single()!;
        string period = ShopClock.Period(ShopClock.Today(TimeProvider.System));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(charge["merchantUid"]!.GetValue<string>(), Is.EqualTo($"sub{id}_{period}"));
            Assert.That(charge["status"]!.GetValue<string>(), Is.EqualTo("paid"));
            Assert.That(shop.Fake.PaidChargeCount($"sub{id}_{period}"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task RunOnceAsync_DeclinedCard_RecordsDeclineAndStopsRetrying()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync();
        using var customer = await shop.NewCustomerAsync();
        await customer.CheckOutAsync("register", TestCards.LimitExceeded);

        var first = await shop.NewRenewalJob().RunOnceAsync();
        var second = await shop.NewRenewalJob().RunOnceAsync();

        var subscription = (await customer.SubscriptionsAsync()).Single()!;
        var charge = subscription["charges"]!.AsArray().Single()!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Declined, Is.EqualTo(1));
            Assert.That(second.Declined + second.Approved, Is.Zero, "a past-due subscription is not charged again by itself");
            Assert.That(subscription["status"]!.GetValue<string>(), Is.EqualTo("past_due"));
            Assert.That(charge["status"]!.GetValue<string>(), Is.EqualTo("declined"));
            Assert.That(charge["failReason"]!.GetValue<string>(), Is.EqualTo(TestCards.LimitExceededReason));
        }
    }

    [Test]
    public async Task RunOnceAsync_OutcomeUnknown_IsNeverResentAndIsReconciledNextRun()
    {
        // Every look-up fails: a short reconciliation window keeps the test quick (the default is 10 s).
        await using var shop = await ShopHost.StartEmbeddedAsync(null, "Iamport:ReconciliationWindow=00:00:00.5");
        using var customer = await shop.NewCustomerAsync();
        await customer.CheckOutAsync("register");

        // The charge is applied but its reply is lost, and the client's own look-ups fail too: the outcome is unknown.
        // (No webhook here: it would settle the charge first, which Webhook tests cover.)
        shop.Fake.Options.WebhookUrl = null;
        shop.Fake.Faults.Next(FakeRoutes.Again, Fault.DropResponseAfterCommit());
        shop.Fake.Faults.Next(FakeRoutes.FindAllPayments, Fault.ServerErrorHtml(), count: 100);
        var first = await shop.NewRenewalJob().RunOnceAsync();
        string statusAfterFirst = (await customer.SubscriptionsAsync()).Single()!["charges"]!.AsArray().Single()!["status"]!.GetValue<string>();

        shop.Fake.Faults.Clear();
        var second = await shop.NewRenewalJob().RunOnceAsync();
        var charge = (await customer.SubscriptionsAsync()).Single()!["charges"]!.AsArray().Single()!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Unknown, Is.EqualTo(1));
            Assert.That(statusAfterFirst, Is.EqualTo("unknown"));
            Assert.That(second.Reconciled, Is.EqualTo(1));
            Assert.That(charge["status"]!.GetValue<string>(), Is.EqualTo("paid"));
            Assert.That(shop.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(1), "never sent twice");
            Assert.That(shop.Fake.PaidChargeCount(charge["merchantUid"]!.GetValue<string>()), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task RunOnceAsync_PeriodRecordedNotChargedButPaidAtIamport_RetryLooksUpFirstAndNeverChargesAgain()
    {
        // The fake charges a paid merchant_uid again, so nothing but the shop's look-up before the retry can stop a
        // second payment. The first attempt's record shows only after the library's (short) settle period: recorded
        // not charged, wrongly; the retry must find it paid.
        await using var shop = await ShopHost.StartEmbeddedAsync(null, "Iamport:NotChargedSettlePeriod=00:00:00.2", "Iamport:ReconciliationWindow=00:00:00.5");
        shop.Fake.Options.ChargePaidMerchantUidAgain = true;
        shop.Fake.Options.WebhookUrl = null; // the run's own look-up decides, not a webhook
        using var customer = await shop.NewCustomerAsync();
        await customer.CheckOutAsync("register");
        shop.Fake.Faults.Next(FakeRoutes.Again, Fault.DropResponseRecordLater(TimeSpan.FromSeconds(2)));

        var first = await shop.NewRenewalJob().RunOnceAsync();
        var merchantUid = shop.Fake.Payments.Single(p => p.CustomerUidUsage == "payment").MerchantUid;
        string statusAfterFirst = (await shop.Store.FindChargeAsync(merchantUid))!.Status;

        // Wait for the record to show in I'mport's look-ups (the fake's delayed visibility), not for a guessed time.
        var client = shop.App.Services.GetRequiredService<IIamportClient>();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await client.GetPaymentByMerchantUidAsync(merchantUid, cancellationToken: patience.Token) is null)
        {
            await Task.Delay(100, patience.Token);
        }

        var second = await shop.NewRenewalJob().RunOnceAsync();
        var charge = (await shop.Store.FindChargeAsync(merchantUid))!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.NotCharged, Is.EqualTo(1));
            Assert.That(statusAfterFirst, Is.EqualTo(ChargeStatus.NotCharged), "the record came after the settle period");
            Assert.That(second.Reconciled, Is.EqualTo(1), "the retry's look-up found the earlier attempt paid");
            Assert.That(charge.Status, Is.EqualTo(ChargeStatus.Paid));
            Assert.That(shop.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(1), "never charged again");
            Assert.That(shop.Fake.PaidChargeCount(merchantUid), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Webhook_ForRenewalWhoseReplyWasLost_SettlesItAsPaid()
    {
        // Every look-up fails: a short reconciliation window keeps the test quick (the default is 10 s).
        await using var shop = await ShopHost.StartEmbeddedAsync(null, "Iamport:ReconciliationWindow=00:00:00.5");
        using var customer = await shop.NewCustomerAsync();
        await customer.CheckOutAsync("register");
        shop.Fake.Faults.Next(FakeRoutes.Again, Fault.DropResponseAfterCommit());
        shop.Fake.Faults.Next(FakeRoutes.FindAllPayments, Fault.ServerErrorHtml(), count: 100);
        var webhookUrl = shop.Fake.Options.WebhookUrl;
        shop.Fake.Options.WebhookUrl = null; // the webhook comes late, once I'mport answers look-ups again

        var report = await shop.NewRenewalJob().RunOnceAsync();
        string statusBefore = (await customer.SubscriptionsAsync()).Single()!["charges"]!.AsArray().Single()!["status"]!.GetValue<string>();
        shop.Fake.Faults.Clear();
        var payment = shop.Fake.Payments.Single(p => p.CustomerUidUsage == "payment");
        shop.Fake.Options.WebhookUrl = webhookUrl;
        using var webhook = await shop.PostWebhookAsync(payment.ImpUid, payment.MerchantUid, "paid");

        var charge = (await customer.SubscriptionsAsync()).Single()!["charges"]!.AsArray().Single()!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Unknown, Is.EqualTo(1), "the job itself could not learn the outcome");
            Assert.That(statusBefore, Is.EqualTo("unknown"));
            Assert.That(charge["status"]!.GetValue<string>(), Is.EqualTo("paid"), "the verified webhook settled it");
            Assert.That(shop.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Restart_SameDatabase_KeepsSubscriptionsAndKeys()
    {
        await using var fake = new FakeIamport();
        await fake.StartAsync();
        string db = ShopHost.NewDatabasePath();
        var cookies = new CookieContainer();

        await using (var before = await ShopHost.StartWithFakeAsync(fake, db))
        {
            using var customer = await before.NewCustomerAsync(cookies);
            await customer.CheckOutAsync("register");
            await customer.CheckOutAsync("subscribe");
        }

        await using var after = await ShopHost.StartWithFakeAsync(fake, db);
        using var same = await after.NewCustomerAsync(cookies);
        var subscriptions = await same.SubscriptionsAsync();
        var report = await after.NewRenewalJob().RunOnceAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(subscriptions, Has.Count.EqualTo(2));
            Assert.That(subscriptions.Select(s => s!["status"]!.GetValue<string>()), Is.All.EqualTo("active"));
            Assert.That(subscriptions.Select(s => s!["cardName"]?.GetValue<string>()), Is.All.Not.Null);

            // The key-only subscription is due today: charging it after the restart proves the stored key survived.
            Assert.That(report.Approved, Is.EqualTo(1));
            Assert.That(fake.Payments.Count(p => p.CustomerUidUsage == "payment" && p.Status == "paid"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Verify_ImpUidOfAnotherOrder_IsRefusedAndNothingActivated()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync();
        using var victim = await shop.NewCustomerAsync();
        var genuine = await victim.CheckOutAsync("subscribe");

        using var attacker = await shop.NewCustomerAsync();
        var start = await attacker.StartCheckoutAsync("subscribe");
        string merchantUid = start["params"]!["merchant_uid"]!.GetValue<string>();
        using var verdict = await attacker.VerifyAsync(genuine["imp_uid"]!.GetValue<string>(), merchantUid);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await verdict.Content.ReadAsStringAsync(), Does.Contain(CheckoutService.NotVerified).And.Not.Contain("MerchantUid"));
            Assert.That(await attacker.SubscriptionsAsync(), Is.Empty);
            Assert.That((await shop.Store.FindCheckoutAsync(merchantUid))!.Status, Is.EqualTo("pending"));

            // The genuine payment belongs to someone else: it is left alone.
            Assert.That(shop.Fake.GetPayments(genuine["merchant_uid"]!.GetValue<string>()).Single().Status, Is.EqualTo("paid"));
        }
    }

    [Test]
    public async Task Verify_AmountChangedInBrowser_IsRefusedRefundedAndNothingActivated()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync();
        using var customer = await shop.NewCustomerAsync();
        var start = await customer.StartCheckoutAsync("subscribe");
        start["params"]!["amount"] = 100; // the shop asked for 9,900
        var rsp = await customer.PayInWindowAsync(start);
        string merchantUid = rsp["merchant_uid"]!.GetValue<string>();
        string customerUid = start["params"]!["customer_uid"]!.GetValue<string>();

        using var verdict = await customer.VerifyAsync(rsp["imp_uid"]!.GetValue<string>(), merchantUid);

        var payment = shop.Fake.GetPayments(merchantUid).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            // The webhook usually gets there first and refuses (Amount) and refunds; the callback then sees a cancelled payment.
            Assert.That(await verdict.Content.ReadAsStringAsync(), Does.Contain("결제를 확인할 수 없습니다").Or.Contain("닫힌 주문"));
            Assert.That(await customer.SubscriptionsAsync(), Is.Empty);
            Assert.That((await shop.Store.FindCheckoutAsync(merchantUid))!.Status, Is.EqualTo("closed"), "never applied, whoever looks next");
            Assert.That(payment.Amount, Is.EqualTo(100m));
            Assert.That(payment.CancelAmount, Is.EqualTo(100m), "the tampered payment is refunded");
            Assert.That(shop.Fake.HasBillingKey(customerUid), Is.False, "the key it issued is deleted");
        }
    }

    [Test]
    public async Task Verify_MerchantUidNeverIssued_IsRefused()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync();
        using var victim = await shop.NewCustomerAsync();
        var genuine = await victim.CheckOutAsync("register");
        using var attacker = await shop.NewCustomerAsync();

        using var forged = await attacker.VerifyAsync(genuine["imp_uid"]!.GetValue<string>(), "chk_20260101000000000_forged");
        using var stolen = await attacker.VerifyAsync(genuine["imp_uid"]!.GetValue<string>(), genuine["merchant_uid"]!.GetValue<string>());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(stolen.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "another customer's order");
            Assert.That(await attacker.SubscriptionsAsync(), Is.Empty);
        }
    }

    [Test]
    public async Task Webhook_SentByIamport_IsVerifiedAndDuplicatesAreIgnored()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync();
        using var customer = await shop.NewCustomerAsync();
        var rsp = await customer.CheckOutAsync("subscribe");
        string impUid = rsp["imp_uid"]!.GetValue<string>();
        string merchantUid = rsp["merchant_uid"]!.GetValue<string>();

        // The fake sent its webhook before answering the window: it reached the shop first.
        using var http = new HttpClient { BaseAddress = shop.Address };
        using var json = await http.PostAsJsonAsync("iamport/webhook", new Dictionary<string, string> { ["imp_uid"] = impUid, ["merchant_uid"] = merchantUid, ["status"] = "paid" });
        using var form = await http.PostAsync(new Uri("iamport/webhook", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["imp_uid"] = impUid, ["merchant_uid"] = merchantUid, ["status"] = "paid" }));
        using var garbage = await http.PostAsync(new Uri("iamport/webhook", UriKind.Relative), new StringContent("not a webhook", Encoding.UTF8, "text/plain"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(shop.Fake.Webhooks.Select(w => w.MerchantUid), Does.Contain(merchantUid));
            Assert.That(await shop.Store.CountWebhooksAsync(merchantUid), Is.EqualTo(1));
            Assert.That((await json.Content.ReadFromJsonAsync<JsonObject>())!["result"]!.GetValue<string>(), Is.EqualTo("duplicate"));
            Assert.That((await form.Content.ReadFromJsonAsync<JsonObject>())!["result"]!.GetValue<string>(), Is.EqualTo("duplicate"));
            Assert.That(garbage.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await customer.SubscriptionsAsync()).Single()!["charges"]!.AsArray(), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task RefundAndRemoveCard_PaidSubscription_CancelAtIamportAndForgetTheKey()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync();
        using var customer = await shop.NewCustomerAsync();
        var start = await customer.StartCheckoutAsync("subscribe");
        var rsp = await customer.PayInWindowAsync(start);
        (await customer.VerifyAsync(rsp["imp_uid"]!.GetValue<string>(), rsp["merchant_uid"]!.GetValue<string>())).Dispose();
        var subscription = (await customer.SubscriptionsAsync()).Single()!;
        long chargeId = subscription["charges"]!.AsArray().Single()!["id"]!.GetValue<long>();
        long subscriptionId = subscription["id"]!.GetValue<long>();

        using var refund = await customer.Http.PostAsync(new Uri($"charges/{chargeId}/refund", UriKind.Relative), null);
        using var refundAgain = await customer.Http.PostAsync(new Uri($"charges/{chargeId}/refund", UriKind.Relative), null);
        using var remove = await customer.Http.PostAsync(new Uri($"subscriptions/{subscriptionId}/remove-card", UriKind.Relative), null);

        var after = (await customer.SubscriptionsAsync()).Single()!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refund.Headers.Location?.ToString(), Is.EqualTo("/?notice=refunded-cancelled"), "the only paid month: the subscription ends");
            Assert.That(refundAgain.Headers.Location?.ToString(), Is.EqualTo("/?notice=not-refundable"));
            Assert.That(remove.Headers.Location?.ToString(), Is.EqualTo("/?notice=card-removed"));
            Assert.That(shop.Fake.GetPayments(rsp["merchant_uid"]!.GetValue<string>()).Single().CancelAmount, Is.EqualTo(9_900m));
            Assert.That(shop.Fake.HasBillingKey(start["params"]!["customer_uid"]!.GetValue<string>()), Is.False);
            Assert.That(after["status"]!.GetValue<string>(), Is.EqualTo("cancelled"));
            Assert.That(after["charges"]!.AsArray().Single()!["status"]!.GetValue<string>(), Is.EqualTo("refunded"));
        }
    }

    [Test]
    public async Task RunOnceAsync_UnknownChargeFoundPaidWithAnotherAmount_RecordsMismatchNotPaidAndFlagsIt()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync(null, "Iamport:ReconciliationWindow=00:00:00.5");
        shop.Fake.Options.WebhookUrl = null; // the run's own look-up decides, not a webhook
        using var customer = await shop.NewCustomerAsync();
        var start = await customer.StartCheckoutAsync("register");
        var rsp = await customer.PayInWindowAsync(start);
        (await customer.VerifyAsync(rsp["imp_uid"]!.GetValue<string>(), rsp["merchant_uid"]!.GetValue<string>())).EnsureSuccessStatusCode().Dispose();

        // The charge is lost before I'mport commits it, and every look-up fails: unknown.
        shop.Fake.Faults.Next(FakeRoutes.Again, Fault.ResetBeforeCommit());
        shop.Fake.Faults.Next(FakeRoutes.FindAllPayments, Fault.ServerErrorHtml(), count: 100);
        var first = await shop.NewRenewalJob().RunOnceAsync();
        shop.Fake.Faults.Clear();
        var unknown = (await shop.Store.ListUnresolvedChargesAsync()).Single();

        // Meanwhile something else charged that merchant_uid with another amount (a bug, another system on the account).
        var other = await shop.App.Services.GetRequiredService<IIamportClient>().ChargeBillingKeyAsync(new ChargeRequest
        {
            CustomerUid = start["params"]!["customer_uid"]!.GetValue<string>(),
            MerchantUid = unknown.MerchantUid,
            Amount = 100,
            Name = "다른 시스템",
        });

        var second = await shop.NewRenewalJob().RunOnceAsync();
        var third = await shop.NewRenewalJob().RunOnceAsync();
        var charge = (await shop.Store.FindChargeAsync(unknown.MerchantUid))!;
        var subscription = (await shop.Store.FindSubscriptionAsync(charge.SubscriptionId))!;
        using var page = await customer.Http.GetAsync(new Uri("/", UriKind.Relative));
        string html = await page.Content.ReadAsStringAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Unknown, Is.EqualTo(1));
            Assert.That(other.IsApproved, Is.True);
            Assert.That(second.Mismatched, Is.EqualTo(1), "the library's outcome call classified it");
            Assert.That(second.Reconciled + second.Approved, Is.Zero, "never recorded as paid");
            Assert.That(charge.Status, Is.EqualTo(ChargeStatus.Mismatched));
            Assert.That(charge.ImpUid, Is.EqualTo(other.Payment!.ImpUid), "the payment the operator must look at");
            Assert.That(charge.FailReason, Does.Contain("불일치").And.Contain("100원"));
            Assert.That(subscription.NextChargeOn, Is.EqualTo(charge.DueOn), "the period did not move on as if paid");
            Assert.That(third.Approved + third.Mismatched + third.Reconciled, Is.Zero, "not charged again by itself");
            Assert.That(shop.Fake.PaidChargeCount(unknown.MerchantUid), Is.EqualTo(1));
            Assert.That(html, Does.Contain("확인 필요 (결제 불일치)"), "shown on the page");
        }
    }

    [Test]
    public async Task Sweep_PaidCheckoutWithNoCallbackAndNoWebhook_ActivatesItOnce()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync(null, "Shop:SweepAfter=00:00:00");
        shop.Fake.Options.WebhookUrl = null; // webhooks unreachable
        using var customer = await shop.NewCustomerAsync();
        var paid = await customer.PayInWindowAsync(await customer.StartCheckoutAsync("subscribe")); // and the tab closed at once
        var abandoned = await customer.StartCheckoutAsync("register"); // never paid

        var first = await shop.NewSweep().RunOnceAsync();
        var second = await shop.NewSweep().RunOnceAsync();

        var subscription = (await customer.SubscriptionsAsync()).Single()!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.CheckoutsSettled, Is.EqualTo(2));
            Assert.That(second.CheckoutsSettled, Is.Zero, "nothing left pending");
            Assert.That(subscription["status"]!.GetValue<string>(), Is.EqualTo("active"));
            Assert.That(subscription["charges"]!.AsArray().Single()!["merchantUid"]!.GetValue<string>(), Is.EqualTo(paid["merchant_uid"]!.GetValue<string>()));
            Assert.That((await shop.Store.FindCheckoutAsync(abandoned["params"]!["merchant_uid"]!.GetValue<string>()))!.Status, Is.EqualTo(CheckoutRecord.Closed));
            Assert.That(shop.Fake.GetPayments(paid["merchant_uid"]!.GetValue<string>()).Single().Status, Is.EqualTo("paid"), "kept, not refunded");
        }
    }

    [Test]
    public async Task Sweep_ConsoleRefundWhoseWebhookWasLost_RecordsTheRefund()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync();
        using var customer = await shop.NewCustomerAsync();
        var paid = await customer.CheckOutAsync("subscribe");
        shop.Fake.Options.WebhookUrl = null; // the refund's webhook is lost

        await shop.App.Services.GetRequiredService<IIamportClient>().CancelPaymentAsync(new CancelPaymentRequest { ImpUid = paid["imp_uid"]!.GetValue<string>(), Reason = "콘솔 환불" });
        string before = (await customer.SubscriptionsAsync()).Single()!["charges"]!.AsArray().Single()!["status"]!.GetValue<string>();
        var report = await shop.NewSweep().RunOnceAsync();
        string after = (await customer.SubscriptionsAsync()).Single()!["charges"]!.AsArray().Single()!["status"]!.GetValue<string>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before, Is.EqualTo("paid"));
            Assert.That(report.RefundsRecorded, Is.EqualTo(1));
            Assert.That(after, Is.EqualTo("refunded"));
        }
    }

    [Test]
    public async Task ChangeCard_SubscriptionCancelledWhileWindowOpen_DeletesOnlyTheUnneededNewKey()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync();
        using var customer = await shop.NewCustomerAsync();
        var start = await customer.StartCheckoutAsync("register");
        var rsp = await customer.PayInWindowAsync(start);
        (await customer.VerifyAsync(rsp["imp_uid"]!.GetValue<string>(), rsp["merchant_uid"]!.GetValue<string>())).Dispose();
        long id = (await customer.SubscriptionsAsync()).Single()!["id"]!.GetValue<long>();
        var change = await customer.StartCardChangeAsync(id);
        (await customer.Http.PostAsync(new Uri($"subscriptions/{id}/remove-card", UriKind.Relative), null)).Dispose();

        var paid = await customer.PayInWindowAsync(change); // the fake's webhook and then the callback both report it
        using var verdict = await customer.VerifyAsync(paid["imp_uid"]!.GetValue<string>(), paid["merchant_uid"]!.GetValue<string>());

        string newKey = change["params"]!["customer_uid"]!.GetValue<string>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await verdict.Content.ReadAsStringAsync(), Does.Contain("더 이상 카드를 변경할 수 없습니다"));
            Assert.That(shop.Fake.HasBillingKey(newKey), Is.False, "the key nobody uses is deleted");
            Assert.That((await shop.Store.FindSubscriptionAsync(id))!.Status, Is.EqualTo(SubscriptionStatus.Cancelled));
            Assert.That((await shop.Store.FindCheckoutAsync(change["params"]!["merchant_uid"]!.GetValue<string>()))!.Status, Is.EqualTo(CheckoutRecord.Closed));
        }
    }

    [Test]
    public async Task RetiredKey_StillUsedBySubscription_IsNeverTakenOrDeleted()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync(null, "Shop:SweepAfter=00:00:00");
        using var customer = await shop.NewCustomerAsync();
        var start = await customer.StartCheckoutAsync("register");
        var rsp = await customer.PayInWindowAsync(start);
        (await customer.VerifyAsync(rsp["imp_uid"]!.GetValue<string>(), rsp["merchant_uid"]!.GetValue<string>())).Dispose();
        string key = start["params"]!["customer_uid"]!.GetValue<string>();

        // A bug (or a race) retires the key of a live subscription: the queue refuses it, and so the sweep cannot delete it.
        await shop.Store.RetireKeyAsync(key);
        bool taken = await shop.Store.TakeRetiredKeyAsync(key, TimeSpan.Zero);
        var sweep = await shop.NewSweep().RunOnceAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(taken, Is.False);
            Assert.That(sweep.KeysDeleted, Is.Zero);
            Assert.That(shop.Fake.HasBillingKey(key), Is.True);
            Assert.That(shop.Fake.RequestCount(FakeRoutes.DeleteCustomer), Is.Zero);
        }
    }
}
