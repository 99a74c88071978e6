using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Iamport.Danal.Samples.Shop.Billing;
using Iamport.Danal.Samples.Shop.Web;
using Iamport.Danal.Testing;

namespace Iamport.Danal.BrowserTests;

/// <summary>The shop's security over real loopback HTTP: the admin credential, the signed customer identity,
/// antiforgery and origin checks, and a verify endpoint that is no oracle. Every refusal is checked at the fake too:
/// nothing was charged, refunded or deleted.</summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class ShopSecurityTests
{
    private const string EvilOrigin = "https://evil.example";

    [Test]
    public async Task AdminRenewals_WithoutTheAdminToken_401AndNothingCharged()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync();
        using var customer = await shop.NewCustomerAsync();
        await customer.CheckOutAsync("register"); // the first month is due today
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = shop.Address };

        var refusals = new List<(string Who, HttpStatusCode Status)>();
        async Task TryAsync(string who, HttpClient http, HttpContent? body, string? bearer)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("admin/renewals/run", UriKind.Relative)) { Content = body };
            if (bearer is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            }

            using var response = await http.SendAsync(request);
            refusals.Add((who, response.StatusCode));
        }

        await TryAsync("no credential", anonymous, null, null);
        await TryAsync("a customer's session (cookie, antiforgery token, Origin)", customer.Http, null, null);
        await TryAsync("a wrong bearer token", anonymous, null, "not-the-token");
        await TryAsync("the token with one character changed", anonymous, null, Flip(shop.AdminToken!, 3));
        await TryAsync("a wrong token in the operator form", customer.Http, Form((ShopSecurity.AdminTokenField, "guess")), null);
        await TryAsync("an empty token in the operator form", customer.Http, Form((ShopSecurity.AdminTokenField, "")), null);
        var chargedAfterRefusals = shop.Fake.RequestCount(FakeRoutes.Again);

        // The same request with the token does run renewals: the refusals above were the token's doing.
        using var admin = shop.NewAdminClient();
        using var admitted = await admin.PostAsync(new Uri("admin/renewals/run", UriKind.Relative), null);

        using (Assert.EnterMultipleScope())
        {
            foreach (var (who, status) in refusals)
            {
                Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), who);
            }

            Assert.That(chargedAfterRefusals, Is.Zero, "nothing was charged before the token was given");
            Assert.That(admitted.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(shop.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(1));
            Assert.That(shop.Logs.Lines, Has.None.Contain(shop.AdminToken!), "the token is never logged");
        }
    }

    [Test]
    public async Task AdminRenewals_NoTokenConfigured_404AndPageShowsNothingShopWide()
    {
        await using var fake = new FakeIamport();
        await fake.StartAsync();
        await using var shop = await ShopHost.StartWithFakeAsync(fake, ShopHost.NewDatabasePath()); // keys set, no Shop:AdminToken
        using var customer = await shop.NewCustomerAsync();
        var paid = await customer.CheckOutAsync("subscribe");
        await customer.CheckOutAsync("register");

        using var anonymous = new HttpClient { BaseAddress = shop.Address };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("admin/renewals/run", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "anything");
        using var bearer = await anonymous.SendAsync(request);
        using var customerPost = await customer.Http.PostAsync(new Uri("admin/renewals/run", UriKind.Relative), Form((ShopSecurity.AdminTokenField, "")));
        using var visitor = await ShopSession.OpenAsync(shop.Address);
        using var page = await visitor.Http.GetAsync(new Uri("/", UriKind.Relative));
        string html = await page.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(shop.AdminToken, Is.Null);
            Assert.That(bearer.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "off: no token can be right");
            Assert.That(customerPost.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(fake.RequestCount(FakeRoutes.Again), Is.Zero, "nothing charged");

            // Another visitor sees an empty shop: no one else's orders, no counts of charges in progress or unknown.
            Assert.That(html, Does.Contain("아직 구독이 없습니다"));
            Assert.That(html, Does.Not.Contain(paid["merchant_uid"]!.GetValue<string>()));
            Assert.That(html, Does.Not.Contain("처리 중").And.Not.Contain("결과 확인 중").And.Not.Contain("charge-tally"));
        }
    }

    [Test]
    public async Task IdentityCookie_ForgedOrTampered_IsRefusedAsNoIdentity()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync();
        using var victim = await shop.NewCustomerAsync();
        var rsp = await victim.CheckOutAsync("register");
        long subscriptionId = (await victim.SubscriptionsAsync()).Single()!["id"]!.GetValue<long>();
        var subscription = (await shop.Store.FindSubscriptionAsync(subscriptionId))!;
        string genuine = victim.Session.IdentityCookie!;

        int seed = Environment.GetEnvironmentVariable("SHOP_COOKIE_SEED") is { Length: > 0 } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next();
        TestContext.Out.WriteLine($"seed {seed} (replay: SHOP_COOKIE_SEED={seed})");
        var random = new Random(seed);
        var forgeries = new List<(string What, string Value)>
        {
            ("the owner id itself, as the unsigned cookie used to be", subscription.Owner),
            ("the genuine cookie, truncated", genuine[..^8]),
            ("the genuine cookie with a suffix", genuine + "AA"),
            ("random base64url of the same length", RandomBase64Url(random, genuine.Length)),
        };
        for (int i = 0; i < 12; i++)
        {
            int at = random.Next(genuine.Length);
            forgeries.Add(($"the genuine cookie with character {at} changed", Flip(genuine, at)));
        }

        var answers = new List<(string What, HttpStatusCode Api, HttpStatusCode Remove, string Page)>();
        foreach (var (what, value) in forgeries)
        {
            // Everything of the victim's browser but the identity: its antiforgery cookie and token come along, so the
            // identity alone decides.
            var cookies = new CookieContainer();
            foreach (Cookie cookie in victim.Cookies.GetAllCookies())
            {
                if (cookie.Name != ShopSecurity.CustomerCookie)
                {
                    cookies.Add(cookie);
                }
            }

            cookies.Add(shop.Address, new Cookie(ShopSecurity.CustomerCookie, value));
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = shop.Address };
            http.DefaultRequestHeaders.Add("Origin", shop.Address.GetLeftPart(UriPartial.Authority));
            http.DefaultRequestHeaders.Add(ShopSecurity.AntiforgeryHeader, victim.Session.AntiforgeryToken);
            using var api = await http.GetAsync(new Uri("api/subscriptions", UriKind.Relative));
            using var remove = await http.PostAsync(new Uri($"subscriptions/{subscriptionId}/remove-card", UriKind.Relative), null);
            using var page = await http.GetAsync(new Uri("/", UriKind.Relative));
            answers.Add((what, api.StatusCode, remove.StatusCode, await page.Content.ReadAsStringAsync()));
        }

        using (Assert.EnterMultipleScope())
        {
            foreach (var (what, api, remove, page) in answers)
            {
                Assert.That(api, Is.EqualTo(HttpStatusCode.Unauthorized), $"seed {seed}: {what}");
                Assert.That(remove, Is.EqualTo(HttpStatusCode.BadRequest), $"seed {seed}: {what} (with the victim's antiforgery token)");
                Assert.That(page, Does.Contain("아직 구독이 없습니다"), $"seed {seed}: {what} gets a fresh identity of its own");
            }

            Assert.That(shop.Fake.HasBillingKey(subscription.CustomerUid!), Is.True, "the card was not removed");
            Assert.That((await victim.SubscriptionsAsync()).Single()!["status"]!.GetValue<string>(), Is.EqualTo("active"), "the genuine cookie still works");
            Assert.That(rsp["imp_uid"], Is.Not.Null);
        }
    }

    [Test]
    public async Task FormPosts_CrossOriginWithoutValidAntiforgeryToken_AreRefusedAndChangeNothing()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync();
        using var victim = await shop.NewCustomerAsync();
        var rsp = await victim.CheckOutAsync("subscribe");
        var subscription = (await victim.SubscriptionsAsync()).Single()!;
        long subscriptionId = subscription["id"]!.GetValue<long>();
        long chargeId = subscription["charges"]!.AsArray().Single()!["id"]!.GetValue<long>();
        string key = (await shop.Store.FindSubscriptionAsync(subscriptionId))!.CustomerUid!;
        using var attacker = await shop.NewCustomerAsync(); // has a valid token of its own: not the victim's

        string[] forms = ["checkout/register", "checkout/subscribe", $"subscriptions/{subscriptionId}/change-card", $"subscriptions/{subscriptionId}/retry",
            $"subscriptions/{subscriptionId}/remove-card", $"charges/{chargeId}/refund"];

        // What another site's page can make the victim's browser send: the victim's cookies (were SameSite ever lax
        // enough), the other site's Origin, and at best a token that is not the victim's.
        using var crossSite = new HttpClient(new HttpClientHandler { CookieContainer = victim.Cookies, AllowAutoRedirect = false }) { BaseAddress = shop.Address };
        crossSite.DefaultRequestHeaders.Add("Origin", EvilOrigin);
        var answers = new List<(string What, HttpStatusCode Status)>();
        foreach (string form in forms)
        {
            var uri = new Uri(form, UriKind.Relative);
            using (var none = await crossSite.PostAsync(uri, Form(("x", "1"))))
            {
                answers.Add((form + ": no token", none.StatusCode));
            }

            using (var foreign = await crossSite.PostAsync(uri, Form((ShopSecurity.AntiforgeryField, attacker.Session.AntiforgeryToken))))
            {
                answers.Add((form + ": the attacker's own token", foreign.StatusCode));
            }

            using (var garbage = await crossSite.PostAsync(uri, Form((ShopSecurity.AntiforgeryField, "CfDJ8" + new string('A', 120)))))
            {
                answers.Add((form + ": a made-up token", garbage.StatusCode));
            }
        }

        // The same from a browser with no cookie of the shop at all.
        using var stranger = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = shop.Address };
        stranger.DefaultRequestHeaders.Add("Origin", EvilOrigin);
        foreach (string form in forms)
        {
            using var response = await stranger.PostAsync(new Uri(form, UriKind.Relative), Form((ShopSecurity.AntiforgeryField, attacker.Session.AntiforgeryToken)));
            answers.Add((form + ": no cookie, the attacker's token", response.StatusCode));
        }

        // The page's JSON posts: the shop's own Origin only, even with the victim's cookie.
        using (var verify = await crossSite.PostAsJsonAsync("api/checkouts/verify", new Dictionary<string, string> { ["imp_uid"] = rsp["imp_uid"]!.GetValue<string>(), ["merchant_uid"] = rsp["merchant_uid"]!.GetValue<string>() }))
        {
            answers.Add(("verify from another origin", verify.StatusCode));
        }

        using (var start = await crossSite.PostAsJsonAsync("api/checkouts", new { kind = "register" }))
        {
            answers.Add(("JSON checkout from another origin", start.StatusCode));
        }

        using var noOrigin = new HttpClient(new HttpClientHandler { CookieContainer = victim.Cookies }) { BaseAddress = shop.Address };
        using (var verify = await noOrigin.PostAsJsonAsync("api/checkouts/verify", new Dictionary<string, string> { ["merchant_uid"] = rsp["merchant_uid"]!.GetValue<string>() }))
        {
            answers.Add(("verify without Origin", verify.StatusCode));
        }

        var subscriptionAfter = (await victim.SubscriptionsAsync()).Single()!;
        bool keyKept = shop.Fake.HasBillingKey(key);
        int cancels = shop.Fake.RequestCount(FakeRoutes.Cancel);
        int charges = shop.Fake.RequestCount(FakeRoutes.Again);

        // The victim's own page does the same: its token is accepted (the refusals were the token's doing).
        using var refund = await victim.Http.PostAsync(new Uri($"charges/{chargeId}/refund", UriKind.Relative), null);

        using (Assert.EnterMultipleScope())
        {
            foreach (var (what, status) in answers)
            {
                Assert.That(status, what.StartsWith("verify", StringComparison.Ordinal) || what.StartsWith("JSON", StringComparison.Ordinal)
                    ? Is.EqualTo(HttpStatusCode.Forbidden) : Is.EqualTo(HttpStatusCode.BadRequest), what);
            }

            Assert.That(subscriptionAfter["status"]!.GetValue<string>(), Is.EqualTo("active"));
            Assert.That(subscriptionAfter["charges"]!.AsArray().Single()!["status"]!.GetValue<string>(), Is.EqualTo("paid"));
            Assert.That(keyKept, Is.True, "not removed");
            Assert.That(cancels, Is.Zero, "nothing refunded");
            Assert.That(charges, Is.Zero, "nothing charged");
            Assert.That(refund.Headers.Location?.ToString(), Is.EqualTo("/?notice=refunded-cancelled"));
            Assert.That(shop.Fake.RequestCount(FakeRoutes.Cancel), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Verify_EveryRefusal_OneMessageNamingNoCheck_LogKeepsTheCheck()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync();
        using var victim = await shop.NewCustomerAsync();
        var genuine = await victim.CheckOutAsync("subscribe");
        using var customer = await shop.NewCustomerAsync();
        var own = await customer.StartCheckoutAsync("subscribe");
        string ownMerchantUid = own["params"]!["merchant_uid"]!.GetValue<string>();
        var tampered = await customer.StartCheckoutAsync("subscribe");
        tampered["params"]!["amount"] = 100;
        var tamperedRsp = await customer.PayInWindowAsync(tampered);

        // Forgeries get the one message. The customer's own tampered order may be told what becomes of its payment
        // (the webhook may have closed and refunded it first), but never which check failed.
        var attempts = new (string What, string? ImpUid, string? MerchantUid, bool Forged)[]
        {
            ("another customer's payment on my order", genuine["imp_uid"]!.GetValue<string>(), ownMerchantUid, true),
            ("a payment that does not exist", "imp_999999999999", ownMerchantUid, true),
            ("no imp_uid", null, ownMerchantUid, true),
            ("an order never issued", genuine["imp_uid"]!.GetValue<string>(), "chk_20260101000000000_forged", true),
            ("another customer's order", genuine["imp_uid"]!.GetValue<string>(), genuine["merchant_uid"]!.GetValue<string>(), true),
            ("an amount changed in the browser", tamperedRsp["imp_uid"]!.GetValue<string>(), tamperedRsp["merchant_uid"]!.GetValue<string>(), false),
        };
        var answers = new List<(string What, bool Forged, HttpStatusCode Status, string Body)>();
        foreach (var (what, impUid, merchantUid, forged) in attempts)
        {
            using var response = await customer.VerifyAsync(impUid, merchantUid);
            answers.Add((what, forged, response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        string[] customerUids = [.. shop.Fake.Payments.Select(p => p.CustomerUid).OfType<string>().Distinct()];
        using (Assert.EnterMultipleScope())
        {
            foreach (var (what, forged, status, body) in answers)
            {
                Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), what);
                if (forged)
                {
                    Assert.That(JsonNode.Parse(body)!["message"]!.GetValue<string>(), Is.EqualTo(CheckoutService.NotVerified), what);
                }

                Assert.That(JsonNode.Parse(body)!["message"]!.GetValue<string>(), Does.Not.Contain("("), what);
                foreach (string check in Enum.GetNames<VerificationCheck>())
                {
                    Assert.That(body, Does.Not.Contain(check), what);
                }
            }

            Assert.That(await customer.SubscriptionsAsync(), Is.Empty);

            // The operator still learns which check failed, and the log never carries a customer_uid.
            Assert.That(shop.Logs.Lines, Has.Some.Contain(ownMerchantUid + " refused: MerchantUid check failed"));
            Assert.That(shop.Logs.Lines, Has.Some.Contain(ownMerchantUid + " refused: PaymentFound check failed"));
            Assert.That(shop.Logs.Lines, Has.Some.Contain("no such checkout for this customer"));
            Assert.That(customerUids, Is.Not.Empty);
            foreach (string customerUid in customerUids)
            {
                Assert.That(shop.Logs.Lines, Has.None.Contain(customerUid));
            }
        }
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    private const string Base64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary>The text with the character at <paramref name="at"/> replaced by another base64url character that
    /// differs in its highest bit, which every position of a base64url string carries (a change of the lowest bit of
    /// the last character could fall in its unused padding bits).</summary>
    private static string Flip(string text, int at)
    {
        var chars = text.ToCharArray();
        int index = Base64UrlAlphabet.IndexOf(chars[at], StringComparison.Ordinal);
        chars[at] = index < 0 ? 'A' : Base64UrlAlphabet[index ^ 32];
        return new string(chars);
    }

    private static string RandomBase64Url(Random random, int length)
    {
        var text = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            text.Append(Base64UrlAlphabet[random.Next(Base64UrlAlphabet.Length)]);
        }

        return text.ToString();
    }
}
