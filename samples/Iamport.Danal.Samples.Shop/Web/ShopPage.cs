using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Iamport.Danal.Checkout;
using Iamport.Danal.Samples.Shop.Data;

namespace Iamport.Danal.Samples.Shop.Web;

/// <summary>The shop's two pages. Every value is HTML-encoded, and the checkout page's script values come from the
/// library's snippet, which escapes <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, quotes and <c>+</c>: a product name containing
/// <c>&lt;/script&gt;</c> stays text.</summary>
public static class ShopPage
{
    // Hangul stays readable; <, >, &, quotes are still encoded.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);


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

    public static string Render(ShopOptions shop, bool embedded, IReadOnlyList<Subscription> subscriptions,
        Func<long, IReadOnlyList<Charge>> chargesOf, string? notice)
    {
        var html = Head("Iamport.Danal sample shop");
        html.Append("<h1>Iamport.Danal sample shop</h1>\n");
        html.Append("<p class=\"mode\">")
            .Append(embedded ? "Embedded fake I'mport: test cards only, nothing is really charged." : "Live I'mport API.")
            .Append("</p>\n");

        html.Append("<section class=\"product\">\n<h2 id=\"product-name\">").Append(Html.Encode(shop.ProductName)).Append("</h2>\n")
            .Append("<p id=\"product-price\">₩").Append(Won(shop.MonthlyPrice)).Append(" / month</p>\n")
            .Append("<form method=\"post\" action=\"/checkout/register\"><button id=\"register-card\">Register card (₩0 now, first month charged by renewal)</button></form>\n")
            .Append("<form method=\"post\" action=\"/checkout/subscribe\"><button id=\"subscribe-now\">Subscribe and pay ₩").Append(Won(shop.MonthlyPrice)).Append(" now</button></form>\n")
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

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>The checkout page: the library's snippet opens the Danal window at once and posts the result to the
    /// verify endpoint; checkout.js turns the snippet's DOM events into a redirect or a message.</summary>
    public static string RenderCheckout(ShopOptions shop, RequestPayParams param, string checkoutSnippet)
    {
        var html = Head("Checkout · Iamport.Danal sample shop");
        html.Append("<h1>Checkout</h1>\n<p><span id=\"product-name\">").Append(Html.Encode(shop.ProductName)).Append("</span> · ")
            .Append(param.Amount > 0 ? "₩" + Won((long)param.Amount) + " now, then monthly" : "card registration (₩0 now)").Append("</p>\n")
            .Append("<p id=\"message\" role=\"status\" data-kind=\"info\">Complete the payment in the Danal window.</p>\n")
            .Append("<p><a id=\"back\" href=\"/\">Back to the shop</a></p>\n")
            .Append("<script src=\"/checkout.js\"></script>\n")
            .Append(checkoutSnippet) // HTML-safe by construction: every value is escaped JSON
            .Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static StringBuilder Head(string title)
    {
        var html = new StringBuilder();
        html.Append("""
            <!doctype html>
            <html lang="ko">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">

            """);
        html.Append("<title>").Append(Html.Encode(title)).Append("</title>\n");
        html.Append("""
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

            """);
        return html;
    }

    private static string Won(long amount) => amount.ToString("#,0", CultureInfo.InvariantCulture);
}
