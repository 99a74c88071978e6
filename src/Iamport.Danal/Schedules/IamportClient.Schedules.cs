using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

public sealed partial class IamportClient
{
    private const string ScheduleRoute = "/subscribe/payments/schedule/{merchant_uid}";

    /// <inheritdoc />
    public Task<IReadOnlyList<Schedule>> ScheduleAsync(string customerUid, IReadOnlyList<ScheduleRequest> schedules, CancellationToken cancellationToken = default)
    {
        DanalRules.CustomerUid(customerUid, nameof(customerUid));
        Guard.NotNull(schedules);
        if (schedules.Count == 0)
        {
            throw new ArgumentException("schedules must contain at least one charge.", nameof(schedules));
        }

        DateTimeOffset now = _time.GetUtcNow();
        var merchantUids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < schedules.Count; i++)
        {
            string prefix = $"{nameof(schedules)}[{i}].";
            ScheduleRequest schedule = schedules[i] ?? throw new ArgumentNullException(prefix.TrimEnd('.'));
            schedule.Validate(prefix, now);
            if (!merchantUids.Add(schedule.MerchantUid))
            {
                throw new ArgumentException("merchant_uid must be unique within the schedules.", prefix + nameof(ScheduleRequest.MerchantUid));
            }
        }

        var body = new ScheduleBody { CustomerUid = customerUid, Schedules = schedules, ChannelKey = ChannelKeyOrNull };
        var call = ApiRequest.Post("/subscribe/payments/schedule", body, Json.ScheduleBody, sensitive: customerUid);
        return SendAsync(call, Json.IamportResponseIReadOnlyListSchedule, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Schedule>> UnscheduleAsync(string customerUid, IReadOnlyList<string> merchantUids, CancellationToken cancellationToken = default)
    {
        DanalRules.CustomerUid(customerUid, nameof(customerUid));
        MerchantUidsToRevoke(merchantUids);
        return SendUnscheduleAsync(customerUid, merchantUids, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Schedule>> UnscheduleAsync(IReadOnlyList<string> merchantUids, CancellationToken cancellationToken = default)
    {
        MerchantUidsToRevoke(merchantUids);
        return SendUnscheduleAsync(null, merchantUids, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Schedule>> UnscheduleAllAsync(string customerUid, CancellationToken cancellationToken = default)
    {
        DanalRules.CustomerUid(customerUid, nameof(customerUid));
        return SendUnscheduleAsync(customerUid, null, cancellationToken);
    }

    /// <summary>At least one merchant_uid, each a valid one: an empty list would revoke every schedule of the key, or ask for nothing.</summary>
    private static void MerchantUidsToRevoke(IReadOnlyList<string> merchantUids)
    {
        Guard.NotNull(merchantUids);
        if (merchantUids.Count == 0)
        {
            throw new ArgumentException($"merchant_uid must name at least one schedule; {nameof(UnscheduleAllAsync)} revokes them all.", nameof(merchantUids));
        }

        for (int i = 0; i < merchantUids.Count; i++)
        {
            DanalRules.MerchantUidToFind(merchantUids[i], $"{nameof(merchantUids)}[{i}]");
        }
    }

    private Task<IReadOnlyList<Schedule>> SendUnscheduleAsync(string? customerUid, IReadOnlyList<string>? merchantUids, CancellationToken cancellationToken)
    {
        var body = new UnscheduleBody { CustomerUid = customerUid, MerchantUid = merchantUids };
        var call = ApiRequest.Post("/subscribe/payments/unschedule", body, Json.UnscheduleBody, sensitive: customerUid);
        return SendAsync(call, Json.IamportResponseIReadOnlyListSchedule, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Schedule?> GetScheduleAsync(string merchantUid, CancellationToken cancellationToken = default)
    {
        DanalRules.MerchantUidToFind(merchantUid, nameof(merchantUid));
        return SendLookupAsync(ApiRequest.Get(ScheduleRoute, SchedulePath(merchantUid)), Json.IamportResponseSchedule, cancellationToken);
    }

    /// <inheritdoc />
    public IamportPageable<Schedule> GetSchedulesByCustomerUidAsync(string customerUid, DateTimeOffset since, DateTimeOffset until, ScheduleStatus? status = null, CancellationToken cancellationToken = default)
    {
        DanalRules.CustomerUid(customerUid, nameof(customerUid));
        ScheduleRange(since, until);
        string path = "/subscribe/payments/schedule/customers/" + ApiRequest.Segment(customerUid, nameof(customerUid))
            + "?from=" + UnixSeconds(since) + "&to=" + UnixSeconds(until)
            + (status is { } s ? "&schedule-status=" + ApiRequest.Query(s.Value, nameof(status)) : "")
            + "&page=";
        return Pageable((page, _) => ApiRequest.Get("/subscribe/payments/schedule/customers/{customer_uid}", path + Number(page), sensitive: customerUid), SendScheduleListAsync, cancellationToken);
    }

    /// <inheritdoc />
    public IamportPageable<Schedule> GetSchedulesAsync(DateTimeOffset since, DateTimeOffset until, ScheduleStatus? status = null, ScheduleSorting? sorting = null, CancellationToken cancellationToken = default)
    {
        ScheduleRange(since, until);
        string path = "/subscribe/payments/schedule?schedule_from=" + UnixSeconds(since) + "&schedule_to=" + UnixSeconds(until)
            + (status is { } s ? "&schedule_status=" + ApiRequest.Query(s.Value, nameof(status)) : "")
            + (sorting is { } o ? "&sorting=" + ApiRequest.Query(o.Value, nameof(sorting)) : "")
            + "&page=";
        return Pageable((page, limit) => ApiRequest.Get("/subscribe/payments/schedule", path + Number(page) + LimitQuery(limit)), SendScheduleListAsync, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Schedule> MoveScheduleAsync(string merchantUid, DateTimeOffset scheduleAt, CancellationToken cancellationToken = default)
    {
        DanalRules.MerchantUidToFind(merchantUid, nameof(merchantUid));
        FutureScheduleAt(scheduleAt);
        var call = ApiRequest.Put(ScheduleRoute, SchedulePath(merchantUid), new ScheduleAtBody { ScheduleAt = scheduleAt }, Json.ScheduleAtBody);
        return SendAsync(call, Json.IamportResponseSchedule, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Schedule> ScheduleAgainAsync(string merchantUid, DateTimeOffset scheduleAt, CancellationToken cancellationToken = default)
    {
        DanalRules.MerchantUidToFind(merchantUid, nameof(merchantUid));
        FutureScheduleAt(scheduleAt);
        var body = new ScheduleAtBody { ScheduleAt = scheduleAt };
        var call = ApiRequest.Post(ScheduleRoute + "/reschedule", SchedulePath(merchantUid) + "/reschedule", body, Json.ScheduleAtBody);
        return SendAsync(call, Json.IamportResponseSchedule, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ChargeResult> RetryScheduleAsync(Schedule schedule, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(schedule);
        DanalRules.MerchantUidToFind(schedule.MerchantUid, nameof(schedule) + "." + nameof(Schedule.MerchantUid));
        DanalRules.CustomerUid(schedule.CustomerUid!, nameof(schedule) + "." + nameof(Schedule.CustomerUid));

        // The retry charges the schedule's key for the schedule's amount: classified as that charge would be, so a lost
        // reply is looked up (through the same classifier) instead of being reported as an unknown exception.
        var charge = new ChargeRequest { CustomerUid = schedule.CustomerUid!, MerchantUid = schedule.MerchantUid, Amount = schedule.Amount, Name = schedule.Name ?? "" };
        var call = ApiRequest.Post(ScheduleRoute + "/retry", SchedulePath(schedule.MerchantUid) + "/retry", sensitive: schedule.CustomerUid);
        return ChargeAsync(call, charge, cancellationToken);
    }

    private async Task<IamportPage<Schedule>?> SendScheduleListAsync(ApiRequest call, CancellationToken cancellationToken) =>
        (await SendLookupAsync(call, Json.IamportResponseScheduleList, cancellationToken).ConfigureAwait(false))?.Page;

    private void FutureScheduleAt(DateTimeOffset scheduleAt)
    {
        if (scheduleAt <= _time.GetUtcNow())
        {
            throw new ArgumentException("schedule_at must be in the future.", nameof(scheduleAt));
        }
    }

    /// <summary>I'mport lists schedules of at most 3 months, <c>from</c> inclusive and <c>to</c> exclusive.</summary>
    private static void ScheduleRange(DateTimeOffset since, DateTimeOffset until)
    {
        if (until <= since)
        {
            throw new ArgumentException("to (until) must be later than from (since).", nameof(until));
        }

        if (until > since.ToUniversalTime().AddMonths(3))
        {
            throw new ArgumentException("from and to (since, until) may span at most 3 months.", nameof(until));
        }
    }

    private static string SchedulePath(string merchantUid) => "/subscribe/payments/schedule/" + ApiRequest.Segment(merchantUid, nameof(merchantUid));

    private static string UnixSeconds(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
