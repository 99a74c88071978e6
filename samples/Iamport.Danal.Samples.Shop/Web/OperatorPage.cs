using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Iamport.Danal.Samples.Shop.Billing;
using Iamport.Danal.Samples.Shop.Data;
using Microsoft.Extensions.Options;

namespace Iamport.Danal.Samples.Shop.Web;

/// <summary>The operator's page, behind the admin token (<see cref="ShopSecurity.AdminPolicy"/>): what needs a person's
/// eye (past due, outcome unknown, claims left beyond the stale age, checkouts pending past the sweep age, refused,
/// mismatched, failed refunds) and two actions, <b>지금 조회</b> (look up through the outcome call, never resend) and
/// <b>지금 재시도</b> (charge a past-due period now, through the renewal's own path).</summary>
/// <remarks>A browser reaches it from the shop page's operator form (<c>POST</c> with the token), an API client with
/// <c>Authorization: Bearer</c>. Each action answers the page itself, with its forms carrying the token again: the token
/// is the credential, there is no admin cookie to forge requests with, and the page is never cached.</remarks>
public static class OperatorPage
{
    /// <summary>The page's address.</summary>
    public const string Path = "/admin/operations";

    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    // Fixed messages chosen by a code: the page never echoes text from a request.
    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["lookup-paid"] = "조회 결과 결제되어 있었습니다. 결제 완료로 기록했습니다.",
        ["lookup-declined"] = "조회 결과 승인이 거절되었습니다. 미납으로 기록했습니다.",
        ["lookup-not-charged"] = "조회 결과 청구되지 않았습니다. 다음 정기결제 실행에서 다시 청구합니다.",
        ["lookup-mismatched"] = "조회 결과 요청과 다른 결제가 있습니다 (결제 불일치). 확인이 필요합니다.",
        ["lookup-unknown"] = "아직 결과를 알 수 없습니다. 잠시 후 다시 조회해 주세요.",
        ["lookup-nothing"] = "조회할 대상이 아닙니다 (이미 처리되었거나 아직 진행 중입니다).",
        ["checkout-verified"] = "조회 결과 결제창이 완료되어 있었습니다. 구독(또는 카드 변경)을 적용했습니다.",
        ["checkout-closed"] = "조회 결과 완료되지 않은 결제창입니다. 닫았습니다.",
        ["retry-paid"] = "다시 결제했습니다. 구독이 다시 이용 중입니다.",
        ["retry-declined"] = "다시 결제했지만 승인이 거절되었습니다.",
        ["retry-unknown"] = "결제 결과를 아직 알 수 없습니다. 다음 정기결제 실행에서 조회해 확정합니다.",
        ["retry-failed"] = "결제 요청이 거절되었습니다.",
        ["retry-nothing"] = "다시 결제할 미납 요금이 없습니다 (이미 결제되었거나 진행 중입니다).",
    };

    /// <summary>Maps the page (<c>GET</c> for API clients, <c>POST</c> from the shop page's operator form) and its actions.</summary>
    public static void MapOperatorPage(this WebApplication app)
    {
        app.MapMethods(Path, [HttpMethods.Get, HttpMethods.Post], async (IShopStore store, IOptions<ShopOptions> shop, TimeProvider time, CancellationToken ct) =>
            await PageAsync(store, shop.Value, time, null, ct)).RequireAuthorization(ShopSecurity.AdminPolicy);

        // 지금 조회: a charge whose outcome is unknown, or claimed beyond the stale age. Only what the page lists: a fresh
        // claim belongs to a live process, and looking it up could call "not charged" a charge still on its way.
        app.MapPost("/admin/charges/{id:long}/lookup", async (long id, IShopStore store, RenewalJob renewals, IOptions<ShopOptions> shop, TimeProvider time,
            ILoggerFactory loggers, IHostApplicationLifetime lifetime) =>
        {
            var charge = (await store.ListUnresolvedChargesAsync(lifetime.ApplicationStopping)).FirstOrDefault(c => c.Id == id);
            string notice = charge is null
                ? "lookup-nothing"
                : await renewals.ReconcileAsync(charge, lifetime.ApplicationStopping) switch
                {
                    RenewalOutcome.Approved => "lookup-paid",
                    RenewalOutcome.Declined => "lookup-declined",
                    RenewalOutcome.NotCharged => "lookup-not-charged",
                    RenewalOutcome.Mismatched => "lookup-mismatched",
                    // Nothing recorded by this look-up: still unknown, or another path (a webhook, a pass) recorded it meanwhile.
                    _ => await store.FindChargeAsync(id, CancellationToken.None) is { Status: ChargeStatus.Unknown or ChargeStatus.Claimed } ? "lookup-unknown" : "lookup-nothing",
                };
            Logger(loggers).OperatorAction("lookup", charge?.MerchantUid ?? "charge " + id.ToString(CultureInfo.InvariantCulture), notice);
            return await PageAsync(store, shop.Value, time, notice, CancellationToken.None);
        }).RequireAuthorization(ShopSecurity.AdminPolicy);

        // 지금 조회 for a checkout still pending past the sweep age: the sweep's own look-up, now.
        app.MapPost("/admin/checkouts/{merchantUid}/lookup", async (string merchantUid, IShopStore store, CheckoutService checkouts, IOptions<ShopOptions> shop,
            TimeProvider time, ILoggerFactory loggers, IHostApplicationLifetime lifetime) =>
        {
            var checkout = (await store.ListStaleCheckoutsAsync(shop.Value.SweepAfter, lifetime.ApplicationStopping)).FirstOrDefault(c => c.MerchantUid == merchantUid);
            string notice = "lookup-nothing";
            if (checkout is not null)
            {
                notice = await checkouts.SweepAsync(checkout, lifetime.ApplicationStopping)
                    ? (await store.FindCheckoutAsync(merchantUid, CancellationToken.None))?.Status == CheckoutRecord.Verified ? "checkout-verified" : "checkout-closed"
                    : "lookup-unknown";
                Logger(loggers).OperatorAction("lookup", checkout.MerchantUid, notice);
            }

            return await PageAsync(store, shop.Value, time, notice, CancellationToken.None);
        }).RequireAuthorization(ShopSecurity.AdminPolicy);

        // 지금 재시도: the past-due period charged now, exactly as the customer's 다시 결제 and the dunning schedule do.
        app.MapPost("/admin/subscriptions/{id:long}/retry", async (long id, IShopStore store, SubscriptionActions actions, IOptions<ShopOptions> shop, TimeProvider time,
            ILoggerFactory loggers) =>
        {
            string notice = await actions.RetryNowAsync(id, CancellationToken.None);
            Logger(loggers).OperatorAction("retry", "subscription " + id.ToString(CultureInfo.InvariantCulture), notice);
            return await PageAsync(store, shop.Value, time, notice, CancellationToken.None);
        }).RequireAuthorization(ShopSecurity.AdminPolicy);
    }

    private static ILogger Logger(ILoggerFactory loggers) => loggers.CreateLogger(typeof(OperatorPage));

    private static async Task<IResult> PageAsync(IShopStore store, ShopOptions shop, TimeProvider time, string? notice, CancellationToken cancellationToken)
    {
        var view = new OperatorView(
            await store.ListPastDueChargesAsync(cancellationToken),
            await store.ListUnresolvedChargesAsync(cancellationToken),
            await store.ListStaleCheckoutsAsync(shop.SweepAfter, cancellationToken),
            await store.ListChargesForOperatorAsync(cancellationToken),
            await store.TallyChargesAsync(cancellationToken),
            await store.ListScheduleRepairsAsync(10, cancellationToken));
        var dunning = new Dictionary<string, DunningState>(StringComparer.Ordinal);
        foreach (var charge in view.PastDue)
        {
            if (await store.FindDunningAsync(charge.SubscriptionId, cancellationToken) is { } state && state.MerchantUid == charge.MerchantUid)
            {
                dunning[charge.MerchantUid] = state;
            }
        }

        return new PageResult(Render(shop, view, dunning, notice, time.GetUtcNow()));
    }

    /// <summary>What the page lists.</summary>
    private sealed record OperatorView(
        IReadOnlyList<Charge> PastDue, IReadOnlyList<Charge> Unresolved, IReadOnlyList<CheckoutRecord> StaleCheckouts, IReadOnlyList<Charge> Other, ChargeTally Tally,
        IReadOnlyList<ScheduleRepair> ScheduleRepairs);

    private static string Render(ShopOptions shop, OperatorView view, IReadOnlyDictionary<string, DunningState> dunning, string? notice, DateTimeOffset now)
    {
        string token = "<input type=\"hidden\" name=\"" + ShopSecurity.AdminTokenField + "\" value=\"" + Html.Encode(shop.AdminToken ?? "") + "\">";
        var schedule = Dunning.Schedule(shop.DunningSchedule);
        var html = ShopPage.Head("운영 현황 · 다날 정기구독 샘플 상점");
        html.Append("<h1>운영 현황</h1>\n<p><a id=\"back\" href=\"/\">상점으로 돌아가기</a> · 기준 시각 ").Append(ShopClock.Display(now)).Append(" (한국 시간)</p>\n");
        html.Append("<p id=\"message\" role=\"status\" data-kind=\"info\">")
            .Append(Html.Encode(notice is not null && Notices.TryGetValue(notice, out var text) ? text : "")).Append("</p>\n");
        html.Append("<p id=\"tally\">결제 상태별: ")
            .Append(Html.Encode(string.Join(", ", view.Tally.ByStatus.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => ShopPage.ChargeStatusText(p.Key) + " " + p.Value.ToString("#,0", CultureInfo.InvariantCulture) + "건"))))
            .Append(view.Tally.ByStatus.Count == 0 ? "없음" : "").Append("</p>\n");

        Section(html, "past-due", "미납 (결제 실패)", "자동 재시도 일정: " + (schedule.Count == 0 ? "없음 (고객의 다시 결제만)" : string.Join(", ", schedule.Select(Days))) + ", 마지막 재시도도 실패하면 해지.",
            ["구독", "기간", "주문번호", "금액", "사유", "시도", "자동 재시도", ""], view.PastDue, c =>
            {
                var state = dunning.GetValueOrDefault(c.MerchantUid);
                string retries = (state?.Retries ?? 0).ToString(CultureInfo.InvariantCulture) + "/" + schedule.Count.ToString(CultureInfo.InvariantCulture) + "회"
                    + (state is not null && Dunning.NextRetryAt(state, schedule) is { } next ? ", 다음 " + ShopClock.Display(next) : "");
                return ([Id(c.SubscriptionId), c.Period.Insert(4, "-"), c.MerchantUid, ShopPage.Won(c.Amount), (c.FailReason ?? "") + " (" + ShopPage.ChargeStatusText(c.Status) + ")",
                    Tries(c), retries], Button("/admin/subscriptions/" + Id(c.SubscriptionId) + "/retry", "retry-now", "지금 재시도", token));
            });

        Section(html, "unresolved", "결과 확인 필요", "결과를 모르는 결제와, 처리 중인데 점유 시간(" + Duration(shop.RenewalLease) + ")이 지난 결제(처리하던 프로세스가 멈춤). 조회는 다시 청구하지 않습니다.",
            ["주문번호", "금액", "상태", "마지막 변경", "시도", ""], view.Unresolved, c =>
                ([c.MerchantUid, ShopPage.Won(c.Amount), c.Status == ChargeStatus.Claimed ? "처리 중 (멈춤)" : ShopPage.ChargeStatusText(c.Status), ShopClock.Display(c.UpdatedAt), Tries(c)],
                    Button("/admin/charges/" + Id(c.Id) + "/lookup", "lookup-now", "지금 조회", token)));

        Section(html, "stale-checkouts", "완료되지 않은 결제창", Duration(shop.SweepAfter) + " 넘게 대기 중인 결제창(탭을 닫았거나 알림이 오지 않음). 조회하면 결제된 것은 적용하고 나머지는 닫습니다.",
            ["주문번호", "금액", "종류", ""], view.StaleCheckouts, c =>
                ([c.MerchantUid, ShopPage.Won(c.Amount), c.Purpose == CheckoutPurpose.CardChange ? "카드 변경" : "구독"],
                    Button("/admin/checkouts/" + Uri.EscapeDataString(c.MerchantUid) + "/lookup", "lookup-checkout", "지금 조회", token)));

        var refused = view.Other.Where(c => c.Status == ChargeStatus.Failed && !view.PastDue.Any(p => p.Id == c.Id)).ToList();
        Section(html, "refused", "요청 거절 (재시도 중)", "결제 전에 거절된 요청은 " + shop.MaxRefusedTries.ToString(CultureInfo.InvariantCulture) + "번까지 다시 청구하고, 그 뒤에는 미납으로 돌립니다.",
            ["주문번호", "금액", "사유", "시도"], refused, c => ([c.MerchantUid, ShopPage.Won(c.Amount), c.FailReason ?? "", Tries(c) + "/" + shop.MaxRefusedTries.ToString(CultureInfo.InvariantCulture)], null));

        Section(html, "mismatched", "결제 불일치", "요청과 다른 금액이나 카드로 결제된 건입니다. 다시 청구하지 않습니다: 아임포트 콘솔에서 확인해 환불하거나 처리하세요.",
            ["주문번호", "금액", "내용"], [.. view.Other.Where(c => c.Status == ChargeStatus.Mismatched)], c => ([c.MerchantUid, ShopPage.Won(c.Amount), c.FailReason ?? ""], null));

        Section(html, "refund-failed", "환불 실패", "환불이 거절된 결제입니다. 결제는 그대로 유효합니다.",
            ["주문번호", "금액", "사유"], [.. view.Other.Where(c => c.Status == ChargeStatus.Paid)], c => ([c.MerchantUid, ShopPage.Won(c.Amount), c.RefundError ?? ""], null));

        Section(html, "schedule-repairs", "예약결제 대사 (복구 내역)", "아임포트 예약결제 목록과 상점 기록을 맞춰 본 결과 중 고친 것이 있던 회차입니다 (최근 10회): 웹훅을 못 받은 결제의 기록, 예약이 빠진 기간의 등록, 쓰지 않는 카드의 예약 취소.",
            ["시각", "결과 기록", "예약 등록", "예약 취소"], view.ScheduleRepairs, r =>
                ([ShopClock.Display(r.At), Count(r.Recorded), Count(r.Registered), Count(r.Revoked)], null));

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Section<T>(StringBuilder html, string id, string title, string description, string[] headers, IReadOnlyList<T> rows, Func<T, (string[] Cells, string? Action)> row)
    {
        html.Append("<section id=\"").Append(id).Append("\">\n<h2>").Append(Html.Encode(title)).Append(" <span class=\"count\">")
            .Append(rows.Count.ToString(CultureInfo.InvariantCulture)).Append("건</span></h2>\n<p>").Append(Html.Encode(description)).Append("</p>\n");
        if (rows.Count == 0)
        {
            html.Append("<p class=\"none\">없습니다.</p>\n</section>\n");
            return;
        }

        html.Append("<table class=\"charges\">\n<thead><tr>");
        foreach (string header in headers)
        {
            html.Append("<th>").Append(Html.Encode(header)).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var item in rows)
        {
            var (cells, action) = row(item);
            int order = Array.IndexOf(headers, "주문번호");
            html.Append("<tr data-testid=\"").Append(id).Append("\" data-merchant-uid=\"").Append(Html.Encode(order >= 0 ? cells[order] : "")).Append("\">");
            for (int i = 0; i < cells.Length; i++)
            {
                html.Append("<td data-label=\"").Append(Html.Encode(headers[i])).Append("\">").Append(Html.Encode(cells[i])).Append("</td>");
            }

            if (action is not null)
            {
                html.Append("<td>").Append(action).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static string Button(string action, string cssClass, string label, string token) =>
        "<form method=\"post\" action=\"" + Html.Encode(action) + "\">" + token + "<button class=\"" + cssClass + "\">" + Html.Encode(label) + "</button></form>";

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Tries(Charge charge) => charge.Attempts.ToString(CultureInfo.InvariantCulture) + "회";

    private static string Days(TimeSpan after) => after.TotalDays >= 1 && after.TotalDays == Math.Floor(after.TotalDays)
        ? after.TotalDays.ToString(CultureInfo.InvariantCulture) + "일 후"
        : Duration(after) + " 후";

    private static string Duration(TimeSpan span) => span.ToString(span.TotalDays >= 1 ? @"d\.hh\:mm\:ss" : @"hh\:mm\:ss", CultureInfo.InvariantCulture);

    /// <summary>The page, never cached: its forms carry the admin token.</summary>
    private sealed class PageResult(string html) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.Headers.CacheControl = "no-store";
            httpContext.Response.ContentType = "text/html; charset=utf-8";
            return httpContext.Response.WriteAsync(html, httpContext.RequestAborted);
        }
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture) + "건";
}
