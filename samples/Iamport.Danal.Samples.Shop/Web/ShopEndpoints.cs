using Iamport.Danal.Checkout;
using Iamport.Danal.Samples.Shop.Billing;
using Iamport.Danal.Samples.Shop.Data;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace Iamport.Danal.Samples.Shop.Web;

public sealed record CheckoutRequest(string? Kind);

public sealed record ChargeView(long Id, string Period, string MerchantUid, long Amount, string Status, string? FailReason, string? RefundError);

// customer_uid is deliberately absent: it never leaves the server.
public sealed record SubscriptionView(long Id, string PlanName, long Amount, string Status, string? CardName, DateOnly? NextChargeOn, IReadOnlyList<ChargeView> Charges);

public static class ShopEndpoints
{
    public static void MapShop(this WebApplication app, string iamportJsUrl, bool embedded)
    {
        var sdkUrl = new Uri(iamportJsUrl);

        app.MapGet("/", async (HttpContext http, IShopStore store, IOptions<ShopOptions> shop, IAntiforgery antiforgery, string? notice, long? charge, CancellationToken ct) =>
        {
            string owner = Owner(http)!;
            var rows = new List<SubscriptionRow>();
            foreach (var s in await store.ListSubscriptionsAsync(owner, ct))
            {
                rows.Add(new SubscriptionRow(s, await store.ListChargesAsync(s.Id, ct), await store.ListReceiptsAsync(s.Id, ct), await store.FindDunningAsync(s.Id, ct)));
            }

            string page = ShopPage.Render(shop.Value, embedded, rows, notice, RenewalCountsOf(http.Request.Query), charge, antiforgery.GetAndStoreTokens(http).RequestToken!);
            return Results.Content(page, "text/html; charset=utf-8");
        }).AddEndpointFilter(ShopSecurity.IssueCustomerIdentity);

        app.MapGet("/checkout.js", () => Resource("checkout.js", "text/javascript; charset=utf-8"));
        app.MapGet("/shop.js", () => Resource("shop.js", "text/javascript; charset=utf-8"));
        app.MapGet("/favicon.svg", () => Resource("favicon.svg", "image/svg+xml"));
        app.MapGet("/favicon.ico", () => Resource("favicon.svg", "image/svg+xml")); // for clients that ask before reading the page's <link rel="icon">

        // The buttons post here: the server creates the pending checkout (merchant_uid, customer_uid, amount) and serves
        // a page whose snippet, from the library, opens the Danal window and posts the result to the verify endpoint.
        app.MapPost("/checkout/{kind}", async (HttpContext http, string kind, CheckoutService checkouts, CheckoutFactory factory, IOptions<ShopOptions> shop, CancellationToken ct) =>
        {
            if (Owner(http) is not { } owner || ParseKind(kind) is not { } k)
            {
                return Results.Redirect("/");
            }

            RequestPayParams param = await checkouts.StartAsync(owner, k, RedirectUrl(http), ct);
            string description = param.Amount > 0 ? "지금 " + ShopPage.Won((long)param.Amount) + " 결제, 이후 매월 자동 결제" : "카드 등록 (지금 0원)";
            return CheckoutPage(shop.Value.ProductName, description, factory.RenderScript(param, VerifyPath, sdkUrl: sdkUrl));
        }).RequireShopAntiforgery();

        // A new card for an existing subscription, through Danal's window like the first one. The old key is kept
        // until the new one is verified, then deleted (CheckoutService.ConfirmAsync).
        app.MapPost("/subscriptions/{id:long}/change-card", async (HttpContext http, long id, CheckoutService checkouts, CheckoutFactory factory, CancellationToken ct) =>
        {
            if (Owner(http) is not { } owner)
            {
                return Results.Redirect("/");
            }

            return await checkouts.StartCardChangeAsync(owner, id, RedirectUrl(http), ct) is { } param
                ? CheckoutPage(param.Name ?? "", "카드 변경 (0원): 새 카드를 확인한 뒤 이전 카드를 삭제합니다", factory.RenderScript(param, VerifyPath, sdkUrl: sdkUrl))
                : Results.Redirect("/?notice=card-change-unavailable");
        }).RequireShopAntiforgery();

        // The same checkout as JSON ({merchantCode, params}) for pages that call IMP.request_pay themselves.
        app.MapPost("/api/checkouts", async (HttpContext http, CheckoutRequest request, CheckoutService checkouts, CheckoutFactory factory, CancellationToken ct) =>
        {
            if (Owner(http) is not { } owner)
            {
                return Results.Json(new { message = "먼저 상점 페이지를 여세요." }, statusCode: StatusCodes.Status401Unauthorized);
            }

            return ParseKind(request.Kind) is { } k
                ? Results.Ok(new { merchantCode = factory.MerchantCode, @params = await checkouts.StartAsync(owner, k, RedirectUrl(http), ct) })
                : Results.BadRequest(new { message = "kind 는 register 또는 subscribe 입니다." });
        }).RequireShopOrigin();

        // What the browser's callback posts: {imp_uid, merchant_uid}. A hint, never trusted: see CheckoutService.
        app.MapPost(VerifyPath, async (HttpContext http, CheckoutService checkouts, CancellationToken ct) =>
        {
            if (Owner(http) is not { } owner)
            {
                return Results.Json(new { activated = false, message = "먼저 상점 페이지를 여세요." }, statusCode: StatusCodes.Status401Unauthorized);
            }

            UntrustedPaymentHint hint;
            try
            {
                using var reader = new StreamReader(http.Request.Body);
                hint = UntrustedPaymentHint.FromCallbackJson(await reader.ReadToEndAsync(ct));
            }
            catch (FormatException ex)
            {
                return Results.BadRequest(new { activated = false, message = ex.Message });
            }

            var verdict = await checkouts.VerifyAsync(owner, hint.ImpUid, hint.MerchantUid, ct);
            return verdict.Activated
                ? Results.Ok(new { activated = true, message = verdict.Message, notice = verdict.Notice })
                : Results.BadRequest(new { activated = false, message = verdict.Message });
        }).RequireShopOrigin();

        // m_redirect_url, a safety net: where a mobile window given no callback returns (a full-page navigation) with imp_uid and merchant_uid in
        // the query. The same hint as the callback's and verified exactly the same way (CheckoutService.VerifyAsync).
        app.MapGet(RedirectPath, async (HttpContext http, CheckoutService checkouts, CancellationToken ct) =>
        {
            if (Owner(http) is not { } owner)
            {
                return Results.Redirect("/");
            }

            UntrustedPaymentHint hint;
            try
            {
                hint = UntrustedPaymentHint.FromRedirectQuery(http.Request.Query.Select(q => new KeyValuePair<string, string>(q.Key, q.Value.ToString())));
            }
            catch (FormatException ex)
            {
                return FailedPage(ex.Message);
            }

            if (hint.ImpUid is null)
            {
                return FailedPage("결제가 취소되었거나 완료되지 않았습니다.");
            }

            var verdict = await checkouts.VerifyAsync(owner, hint.ImpUid, hint.MerchantUid, ct);
            return verdict.Activated ? Results.Redirect("/?notice=" + verdict.Notice) : FailedPage(verdict.Message);
        });

        app.MapGet("/api/subscriptions", async (HttpContext http, IShopStore store, CancellationToken ct) =>
        {
            if (Owner(http) is not { } owner)
            {
                return Results.Unauthorized();
            }

            var views = new List<SubscriptionView>();
            foreach (var s in await store.ListSubscriptionsAsync(owner, ct))
            {
                var charges = await store.ListChargesAsync(s.Id, ct);
                views.Add(new SubscriptionView(s.Id, s.PlanName, s.Amount, s.Status, s.CardName, s.NextChargeOn,
                    [.. charges.Select(c => new ChargeView(c.Id, c.Period, c.MerchantUid, c.Amount, c.Status, c.FailReason, c.RefundError))]));
            }

            return Results.Ok(views);
        });

        app.MapPost("/charges/{id:long}/refund", async (HttpContext http, long id, SubscriptionActions actions, CancellationToken ct) =>
            Owner(http) is { } owner ? Results.Redirect(Notice(await actions.RefundAsync(owner, id, ct), id)) : Results.Unauthorized()).RequireShopAntiforgery();

        app.MapPost("/subscriptions/{id:long}/retry", async (HttpContext http, long id, SubscriptionActions actions, CancellationToken ct) =>
            Owner(http) is { } owner ? Results.Redirect("/?notice=" + await actions.RetryAsync(owner, id, ct)) : Results.Unauthorized()).RequireShopAntiforgery();

        app.MapPost("/subscriptions/{id:long}/remove-card", async (HttpContext http, long id, SubscriptionActions actions, CancellationToken ct) =>
            Owner(http) is { } owner ? Results.Redirect("/?notice=" + await actions.RemoveCardAsync(owner, id, ct)) : Results.Unauthorized()).RequireShopAntiforgery();

        // An operator action, behind the admin token (Shop:AdminToken; off when none is set). The token is the
        // credential and no browser holds it by itself, so no antiforgery token is needed. It stops with the shop,
        // not with the browser: a closed tab must not stop a renewal run halfway.
        app.MapPost("/admin/renewals/run", async (RenewalJob job, Dunning dunning, ScheduleEngine schedules, IHostApplicationLifetime lifetime) =>
        {
            await schedules.RunOnceAsync(lifetime.ApplicationStopping);
            var r = await job.RunOnceAsync(lifetime.ApplicationStopping);
            var d = await dunning.RunOnceAsync(lifetime.ApplicationStopping);
            return Results.Redirect(FormattableString.Invariant(
                $"/?notice=renewals-run&approved={r.Approved}&declined={r.Declined}&notCharged={r.NotCharged}&unknown={r.Unknown}&failed={r.Failed}&reconciled={r.Reconciled}&retried={d.Retried}&cancelled={d.Cancelled}"));
        }).RequireAuthorization(ShopSecurity.AdminPolicy);

        // I'mport's webhook (notice_url or the console's URL). JSON or form body; answer 200 fast. Server to server: it
        // carries no customer cookie and no antiforgery token, and is trusted for nothing (the payment it names is
        // fetched from I'mport and verified), so it is exempt from the antiforgery and origin checks.
        app.MapPost("/iamport/webhook", async (HttpRequest request, WebhookHandler handler, CancellationToken ct) =>
        {
            using var reader = new StreamReader(request.Body);
            string body = await reader.ReadToEndAsync(ct);
            WebhookNotification notification;
            try
            {
                notification = IamportWebhook.Parse(body, request.ContentType);
            }
            catch (FormatException ex)
            {
                return Results.BadRequest(new { message = ex.Message });
            }

            return Results.Ok(new { result = await handler.HandleAsync(notification, ct) });
        }).DisableAntiforgery();
    }

    private const string RedirectPath = "/checkout/complete";

    /// <summary>The absolute m_redirect_url of this shop, as the browser reached it. Behind a proxy, use the
    /// forwarded-headers middleware so this is the public address.</summary>
    private static Uri RedirectUrl(HttpContext http) => new($"{http.Request.Scheme}://{http.Request.Host}{RedirectPath}");

    private static IResult CheckoutPage(string productName, string description, string snippet) =>
        Results.Content(ShopPage.RenderCheckout(productName, description, snippet), "text/html; charset=utf-8");

    private static IResult FailedPage(string message) =>
        Results.Content(ShopPage.RenderCheckoutFailed(message), "text/html; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);

    private static IResult Resource(string name, string contentType) =>
        Results.Stream(typeof(ShopEndpoints).Assembly.GetManifestResourceStream(name)!, contentType);

    private static string Notice(string code, long chargeId) =>
        code == "refund-failed" ? "/?notice=refund-failed&charge=" + chargeId.ToString(System.Globalization.CultureInfo.InvariantCulture) : "/?notice=" + code;

    private static RenewalCounts? RenewalCountsOf(IQueryCollection query)
    {
        int? Of(string name) => int.TryParse(query[name], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : null;
        return Of("approved") is { } approved
            ? new RenewalCounts(approved, Of("declined") ?? 0, Of("notCharged") ?? 0, Of("unknown") ?? 0, Of("failed") ?? 0, Of("reconciled") ?? 0, Of("retried") ?? 0, Of("cancelled") ?? 0)
            : null;
    }

    private const string VerifyPath = "/api/checkouts/verify";

    private static CheckoutKind? ParseKind(string? kind) => kind switch
    {
        "register" => CheckoutKind.RegisterCard,
        "subscribe" => CheckoutKind.SubscribeAndPay,
        _ => null,
    };

    // The customer, from the signed identity cookie (ShopSecurity); null without a valid one.
    private static string? Owner(HttpContext http) => ShopSecurity.Owner(http);
}
