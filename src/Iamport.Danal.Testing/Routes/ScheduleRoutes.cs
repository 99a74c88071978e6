using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Iamport.Danal.Testing.Http;
using Iamport.Danal.Testing.State;
using Iamport.Danal.Testing.Webhooks;

namespace Iamport.Danal.Testing.Routes;

/// <summary>Scheduled charges: register, revoke, look up, and run when the fake's clock passes <c>schedule_at</c>.</summary>
internal static class ScheduleRoutes
{
    public static IEnumerable<Route> All =>
    [
        new(FakeRoutes.Schedule, "POST", "/subscribe/payments/schedule", true, Schedule),
        new(FakeRoutes.Unschedule, "POST", "/subscribe/payments/unschedule", true, Unschedule),
        new(FakeRoutes.CustomerSchedules, "GET", "/subscribe/payments/schedule/customers/{customer_uid}", true, CustomerSchedules),
        new(FakeRoutes.GetSchedule, "GET", "/subscribe/payments/schedule/{merchant_uid}", true, GetSchedule),
    ];

    /// <summary>Runs every schedule due at the fake's current time; returns the webhooks to send. Caller holds the gate.</summary>
    public static List<WebhookEvent> RunDue(FakeState state)
    {
        var webhooks = new List<WebhookEvent>();
        var now = state.NowUnix;
        foreach (var schedule in state.Schedules.Where(s => s.ScheduleStatus == "scheduled" && s.ScheduleAt <= now).OrderBy(s => s.ScheduleAt).ToList())
        {
            var payment = state.Customers.TryGetValue(schedule.CustomerUid, out var customer)
                ? Charges.Charge(state, customer, schedule.Charge)
                : Charges.Record(state, schedule.CustomerUid, TestCard.Find(null), schedule.Charge, BillingKeyRoutes.UnknownCustomer);
            schedule.ImpUid = payment.ImpUid;
            schedule.ExecutedAt = now;
            schedule.ScheduleStatus = "executed";
            schedule.PaymentStatus = payment.Status;
            schedule.FailReason = payment.FailReason;

            // Unlike immediate charges, scheduled attempts are notified whether paid or failed.
            Charges.QueueWebhook(state, payment, webhooks);
        }

        return webhooks;
    }

    /// <summary>The earliest pending <c>schedule_at</c>, if any. Caller holds the gate.</summary>
    public static long? NextDue(FakeState state) =>
        state.Schedules.Where(s => s.ScheduleStatus == "scheduled").Select(s => (long?)s.ScheduleAt).Min();

    private static FakeResponse Schedule(RouteContext context)
    {
        var body = context.Body;
        var customerUid = body?.String("customer_uid");
        if (body is null || string.IsNullOrEmpty(customerUid) || body.Root["schedules"] is not JsonArray { Count: > 0 } items)
        {
            return RouteContext.BadRequest("customer_uid 와 schedules 는 필수입니다.");
        }

        var state = context.State;
        if (!state.Customers.TryGetValue(customerUid, out var customer))
        {
            // Scheduling cannot issue a Danal key: it needs an existing customer_uid.
            return RouteContext.Refused(BillingKeyRoutes.NotSupportedForDanal + " (등록된 customer_uid 가 아닙니다.)");
        }

        var created = new List<ScheduleRecord>();
        var now = state.NowUnix;
        foreach (var item in items)
        {
            if (item is not JsonObject fields)
            {
                return RouteContext.BadRequest("schedules 의 각 항목은 객체여야 합니다.");
            }

            var schedule = RequestBody.FromObject(fields);
            var merchantUid = schedule.String("merchant_uid");
            var scheduleAt = schedule.Decimal("schedule_at");
            var amount = schedule.Decimal("amount");
            if (string.IsNullOrEmpty(merchantUid) || scheduleAt is null || amount is null || amount <= 0)
            {
                return RouteContext.BadRequest("schedules 의 merchant_uid, schedule_at, amount(0 보다 큰 숫자)는 필수입니다.");
            }

            if (string.IsNullOrEmpty(schedule.String("name")))
            {
                return RouteContext.BadRequest("다날 정기결제는 name 파라미터가 필수입니다.");
            }

            if ((long)scheduleAt.Value <= now)
            {
                return RouteContext.Refused("schedule_at 은 현재 시각 이후여야 합니다.");
            }

            if (state.Schedules.Exists(s => s.MerchantUid == merchantUid && s.ScheduleStatus != "revoked")
                || created.Exists(s => s.MerchantUid == merchantUid)
                || Charges.IsMerchantUidSpent(state, merchantUid))
            {
                return RouteContext.Refused("이미 등록된 merchant_uid 입니다: " + merchantUid);
            }

            created.Add(new ScheduleRecord(ChargeInput.FromBody(schedule, merchantUid, amount.Value, "api", "payment.scheduled"))
            {
                CustomerUid = customer.CustomerUid,
                PgId = customer.PgId,
                ScheduleAt = (long)scheduleAt.Value,
            });
        }

        state.Schedules.AddRange(created);
        return FakeResponse.Ok(new JsonArray([.. created.Select(FakeJsonContext.ToNode)]));
    }

    private static FakeResponse Unschedule(RouteContext context)
    {
        var body = context.Body;
        var customerUid = body?.String("customer_uid");
        if (body is null || string.IsNullOrEmpty(customerUid))
        {
            return RouteContext.BadRequest("customer_uid 는 필수입니다.");
        }

        var merchantUids = body.StringList("merchant_uid");
        var now = context.State.NowUnix;
        var revoked = context.State.Schedules
            .Where(s => s.CustomerUid == customerUid && s.ScheduleStatus == "scheduled"
                && (merchantUids is null || merchantUids.Count == 0 || merchantUids.Contains(s.MerchantUid)))
            .ToList();
        if (revoked.Count == 0)
        {
            return RouteContext.Refused("취소할 예약결제 기록이 존재하지 않습니다.");
        }

        foreach (var schedule in revoked)
        {
            schedule.ScheduleStatus = "revoked";
            schedule.RevokedAt = now;
        }

        return FakeResponse.Ok(new JsonArray([.. revoked.Select(FakeJsonContext.ToNode)]));
    }

    private static FakeResponse GetSchedule(RouteContext context)
    {
        var merchantUid = context.Param("merchant_uid");
        var schedule = context.State.Schedules.LastOrDefault(s => s.MerchantUid == merchantUid);
        return schedule is null
            ? context.NotFound("예약결제 정보가 존재하지 않습니다.")
            : FakeResponse.Ok(FakeJsonContext.ToNode(Refresh(context.State, schedule)));
    }

    private static FakeResponse CustomerSchedules(RouteContext context)
    {
        var customerUid = context.Param("customer_uid");
        var from = context.QueryLong("from") ?? long.MinValue;
        var to = context.QueryLong("to") ?? long.MaxValue;
        var status = context.Request.QueryValue("schedule-status") ?? context.Request.QueryValue("schedule_status");
        var schedules = context.State.Schedules
            .Where(s => s.CustomerUid == customerUid && s.ScheduleAt >= from && s.ScheduleAt <= to
                && (string.IsNullOrEmpty(status) || s.ScheduleStatus == status))
            .OrderBy(s => s.ScheduleAt)
            .Select(s => Refresh(context.State, s))
            .ToList();
        return FakeResponse.Ok(RouteContext.Page(schedules, context.QueryInt("page", 1), context.QueryInt("limit", 20), FakeJsonContext.ToNode));
    }

    /// <summary>A run schedule's <c>payment_status</c> follows its payment (e.g. to <c>cancelled</c>).</summary>
    private static ScheduleRecord Refresh(FakeState state, ScheduleRecord schedule)
    {
        if (schedule.ImpUid is { } impUid && state.Payments.Find(p => p.ImpUid == impUid) is { } payment)
        {
            schedule.PaymentStatus = payment.Status;
        }

        return schedule;
    }
}
