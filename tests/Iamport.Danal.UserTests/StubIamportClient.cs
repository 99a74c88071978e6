using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal;
using Iamport.Danal.BillingKeys;
using Iamport.Danal.Payments;
using Iamport.Danal.Schedules;

namespace Shop.Tests;

/// <summary>A hand-written stub of <see cref="IIamportClient"/>: each test sets the answers it needs; anything else fails loudly.</summary>
internal sealed class StubIamportClient : IIamportClient
{
    public Dictionary<string, Payment> PaymentsByImpUid { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Payment> PaymentsByMerchantUid { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, BillingKey> BillingKeys { get; } = new(StringComparer.Ordinal);

    public Func<ChargeRequest, ChargeResult>? Charge { get; set; }

    public Func<PaymentStatus?, AsyncPageable<Payment>>? PaymentsByStatus { get; set; }

    public List<string> Calls { get; } = [];

    public Task<ChargeResult> ChargeBillingKeyAsync(ChargeRequest request, CancellationToken cancellationToken = default)
    {
        Calls.Add("charge " + request.MerchantUid);
        return Task.FromResult((Charge ?? throw Unexpected())(request));
    }

    public Func<ChargeRequest, ChargeResult>? Outcome { get; set; }

    public Task<ChargeResult> GetChargeOutcomeAsync(ChargeRequest request, DateTimeOffset? attemptSentAt = null, CancellationToken cancellationToken = default)
    {
        Calls.Add("outcome " + request.MerchantUid);
        return Task.FromResult((Outcome ?? throw Unexpected())(request));
    }

    public Task<Payment?> GetPaymentAsync(string impUid, CancellationToken cancellationToken = default)
    {
        Calls.Add("get " + impUid);
        return Task.FromResult(PaymentsByImpUid.GetValueOrDefault(impUid));
    }

    public Task<Payment?> FindPaymentAsync(string merchantUid, PaymentStatus? status = null, PaymentSorting? sorting = null, CancellationToken cancellationToken = default)
    {
        Calls.Add("find " + merchantUid);
        return Task.FromResult(PaymentsByMerchantUid.GetValueOrDefault(merchantUid));
    }

    public Task<BillingKey?> GetBillingKeyAsync(string customerUid, CancellationToken cancellationToken = default)
    {
        Calls.Add("key " + customerUid);
        return Task.FromResult(BillingKeys.GetValueOrDefault(customerUid));
    }

    public AsyncPageable<Payment> GetPaymentsByStatusAsync(PaymentStatus? status, DateTimeOffset? since = null, DateTimeOffset? until = null, PaymentSorting? sorting = null, CancellationToken cancellationToken = default) =>
        (PaymentsByStatus ?? throw Unexpected())(status);

    public AsyncPageable<Payment> FindAllPaymentsAsync(string merchantUid, PaymentStatus? status = null, PaymentSorting? sorting = null, CancellationToken cancellationToken = default) => throw Unexpected();

    public Task<LookupResult<Payment>> GetPaymentsAsync(IReadOnlyList<string> impUids, CancellationToken cancellationToken = default) => throw Unexpected();

    public Task<Payment> CancelPaymentAsync(CancelPaymentRequest request, CancellationToken cancellationToken = default) => throw Unexpected();

    public Task<PreparedPayment> PreparePaymentAsync(string merchantUid, decimal amount, CancellationToken cancellationToken = default) => throw Unexpected();

    public Task<PreparedPayment?> GetPreparedPaymentAsync(string merchantUid, CancellationToken cancellationToken = default) => throw Unexpected();

    public Task<LookupResult<BillingKey>> GetBillingKeysAsync(IReadOnlyList<string> customerUids, CancellationToken cancellationToken = default) => throw Unexpected();

    public Task<BillingKey> DeleteBillingKeyAsync(string customerUid, string? reason = null, CancellationToken cancellationToken = default) => throw Unexpected();

    public AsyncPageable<Payment> GetBillingKeyPaymentsAsync(string customerUid, CancellationToken cancellationToken = default) => throw Unexpected();

    public AsyncPageable<Schedule> GetBillingKeySchedulesAsync(string customerUid, DateTimeOffset since, DateTimeOffset until, ScheduleStatus? status = null, CancellationToken cancellationToken = default) => throw Unexpected();

    public Task<IReadOnlyList<Schedule>> ScheduleAsync(string customerUid, IReadOnlyList<ScheduleRequest> schedules, CancellationToken cancellationToken = default) => throw Unexpected();

    public Task<IReadOnlyList<Schedule>> UnscheduleAsync(string customerUid, IReadOnlyList<string> merchantUids, CancellationToken cancellationToken = default) => throw Unexpected();

    public Task<IReadOnlyList<Schedule>> UnscheduleAllAsync(string customerUid, CancellationToken cancellationToken = default) => throw Unexpected();

    public Task<Schedule?> GetScheduleAsync(string merchantUid, CancellationToken cancellationToken = default) => throw Unexpected();

    public AsyncPageable<Schedule> GetSchedulesAsync(string customerUid, DateTimeOffset since, DateTimeOffset until, ScheduleStatus? status = null, CancellationToken cancellationToken = default) => throw Unexpected();

    public AsyncPageable<Schedule> GetSchedulesAsync(DateTimeOffset since, DateTimeOffset until, ScheduleStatus? status = null, ScheduleSorting? sorting = null, CancellationToken cancellationToken = default) => throw Unexpected();

    public Task<Schedule> UpdateScheduleAsync(string merchantUid, DateTimeOffset scheduleAt, CancellationToken cancellationToken = default) => throw Unexpected();

    public Task<Schedule> RescheduleAsync(string merchantUid, DateTimeOffset scheduleAt, CancellationToken cancellationToken = default) => throw Unexpected();

    public Task<Payment> RetryScheduleAsync(string merchantUid, CancellationToken cancellationToken = default) => throw Unexpected();

    private static NotSupportedException Unexpected() => new("The test did not expect this call.");
}
