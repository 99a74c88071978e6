using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Iamport.Danal.Samples.Shop.Data;

namespace Iamport.Danal.Samples.Shop.Web;

/// <summary>The one HTML page. Every value is HTML-encoded; data for the script goes in a JSON block whose encoder
/// escapes <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, quotes and <c>+</c>, so a product name containing <c>&lt;/script&gt;</c> stays text.</summary>
public static class ShopPage
{
    // Hangul stays readable; <, >, &, quotes are still encoded.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    // Not UnsafeRelaxedJsonEscaping: this encoder still escapes < > & ' " + in every range.
    private static readonly JsonSerializerOptions ScriptJson = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    // Fixed messages chosen by a code: the page never echoes text from the query string.
    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["activated"] = "Card registered: your subscription is active (verified with I'mport).",
        ["paid"] = "Subscribed and paid: your subscription is active (verified with I'mport).",
        ["renewals-run"] = "Renewal run finished.",
        ["refunded"] = "The charge was refunded.",
        ["refund-failed"] = "The refund failed; nothing was changed.",
        ["not-refundable"] = "That charge cannot be refunded.",
        ["card-removed"] = "Your card was removed and the subscription stopped.",
        ["not-found"] = "Not found.",
    };

    public static string Render(ShopOptions shop, string iamportJsUrl, bool embedded, IReadOnlyList<Subscription> subscriptions,
        Func<long, IReadOnlyList<Charge>> chargesOf, string? notice)
    {
        var html = new StringBuilder();
        html.Append("""
            <!doctype html>
            <html lang="ko">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Iamport.Danal sample shop</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
            .product, .subscription { border: 1px solid #ccc; border-radius: 8px; padding: 1rem; margin: 1rem 0; }
            #message:empty { display: none; } #message { padding: .5rem; background: #eef; }
            #message[data-kind=error] { background: #fee; }
            table { border-collapse: collapse; } td, th { padding: .2rem .6rem; border-bottom: 1px solid #eee; }
            form { display: inline; }
            </style>
            </head>
            <body>
            <h1>Iamport.Danal sample shop</h1>
            """);
        html.Append("<p class=\"mode\">")
            .Append(embedded ? "Embedded fake I'mport: test cards only, nothing is really charged." : "Live I'mport API.")
            .Append("</p>\n");

        html.Append("<section class=\"product\">\n<h2 id=\"product-name\">").Append(Html.Encode(shop.ProductName)).Append("</h2>\n")
            .Append("<p id=\"product-price\">₩").Append(Won(shop.MonthlyPrice)).Append(" / month</p>\n")
            .Append("<button type=\"button\" id=\"register-card\">Register card (₩0 now, first month charged by renewal)</button>\n")
            .Append("<button type=\"button\" id=\"subscribe-now\">Subscribe and pay ₩").Append(Won(shop.MonthlyPrice)).Append(" now</button>\n")
            .Append("</section>\n");

        string? noticeText = notice is not null && Notices.TryGetValue(notice, out var text) ? text : null;
        html.Append("<p id=\"message\" role=\"status\" data-kind=\"info\">").Append(Html.Encode(noticeText ?? "")).Append("</p>\n");

        html.Append("<section id=\"subscriptions\">\n<h2>Your subscriptions</h2>\n");
        if (subscriptions.Count == 0)
        {
            html.Append("<p id=\"no-subscriptions\">None yet.</p>\n");
        }

        foreach (var s in subscriptions)
        {
            string id = s.Id.ToString(CultureInfo.InvariantCulture);
            html.Append("<div class=\"subscription\" data-testid=\"subscription\" data-id=\"").Append(id)
                .Append("\" data-status=\"").Append(Html.Encode(s.Status)).Append("\">\n")
                .Append("<h3><span class=\"plan\">").Append(Html.Encode(s.PlanName)).Append("</span> · <span class=\"status\">")
                .Append(Html.Encode(s.Status)).Append("</span></h3>\n<p>₩").Append(Won(s.Amount)).Append(" / month");
            if (s.CardName is not null)
            {
                html.Append(" · card ").Append(Html.Encode(s.CardName));
            }

            if (s.NextChargeOn is { } next)
            {
                html.Append(" · next charge <span class=\"next-charge\">").Append(next.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("</span>");
            }

            html.Append("</p>\n");
            if (s.CustomerUid is not null)
            {
                html.Append("<form method=\"post\" action=\"/subscriptions/").Append(id)
                    .Append("/remove-card\"><button class=\"remove-card\">Remove my card</button></form>\n");
            }

            var charges = chargesOf(s.Id);
            if (charges.Count > 0)
            {
                html.Append("<table class=\"charges\">\n<tr><th>period</th><th>order</th><th>amount</th><th>status</th><th>note</th><th></th></tr>\n");
                foreach (var c in charges)
                {
                    html.Append("<tr data-testid=\"charge\" data-status=\"").Append(Html.Encode(c.Status)).Append("\"><td>")
                        .Append(Html.Encode(c.Period)).Append("</td><td>").Append(Html.Encode(c.MerchantUid)).Append("</td><td>₩")
                        .Append(Won(c.Amount)).Append("</td><td class=\"charge-status\">").Append(Html.Encode(c.Status))
                        .Append("</td><td class=\"fail-reason\">").Append(Html.Encode(c.FailReason ?? "")).Append("</td><td>");
                    if (c.Status == ChargeStatus.Paid)
                    {
                        html.Append("<form method=\"post\" action=\"/charges/").Append(c.Id.ToString(CultureInfo.InvariantCulture))
                            .Append("/refund\"><button class=\"refund\">Refund</button></form>");
                    }

                    html.Append("</td></tr>\n");
                }

                html.Append("</table>\n");
            }

            html.Append("</div>\n");
        }

        html.Append("</section>\n");
        html.Append("""
            <section id="operator">
            <h2>Operator</h2>
            <p>The renewal job runs in the background; run it now to charge every due subscription once.</p>
            <form method="post" action="/admin/renewals/run"><button id="run-renewals">Run renewals now</button></form>
            </section>

            """);

        // Data for shop.js. JsonSerializer's default encoder escapes < > & ' " + so nothing here can close the element.
        string config = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["productName"] = shop.ProductName,
            ["checkoutUrl"] = "/api/checkouts",
            ["verifyUrl"] = "/api/checkouts/verify",
        }, ScriptJson);
        html.Append("<script type=\"application/json\" id=\"shop-config\">").Append(config).Append("</script>\n")
            .Append("<script src=\"").Append(Html.Encode(iamportJsUrl)).Append("\"></script>\n")
            .Append("<script src=\"/shop.js\"></script>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string Won(long amount) => amount.ToString("#,0", CultureInfo.InvariantCulture);
}
