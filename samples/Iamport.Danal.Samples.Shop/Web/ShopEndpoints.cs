using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Iamport.Danal.Samples.Shop.Billing;
using Iamport.Danal.Samples.Shop.Data;
using Iamport.Danal.Webhooks;
using Microsoft.Extensions.Options;

namespace Iamport.Danal.Samples.Shop.Web;

public sealed record CheckoutRequest(string? Kind);

/// <summary>What the browser callback posts: hints to look up, never facts.</summary>
public sealed record VerifyRequest(
    [property: JsonPropertyName("imp_uid")] string? ImpUid,
    [property: JsonPropertyName("merchant_uid")] string? MerchantUid);

public sealed record ChargeView(long Id, string Period, string MerchantUid, long Amount, string Status, string? FailReason);

// customer_uid is deliberately absent: it never leaves the server.
public sealed record SubscriptionView(long Id, string PlanName, long Amount, string Status, string? CardName, DateOnly? NextChargeOn, IReadOnlyList<ChargeView> Charges);

public static class ShopEndpoints
{
    // The shop's own customer id. A real shop uses its sign-in; SameSite=Strict keeps other sites' forms from posting as the customer.
    public const string CustomerCookie = "shop_customer";

    public static void MapShop(this WebApplication app, string iamportJsUrl, bool embedded)
    {
        app.MapGet("/", (HttpContext http, ShopStore store, IOptions<ShopOptions> shop, string? notice) =>
        {
            string owner = Owner(http, create: true)!;
            string page = ShopPage.Render(shop.Value, iamportJsUrl, embedded, store.ListSubscriptions(owner), store.ListCharges, notice);
            return Results.Content(page, "text/html; charset=utf-8");
        });

        app.MapGet("/shop.js", () =>
            Results.Stream(typeof(ShopEndpoints).Assembly.GetManifestResourceStream("shop.js")!, "text/javascript; charset=utf-8"));

        app.MapPost("/api/checkouts", (HttpContext http, CheckoutRequest request, CheckoutService checkouts) =>
        {
            if (Owner(http) is not { } owner)
            {
                return Results.Json(new { message = "Open the shop page first." }, statusCode: StatusCodes.Status401Unauthorized);
            }

            CheckoutKind? kind = request.Kind switch
            {
                "register" => CheckoutKind.RegisterCard,
                "subscribe" => CheckoutKind.SubscribeAndPay,
                _ => null,
            };
            return kind is { } k ? Results.Ok(checkouts.Start(owner, k)) : Results.BadRequest(new { message = "kind is register or subscribe." });
        });

        app.MapPost("/api/checkouts/verify", async (HttpContext http, VerifyRequest request, CheckoutService checkouts, CancellationToken ct) =>
        {
            if (Owner(http) is not { } owner)
            {
                return Results.Json(new { activated = false, message = "Open the shop page first." }, statusCode: StatusCodes.Status401Unauthorized);
            }

            var verdict = await checkouts.VerifyAsync(owner, request.ImpUid, request.MerchantUid, ct);
            return verdict.Activated
                ? Results.Ok(new { activated = true, message = verdict.Message })
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
