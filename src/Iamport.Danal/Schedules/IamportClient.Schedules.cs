using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Internal;
using Iamport.Danal.Schedules;

namespace Iamport.Danal;

public sealed partial class IamportClient
{
    /// <inheritdoc />
    public Task<IReadOnlyList<Schedule>> ScheduleChargesAsync(string customerUid, IReadOnlyList<ScheduledCharge> charges, CancellationToken cancellationToken = default)
    {
        DanalRules.CustomerUid(customerUid, nameof(customerUid));
        Guard.NotNull(charges);
        if (charges.Count == 0)
        {
            throw new ArgumentException("schedules must contain at least one charge.", nameof(charges));
        }

        DateTimeOffset now = _time.GetUtcNow();
        var merchantUids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < charges.Count; i++)
        {
            string prefix = $"{nameof(charges)}[{i}].";
            ScheduledCharge charge = charges[i] ?? throw new ArgumentNullException(prefix.TrimEnd('.'));
            charge.Validate(prefix, now);
            if (!merchantUids.Add(charge.MerchantUid))
            {
                throw new ArgumentException("merchant_uid must be unique within the schedules.", prefix + nameof(ScheduledCharge.MerchantUid));
            }
        }

        var body = new ScheduleRequest { CustomerUid = customerUid, Schedules = charges, ChannelKey = ChannelKeyOrNull };
        var call = ApiRequest.Post("/subscribe/payments/schedule", body, Json.ScheduleRequest, sensitive: customerUid);
        return SendAsync(call, Json.IamportResponseIReadOnlyListSchedule, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Schedule>> UnscheduleAsync(string customerUid, IReadOnlyList<string>? merchantUids = null, CancellationToken cancellationToken = default)
    {
        DanalRules.CustomerUid(customerUid, nameof(customerUid));
        for (int i = 0; i < (merchantUids?.Count ?? 0); i++)
        {
            DanalRules.MerchantUidToFind(merchantUids![i], $"{nameof(merchantUids)}[{i}]");
        }

        var body = new UnscheduleRequest { CustomerUid = customerUid, MerchantUid = merchantUids is { Count: > 0 } ? merchantUids : null };
        var call = ApiRequest.Post("/subscribe/payments/unschedule", body, Json.UnscheduleRequest, sensitive: customerUid);
        return SendAsync(call, Json.IamportResponseIReadOnlyListSchedule, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Schedule?> GetScheduleAsync(string merchantUid, CancellationToken cancellationToken = default)
    {
        DanalRules.MerchantUidToFind(merchantUid, nameof(merchantUid));
        var call = ApiRequest.Get("/subscribe/payments/schedule/{merchant_uid}", "/subscribe/payments/schedule/" + ApiRequest.Segment(merchantUid, nameof(merchantUid)));
        return SendLookupAsync(call, Json.IamportResponseSchedule, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Page<Schedule>> GetSchedulesAsync(string customerUid, DateTimeOffset since, DateTimeOffset until, ScheduleStatus? status = null, int page = 1, CancellationToken cancellationToken = default)
    {
        DanalRules.CustomerUid(customerUid, nameof(customerUid));
        Guard.PageNumber(page, nameof(page));
        if (until <= since)
        {
            throw new ArgumentException("to (until) must be later than from (since).", nameof(until));
        }

        string path = "/subscribe/payments/schedule/customers/" + ApiRequest.Segment(customerUid, nameof(customerUid))
            + "?from=" + since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)
            + "&to=" + until.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)
            + "&page=" + page.ToString(CultureInfo.InvariantCulture)
            + (status is { } s ? "&schedule-status=" + ApiRequest.Query(s.Value, nameof(status)) : "");
        var call = ApiRequest.Get("/subscribe/payments/schedule/customers/{customer_uid}", path, sensitive: customerUid);
        return await SendLookupAsync(call, Json.IamportResponsePageSchedule, cancellationToken).ConfigureAwait(false) ?? new Page<Schedule>();
    }
}
