using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Iamport.Danal.Testing.Hosting;
using Iamport.Danal.Testing.State;
using Iamport.Danal.Testing.Webhooks;

namespace Iamport.Danal.Testing.Routes;

/// <summary>Scheduled charges: register, move, revoke, retry, list, and run when the fake's clock passes <c>schedule_at</c>.</summary>
internal static class ScheduleRoutes
{
    public const string ScheduleNotFound = "예약결제 정보가 존재하지 않습니다.";

    private static readonly string[] ScheduleStatuses = ["scheduled", "executed", "revoked"];

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/subscribe/payments/schedule", Pipeline.Serve(Schedule)).WithName(FakeRoutes.Schedule);
        api.MapGet("/subscribe/payments/schedule", Pipeline.Serve(ListSchedules)).WithName(FakeRoutes.ListSchedules);
        api.MapPost("/subscribe/payments/unschedule", Pipeline.Serve(Unschedule)).WithName(FakeRoutes.Unschedule);
        api.MapGet("/subscribe/payments/schedule/customers/{customer_uid}", Pipeline.Serve(CustomerSchedules)).WithName(FakeRoutes.CustomerSchedules);
        api.MapGet("/subscribe/payments/schedule/{merchant_uid}", Pipeline.Serve(GetSchedule)).WithName(FakeRoutes.GetSchedule);
        api.MapPut("/subscribe/payments/schedule/{merchant_uid}", Pipeline.Serve(UpdateSchedule)).WithName(FakeRoutes.UpdateSchedule);
        api.MapPost("/subscribe/payments/schedule/{merchant_uid}/reschedule", Pipeline.Serve(Reschedule)).WithName(FakeRoutes.Reschedule);
        api.MapPost("/subscribe/payments/schedule/{merchant_uid}/retry", Pipeline.Serve(Retry)).WithName(FakeRoutes.RetrySchedule);
    }

    /// <summary>The latest <c>to</c> a list accepts: three calendar months after <c>from</c> (UTC).</summary>
    public static long LatestTo(long from) => DateTimeOffset.FromUnixTimeSeconds(from).AddMonths(3).ToUnixTimeSeconds();

    /// <summary>Runs every schedule due at the fake's current time; returns each run's webhooks. Caller holds the gate.</summary>
    public static List<List<WebhookEvent>> RunDue(FakeState state)
    {
        // One list per schedule: each run is its own change, so their webhooks go out side by side, not one after another.
        var runs = new List<List<WebhookEvent>>();
        var now = state.NowUnix;
        while (state.FirstPending is { } schedule && schedule.ScheduleAt <= now)
        {
            var webhooks = new List<WebhookEvent>();
            Run(state, schedule, webhooks);
            runs.Add(webhooks);
        }

        return runs;
    }

    /// <summary>The earliest pending <c>schedule_at</c>, if any. Caller holds the gate.</summary>
    public static long? NextDue(FakeState state) => state.FirstPending?.ScheduleAt;

    /// <summary>Charges a schedule now: it becomes <c>executed</c> with the payment's outcome.</summary>
    private static PaymentRecord Run(FakeState state, ScheduleRecord schedule, List<WebhookEvent> webhooks)
    {
        var payment = state.Customers.TryGetValue(schedule.CustomerUid, out var customer)
            ? Charges.Charge(state, customer, schedule.Charge)
            : Charges.Record(state, schedule.CustomerUid, TestCard.Find(null), schedule.Charge, BillingKeyRoutes.UnknownCustomer);
        state.Update(schedule, "executed");
        schedule.ImpUid = payment.ImpUid;
        schedule.ExecutedAt = state.NowUnix;
        schedule.PaymentStatus = payment.Status;
        schedule.FailReason = payment.FailReason;

        // Unlike immediate charges, scheduled attempts are notified whether paid or failed.
        Charges.QueueWebhook(state, payment, webhooks);
        return payment;
    }

    private static IResult Schedule(Call context)
    {
        var body = context.Body;
        if (body is null)
        {
            return Call.BadRequest(Call.UnreadableBody);
        }

        var customerUid = body.String("customer_uid");
        if (string.IsNullOrEmpty(customerUid))
        {
            return Call.Missing("customer_uid");
        }

        if (body.Root["schedules"] is not JsonArray { Count: > 0 } items)
        {
            return Call.Missing("schedules");
        }

        var state = context.State;
        if (!state.Customers.TryGetValue(customerUid, out var customer))
        {
            // Scheduling cannot issue a Danal key: it needs an existing customer_uid.
            return Call.Refused(BillingKeyRoutes.UnknownCustomer);
        }

        var created = new List<ScheduleRecord>();
        var now = state.NowUnix;
        foreach (var item in items)
        {
            if (item is not JsonObject fields)
            {
                return Call.BadRequest("schedules 의 각 항목은 객체여야 합니다.");
            }

            var schedule = RequestBody.FromObject(fields);
            var merchantUid = schedule.String("merchant_uid");
            var scheduleAt = schedule.Decimal("schedule_at");
            var amount = schedule.Decimal("amount");
            foreach (var (name, missing) in new[] { ("merchant_uid", string.IsNullOrEmpty(merchantUid)), ("schedule_at", scheduleAt is null), ("amount", amount is null) })
            {
                if (missing)
                {
                    return Call.Missing("schedules." + name);
                }
            }

            if (amount <= 0)
            {
                return Call.BadRequest("amount 는 0 보다 큰 숫자여야 합니다.");
            }

            if (string.IsNullOrEmpty(schedule.String("name")))
            {
                return Call.BadRequest("다날 정기결제는 name 파라미터가 필수입니다.");
            }

            if ((long)scheduleAt!.Value <= now)
            {
                return Call.Refused("schedule_at 은 현재 시각 이후여야 합니다.");
            }

            if (state.Schedule(merchantUid!) is { ScheduleStatus: not "revoked" }
                || created.Exists(s => s.MerchantUid == merchantUid)
                || Charges.IsMerchantUidSpent(state, merchantUid!))
            {
                return Call.Refused("이미 등록된 merchant_uid 입니다: " + merchantUid);
            }

            var charge = ChargeInput.FromBody(schedule, merchantUid!, amount!.Value, "api", "payment.scheduled");
            if (Charges.InstallmentRefusal(charge) is { } installments)
            {
                return Call.Refused(installments);
            }

            created.Add(new ScheduleRecord(charge)
            {
                CustomerUid = customer.CustomerUid,
                PgId = customer.PgId,
                ScheduleAt = (long)scheduleAt.Value,
                Currency = charge.Currency,
                Sequence = state.NextSequence(),
            });
        }

        foreach (var schedule in created)
        {
            state.Add(schedule);
        }

        return Answer.Ok(new JsonArray([.. created.Select(FakeJsonContext.ToNode)]));
    }

    private static IResult Unschedule(Call context)
    {
        var body = context.Body;
        if (body is null)
        {
            return Call.BadRequest(Call.UnreadableBody);
        }

        // customer_uid alone revokes the key's schedules; merchant_uid alone those schedules, whatever their key; both,
        // those schedules of that key. Only pending ones are revoked: unknown, run or revoked ones are passed over.
        var customerUid = body.String("customer_uid");
        var merchantUids = body.StringList("merchant_uid") is { Count: > 0 } listed ? listed : null;
        if (string.IsNullOrEmpty(customerUid) && merchantUids is null)
        {
            return Call.Missing("customer_uid");
        }

        var state = context.State;
        var candidates = string.IsNullOrEmpty(customerUid)
            ? merchantUids!.Distinct(StringComparer.Ordinal).Select(state.Schedule).OfType<ScheduleRecord>()
            : state.SchedulesOfCustomer(customerUid).Where(s => merchantUids is null || merchantUids.Contains(s.MerchantUid));
        var now = state.NowUnix;
        var revoked = candidates.Where(s => s.ScheduleStatus == "scheduled").ToList();
        if (revoked.Count == 0)
        {
            return Call.Refused("취소할 예약결제 기록이 존재하지 않습니다.");
        }

        foreach (var schedule in revoked)
        {
            state.Update(schedule, "revoked");
            schedule.RevokedAt = now;
        }

        return Answer.Ok(new JsonArray([.. revoked.Select(FakeJsonContext.ToNode)]));
    }

    private static IResult GetSchedule(Call context)
    {
        var schedule = context.State.Schedule(context.Param("merchant_uid"));
        return schedule is null
            ? context.NotFound(ScheduleNotFound)
            : Answer.Ok(FakeJsonContext.ToNode(Refresh(context.State, schedule)));
    }

    /// <summary><c>PUT …/{merchant_uid}</c> <c>{schedule_at}</c>: moves a schedule that has not run yet.</summary>
    private static IResult UpdateSchedule(Call context)
    {
        if (!TryFind(context, out var schedule, out var error) || !TryScheduleAt(context, out var scheduleAt, out error))
        {
            return error!;
        }

        if (schedule.ScheduleStatus != "scheduled")
        {
            return Call.BadRequest("이미 실행되었거나 취소된 결제예약입니다.");
        }

        context.State.Update(schedule, "scheduled", scheduleAt);
        return Answer.Ok(FakeJsonContext.ToNode(schedule));
    }

    /// <summary><c>POST …/{merchant_uid}/reschedule</c> <c>{schedule_at}</c>: a failed or revoked schedule is pending again.</summary>
    private static IResult Reschedule(Call context)
    {
        if (!TryFind(context, out var schedule, out var error) || !TryAgain(schedule, out error) || !TryScheduleAt(context, out var scheduleAt, out error))
        {
            return error!;
        }

        context.State.Update(schedule, "scheduled", scheduleAt);
        schedule.ImpUid = null;
        schedule.ExecutedAt = 0;
        schedule.RevokedAt = 0;
        schedule.PaymentStatus = null;
        schedule.FailReason = null;
        return Answer.Ok(FakeJsonContext.ToNode(schedule));
    }

    /// <summary><c>POST …/{merchant_uid}/retry</c>: charges a failed or revoked schedule now; answers the payment.</summary>
    private static IResult Retry(Call context)
    {
        if (!TryFind(context, out var schedule, out var error) || !TryAgain(schedule, out error))
        {
            return error!;
        }

        if (!context.State.Customers.ContainsKey(schedule.CustomerUid))
        {
            return Answer.Envelope(404, 1, BillingKeyRoutes.UnknownCustomer, null);
        }

        var payment = Run(context.State, schedule, context.Webhooks);
        return Answer.Ok(FakeJsonContext.ToNode(payment));
    }

    /// <summary><c>GET /subscribe/payments/schedule?schedule_from&amp;schedule_to</c>: every customer's schedules with
    /// <c>schedule_from ≤ schedule_at &lt; schedule_to</c> (at most three months), newest first unless
    /// <c>sorting=scheduled</c>, paged by <c>limit</c> (≤ 1000, default 20).</summary>
    private static IResult ListSchedules(Call context)
    {
        var state = context.State;
        return List(context, "schedule_from", "schedule_to", "schedule_status", state.Schedules);
    }

    /// <summary>A customer's schedules with <c>from ≤ schedule_at &lt; to</c> (both required, at most three months), newest first.</summary>
    public static IResult CustomerSchedules(Call context) =>
        List(context, "from", "to", "schedule-status", context.State.SchedulesOfCustomer(context.Param("customer_uid")));

    private static IResult List(Call context, string fromName, string toName, string statusName, IReadOnlyList<ScheduleRecord> schedules)
    {
        var from = context.RequiredTime(fromName, out var error);
        if (from is null)
        {
            return error!;
        }

        var to = context.RequiredTime(toName, out error);
        if (to is null)
        {
            return error!;
        }

        if (to <= from)
        {
            return Call.BadRequest(toName + " 은 " + fromName + " 보다 이후여야 합니다.");
        }

        if (to > LatestTo(from.Value))
        {
            return Call.BadRequest("조회기간은 최대 3개월까지 지정할 수 있습니다.");
        }

        // The customer routes name it schedule-status; schedule_status is taken too.
        var status = context.QueryValue(statusName) ?? context.QueryValue("schedule_status");
        if (!string.IsNullOrEmpty(status) && !ScheduleStatuses.Contains(status, StringComparer.Ordinal))
        {
            return Call.BadRequest(statusName + " 는 scheduled, executed, revoked 중 하나여야 합니다.");
        }

        var limit = context.Limit(20, 1000, out error);
        if (limit is null)
        {
            return error!;
        }

        var sorting = context.QueryValue("sorting");
        if (sorting is not (null or "" or "scheduled" or "-scheduled"))
        {
            return Call.BadRequest("sorting 은 scheduled 또는 -scheduled 여야 합니다.");
        }

        var matching = schedules.Where(s => s.ScheduleAt >= from && s.ScheduleAt < to && (string.IsNullOrEmpty(status) || s.ScheduleStatus == status));
        var ordered = sorting == "scheduled"
            ? matching.OrderBy(s => s.ScheduleAt).ThenBy(s => s.Sequence)
            : matching.OrderByDescending(s => s.ScheduleAt).ThenByDescending(s => s.Sequence);
        var list = ordered.Select(s => Refresh(context.State, s)).ToList();
        return Answer.Ok(Call.Page(list, context.QueryInt("page", 1), limit.Value, FakeJsonContext.ToNode));
    }

    private static bool TryFind(Call context, out ScheduleRecord schedule, out IResult? error)
    {
        schedule = context.State.Schedule(context.Param("merchant_uid"))!;
        error = schedule is null ? context.NotFound(ScheduleNotFound) : null;
        return error is null;
    }

    /// <summary>Only a schedule whose run failed, or one revoked, may run again.</summary>
    private static bool TryAgain(ScheduleRecord schedule, out IResult? error)
    {
        var again = schedule.ScheduleStatus == "revoked" || (schedule.ScheduleStatus == "executed" && schedule.PaymentStatus == "failed");
        error = again ? null : Call.BadRequest("실패했거나 취소된 결제예약만 다시 예약하거나 재시도할 수 있습니다. (현재: " + schedule.ScheduleStatus + ")");
        return again;
    }

    private static bool TryScheduleAt(Call context, out long scheduleAt, out IResult? error)
    {
        scheduleAt = 0;
        var body = context.Body;
        if (body is null)
        {
            error = Call.BadRequest(Call.UnreadableBody);
            return false;
        }

        if (body.Decimal("schedule_at") is not { } at)
        {
            error = Call.Missing("schedule_at");
            return false;
        }

        scheduleAt = (long)at;
        error = scheduleAt <= context.State.NowUnix ? Call.BadRequest("schedule_at 은 현재 시각 이후여야 합니다.") : null;
        return error is null;
    }

    /// <summary>A run schedule's <c>payment_status</c> follows its payment (e.g. to <c>cancelled</c>).</summary>
    private static ScheduleRecord Refresh(FakeState state, ScheduleRecord schedule)
    {
        if (schedule.ImpUid is { } impUid && state.Payment(impUid) is { } payment)
        {
            schedule.PaymentStatus = payment.Status;
        }

        return schedule;
    }
}
