using Iamport.Danal.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Iamport.Danal.BrowserTests;

/// <summary>The shop on a phone (iPhone 13: 390 CSS pixels wide), in Korean: every step fits the screen.</summary>
public sealed partial class ShopBrowserTests
{
    [Test]
    public async Task Refund_OnPhone390_FitsWithoutSidewaysScrollAndAsksWithTheRightParticle()
    {
        var page = await OpenShopAsync(mobile: true);
        Assert.That(page.ViewportSize!.Width, Is.EqualTo(390));
        await AssertFitsAsync(page, "the empty shop");

        // Two subscriptions, so the charges fill: one paid at checkout (a long chk_ merchant_uid), one by renewal.
        await PayInDanalWindowAsync(page, "#subscribe-now", TestCards.Approve);
        await page.WaitForURLAsync("**/?notice=paid", new() { Timeout = TimeoutMs });
        await PayInDanalWindowAsync(page, "#register-card", TestCards.Approve);
        await page.WaitForURLAsync("**/?notice=activated", new() { Timeout = TimeoutMs });
        await RunRenewalsAsync(page);
        await page.WaitForURLAsync("**/?notice=renewals-run**", new() { Timeout = TimeoutMs });
        await Expect(page.Locator("tr[data-testid=charge][data-status=paid]")).ToHaveCountAsync(2);
        await AssertFitsAsync(page, "two subscriptions with their charges");

        await page.Locator("[data-testid=subscription]").Last.Locator("button.refund").ClickAsync();
        await page.WaitForURLAsync("**/?notice=refunded-cancelled", new() { Timeout = TimeoutMs });
        await Expect(page.Locator("tr[data-testid=charge][data-status=refunded]")).ToHaveCountAsync(1);
        await AssertFitsAsync(page, "after the refund, with its notice");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_dialogs.Single(), Does.StartWith("9,900원을 환불합니다."), "after 원 (final consonant ㄴ) the object particle is 을");
            Assert.That(_dialogs.Single(), Does.Not.Contain("(를)").And.Not.Contain("(을)"));
            Assert.That(_pageErrors, Is.Empty);
        }
    }

    [Test]
    public async Task Retry_OnPhone390_FitsWithoutSidewaysScrollAndPays()
    {
        var page = await OpenShopAsync(mobile: true);
        await PayInDanalWindowAsync(page, "#register-card", TestCards.Approve);
        await page.WaitForURLAsync("**/?notice=activated", new() { Timeout = TimeoutMs });
        Shop.Fake.DeclineNext(await KeyOfAsync(await SubscriptionIdAsync(page)));
        await RunRenewalsAsync(page);
        await page.WaitForURLAsync("**/?notice=renewals-run**", new() { Timeout = TimeoutMs });
        await Expect(page.Locator("[data-testid=subscription] .status")).ToHaveTextAsync("결제 실패 (미납)");
        await AssertFitsAsync(page, "a past-due subscription with its declined charge and reason");

        await page.Locator("button.retry").ClickAsync();
        await page.WaitForURLAsync("**/?notice=retry-paid", new() { Timeout = TimeoutMs });
        await Expect(page.Locator("[data-testid=subscription] .status")).ToHaveTextAsync("이용 중");
        await AssertFitsAsync(page, "after 다시 결제");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_dialogs.Single(), Does.StartWith("미납된 9,900원을 지금 등록된 카드로 결제합니다."));
            Assert.That(_pageErrors, Is.Empty);
        }
    }

    /// <summary>No sideways scrolling; every button inside its card; status words on one line.</summary>
    private static async Task AssertFitsAsync(IPage page, string when)
    {
        var fit = await page.EvaluateAsync<FitReport>("""
            () => {
              const root = document.documentElement;
              const outside = [];
              for (const button of document.querySelectorAll('button')) {
                const card = button.closest('.subscription, .product, section');
                const b = button.getBoundingClientRect(), c = card.getBoundingClientRect();
                if (b.left < c.left - 0.5 || b.right > c.right + 0.5) outside.push(button.textContent);
              }
              const wrapped = [];
              for (const status of document.querySelectorAll('.status, .charge-status')) {
                const range = document.createRange();
                range.selectNodeContents(status);
                const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (lines.size > 1) wrapped.push(status.textContent);
              }
              return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, outside, wrapped };
            }
            """);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fit.ScrollWidth, Is.LessThanOrEqualTo(fit.ClientWidth), when + ": document.documentElement.scrollWidth <= clientWidth");
            Assert.That(fit.Outside, Is.Empty, when + ": buttons outside their card");
            Assert.That(fit.Wrapped, Is.Empty, when + ": status words broken over lines");
        }
    }

    private sealed class FitReport
    {
        public int ScrollWidth { get; set; }

        public int ClientWidth { get; set; }

        public string[] Outside { get; set; } = [];

        public string[] Wrapped { get; set; } = [];
    }
}
