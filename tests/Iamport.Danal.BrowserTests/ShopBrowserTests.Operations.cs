using Iamport.Danal;
using Iamport.Danal.Samples.Shop.Billing;
using Iamport.Danal.Samples.Shop.Data;
using Iamport.Danal.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Iamport.Danal.BrowserTests;

/// <summary>Operations in the browser, in Korean, with the shop and its fake I'mport on one fake clock: dunning after
/// declines ends in cancellation with the notice; the operator page shows a stuck claim and resolves it.</summary>
public sealed partial class ShopBrowserTests
{
    [Test]
    public async Task Dunning_DeclinedOnFakeClock_RetriesAfter1And3And7DaysThenCancelsWithNotice()
    {
        _clocked = await ClockedShop.StartAsync(); // the default schedule: 1, 3 and 7 days after the decline
        _shop = _clocked.Shop;
        var page = await OpenPageAsync(mobile: false);
        await PayInDanalWindowAsync(page, "#register-card", TestCards.LimitExceeded); // a key whose every charge is declined
        await page.WaitForURLAsync("**/?notice=activated", new() { Timeout = TimeoutMs });
        string key = await KeyOfAsync(await SubscriptionIdAsync(page));
        var declinedAt = _clocked.Time.GetUtcNow();

        await RunRenewalsAsync(page);
        await page.WaitForURLAsync("**/?notice=renewals-run**", new() { Timeout = TimeoutMs });
        var subscription = page.Locator("[data-testid=subscription]");
        await Expect(subscription.Locator(".status")).ToHaveTextAsync("결제 실패 (미납)");
        await Expect(subscription.Locator("[data-testid=dunning]")).ToHaveTextAsync(
            $"자동 재시도 0/3회 · 다음 자동 재시도 {ShopClock.Display(declinedAt.AddDays(1))}. 마지막 재시도까지 결제되지 않으면 구독이 해지되고 카드가 삭제됩니다.");
        string merchantUid = await subscription.Locator("tr[data-testid=charge] td").Nth(1).InnerTextAsync();

        foreach (var (day, next) in new[] { (1, 3), (3, 7) })
        {
            _clocked.Time.SetUtcNow(declinedAt.AddDays(day));
            await page.GotoAsync(Shop.Address.ToString());
            await RunRenewalsAsync(page);
            await page.WaitForURLAsync("**/?notice=renewals-run**", new() { Timeout = TimeoutMs });
            await Expect(page.Locator("#message")).ToContainTextAsync("미납 자동 재시도 1건, 미납 해지 0건");
            await Expect(subscription.Locator(".status")).ToHaveTextAsync("결제 실패 (미납)");
            await Expect(subscription.Locator("[data-testid=dunning]")).ToContainTextAsync(
                $"자동 재시도 {(day == 1 ? 1 : 2)}/3회 · 다음 자동 재시도 {ShopClock.Display(declinedAt.AddDays(next))}");
            await Expect(subscription.Locator("tr[data-testid=charge] .note")).ToContainTextAsync($"시도 {(day == 1 ? 2 : 3)}회");
        }

        _clocked.Time.SetUtcNow(declinedAt.AddDays(7));
        await page.GotoAsync(Shop.Address.ToString());
        await RunRenewalsAsync(page);
        await page.WaitForURLAsync("**/?notice=renewals-run**", new() { Timeout = TimeoutMs });
        await Expect(page.Locator("#message")).ToContainTextAsync("미납 자동 재시도 1건, 미납 해지 1건");
        await Expect(subscription.Locator(".status")).ToHaveTextAsync("해지됨");
        await Expect(subscription.Locator("[data-testid=dunning-cancelled]")).ToHaveTextAsync(
            $"미납으로 구독이 해지되었습니다: 결제가 4번 거절되어 {ShopClock.Display(declinedAt.AddDays(7))}에 구독을 해지하고 카드를 삭제했습니다. 더 이상 청구되지 않습니다.");
        await Expect(subscription.Locator("button")).ToHaveCountAsync(0); // no card left to retry, change or delete
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Shop.Fake.GetPayments(merchantUid).Select(p => p.Status).ToList(), Has.Count.EqualTo(4).And.All.EqualTo("failed"),
                "the decline, then the retries after 1, 3 and 7 days");
            Assert.That(Shop.Fake.HasBillingKey(key), Is.False, "the card is deleted at I'mport");
            Assert.That(_pageErrors, Is.Empty);
        }
    }

    [Test]
    public async Task OperatorPage_StuckClaim_ShownAndResolvedByLookUpWithoutCharging()
    {
        _clocked = await ClockedShop.StartAsync("Shop:RenewalLease=00:00:01");
        _shop = _clocked.Shop;
        var page = await OpenPageAsync(mobile: false);
        await PayInDanalWindowAsync(page, "#register-card", TestCards.Approve);
        await page.WaitForURLAsync("**/?notice=activated", new() { Timeout = TimeoutMs });

        // A renewal process claims the period, charges it at I'mport and dies before recording the outcome.
        var claim = (await Shop.Store.ClaimDueAsync(ShopClock.Today(_clocked.Time), "sub", 10)).Single();
        var client = Shop.App.Services.GetRequiredService<IIamportClient>();
        var charged = await client.ChargeBillingKeyAsync(new ChargeRequest
        {
            CustomerUid = claim.CustomerUid,
            MerchantUid = claim.MerchantUid,
            Amount = claim.Amount,
            Name = claim.PlanName,
        });
        Assert.That(charged.Outcome, Is.EqualTo(ChargeOutcome.Approved));
        // Its lease runs out on the database's clock (not the shop's fake one): wait until the store says so.
        for (int polls = 0; !(await Shop.Store.ListUnresolvedChargesAsync()).Any(c => c.MerchantUid == claim.MerchantUid); polls++)
        {
            Assert.That(polls, Is.LessThan(600), "the claim's one-second lease never ran out on the database's clock");
            await Task.Delay(100);
        }

        await page.FillAsync("#admin-token", Shop.AdminToken!);
        await page.ClickAsync("#open-operations");
        await Expect(page.Locator("h1")).ToHaveTextAsync("운영 현황");
        var stuck = page.Locator($"tr[data-testid=unresolved][data-merchant-uid='{claim.MerchantUid}']");
        await Expect(stuck.Locator("td[data-label=상태]")).ToHaveTextAsync("처리 중 (멈춤)");
        await Expect(page.Locator("#unresolved .count")).ToHaveTextAsync("1건");

        await stuck.Locator("button.lookup-now").ClickAsync();

        await Expect(page.Locator("#message")).ToHaveTextAsync("조회 결과 결제되어 있었습니다. 결제 완료로 기록했습니다.");
        await Expect(page.Locator("#unresolved .none")).ToHaveTextAsync("없습니다.");
        await Expect(page.Locator("#tally")).ToContainTextAsync("결제 완료 1건");
        await page.GotoAsync(Shop.Address.ToString());
        var charge = page.Locator("tr[data-testid=charge]");
        await Expect(charge.Locator(".charge-status")).ToHaveTextAsync("결제 완료");
        await Expect(charge.Locator("a.receipt")).ToHaveAttributeAsync("href", charged.Payment!.ReceiptUrl!);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Shop.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(1), "looked up, never charged again");
            Assert.That(Shop.Fake.PaidChargeCount(claim.MerchantUid), Is.EqualTo(1));
            Assert.That((await Shop.Store.FindSubscriptionAsync(claim.SubscriptionId))!.NextChargeOn, Is.EqualTo(ShopClock.Today(_clocked.Time).AddMonths(1)));
            Assert.That(_pageErrors, Is.Empty);
        }
    }
}
