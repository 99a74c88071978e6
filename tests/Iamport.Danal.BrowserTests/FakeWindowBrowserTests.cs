using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Iamport.Danal.Checkout;
using Iamport.Danal.Testing;
using Microsoft.Playwright;

namespace Iamport.Danal.BrowserTests;

/// <summary>The fake <c>iamport.js</c> and its simulated Danal window in headless Chromium, against the fake on a loopback
/// port: how the result reaches the shop's page on a phone (callback, or <c>m_redirect_url</c> without one), the
/// already-paid refusal, and the library's snippet with a sub-merchant's <c>IMP.agency</c>. The shop's page is served by
/// the test on loopback, with the return and verify endpoints that record what reaches them.</summary>
[TestFixture]
[NonParallelizable]
public sealed class FakeWindowBrowserTests : ChromiumFixture
{
    private const string ReturnPath = "/checkout/return";
    private const string VerifyPath = "/checkout/verify";
    private const float TimeoutMs = 15_000;

    private static readonly string[] DocumentedQuery = ["order", "imp_uid", "merchant_uid", "error_code", "error_msg"];

    private BrowserNewContextOptions Phone => Playwright.Devices["iPhone 13"];

    public enum Outcome
    {
        Approve,
        Close,
        Reused,
    }

    public static IEnumerable<TestCaseData> MobileCases()
    {
        foreach (Outcome outcome in Enum.GetValues<Outcome>())
        {
            foreach (bool callback in new[] { true, false })
            {
                yield return new TestCaseData(outcome, callback).SetArgDisplayNames(outcome.ToString(), callback ? "callback" : "no callback");
            }
        }
    }

    [TestCaseSource(nameof(MobileCases))]
    public async Task Mobile_RequestPay_CallbackWhenGivenElseRedirectWithDocumentedQuery(Outcome outcome, bool callback)
    {
        await using var fake = new FakeIamport();
        Uri api = await fake.StartAsync();
        if (outcome == Outcome.Reused)
        {
            await PayOnceAsync(api, "order_1");
        }

        await using var run = await PageRun.StartAsync(Browser, Phone, Page(api, "order_1", callback, tier: null));
        // The fake's window opens for a reused merchant_uid too and refuses it when submitted, before any payment exists.
        await run.Page.Locator(outcome == Outcome.Close ? "#fake-danal-close" : "#fake-danal-approve").ClickAsync();

        JsonObject rsp;
        if (callback)
        {
            await run.Page.WaitForFunctionAsync("() => window.__rsp !== undefined", null, new PageWaitForFunctionOptions { Timeout = TimeoutMs });
            rsp = JsonNode.Parse(await run.Page.EvaluateAsync<string>("JSON.stringify(window.__rsp)"))!.AsObject();
        }
        else
        {
            rsp = Query(await run.ReturnedAsync());
        }

        FakePayment? payment = fake.GetPayments("order_1").OrderBy(p => p.Status == "paid").FirstOrDefault(p => p.ImpUid == (string?)rsp["imp_uid"]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Returns, callback ? Is.Empty : Has.Count.EqualTo(1), callback ? "a callback was given: no redirect" : "no callback: the window returns to m_redirect_url");
            Assert.That((string?)rsp["merchant_uid"], Is.EqualTo("order_1"));
            switch (outcome)
            {
                case Outcome.Approve:
                    Assert.That(rsp["error_code"], Is.Null);
                    Assert.That(payment?.Status, Is.EqualTo("paid"));
                    Assert.That(fake.HasBillingKey("cust_1"), Is.True);
                    break;
                case Outcome.Close:
                    Assert.That((string?)rsp["error_code"], Is.EqualTo("F400"));
                    Assert.That((string?)rsp["error_msg"], Is.EqualTo("사용자가 결제를 취소하셨습니다"));
                    Assert.That(payment?.Status, Is.EqualTo("failed"), "the closed window's own imp_uid");
                    break;
                case Outcome.Reused:
                    Assert.That((string?)rsp["error_code"], Is.EqualTo("F1002"));
                    Assert.That((string?)rsp["error_msg"], Is.EqualTo("이미 결제가 이루어진 거래건입니다."));
                    Assert.That(rsp["imp_uid"], Is.Null, "no payment: no imp_uid (never an empty one)");
                    Assert.That(fake.ChargeAttemptCount("order_1"), Is.EqualTo(1), "nothing new recorded");
                    break;
            }

            if (!callback)
            {
                Assert.That(rsp.Select(p => p.Key), Is.SubsetOf(DocumentedQuery), "the documented query, no imp_success");
                Assert.That((string?)rsp["order"], Is.EqualTo("42"), "the page's own query is kept");
                Assert.That(rsp.ContainsKey("imp_uid"), Is.EqualTo(outcome != Outcome.Reused));
            }
        }
    }

    [Test]
    public async Task Mobile_LegacyCallbackWithoutCallback_RedirectAddsImpSuccess()
    {
        await using var fake = new FakeIamport(new FakeIamportOptions { LegacyCallback = true });
        Uri api = await fake.StartAsync();
        await using var run = await PageRun.StartAsync(Browser, Phone, Page(api, "order_1", callback: false, tier: null));

        await run.Page.Locator("#fake-danal-close").ClickAsync();
        JsonObject query = Query(await run.ReturnedAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)query["imp_success"], Is.EqualTo("false"));
            Assert.That((string?)query["error_code"], Is.EqualTo("F400"));
        }
    }

    [Test]
    public async Task Desktop_NoCallback_NoRedirectEither()
    {
        await using var fake = new FakeIamport();
        Uri api = await fake.StartAsync();
        await using var run = await PageRun.StartAsync(Browser, null, Page(api, "order_1", callback: false, tier: null));

        await run.Page.Locator("#fake-danal-approve").ClickAsync();
        await run.Page.Locator("#fake-danal-window").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached, Timeout = TimeoutMs });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fake.PaidChargeCount("order_1"), Is.EqualTo(1));
            Assert.That(run.Returns, Is.Empty, "m_redirect_url is for mobile");
            Assert.That(run.Page.Url, Is.EqualTo(run.Origin + "/checkout"));
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Snippet_Tier_CallsAgencyAgainstFakeIamportJsAndPaymentCompletes(bool mobile)
    {
        await using var fake = new FakeIamport(new FakeIamportOptions { MerchantCode = "imp12345678" });
        Uri api = await fake.StartAsync();
        var checkout = new CheckoutFactory(new IamportOptions { MerchantCode = "imp12345678", Tier = "001" });
        string spy = "<script>document.addEventListener('iamport:verified', function (e) { window.__verified = e.detail; });</script>\n";
        string Snippet(string origin) => spy + checkout.RenderScript(
            checkout.IssueKeyOnly("cust_1", "카드 등록").WithMerchantUid("order_1").WithBuyerPhone("010-1234-5678")
                .WithRedirectUrl(new Uri(origin + ReturnPath)).WithCustomData("{\"plan\":\"monthly\"}").Build(),
            VerifyPath,
            sdkUrl: new Uri(api, "v1/iamport.js"));

        await using var run = await PageRun.StartAsync(Browser, mobile ? Phone : null, Snippet);
        await run.Page.Locator("#fake-danal-approve").ClickAsync();
        await run.Page.WaitForFunctionAsync("() => window.__verified !== undefined", null, new PageWaitForFunctionOptions { Timeout = TimeoutMs });

        FakePayment payment = fake.GetPayments("order_1").Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(payment.Tier, Is.EqualTo("001"), "the page called IMP.agency(code, tier)");
            Assert.That(payment.Status, Is.EqualTo("paid"));
            Assert.That(run.VerifyPosts.Single(), Is.EqualTo($$"""{"imp_uid":"{{payment.ImpUid}}","merchant_uid":"order_1"}"""));
            Assert.That(await run.Page.EvaluateAsync<string>("JSON.stringify(window.__verified)"), Is.EqualTo("{}"), "an empty 200 from the verify URL is a success");
            Assert.That(run.Returns, Is.Empty, "the snippet gives a callback: no redirect on mobile either");
        }
    }

    /// <summary>A page that opens the window at once, with or without a callback, calling <c>IMP.init</c> or <c>IMP.agency</c>.</summary>
    private static Func<string, string> Page(Uri api, string merchantUid, bool callback, string? tier) => origin =>
    {
        var param = new JsonObject
        {
            ["pg"] = "danal_tpay",
            ["pay_method"] = "card",
            ["merchant_uid"] = merchantUid,
            ["customer_uid"] = "cust_1",
            ["name"] = "카드 등록",
            ["amount"] = 0,
            ["buyer_tel"] = "010-1234-5678",
            ["m_redirect_url"] = origin + ReturnPath + "?order=42",
        };
        string init = tier is null ? "IMP.init('imp00000000');" : "IMP.agency('imp00000000', " + JsonSerializer.Serialize(tier) + ");";
        string call = callback ? "IMP.request_pay(param, function (rsp) { window.__rsp = rsp; });" : "IMP.request_pay(param);";
        return "<script src=\"" + new Uri(api, "v1/iamport.js") + "\"></script>\n<script>var param = " + param.ToJsonString() + ";\n" + init + "\n" + call + "</script>\n";
    };

    /// <summary>Pays <paramref name="merchantUid"/> once through the window's endpoint, as an approved window would.</summary>
    private static async Task PayOnceAsync(Uri api, string merchantUid)
    {
        using var http = new HttpClient { BaseAddress = api };
        var body = new JsonObject
        {
            ["action"] = "approve",
            ["card_number"] = TestCards.Approve,
            ["param"] = new JsonObject
            {
                ["pg"] = "danal_tpay", ["pay_method"] = "card", ["merchant_uid"] = merchantUid, ["customer_uid"] = "cust_1",
                ["name"] = "카드 등록", ["amount"] = 0, ["buyer_tel"] = "010-1234-5678",
            },
        };
        using var response = await http.PostAsync("fake-danal/complete", new StringContent(body.ToJsonString()));
        Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error_code"], Is.Null);
    }

    private static JsonObject Query(string queryString)
    {
        var query = new JsonObject();
        foreach (string pair in queryString.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = pair.Split('=', 2);
            query[Uri.UnescapeDataString(parts[0].Replace('+', ' '))] = Uri.UnescapeDataString((parts.Length > 1 ? parts[1] : "").Replace('+', ' '));
        }

        return query;
    }

    /// <summary>The shop's page, served by a small Kestrel host on loopback (Chromium lets a loopback page reach the fake's
    /// loopback port), and the browser context that opens it.</summary>
    private sealed class PageRun : IAsyncDisposable
    {
        private readonly WebApplication _shop;
        private IBrowserContext? _context;

        private PageRun(WebApplication shop) => _shop = shop;

        public IPage Page { get; private set; } = null!;

        /// <summary>Gets the shop page's origin, such as <c>http://127.0.0.1:5001</c>.</summary>
        public string Origin { get; private set; } = "";

        public ConcurrentQueue<string> VerifyPosts { get; } = new();

        public ConcurrentQueue<string> Returns { get; } = new();

        private readonly TaskCompletionSource<string> _returned = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The query of the first request to m_redirect_url, as the shop received it. Waited for on the shop's
        /// side: Playwright's URL wait can miss a navigation that lands before it starts.</summary>
        public Task<string> ReturnedAsync() => _returned.Task.WaitAsync(TimeSpan.FromMilliseconds(TimeoutMs));

        /// <summary>Opens the page; with <paramref name="phone"/> (a Playwright device), under its mobile emulation.</summary>
        /// <param name="bodyHtml">The page's body, given the page's origin.</param>
        public static async Task<PageRun> StartAsync(IBrowser browser, BrowserNewContextOptions? phone, Func<string, string> bodyHtml)
        {
            string html = "";
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var run = new PageRun(builder.Build());
            run._shop.MapGet("/checkout", () => Results.Content(html, "text/html; charset=utf-8"));
            run._shop.MapGet(ReturnPath, (HttpContext http) =>
            {
                run.Returns.Enqueue(http.Request.QueryString.Value ?? "");
                run._returned.TrySetResult(http.Request.QueryString.Value ?? "");
                return Results.Content("<!DOCTYPE html><p>returned</p>", "text/html; charset=utf-8");
            });
            run._shop.MapPost(VerifyPath, async (HttpContext http) =>
            {
                // The verify URL's minimal contract: a 2xx with no body at all.
                using var reader = new StreamReader(http.Request.Body);
                run.VerifyPosts.Enqueue(await reader.ReadToEndAsync());
                return Results.Ok();
            });
            await run._shop.StartAsync();
            run.Origin = run._shop.Urls.Single().TrimEnd('/');
            html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>\n" + bodyHtml(run.Origin) + "</body></html>";

            var options = new BrowserNewContextOptions { Locale = "ko-KR" };
            if (phone is not null)
            {
                options.UserAgent = phone.UserAgent;
                options.ViewportSize = phone.ViewportSize;
                options.DeviceScaleFactor = phone.DeviceScaleFactor;
                options.IsMobile = true;
                options.HasTouch = true;
            }

            run._context = await browser.NewContextAsync(options);
            run._context.SetDefaultTimeout(TimeoutMs);
            run.Page = await run._context.NewPageAsync();
            await run.Page.GotoAsync(run.Origin + "/checkout");
            return run;
        }

        public async ValueTask DisposeAsync()
        {
            if (_context is not null)
            {
                await _context.DisposeAsync();
            }

            await _shop.DisposeAsync();
        }
    }
}
