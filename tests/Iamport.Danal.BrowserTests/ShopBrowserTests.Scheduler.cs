using Iamport.Danal.Samples.Shop.Billing;
using Iamport.Danal.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Iamport.Danal.BrowserTests;

/// <summary>The shop on I'mport's scheduler in the browser, in Korean, with the shop and its fake on one fake clock.</summary>
public sealed partial class ShopBrowserTests
{
    private static readonly string[] OnePaid = ["paid"];

    /// <summary>Subscribe on the scheduler engine; the fake runs the first period, then declines the second; dunning's
    /// first retry pays it; the customer's page and the operator's page show that history.</summary>
    [Test]
    public async Task Scheduler_TwoPeriodsAndADeclineWithDunning_HistoryOnCustomerAndOperatorPages()
    {
        _clocked = await ClockedShop.StartAsync("Shop:RenewalEngine=Scheduler");
        _shop = _clocked.Shop;
        _clocked.Fake.Options.RunSchedulesAutomatically = false; // each step runs what fell due, then looks
        _clocked.Fake.Options.WebhookUrl = new Uri(Shop.Address, "iamport/webhook");
        var page = await OpenPageAsync(mobile: false);
        await PayInDanalWindowAsync(page, "#register-card", TestCards.Approve);
        await page.WaitForURLAsync("**/?notice=activated", new() { Timeout = TimeoutMs });
        long id = await SubscriptionIdAsync(page);
        var subscription = page.Locator("[data-testid=subscription]");
        var first = (await Shop.Store.FindSubscriptionAsync(id))!.NextChargeOn!.Value;
        string period1 = $"sub{id}_{ShopClock.Period(first)}", period2 = $"sub{id}_{ShopClock.Period(first.AddMonths(1))}", period3 = $"sub{id}_{ShopClock.Period(first.AddMonths(2))}";
        ILocator Charge(string merchantUid) => subscription.Locator("tr[data-testid=charge]", new() { HasText = merchantUid });
        await Expect(Charge(period1).Locator(".charge-status")).ToHaveTextAsync("결제 예약됨");

        // Period 1: run by I'mport a minute later, recorded from its webhook; period 2 registered.
        await RunDueAtAsync(_clocked.Time.GetUtcNow().AddMinutes(2));
        await page.GotoAsync(Shop.Address.ToString());
        await Expect(Charge(period1).Locator(".charge-status")).ToHaveTextAsync("결제 완료");
        await Expect(Charge(period2).Locator(".charge-status")).ToHaveTextAsync("결제 예약됨");
        await Expect(subscription.Locator(".status")).ToHaveTextAsync("이용 중");

        // Period 2: declined at I'mport; past due, dunning's first retry a day later.
        _clocked.Fake.DeclineNext(await KeyOfAsync(id));
        var declinedAt = new DateTimeOffset(first.AddMonths(1).ToDateTime(new TimeOnly(1, 0)), TimeSpan.Zero);
        await RunDueAtAsync(declinedAt);
        await page.GotoAsync(Shop.Address.ToString());
        await Expect(subscription.Locator(".status")).ToHaveTextAsync("결제 실패 (미납)");
        await Expect(Charge(period2).Locator(".charge-status")).ToHaveTextAsync("승인 거절");
        await Expect(subscription.Locator("[data-testid=dunning]")).ToContainTextAsync($"자동 재시도 0/3회 · 다음 자동 재시도 {ShopClock.Display(declinedAt.AddDays(1))}");

        _clocked.Time.SetUtcNow(declinedAt.AddDays(1));
        await page.GotoAsync(Shop.Address.ToString());
        await RunRenewalsAsync(page);
        await page.WaitForURLAsync("**/?notice=renewals-run**", new() { Timeout = TimeoutMs });
        await Expect(page.Locator("#message")).ToContainTextAsync("미납 자동 재시도 1건, 미납 해지 0건");
        await Expect(subscription.Locator(".status")).ToHaveTextAsync("이용 중");
        await Expect(Charge(period2).Locator(".charge-status")).ToHaveTextAsync("결제 완료");
        await Expect(Charge(period3).Locator(".charge-status")).ToHaveTextAsync("결제 예약됨");

        await page.FillAsync("#admin-token", Shop.AdminToken!);
        await page.ClickAsync("#open-operations");
        await Expect(page.Locator("h1")).ToHaveTextAsync("운영 현황");
        await Expect(page.Locator("#tally")).ToContainTextAsync("결제 완료 2건");
        await Expect(page.Locator("#tally")).ToContainTextAsync("결제 예약됨 1건");
        await Expect(page.Locator("#past-due .none")).ToHaveTextAsync("없습니다.");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Shop.Fake.GetPayments(period1).Select(p => p.Status), Is.EqualTo(OnePaid));
            Assert.That(Shop.Fake.GetPayments(period2).Select(p => p.Status), Is.EqualTo(DeclinedThenPaid), "declined by the schedule, paid by dunning");
            Assert.That(Shop.Fake.RequestCount(FakeRoutes.Schedule), Is.EqualTo(3), "each period registered once");
            Assert.That(_pageErrors, Is.Empty);
        }
    }

    /// <summary>Sets both clocks to <paramref name="at"/>, lets the fake run what fell due and waits for its webhooks.</summary>
    private async Task RunDueAtAsync(DateTimeOffset at)
    {
        _clocked!.Time.SetUtcNow(at);
        await _clocked.Fake.RunDueSchedulesAsync();
        await _clocked.Fake.WhenWebhooksSentAsync();
    }
}
