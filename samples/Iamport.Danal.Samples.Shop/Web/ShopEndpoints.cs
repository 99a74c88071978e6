using System.Security.Cryptography;
using Iamport.Danal.Checkout;
using Iamport.Danal.Samples.Shop.Billing;
using Iamport.Danal.Samples.Shop.Data;
using Iamport.Danal.Webhooks;
using Microsoft.Extensions.Options;

namespace Iamport.Danal.Samples.Shop.Web;

public sealed record CheckoutRequest(string? Kind);

public sealed record ChargeView(long Id, string Period, string MerchantUid, long Amount, string Status, string? FailReason);

// customer_uid is deliberately absent: it never leaves the server.
public sealed record SubscriptionView(long Id, string PlanName, long Amount, string Status, string? CardName, DateOnly? NextChargeOn, IReadOnlyList<ChargeView> Charges);

public static class ShopEndpoints
{
    // The shop's own customer id. A real shop uses its sign-in; SameSite=Strict keeps other sites' forms from posting as the customer.
    public const string CustomerCookie = "shop_customer";

    public static void MapShop(this WebApplication app, string iamportJsUrl, bool embedded)
    {
        var sdkUrl = new Uri(iamportJsUrl);

        app.MapGet("/", (HttpContext http, ShopStore store, IOptions<ShopOptions> shop, string? notice) =>
        {
            string owner = Owner(http, create: true)!;
            string page = ShopPage.Render(shop.Value, embedded, store.ListSubscriptions(owner), store.ListCharges, notice);
            return Results.Content(page, "text/html; charset=utf-8");
        });

        app.MapGet("/checkout.js", () =>
            Results.Stream(typeof(ShopEndpoints).Assembly.GetManifestResourceStream("checkout.js")!, "text/javascript; charset=utf-8"));

        // The buttons post here: the server creates the pending checkout (merchant_uid, customer_uid, amount) and serves
        // a page whose snippet, from the library, opens the Danal window and posts the result to the verify endpoint.
        app.MapPost("/checkout/{kind}", (HttpContext http, string kind, CheckoutService checkouts, CheckoutFactory factory, IOptions<ShopOptions> shop) =>
        {
            if (Owner(http) is not { } owner || ParseKind(kind) is not { } k)
            {
                return Results.Redirect("/");
            }

            RequestPayParams param = checkouts.Start(owner, k);
            string snippet = factory.RenderScript(param, VerifyPath, sdkUrl: sdkUrl);
            return Results.Content(ShopPage.RenderCheckout(shop.Value, param, snippet), "text/html; charset=utf-8");
        });

        // The same checkout as JSON ({merchantCode, params}) for pages that call IMP.request_pay themselves.
        app.MapPost("/api/checkouts", (HttpContext http, CheckoutRequest request, CheckoutService checkouts, CheckoutFactory factory) =>
        {
            if (Owner(http) is not { } owner)
            {
                return Results.Json(new { message = "Open the shop page first." }, statusCode: StatusCodes.Status401Unauthorized);
            }

            return ParseKind(request.Kind) is { } k
                ? Results.Ok(new { merchantCode = factory.MerchantCode, @params = checkouts.Start(owner, k) })
                : Results.BadRequest(new { message = "kind is register or subscribe." });
        });

        // What the browser's callback posts: {imp_uid, merchant_uid}. A hint, never trusted: see CheckoutService.
        app.MapPost(VerifyPath, async (HttpContext http, CheckoutService checkouts, CancellationToken ct) =>
        {
            if (Owner(http) is not { } owner)
            {
                return Results.Json(new { activated = false, message = "Open the shop page first." }, statusCode: StatusCodes.Status401Unauthorized);
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
        });

        app.MapGet("/api/subscriptions", (HttpContext http, ShopStore store) =>
            Owner(http) is { } owner
                ? Results.Ok(store.ListSubscriptions(owner).Select(s => new SubscriptionView(
                    s.Id, s.PlanName, s.Amount, s.Status, s.CardName, s.NextChargeOn,
                    [.. store.ListCharges(s.Id).Select(c => new ChargeView(c.Id, c.Period, c.MerchantUid, c.Amount, c.Status, c.FailReason))])))
                : Results.Unauthorized());

        app.MapPost("/charges/{id:long}/refund", async (HttpContext http, long id, SubscriptionActions actions, CancellationToken ct) =>
            Owner(http) is { } owner ? Results.Redirect("/?notice=" + await actions.RefundAsync(owner, id, ct)) : Results.Unauthorized());

        app.MapPost("/subscriptions/{id:long}/remove-card", async (HttpContext http, long id, SubscriptionActions actions, CancellationToken ct) =>
            Owner(http) is { } owner ? Results.Redirect("/?notice=" + await actions.RemoveCardAsync(owner, id, ct)) : Results.Unauthorized());

        // An operator action. Protect it (authorization, or take it away) in a real shop.
        app.MapPost("/admin/renewals/run", async (RenewalJob job, CancellationToken ct) =>
        {
            await job.RunOnceAsync(ct);
            return Results.Redirect("/?notice=renewals-run");
        });

        // I'mport's webhook (notice_url or the console's URL). JSON or form body; answer 200 fast.
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
        });
    }

    private const string VerifyPath = "/api/checkouts/verify";

    private static CheckoutKind? ParseKind(string? kind) => kind switch
    {
        "register" => CheckoutKind.RegisterCard,
        "subscribe" => CheckoutKind.SubscribeAndPay,
        _ => null,
    };

    private static string? Owner(HttpContext http, bool create = false)
    {
        if (http.Request.Cookies.TryGetValue(CustomerCookie, out string? owner) && owner.Length == 32 && owner.All(char.IsAsciiHexDigitLower))
        {
            return owner;
        }

        if (!create)
        {
            return null;
        }

        owner = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        http.Response.Cookies.Append(CustomerCookie, owner, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            IsEssential = true,
            MaxAge = TimeSpan.FromDays(365),
        });
        return owner;
    }
}
