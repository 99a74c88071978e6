using System.Text.RegularExpressions;
using Iamport.Danal.Samples.Shop.Data;
using Iamport.Danal.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Iamport.Danal.BrowserTests;

/// <summary>The whole flow in headless Chromium, in Korean: the shop with its embedded fake, the fake iamport.js and its
/// simulated Danal window. Every wait is on a condition with a bounded timeout; a failing test leaves a screenshot
/// (Korean glyphs need a CJK font: <c>fonts-noto-cjk</c>, which .ci/run installs).</summary>
[TestFixture]
[NonParallelizable]
public sealed partial class ShopBrowserTests : ChromiumFixture
{
    private const float TimeoutMs = 15_000;

    private static readonly string[] DeclinedThenPaid = ["failed", "paid"];

    private ShopHost? _shop;
    private ClockedShop? _clocked;
    private IBrowserContext? _context;
    private IPage? _page;
    private readonly List<string> _pageErrors = [];
    private readonly List<string> _dialogs = [];
    private readonly List<string> _missing = [];
    private readonly List<string> _requests = [];
    private bool _dismissNextDialog;
    private TaskCompletionSource? _dialogSeen;

    private ShopHost Shop => _shop!;

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

            if (_clocked is not null)
            {
                await _clocked.DisposeAsync(); // its shop instances and its fake
            }
            else if (_shop is not null)
            {
                await _shop.DisposeAsync();
            }

            _page = null;
            _context = null;
            _shop = null;
            _clocked = null;
            _pageErrors.Clear();
            _dialogs.Clear();
            _missing.Clear();
            _requests.Clear();
            _dismissNextDialog = false;
        }
    }

    [Test]
    public async Task RegisterCard_ThroughDanalWindow_ActivatesRenewalShowsCountsAndRefundEndsSubscription()
    {
        var page = await OpenShopAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ko");
        await Expect(page.Locator("#product-price")).ToHaveTextAsync("월 9,900원");

        await PayInDanalWindowAsync(page, "#register-card", TestCards.Approve);

        // The page is rendered from the shop's database, where "active" is written only after server-side verification.
        await page.WaitForURLAsync("**/?notice=activated", new() { Timeout = TimeoutMs });
        var subscription = page.Locator("[data-testid=subscription]");
        await Expect(subscription).ToHaveCountAsync(1);
        await Expect(subscription.Locator(".status")).ToHaveTextAsync("이용 중");
        await Expect(page.Locator("#message")).ToContainTextAsync("카드를 등록했습니다");
        Assert.That(Shop.Fake.Payments.Single(p => p.CustomerUidUsage == "issue").Amount, Is.Zero, "key only: amount 0");

        await RunRenewalsAsync(page);
        await page.WaitForURLAsync("**/?notice=renewals-run**", new() { Timeout = TimeoutMs });
        await Expect(page.Locator("#message")).ToHaveTextAsync("정기결제 실행 완료: 승인 1건, 거절 0건, 미청구 0건, 결과 확인 중 0건, 요청 거절 0건, 조회로 확정 0건");
        var charge = page.Locator("tr[data-testid=charge]");
        await Expect(charge).ToHaveCountAsync(1);
        await Expect(charge.Locator(".charge-status")).ToHaveTextAsync("결제 완료");
        await Expect(charge.Locator("td").Nth(2)).ToHaveTextAsync("9,900원");
        string merchantUid = await charge.Locator("td").Nth(1).InnerTextAsync();
        string key = await KeyOfAsync(await SubscriptionIdAsync(page));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(merchantUid, Does.Match(@"^sub\d+_\d{6}$"));
            Assert.That(Shop.Fake.PaidChargeCount(merchantUid), Is.EqualTo(1));
        }

        // The only paid month: refunding it ends the subscription, and the confirmation says so first.
        await charge.Locator("button.refund").ClickAsync();
        await page.WaitForURLAsync("**/?notice=refunded-cancelled", new() { Timeout = TimeoutMs });
        await Expect(page.Locator("#message")).ToContainTextAsync("구독을 해지하고 카드를 삭제했습니다");
        await Expect(page.Locator("tr[data-testid=charge] .charge-status")).ToHaveTextAsync("환불됨");
        await Expect(page.Locator("[data-testid=subscription] .status")).ToHaveTextAsync("해지됨");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_dialogs.Single(), Does.Contain("9,900원").And.Contain("구독이 즉시 해지"));
            Assert.That(Shop.Fake.GetPayments(merchantUid).Single().Status, Is.EqualTo("cancelled"));
            Assert.That(Shop.Fake.HasBillingKey(key), Is.False, "the key is deleted");
            Assert.That(_missing, Is.Empty, "no request was answered 404 (favicon included)");
            Assert.That(_pageErrors, Is.Empty);
        }
    }

    [Test]
    public async Task SubscribeAndPay_ThroughDanalWindow_ChargesFirstMonthAndShowsIt()
    {
        var page = await OpenShopAsync();

        await PayInDanalWindowAsync(page, "#subscribe-now", TestCards.Approve);

        await page.WaitForURLAsync("**/?notice=paid", new() { Timeout = TimeoutMs });
        await Expect(page.Locator("#message")).ToContainTextAsync("첫 달 요금을 결제했습니다");
        await Expect(page.Locator("[data-testid=subscription] .status")).ToHaveTextAsync("이용 중");
        await Expect(page.Locator("[data-testid=subscription] .card-name")).ToHaveTextAsync("신한카드");
        var charge = page.Locator("tr[data-testid=charge]");
        await Expect(charge.Locator(".charge-status")).ToHaveTextAsync("결제 완료");
        await Expect(charge.Locator("td").Nth(2)).ToHaveTextAsync("9,900원");
        var paid = Shop.Fake.Payments.Single(p => p.CustomerUidUsage == "issue");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(paid.Amount, Is.EqualTo(9_900m));
            Assert.That(paid.Status, Is.EqualTo("paid"));
            Assert.That(_pageErrors, Is.Empty);
        }
    }

    [Test]
    public async Task SubscribeAndPay_DeclinedCard_ShowsDeclineAndActivatesNothing()
    {
        var page = await OpenShopAsync();

        await PayInDanalWindowAsync(page, "#subscribe-now", TestCards.LimitExceeded);

        var message = page.Locator("#message");
        await Expect(message).ToContainTextAsync("결제 실패", new() { Timeout = TimeoutMs });
        await Expect(message).ToContainTextAsync(TestCards.LimitExceededReason);
        await Expect(message).ToHaveAttributeAsync("data-kind", "error");
        await page.GotoAsync(Shop.Address.ToString());
        await Expect(page.Locator("#no-subscriptions")).ToHaveTextAsync("아직 구독이 없습니다.");
        await Expect(page.Locator("[data-testid=subscription]")).ToHaveCountAsync(0);
        Assert.That(_pageErrors, Is.Empty);
    }

    [Test]
    public async Task Renewal_Declined_RetryAfterConfirmationPaysAndReactivates()
    {
        var page = await OpenShopAsync();
        await PayInDanalWindowAsync(page, "#register-card", TestCards.Approve);
        await page.WaitForURLAsync("**/?notice=activated", new() { Timeout = TimeoutMs });
        long subscriptionId = await SubscriptionIdAsync(page);
        Shop.Fake.DeclineNext(await KeyOfAsync(subscriptionId));

        await RunRenewalsAsync(page);
        await page.WaitForURLAsync("**/?notice=renewals-run**", new() { Timeout = TimeoutMs });
        await Expect(page.Locator("#message")).ToContainTextAsync("승인 0건, 거절 1건");
        var subscription = page.Locator("[data-testid=subscription]");
        await Expect(subscription.Locator(".status")).ToHaveTextAsync("결제 실패 (미납)");
        await Expect(subscription.Locator(".past-due")).ToContainTextAsync(TestCards.LimitExceededReason);
        await Expect(subscription.Locator("tr[data-testid=charge] .charge-status")).ToHaveTextAsync("승인 거절");
        string merchantUid = await subscription.Locator("tr[data-testid=charge] td").Nth(1).InnerTextAsync();

        await subscription.Locator("button.retry").ClickAsync();

        await page.WaitForURLAsync("**/?notice=retry-paid", new() { Timeout = TimeoutMs });
        await Expect(page.Locator("#message")).ToContainTextAsync("다시 결제했습니다");
        await Expect(subscription.Locator(".status")).ToHaveTextAsync("이용 중");
        await Expect(subscription.Locator("tr[data-testid=charge] .charge-status")).ToHaveTextAsync("결제 완료");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_dialogs.Single(), Does.Contain("미납된 9,900원"));
            Assert.That(Shop.Fake.GetPayments(merchantUid).Select(p => p.Status), Is.EqualTo(DeclinedThenPaid), "the declined try, then the retry");
            Assert.That(Shop.Fake.PaidChargeCount(merchantUid), Is.EqualTo(1));
            Assert.That(_pageErrors, Is.Empty);
        }
    }

    [Test]
    public async Task ChangeCard_PastDue_DeletesOldKeyOnlyAfterNewOneIsVerifiedThenRetryPays()
    {
        var page = await OpenShopAsync();
        await PayInDanalWindowAsync(page, "#register-card", TestCards.LimitExceeded); // issues a key, declines every charge
        await page.WaitForURLAsync("**/?notice=activated", new() { Timeout = TimeoutMs });
        long subscriptionId = await SubscriptionIdAsync(page);
        string oldKey = await KeyOfAsync(subscriptionId);
        await RunRenewalsAsync(page);
        await page.WaitForURLAsync("**/?notice=renewals-run**", new() { Timeout = TimeoutMs });
        await Expect(page.Locator("[data-testid=subscription] .status")).ToHaveTextAsync("결제 실패 (미납)");

        // A window closed without a new card: nothing changes, the old key stays.
        await page.ClickAsync("button.change-card");
        await Expect(page.Locator("#fake-danal-window")).ToBeVisibleAsync(new() { Timeout = TimeoutMs });
        await page.Locator("#fake-danal-close").ClickAsync();
        await Expect(page.Locator("#message")).ToContainTextAsync("결제 실패", new() { Timeout = TimeoutMs });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Shop.Fake.HasBillingKey(oldKey), Is.True, "the old key is kept while no new one is verified");
            Assert.That(await KeyOfAsync(subscriptionId), Is.EqualTo(oldKey));
        }

        await page.GotoAsync(Shop.Address.ToString());
        await PayInDanalWindowAsync(page, "button.change-card", TestCards.Approve);

        await page.WaitForURLAsync("**/?notice=card-changed", new() { Timeout = TimeoutMs });
        await Expect(page.Locator("#message")).ToContainTextAsync("이전 카드를 삭제했습니다");
        await Expect(page.Locator("[data-testid=subscription] .card-name")).ToHaveTextAsync("신한카드");
        string newKey = await KeyOfAsync(subscriptionId);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(newKey, Is.Not.EqualTo(oldKey));
            Assert.That(Shop.Fake.HasBillingKey(newKey), Is.True, "the new key is verified and kept");
            Assert.That(Shop.Fake.HasBillingKey(oldKey), Is.False, "the old key is deleted at I'mport");
        }

        await page.ClickAsync("button.retry");
        await page.WaitForURLAsync("**/?notice=retry-paid", new() { Timeout = TimeoutMs });
        await Expect(page.Locator("[data-testid=subscription] .status")).ToHaveTextAsync("이용 중");
        Assert.That(_pageErrors, Is.Empty);
    }

    [Test]
    public async Task RemoveCard_AsksFirst_DismissKeepsItAcceptDeletesIt()
    {
        var page = await OpenShopAsync();
        await PayInDanalWindowAsync(page, "#register-card", TestCards.Approve);
        await page.WaitForURLAsync("**/?notice=activated", new() { Timeout = TimeoutMs });
        string key = await KeyOfAsync(await SubscriptionIdAsync(page));

        _dismissNextDialog = true;
        var dismissed = NextDialogAsync();
        await page.ClickAsync("button.remove-card");
        await dismissed.WaitAsync(TimeSpan.FromMilliseconds(TimeoutMs));
        await Expect(page).ToHaveURLAsync(ActivatedUrl());
        await Expect(page.Locator("[data-testid=subscription] .status")).ToHaveTextAsync("이용 중");
        Assert.That(Shop.Fake.HasBillingKey(key), Is.True, "dismissed: the card stays");

        await page.ClickAsync("button.remove-card");
        await page.WaitForURLAsync("**/?notice=card-removed", new() { Timeout = TimeoutMs });
        await Expect(page.Locator("[data-testid=subscription] .status")).ToHaveTextAsync("해지됨");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_dialogs, Has.Count.EqualTo(2));
            Assert.That(_dialogs[1], Does.Contain("되돌릴 수 없고 구독이 해지됩니다"));
            Assert.That(Shop.Fake.HasBillingKey(key), Is.False);
            Assert.That(Shop.Fake.RequestCount(FakeRoutes.DeleteCustomer), Is.EqualTo(1), "deleted once: the dismissed click sent nothing");
            Assert.That(_pageErrors, Is.Empty);
        }
    }

    [Test]
    public async Task RegisterCard_OnMobile_AnswersThroughCallbackWhichVerifiesAndActivates()
    {
        var page = await OpenShopAsync(mobile: true);

        // No webhook: only the page's callback can activate the subscription here. Danal answers through the callback on
        // PC and mobile; the snippet always gives one, so m_redirect_url stays a safety net.
        Shop.Fake.Options.WebhookUrl = null;
        await PayInDanalWindowAsync(page, "#register-card", TestCards.Approve);

        await page.WaitForURLAsync("**/?notice=activated", new() { Timeout = TimeoutMs });
        await Expect(page.Locator("[data-testid=subscription] .status")).ToHaveTextAsync("이용 중");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_requests, Has.Some.Match("POST .*/api/checkouts/verify"), "through the callback");
            Assert.That(_requests, Has.None.Contain("/checkout/complete"), "not through m_redirect_url");
            Assert.That(_pageErrors, Is.Empty);
        }
    }

    [Test]
    public async Task RegisterCard_OnMobileWindowClosed_CallbackShowsFailureAndActivatesNothing()
    {
        var page = await OpenShopAsync(mobile: true);
        Shop.Fake.Options.WebhookUrl = null;

        await page.ClickAsync("#register-card");
        await Expect(page.Locator("#fake-danal-window")).ToBeVisibleAsync(new() { Timeout = TimeoutMs });
        await page.Locator("#fake-danal-close").ClickAsync();

        await Expect(page.Locator("#message")).ToHaveAttributeAsync("data-kind", "error", new() { Timeout = TimeoutMs });
        await Expect(page.Locator("#message")).ToContainTextAsync("결제 실패");
        Assert.That(_requests, Has.None.Contain("/checkout/complete"), "not through m_redirect_url");
        await page.GotoAsync(Shop.Address.ToString());
        await Expect(page.Locator("[data-testid=subscription]")).ToHaveCountAsync(0);
    }

    [Test]
    public async Task ProductName_ContainingScriptTag_IsRenderedAsTextAndNeverRuns()
    {
        const string Name = "</script><script>window.__xss=1</script>";
        var page = await OpenShopAsync(settings: "Shop:ProductName=" + Name);

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

    [TestCase(false, TestName = "PayAndCloseTab_WebhookComesLater_SubscriptionBecomesActive")]
    [TestCase(true, TestName = "PayAndCloseTab_WebhooksUnreachable_SweepActivatesSubscription")]
    public async Task PayAndCloseTab(bool webhooksUnreachable)
    {
        var page = await OpenShopAsync(settings: "Shop:SweepAfter=00:00:00");
        if (webhooksUnreachable)
        {
            Shop.Fake.Options.WebhookUrl = new Uri("http://127.0.0.1:9/iamport/webhook"); // nothing listens there
        }

        // The window's approval reaches the fake, and the tab is closed before its answer can reach the page: no
        // callback, no redirect. The webhook leaves a moment later, on the fake's own schedule.
        var paid = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/fake-danal/complete", async route =>
        {
            string merchantUid = System.Text.Json.Nodes.JsonNode.Parse(route.Request.PostData!)!["param"]!["merchant_uid"]!.GetValue<string>();
            Shop.Fake.Faults.NextWebhook(merchantUid, Fault.DelayWebhook(TimeSpan.FromMilliseconds(300)));
            await using var answer = await route.FetchAsync();
            paid.TrySetResult(merchantUid);
        });
        await PayInDanalWindowAsync(page, "#subscribe-now", TestCards.Approve);
        string merchantUid = await paid.Task.WaitAsync(TimeSpan.FromMilliseconds(TimeoutMs));
        await page.CloseAsync();
        string statusAfterClose = (await Shop.Store.FindCheckoutAsync(merchantUid))!.Status;
        await Shop.Fake.WhenWebhooksSentAsync().WaitAsync(TimeSpan.FromMilliseconds(TimeoutMs));
        var sweep = webhooksUnreachable ? await Shop.NewSweep().RunOnceAsync() : null;

        var checkout = (await Shop.Store.FindCheckoutAsync(merchantUid))!;
        var subscription = (await Shop.Store.FindSubscriptionAsync(checkout.SubscriptionId))!;
        var charges = await Shop.Store.ListChargesAsync(checkout.SubscriptionId);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(statusAfterClose, Is.EqualTo(CheckoutRecord.Pending), "nothing reported it before the tab closed");
            Assert.That(_requests, Has.None.Contains("/api/checkouts/verify"), "the page never posted its callback");
            Assert.That(Shop.Fake.Webhooks.Where(w => w.MerchantUid == merchantUid).Select(w => w.ResponseStatusCode),
                webhooksUnreachable ? Has.All.Null : Has.Some.EqualTo(200));
            Assert.That(sweep?.CheckoutsSettled, webhooksUnreachable ? Is.EqualTo(1) : Is.Null);
            Assert.That(checkout.Status, Is.EqualTo(CheckoutRecord.Verified));
            Assert.That(subscription.Status, Is.EqualTo(SubscriptionStatus.Active));
            Assert.That(charges.Select(c => (c.MerchantUid, c.Status)), Is.EqualTo(new[] { (merchantUid, ChargeStatus.Paid) }));
            Assert.That(Shop.Fake.PaidChargeCount(merchantUid), Is.EqualTo(1));
        }
    }

    private async Task<IPage> OpenShopAsync(bool mobile = false, params string[] settings)
    {
        _shop = await ShopHost.StartEmbeddedAsync(null, settings);
        return await OpenPageAsync(mobile);
    }

    /// <summary>Opens the page of <see cref="Shop"/>, started already.</summary>
    private async Task<IPage> OpenPageAsync(bool mobile)
    {
        var options = new BrowserNewContextOptions { Locale = "ko-KR" };
        if (mobile)
        {
            var phone = Playwright.Devices["iPhone 13"];
            options.UserAgent = phone.UserAgent;
            options.ViewportSize = phone.ViewportSize;
            options.DeviceScaleFactor = phone.DeviceScaleFactor;
            options.IsMobile = true;
            options.HasTouch = true;
        }

        _context = await Browser.NewContextAsync(options);
        _context.SetDefaultTimeout(TimeoutMs);
        _page = await _context.NewPageAsync();
        _page.PageError += (_, error) => _pageErrors.Add(error);
        _page.Request += (_, request) => _requests.Add(request.Method + " " + request.Url);
        _page.Response += (_, response) =>
        {
            if (response.Status == 404)
            {
                _missing.Add(response.Url);
            }
        };
        _page.Dialog += async (_, dialog) =>
        {
            _dialogs.Add(dialog.Message);
            if (_dismissNextDialog)
            {
                _dismissNextDialog = false;
                await dialog.DismissAsync();
            }
            else
            {
                await dialog.AcceptAsync();
            }

            _dialogSeen?.TrySetResult();
        };
        await _page.GotoAsync(Shop.Address.ToString());
        return _page;
    }

    /// <summary>The operator form: the admin token (generated at start in the embedded mode), then 정기결제 지금 실행.</summary>
    private async Task RunRenewalsAsync(IPage page)
    {
        await page.FillAsync("#admin-token", Shop.AdminToken!);
        await page.ClickAsync("#run-renewals");
    }

    private static async Task<long> SubscriptionIdAsync(IPage page) =>
        long.Parse((await page.Locator("[data-testid=subscription]").GetAttributeAsync("data-id"))!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The subscription's customer_uid, from the shop's store (the page never shows it).</summary>
    private async Task<string> KeyOfAsync(long subscriptionId) => (await Shop.Store.FindSubscriptionAsync(subscriptionId))!.CustomerUid!;

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

    private Task NextDialogAsync()
    {
        _dialogSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _dialogSeen.Task;
    }

    [GeneratedRegex(@"notice=activated$")]
    private static partial Regex ActivatedUrl();
}
