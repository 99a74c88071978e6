using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Iamport.Danal.Checkout;
using Iamport.Danal.Samples.Shop.Billing;
using Iamport.Danal.Samples.Shop.Data;

namespace Iamport.Danal.Samples.Shop.Web;

/// <summary>What the shop page shows for one subscription.</summary>
/// <param name="Receipts">I'mport's receipt addresses of its charges, by merchant_uid.</param>
/// <param name="Dunning">Its latest past-due period under the dunning schedule, if any.</param>
public sealed record SubscriptionRow(Subscription Subscription, IReadOnlyList<Charge> Charges, IReadOnlyDictionary<string, string>? Receipts = null, DunningState? Dunning = null);

/// <summary>The renewal counts a "run renewals now" redirect carries (numbers only, never text from the query).</summary>
public sealed record RenewalCounts(int Approved, int Declined, int NotCharged, int Unknown, int Failed, int Reconciled, int Retried = 0, int Cancelled = 0);

/// <summary>The shop's pages, in Korean. Every value is HTML-encoded, and the checkout page's script values come from
/// the library's snippet, which escapes <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, quotes and <c>+</c>: a product name
/// containing <c>&lt;/script&gt;</c> stays text.</summary>
public static class ShopPage
{
    // Hangul stays readable; <, >, &, quotes are still encoded.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    // Fixed messages chosen by a code: the page never echoes text from the query string.
    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["activated"] = "카드를 등록했습니다. 구독이 시작되었습니다 (아임포트에서 확인). 첫 달 요금은 정기결제로 청구됩니다.",
        ["paid"] = "구독하고 첫 달 요금을 결제했습니다 (아임포트에서 확인).",
        ["card-changed"] = "카드를 변경했습니다. 새 카드를 확인한 뒤 이전 카드를 삭제했습니다.",
        ["card-change-unavailable"] = "카드를 변경할 수 없는 구독입니다.",
        ["refunded"] = "환불했습니다. 이전 달의 환불이므로 구독은 계속됩니다.",
        ["refunded-cancelled"] = "환불했습니다. 지금 이용 중인 달을 환불했으므로 구독을 해지하고 카드를 삭제했습니다. 더 이상 청구되지 않습니다.",
        ["refund-failed"] = "환불하지 못했습니다. 아무것도 바뀌지 않았습니다.",
        ["not-refundable"] = "환불할 수 없는 결제입니다.",
        ["retry-paid"] = "다시 결제했습니다. 구독을 다시 이용할 수 있습니다.",
        ["retry-declined"] = "다시 결제했지만 승인이 거절되었습니다. 카드를 변경한 뒤 다시 결제해 주세요.",
        ["retry-unknown"] = "결제 결과를 아직 알 수 없습니다. 다음 정기결제 실행에서 조회해 확정합니다.",
        ["retry-failed"] = "결제 요청이 거절되었습니다. 잠시 후 다시 시도해 주세요.",
        ["retry-nothing"] = "다시 결제할 미납 요금이 없습니다.",
        ["card-removed"] = "카드를 삭제하고 구독을 해지했습니다.",
        ["not-found"] = "찾을 수 없습니다.",
    };

    private static readonly Dictionary<string, string> SubscriptionStatuses = new(StringComparer.Ordinal)
    {
        [SubscriptionStatus.Pending] = "대기 중",
        [SubscriptionStatus.Active] = "이용 중",
        [SubscriptionStatus.PastDue] = "결제 실패 (미납)",
        [SubscriptionStatus.Cancelled] = "해지됨",
    };

    private static readonly Dictionary<string, string> ChargeStatuses = new(StringComparer.Ordinal)
    {
        [ChargeStatus.Claimed] = "처리 중",
        [ChargeStatus.Paid] = "결제 완료",
        [ChargeStatus.Declined] = "승인 거절",
        [ChargeStatus.NotCharged] = "미청구",
        [ChargeStatus.Failed] = "요청 거절",
        [ChargeStatus.Unknown] = "결과 확인 중",
        [ChargeStatus.Refunded] = "환불됨",
        [ChargeStatus.Mismatched] = "확인 필요 (결제 불일치)",
        [ChargeStatus.Scheduled] = "결제 예약됨",
    };

    public static string SubscriptionStatusText(string status) => SubscriptionStatuses.GetValueOrDefault(status, status);

    public static string ChargeStatusText(string status) => ChargeStatuses.GetValueOrDefault(status, status);

    /// <param name="refundFailedCharge">After a failed refund: the charge, whose stored reason the notice shows.</param>
    /// <param name="antiforgeryToken">The customer's antiforgery request token, put in every form that changes something.</param>
    /// <remarks>The page shows the customer's own subscriptions only: nothing shop-wide (counts of other customers'
    /// charges belong on an operator page behind the admin credential).</remarks>
    public static string Render(ShopOptions shop, bool embedded, IReadOnlyList<SubscriptionRow> rows, string? notice,
        RenewalCounts? renewal, long? refundFailedCharge, string antiforgeryToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentException.ThrowIfNullOrEmpty(antiforgeryToken);
        string token = TokenField(antiforgeryToken);
        var html = Head("다날 정기구독 샘플 상점");
        html.Append("<h1>다날 정기구독 샘플 상점</h1>\n");
        html.Append("<p class=\"mode\">")
            .Append(embedded ? "내장 가짜 아임포트: 테스트 카드만 쓰이며 실제로 청구되지 않습니다." : "실제 아임포트 API에 연결되어 있습니다.")
            .Append("</p>\n");

        html.Append("<section class=\"product\">\n<h2 id=\"product-name\">").Append(Html.Encode(shop.ProductName)).Append("</h2>\n")
            .Append("<p id=\"product-price\">월 ").Append(Won(shop.MonthlyPrice)).Append("</p>\n")
            .Append("<div class=\"actions\">\n")
            .Append("<form method=\"post\" action=\"/checkout/register\">").Append(token).Append("<button id=\"register-card\">카드 등록 (지금 0원, 첫 달은 정기결제로 청구)</button></form>\n")
            .Append("<form method=\"post\" action=\"/checkout/subscribe\">").Append(token).Append("<button id=\"subscribe-now\">구독하고 지금 ").Append(Won(shop.MonthlyPrice)).Append(" 결제</button></form>\n")
            .Append("</div>\n")
            .Append("</section>\n");

        html.Append("<p id=\"message\" role=\"status\" data-kind=\"").Append(notice is "refund-failed" or "retry-declined" or "retry-failed" ? "error" : "info").Append("\">")
            .Append(Html.Encode(NoticeText(notice, renewal, refundFailedCharge, rows))).Append("</p>\n");

        html.Append("<section id=\"subscriptions\">\n<h2>내 구독</h2>\n");
        if (rows.Count == 0)
        {
            html.Append("<p id=\"no-subscriptions\">아직 구독이 없습니다.</p>\n");
        }

        var dunningSchedule = Dunning.Schedule(shop.DunningSchedule);
        foreach (var row in rows)
        {
            AppendSubscription(html, row, token, dunningSchedule);
        }

        html.Append("</section>\n");
        html.Append("<section id=\"operator\">\n<h2>운영자</h2>\n")
            .Append("<p>정기결제 작업은 백그라운드에서 실행됩니다. 지금 실행하면 결제일이 된 모든 구독을 한 번씩 청구합니다. 운영자 토큰(")
            .Append(embedded ? "내장 모드에서는 상점을 시작할 때 콘솔에 출력됩니다" : "Shop:AdminToken").Append(")이 필요합니다.</p>\n")
            .Append("<form method=\"post\" action=\"/admin/renewals/run\" class=\"admin\"><label>운영자 토큰 <input id=\"admin-token\" name=\"")
            .Append(ShopSecurity.AdminTokenField).Append("\" type=\"password\" autocomplete=\"off\" required></label> ")
            .Append("<button id=\"run-renewals\">정기결제 지금 실행</button> ")
            .Append("<button id=\"open-operations\" formaction=\"").Append(OperatorPage.Path).Append("\">운영 현황 보기</button></form>\n")
            .Append("</section>\n");

        html.Append("<script src=\"/shop.js\"></script>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>The checkout page: the library's snippet opens the Danal window at once and posts the result to the
    /// verify endpoint, on PC and mobile (Danal answers through the callback); checkout.js turns the snippet's
    /// DOM events into a redirect or a message.</summary>
    public static string RenderCheckout(string productName, string description, string checkoutSnippet)
    {
        var html = Head("결제 · 다날 정기구독 샘플 상점");
        html.Append("<h1>결제</h1>\n<p><span id=\"product-name\">").Append(Html.Encode(productName)).Append("</span> · ")
            .Append(Html.Encode(description)).Append("</p>\n")
            .Append("<p id=\"message\" role=\"status\" data-kind=\"info\">다날 결제창에서 결제를 완료해 주세요.</p>\n")
            .Append("<p><a id=\"back\" href=\"/\">상점으로 돌아가기</a></p>\n")
            .Append("<script src=\"/checkout.js\"></script>\n")
            .Append(checkoutSnippet) // HTML-safe by construction: every value is escaped JSON
            .Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Where a mobile window given no callback lands (<c>m_redirect_url</c>) when the checkout was not applied.</summary>
    public static string RenderCheckoutFailed(string message)
    {
        var html = Head("결제 실패 · 다날 정기구독 샘플 상점");
        html.Append("<h1>결제 실패</h1>\n<p id=\"message\" role=\"status\" data-kind=\"error\">").Append(Html.Encode(message)).Append("</p>\n")
            .Append("<p><a id=\"back\" href=\"/\">상점으로 돌아가기</a></p>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string TokenField(string antiforgeryToken) =>
        "<input type=\"hidden\" name=\"" + ShopSecurity.AntiforgeryField + "\" value=\"" + Html.Encode(antiforgeryToken) + "\">";

    public static string Won(long amount) => amount.ToString("#,0", CultureInfo.InvariantCulture) + "원";

    private static string Count(int count) => count.ToString("#,0", CultureInfo.InvariantCulture) + "건";

    private static string NoticeText(string? notice, RenewalCounts? renewal, long? refundFailedCharge, IReadOnlyList<SubscriptionRow> rows)
    {
        if (notice == "renewals-run" && renewal is { } r)
        {
            return $"정기결제 실행 완료: 승인 {Count(r.Approved)}, 거절 {Count(r.Declined)}, 미청구 {Count(r.NotCharged)}, "
                + $"결과 확인 중 {Count(r.Unknown)}, 요청 거절 {Count(r.Failed)}, 조회로 확정 {Count(r.Reconciled)}"
                + (r.Retried + r.Cancelled > 0 ? $" · 미납 자동 재시도 {Count(r.Retried)}, 미납 해지 {Count(r.Cancelled)}" : "");
        }

        string text = notice is not null && Notices.TryGetValue(notice, out var fixedText) ? fixedText : "";
        if (notice == "refund-failed"
            && rows.SelectMany(row => row.Charges).FirstOrDefault(c => c.Id == refundFailedCharge) is { RefundError: { } reason })
        {
            text += " 사유: " + reason;
        }

        return text;
    }

    private static void AppendSubscription(StringBuilder html, SubscriptionRow row, string token, IReadOnlyList<TimeSpan> dunningSchedule)
    {
        var s = row.Subscription;
        string id = s.Id.ToString(CultureInfo.InvariantCulture);
        html.Append("<div class=\"subscription\" data-testid=\"subscription\" data-id=\"").Append(id)
            .Append("\" data-status=\"").Append(Html.Encode(s.Status)).Append("\">\n")
            .Append("<h3><span class=\"plan\">").Append(Html.Encode(s.PlanName)).Append("</span> · <span class=\"status\">")
            .Append(Html.Encode(SubscriptionStatusText(s.Status))).Append("</span></h3>\n<p>월 ").Append(Won(s.Amount));
        if (s.CardName is not null)
        {
            html.Append(" · 카드 <span class=\"card-name\">").Append(Html.Encode(s.CardName)).Append("</span>");
        }

        if (s.NextChargeOn is { } next)
        {
            html.Append(" · ").Append(s.Status == SubscriptionStatus.PastDue ? "미납 결제일 " : "다음 결제일 ")
                .Append("<span class=\"next-charge\">").Append(next.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("</span>");
        }

        html.Append("</p>\n");
        var declined = row.Charges.FirstOrDefault(c => c.Status is ChargeStatus.Declined or ChargeStatus.Failed && c.DueOn == s.NextChargeOn);
        if (s.Status == SubscriptionStatus.PastDue)
        {
            html.Append("<p class=\"past-due\">결제가 거절되었습니다").Append(declined?.FailReason is { } reason ? ": " + Html.Encode(reason) : "")
                .Append(". 카드를 변경하거나 다시 결제해 주세요.</p>\n");
            AppendDunning(html, row.Dunning, dunningSchedule);
        }
        else if (s.Status == SubscriptionStatus.Cancelled && row.Dunning is { Status: DunningState.Cancelled } ended)
        {
            html.Append("<p class=\"dunning-cancelled\" data-testid=\"dunning-cancelled\">미납으로 구독이 해지되었습니다: 결제가 ")
                .Append((ended.Retries + 1).ToString(CultureInfo.InvariantCulture)).Append("번 거절되어 ")
                .Append(ShopClock.Display(ended.UpdatedAt)).Append("에 구독을 해지하고 카드를 삭제했습니다. 더 이상 청구되지 않습니다.</p>\n");
        }

        if (s.CustomerUid is not null)
        {
            html.Append("<div class=\"actions\">\n");
            if (s.Status == SubscriptionStatus.PastDue && declined is not null)
            {
                AppendPost(html, token, "/subscriptions/" + id + "/retry", "retry", "다시 결제",
                    $"미납된 {Korean.WithObject(Won(declined.Amount))} 지금 등록된 카드로 결제합니다. 계속할까요?");
            }

            AppendPost(html, token, "/subscriptions/" + id + "/change-card", "change-card", "카드 변경", null);
            AppendPost(html, token, "/subscriptions/" + id + "/remove-card", "remove-card", "카드 삭제 (구독 해지)",
                "카드를 삭제하면 되돌릴 수 없고 구독이 해지됩니다. 계속할까요?");
            html.Append("</div>\n");
        }

        if (row.Charges.Count > 0)
        {
            html.Append("<table class=\"charges\">\n<thead><tr><th>기간</th><th>주문번호</th><th>금액</th><th>상태</th><th>비고</th><th></th></tr></thead>\n<tbody>\n");
            foreach (var c in row.Charges)
            {
                string note = c.RefundError is { } refundError ? "환불 실패: " + refundError : c.FailReason ?? "";
                if (c.Attempts > 1 && c.Status is not ChargeStatus.Paid and not ChargeStatus.Refunded)
                {
                    note += (note.Length > 0 ? " · " : "") + "시도 " + c.Attempts.ToString(CultureInfo.InvariantCulture) + "회";
                }

                html.Append("<tr data-testid=\"charge\" data-id=\"").Append(c.Id.ToString(CultureInfo.InvariantCulture))
                    .Append("\" data-status=\"").Append(Html.Encode(c.Status)).Append("\"><td data-label=\"기간\">")
                    .Append(Html.Encode(c.Period.Insert(4, "-"))).Append("</td><td data-label=\"주문번호\" class=\"merchant-uid\">").Append(Html.Encode(c.MerchantUid))
                    .Append("</td><td data-label=\"금액\">").Append(Won(c.Amount)).Append("</td><td data-label=\"상태\" class=\"charge-status\">")
                    .Append(Html.Encode(ChargeStatusText(c.Status))).Append("</td><td data-label=\"비고\" class=\"note\">").Append(Html.Encode(note)).Append("</td><td>");
                if (c.Status == ChargeStatus.Paid)
                {
                    string confirm = SubscriptionActions.IsLatestPaid(c, row.Charges)
                        ? $"{Korean.WithObject(Won(c.Amount))} 환불합니다. 지금 이용 중인 달이므로 구독이 즉시 해지되고 카드가 삭제됩니다. 되돌릴 수 없습니다. 계속할까요?"
                        : $"{Korean.WithObject(Won(c.Amount))} 환불합니다. 이전 달이므로 구독은 계속됩니다. 되돌릴 수 없습니다. 계속할까요?";
                    AppendPost(html, token, "/charges/" + c.Id.ToString(CultureInfo.InvariantCulture) + "/refund", "refund", "환불", confirm);
                }

                if (c.Status is ChargeStatus.Paid or ChargeStatus.Refunded && row.Receipts?.GetValueOrDefault(c.MerchantUid) is { } receipt && ReceiptLink(receipt) is { } link)
                {
                    html.Append("<a class=\"receipt\" href=\"").Append(Html.Encode(link)).Append("\" target=\"_blank\" rel=\"noopener noreferrer\">영수증</a>");
                }

                html.Append("</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
        }

        html.Append("</div>\n");
    }

    private static void AppendDunning(StringBuilder html, DunningState? dunning, IReadOnlyList<TimeSpan> schedule)
    {
        if (schedule.Count == 0)
        {
            return;
        }

        int retries = dunning?.Status == DunningState.Open ? dunning.Retries : 0;
        html.Append("<p class=\"dunning\" data-testid=\"dunning\">자동 재시도 ").Append(retries.ToString(CultureInfo.InvariantCulture)).Append('/')
            .Append(schedule.Count.ToString(CultureInfo.InvariantCulture)).Append('회');
        if (dunning is not null && Dunning.NextRetryAt(dunning, schedule) is { } next)
        {
            html.Append(" · 다음 자동 재시도 <span class=\"next-retry\">").Append(ShopClock.Display(next)).Append("</span>");
        }

        html.Append(". 마지막 재시도까지 결제되지 않으면 구독이 해지되고 카드가 삭제됩니다.</p>\n");
    }

    /// <summary>I'mport's receipt address, only when it is an absolute http(s) address (never a script URL).</summary>
    private static string? ReceiptLink(string receiptUrl) =>
        Uri.TryCreate(receiptUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri.AbsoluteUri : null;

    /// <summary>A button that posts; with <paramref name="confirm"/>, shop.js asks first (irreversible actions).</summary>
    private static void AppendPost(StringBuilder html, string token, string action, string cssClass, string label, string? confirm)
    {
        html.Append("<form method=\"post\" action=\"").Append(action).Append('"');
        if (confirm is not null)
        {
            html.Append(" data-confirm=\"").Append(Html.Encode(confirm)).Append('"');
        }

        html.Append('>').Append(token).Append("<button class=\"").Append(cssClass).Append("\">").Append(Html.Encode(label)).Append("</button></form>\n");
    }

    internal static StringBuilder Head(string title)
    {
        var html = new StringBuilder();
        html.Append("""
            <!doctype html>
            <html lang="ko">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="icon" href="/favicon.svg" type="image/svg+xml">

            """);
        html.Append("<title>").Append(Html.Encode(title)).Append("</title>\n");
        html.Append("""
            <style>
            *, *::before, *::after { box-sizing: border-box; }
            body { font-family: "Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
                   word-break: keep-all; overflow-wrap: anywhere; }
            .product, .subscription { border: 1px solid #ccc; border-radius: 8px; padding: 1rem; margin: 1rem 0; }
            #message:empty { display: none; } #message { padding: .5rem; background: #eef; }
            #message[data-kind=error] { background: #fee; }
            .past-due { color: #a00; }
            .status, .charge-status { white-space: nowrap; }
            button { font: inherit; padding: .35rem .8rem; max-width: 100%; }
            form { display: inline-block; max-width: 100%; margin: 0; }
            .actions { display: flex; flex-wrap: wrap; gap: .4rem; margin: .5rem 0; }
            .admin input { width: 12rem; max-width: 100%; }
            .charges { border-collapse: collapse; width: 100%; }
            .charges td, .charges th { padding: .2rem .6rem; border-bottom: 1px solid #eee; text-align: left; vertical-align: middle; }
            .merchant-uid { font-family: ui-monospace, monospace; font-size: .9em; }
            /* A phone: each charge becomes a small block of labelled lines instead of a table wider than the screen. */
            @media (max-width: 40rem) {
              body { margin: 1rem auto; padding: 0 .75rem; }
              .product, .subscription { padding: .75rem; }
              .charges, .charges tbody, .charges tr, .charges td { display: block; width: 100%; }
              .charges thead { display: none; }
              .charges tr { padding: .5rem 0; border-bottom: 1px solid #ddd; }
              .charges td { border: 0; padding: .1rem 0; }
              .charges td:empty { display: none; }
              .charges td[data-label]::before { content: attr(data-label); display: inline-block; min-width: 4.5rem; color: #666; }
            }
            </style>
            </head>
            <body>

            """);
        return html;
    }
}
