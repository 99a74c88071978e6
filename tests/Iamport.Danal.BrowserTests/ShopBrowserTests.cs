using Iamport.Danal.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Iamport.Danal.BrowserTests;

/// <summary>The whole flow in headless Chromium: the shop with its embedded fake, the fake iamport.js and its simulated
/// Danal window. Every wait is on a condition with a bounded timeout; a failing test leaves a screenshot.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ShopBrowserTests
{
    private const float TimeoutMs = 15_000;

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private ShopHost? _shop;
    private IBrowserContext? _context;
    private IPage? _page;
    private readonly List<string> _pageErrors = [];

    private ShopHost Shop => _shop!;

    [OneTimeSetUp]
    public async Task LaunchBrowserAsync()
    {
        string chromium = Chromium.Require();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = Chromium.Args,
            Timeout = 60_000,
        });
    }

    [OneTimeTearDown]
    public async Task CloseBrowserAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    [TearDown]
    public async Task ScreenshotOnFailureAsync()
    {
        try
        {
            if (_page is not null && TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
            {
                string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots", TestContext.CurrentContext.Test.Name + ".png");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await _page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
                TestContext.AddTestAttachment(path, "The page when the test failed");
                TestContext.Out.WriteLine("Screenshot: " + path);
            }
        }
        finally
        {
            if (_context is not null)
            {
                await _context.DisposeAsync();
            }

            if (_shop is not null)
            {
                await _shop.DisposeAsync();
            }

            _page = null;
            _context = null;
            _shop = null;
            _pageErrors.Clear();
        }
    }

    [Test]
    public async Task RegisterCard_ThroughDanalWindow_ActivatesThenRenewalChargesRefundsAndRemovesCard()
    {
        var page = await OpenShopAsync();

        await PayInDanalWindowAsync(page, "#register-card", TestCards.Approve);

        // The page is rendered from the shop's database, where "active" is written only after server-side verification.
        await page.WaitForURLAsync("**/?notice=activated", new() { Timeout = TimeoutMs });
        var subscription = page.Locator("[data-testid=subscription]");
        await Expect(subscription).ToHaveCountAsync(1);
        await Expect(subscription.Locator(".status")).ToHaveTextAsync("active");
        await Expect(page.Locator("#message")).ToContainTextAsync("verified");
        Assert.That(Shop.Fake.Payments.Single(p => p.CustomerUidUsage == "issue").Amount, Is.Zero, "key only: amount 0");

        await page.ClickAsync("#run-renewals");
        await page.WaitForURLAsync("**/?notice=renewals-run", new() { Timeout = TimeoutMs });
        var charge = page.Locator("tr[data-testid=charge]");
        await Expect(charge).ToHaveCountAsync(1);
        await Expect(charge.Locator(".charge-status")).ToHaveTextAsync("paid");
        string merchantUid = await charge.Locator("td").Nth(1).InnerTextAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(merchantUid, Does.Match(@"^sub\d+_\d{6}$"));
            Assert.That(Shop.Fake.PaidChargeCount(merchantUid), Is.EqualTo(1));
        }

        await charge.Locator("button.refund").ClickAsync();
        await page.WaitForURLAsync("**/?notice=refunded", new() { Timeout = TimeoutMs });
        await Expect(page.Locator("tr[data-testid=charge] .charge-status")).ToHaveTextAsync("refunded");
        Assert.That(Shop.Fake.GetPayments(merchantUid).Single().Status, Is.EqualTo("cancelled"));

        await page.ClickAsync("button.remove-card");
        await page.WaitForURLAsync("**/?notice=card-removed", new() { Timeout = TimeoutMs });
        await Expect(page.Locator("[data-testid=subscription] .status")).ToHaveTextAsync("cancelled");
        Assert.That(_pageErrors, Is.Empty);
    }

    [Test]
    public async Task SubscribeAndPay_DeclinedCard_ShowsDeclineAndActivatesNothing()
    {
        var page = await OpenShopAsync();

        await PayInDanalWindowAsync(page, "#subscribe-now", TestCards.LimitExceeded);

        var message = page.Locator("#message");
        await Expect(message).ToContainTextAsync(TestCards.LimitExceededReason, new() { Timeout = TimeoutMs });
        await Expect(message).ToHaveAttributeAsync("data-kind", "error");
        await page.GotoAsync(Shop.Address.ToString());
        await Expect(page.Locator("#no-subscriptions")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=subscription]")).ToHaveCountAsync(0);
        Assert.That(_pageErrors, Is.Empty);
    }

    [Test]
    public async Task ProductName_ContainingScriptTag_IsRenderedAsTextAndNeverRuns()
    {
        const string Name = "</script><script>window.__xss=1</script>";
        var page = await OpenShopAsync("Shop:ProductName=" + Name);

        await Expect(page.Locator("#product-name")).ToHaveTextAsync(Name);
        Assert.That(await XssRanAsync(page), Is.False, "on the product page");

        await PayInDanalWindowAsync(page, "#register-card", TestCards.Approve, expectedName: Name);
        await page.WaitForURLAsync("**/?notice=activated", new() { Timeout = TimeoutMs });
        await Expect(page.Locator("[data-testid=subscription] .plan")).ToHaveTextAsync(Name);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await XssRanAsync(page), Is.False, "after checkout");
            Assert.That(_pageErrors, Is.Empty);
        }
    }

    private async Task<IPage> OpenShopAsync(params string[] settings)
    {
        _shop = await ShopHost.StartEmbeddedAsync(null, settings);
        _context = await _browser!.NewContextAsync(new BrowserNewContextOptions { Locale = "ko-KR" });
        _context.SetDefaultTimeout(TimeoutMs);
        _page = await _context.NewPageAsync();
        _page.PageError += (_, error) => _pageErrors.Add(error);
        await _page.GotoAsync(_shop.Address.ToString());
        return _page;
    }

    /// <summary>Presses a checkout button (the checkout page's library snippet opens the simulated Danal window at once),
    /// then picks a test card and approves.</summary>
    private static async Task PayInDanalWindowAsync(IPage page, string button, string card, string? expectedName = null)
    {
        await page.ClickAsync(button);
        var window = page.Locator("#fake-danal-window");
        await Expect(window).ToBeVisibleAsync(new() { Timeout = TimeoutMs });
        if (expectedName is not null)
        {
            await Expect(page.Locator("#product-name")).ToHaveTextAsync(expectedName);
            await Expect(window.Locator("#fake-danal-name")).ToHaveTextAsync(expectedName);
            Assert.That(await XssRanAsync(page), Is.False, "on the checkout page, whose snippet carries the name in request_pay's param");
        }

        await window.Locator("#fake-danal-card").SelectOptionAsync(card);
        await window.Locator("#fake-danal-approve").ClickAsync();
    }

    private static Task<bool> XssRanAsync(IPage page) => page.EvaluateAsync<bool>("() => typeof window.__xss !== 'undefined'");
}
