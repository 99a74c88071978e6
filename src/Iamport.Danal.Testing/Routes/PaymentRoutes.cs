using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Iamport.Danal.Testing.Hosting;
using Iamport.Danal.Testing.State;

namespace Iamport.Danal.Testing.Routes;

/// <summary>Payment look-ups, cancel and prepare.</summary>
internal static class PaymentRoutes
{
    public const string PaymentNotFound = "존재하지 않는 결제정보입니다.";
    public const string NothingToCancel = "취소할 결제건이 존재하지 않습니다.";

    public const string AlreadyCancelled = "이미 전액취소된 주문입니다.";

    private static readonly string[] Statuses = ["ready", "paid", "failed", "cancelled"];
    private static readonly string[] Sortings = ["-started", "started", "-paid", "paid", "-updated", "updated"];

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/payments/cancel", Pipeline.Serve(Cancel)).WithName(FakeRoutes.Cancel);
        api.MapPost("/payments/prepare", Pipeline.Serve(Prepare)).WithName(FakeRoutes.Prepare);
        api.MapPut("/payments/prepare", Pipeline.Serve(UpdatePrepared)).WithName(FakeRoutes.UpdatePrepared);
        api.MapGet("/payments/prepare/{merchant_uid}", Pipeline.Serve(GetPrepared)).WithName(FakeRoutes.GetPrepared);
        api.MapGet("/payments/find/{merchant_uid}/{status?}", Pipeline.Serve(Find)).WithName(FakeRoutes.FindPayment);
        api.MapGet("/payments/findAll/{merchant_uid}/{status?}", Pipeline.Serve(FindAll)).WithName(FakeRoutes.FindAllPayments);
        api.MapGet("/payments/status/{payment_status}", Pipeline.Serve(ByStatus)).WithName(FakeRoutes.PaymentsByStatus);
        api.MapGet("/payments/{imp_uid}", Pipeline.Serve(GetPayment)).WithName(FakeRoutes.GetPayment);
        api.MapGet("/payments", Pipeline.Serve(GetMany)).WithName(FakeRoutes.GetPayments);
    }

    /// <summary>The longest period <c>GET /payments/status/{payment_status}</c> searches.</summary>
    public static readonly TimeSpan StatusSearchSpan = TimeSpan.FromDays(90);

    /// <summary>How many ids <c>GET /payments</c> takes at once.</summary>
    public const int MaxMultiGet = 100;

    private static IResult GetPayment(Call context)
    {
        var payment = Visible(context, context.State.Payment(context.Param("imp_uid")));
        return payment is null ? context.NotFound(PaymentNotFound) : Answer.Ok(FakeJsonContext.ToNode(payment));
    }

    /// <summary><c>GET /payments/{imp_uid}</c> hides a test-channel payment unless <c>include_sandbox=true</c> (documented).</summary>
    private static PaymentRecord? Visible(Call context, PaymentRecord? payment) =>
        payment is not null && (context.IncludeSandbox || !payment.Sandbox) ? payment : null;

    /// <summary>Whether the other look-ups (find, findAll, the status list, multi-get) show test-channel payments: where
    /// <c>include_sandbox</c> is undocumented they do, unless <see cref="FakeIamportOptions.HideSandboxFromSearches"/>.</summary>
    private static bool SearchShowsSandbox(Call context) => context.IncludeSandbox || !context.State.Options.HideSandboxFromSearches;

    /// <summary><c>GET /payments?imp_uid[]=…&amp;merchant_uid[]=…</c>: HTTP 200 when all are found, 207 with those found
    /// when some are not, 404 when none is.</summary>
    private static IResult GetMany(Call context)
    {
        var impUids = context.QueryValues("imp_uid[]").Concat(context.QueryValues("imp_uid")).ToList();
        var merchantUids = context.QueryValues("merchant_uid[]").Concat(context.QueryValues("merchant_uid")).ToList();
        if (impUids.Count + merchantUids.Count == 0)
        {
            return Call.Missing("imp_uid[] 또는 merchant_uid[]");
        }

        if (impUids.Count + merchantUids.Count > MaxMultiGet)
        {
            return Call.BadRequest("한 번에 최대 100건까지 조회할 수 있습니다.");
        }

        var found = new List<PaymentRecord>();
        var sandbox = SearchShowsSandbox(context);
        found.AddRange(impUids.Select(id => context.State.Payment(id)).OfType<PaymentRecord>().Where(p => sandbox || !p.Sandbox));
        found.AddRange(merchantUids
            .Select(id => Charges.Sort(context.State.PaymentsOf(id, sandbox), "-started").FirstOrDefault())
            .OfType<PaymentRecord>());
        var list = found.DistinctBy(p => p.ImpUid).ToList();
        if (list.Count == 0)
        {
            return context.NotFound(PaymentNotFound);
        }

        var body = new JsonArray([.. list.Select(FakeJsonContext.ToNode)]);
        return found.Count < impUids.Count + merchantUids.Count
            ? Answer.Envelope(207, 0, "요청하신 결제건 중 일부를 찾을 수 없습니다.", body)
            : Answer.Ok(body);
    }

    /// <summary><c>GET /payments/status/{payment_status}</c>: by the time of the payment's current status, <c>from</c> and
    /// <c>to</c> both inclusive, at most 90 days (defaults: the 90 days before now), paged, <c>-started</c> first by default.</summary>
    private static IResult ByStatus(Call context)
    {
        var status = context.Param("payment_status");
        if (status != "all" && !Statuses.Contains(status, StringComparer.Ordinal))
        {
            return Call.BadRequest("payment_status 는 all, ready, paid, failed, cancelled 중 하나여야 합니다.");
        }

        var to = context.QueryLong("to") ?? context.State.NowUnix;
        var from = context.QueryLong("from") ?? to - (long)StatusSearchSpan.TotalSeconds;
        if (from > to)
        {
            return Call.BadRequest("from 은 to 보다 이전이어야 합니다.");
        }

        if (to - from > (long)StatusSearchSpan.TotalSeconds)
        {
            return Call.BadRequest("검색기간은 최대 90일까지 지정할 수 있습니다.");
        }

        var limit = context.Limit(20, 1000, out var error);
        if (limit is null)
        {
            return error!;
        }

        var sorting = context.QueryValue("sorting");
        if (sorting is not null && !Sortings.Contains(sorting, StringComparer.Ordinal))
        {
            return Call.BadRequest("sorting 은 -started, started, -paid, paid, -updated, updated 중 하나여야 합니다.");
        }

        var sandbox = SearchShowsSandbox(context);
        var matching = context.State.Payments.Where(p =>
        {
            if ((status != "all" && p.Status != status) || (p.Sandbox && !sandbox))
            {
                return false;
            }

            var at = p.Status switch
            {
                "paid" => p.PaidAt,
                "cancelled" => p.CancelledAt,
                "failed" => p.FailedAt,
                _ => p.StartedAt,
            };
            return at >= from && at <= to;
        });
        var payments = Charges.Sort(matching, sorting);
        var page = context.QueryInt("page", 1);
        if (page < 1 || (page > 1 && (long)(page - 1) * limit.Value >= payments.Length))
        {
            return Call.BadRequest("page 가 데이터 범위를 벗어났습니다.");
        }

        return Answer.Ok(Call.Page(payments, page, limit.Value, FakeJsonContext.ToNode));
    }

    private static PaymentRecord[]? Matching(Call context, out IResult? error)
    {
        error = null;
        var status = context.OptionalParam("status");
        if (status is not null && !Statuses.Contains(status, StringComparer.Ordinal))
        {
            error = Call.BadRequest("status 는 ready, paid, failed, cancelled 중 하나여야 합니다.");
            return null;
        }

        var payments = context.State.PaymentsOf(context.Param("merchant_uid"), SearchShowsSandbox(context))
            .Where(p => status is null || p.Status == status);
        return Charges.Sort(payments, context.QueryValue("sorting"));
    }

    private static IResult Find(Call context)
    {
        var payments = Matching(context, out var error);
        if (payments is null)
        {
            return error!;
        }

        return payments.Length == 0 ? context.NotFound(PaymentNotFound) : Answer.Ok(FakeJsonContext.ToNode(payments[0]));
    }

    private static IResult FindAll(Call context)
    {
        var payments = Matching(context, out var error);
        if (payments is null)
        {
            return error!;
        }

        if (payments.Length == 0)
        {
            return context.NotFound(PaymentNotFound);
        }

        return Answer.Ok(Call.Page(payments, context.QueryInt("page", 1), context.QueryInt("limit", 20), FakeJsonContext.ToNode));
    }

    private static IResult Cancel(Call context)
    {
        var body = context.Body;
        if (body is null)
        {
            return Call.BadRequest(Call.UnreadableBody);
        }

        var state = context.State;
        var impUid = body.String("imp_uid");
        var merchantUid = body.String("merchant_uid");
        PaymentRecord? payment = null;
        if (!string.IsNullOrEmpty(impUid))
        {
            payment = state.Payment(impUid);
        }
        else if (!string.IsNullOrEmpty(merchantUid))
        {
            payment = Charges.Sort(state.PaymentsOfOrder(merchantUid).Where(p => p.Status is "paid" or "cancelled"), "-started").FirstOrDefault();
        }
        else
        {
            return Call.BadRequest("imp_uid 또는 merchant_uid 가 필요합니다.");
        }

        if (payment is null || payment.Status != "paid")
        {
            return Call.Refused(payment?.Status == "cancelled" ? AlreadyCancelled : NothingToCancel);
        }

        var refundable = payment.Amount - payment.CancelAmount;
        var requested = body.Decimal("amount") ?? 0;
        if (requested < 0)
        {
            return Call.BadRequest("amount 는 0 이상이어야 합니다.");
        }

        var amount = requested == 0 ? refundable : requested;
        if (body.Decimal("checksum") is { } checksum && checksum != refundable)
        {
            return Call.Refused(string.Format(CultureInfo.InvariantCulture,
                "[환불금액 검증 실패] 요청하신 checksum({0}) 이 취소가능금액({1}) 과 일치하지 않습니다.", checksum, refundable));
        }

        if (ExceedsRefundable(payment, amount) is { } exceeds)
        {
            return Call.Refused(exceeds);
        }

        var cancellationId = Refund(state, payment, amount, body.String("reason"));
        if (body.Bool("enable_webhook"))
        {
            Charges.QueueWebhook(state, payment, context.Webhooks, cancellationId);
        }

        return Answer.Ok(FakeJsonContext.ToNode(payment));
    }

    /// <summary>The refusal of a refund larger than what is left, or <see langword="null"/> when it fits.</summary>
    public static string? ExceedsRefundable(PaymentRecord payment, decimal amount)
    {
        var refundable = payment.Amount - payment.CancelAmount;
        return amount > refundable
            ? string.Format(CultureInfo.InvariantCulture, "취소요청금액({0}) 이 취소가능금액({1}) 을 초과합니다.", amount, refundable)
            : null;
    }

    /// <summary>Refunds <paramref name="amount"/> of a paid payment (checked by the caller): a cancel history entry, and
    /// <c>cancelled</c> once nothing is left. The one refund rule of the REST route and the console. Caller holds the gate.</summary>
    /// <returns>The new <c>cancellation_id</c>.</returns>
    public static string Refund(FakeState state, PaymentRecord payment, decimal amount, string? reason)
    {
        var now = state.NowUnix;
        var cancellationId = "cancel_" + state.NewDigits(16);
        var receipt = "https://fake-danal.invalid/receipts/" + payment.ImpUid + "/" + cancellationId;
        payment.CancelAmount += amount;
        payment.CancelHistory.Add(new CancelRecord
        {
            PgTid = payment.PgTid,
            Amount = amount,
            CancelledAt = now,
            Reason = reason,
            CancellationId = cancellationId,
            ReceiptUrl = receipt,
        });
        payment.CancelReceiptUrls.Add(receipt);
        payment.CancelReason = reason;
        if (payment.CancelAmount >= payment.Amount)
        {
            payment.Status = "cancelled";
            payment.CancelledAt = now;
        }

        return cancellationId;
    }

    private static IResult Prepare(Call context)
    {
        if (PrepareBody(context, out var merchantUid, out var amount) is { } invalid)
        {
            return invalid;
        }

        if (context.State.Prepared.ContainsKey(merchantUid))
        {
            return Call.Refused("이미 사전등록된 merchant_uid 입니다.");
        }

        var prepared = new PreparedRecord { MerchantUid = merchantUid, Amount = amount };
        context.State.Prepared[merchantUid] = prepared;
        return Answer.Ok(FakeJsonContext.ToNode(prepared));
    }

    /// <summary><c>PUT /payments/prepare</c> <c>{merchant_uid, amount}</c>: changes a registered amount; an unknown
    /// merchant_uid is not found (the schema: 404), and nothing is registered by it.</summary>
    private static IResult UpdatePrepared(Call context)
    {
        if (PrepareBody(context, out var merchantUid, out var amount) is { } invalid)
        {
            return invalid;
        }

        if (!context.State.Prepared.TryGetValue(merchantUid, out var registered))
        {
            return context.NotFound(PreparedNotFound);
        }

        var prepared = new PreparedRecord { MerchantUid = merchantUid, Amount = amount, Currency = registered.Currency };
        context.State.Prepared[merchantUid] = prepared;
        return Answer.Ok(FakeJsonContext.ToNode(prepared));
    }

    /// <summary>The body of both prepare routes: a merchant_uid and an amount of 0 or more; otherwise the HTTP 400 to answer.</summary>
    private static IResult? PrepareBody(Call context, out string merchantUid, out decimal amount)
    {
        var body = context.Body;
        merchantUid = body?.String("merchant_uid") ?? "";
        amount = body?.Decimal("amount") ?? -1;
        return body is null ? Call.BadRequest(Call.UnreadableBody)
            : merchantUid.Length == 0 || amount < 0 ? Call.BadRequest("merchant_uid 와 amount 는 필수입니다.")
            : null;
    }

    private static IResult GetPrepared(Call context) =>
        context.State.Prepared.TryGetValue(context.Param("merchant_uid"), out var prepared)
            ? Answer.Ok(FakeJsonContext.ToNode(prepared))
            : context.NotFound(PreparedNotFound, asHttp200: true);

    private const string PreparedNotFound = "사전등록된 결제정보가 존재하지 않습니다.";
}
