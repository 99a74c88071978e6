using System;
using System.Collections.Generic;
using Iamport.Danal.Payments;

namespace Iamport.Danal.Schedules;

/// <summary>A scheduled charge as I'mport records it (<c>ScheduleResultAnnotation</c>).</summary>
public sealed class Schedule
{
    /// <summary>Gets the billing key to charge (<c>customer_uid</c>).</summary>
    public string? CustomerUid { get; init; }

    /// <summary>Gets the shop's id of the charge (<c>merchant_uid</c>).</summary>
    public required string MerchantUid { get; init; }

    /// <summary>Gets I'mport's id of the payment, or <see langword="null"/> until the schedule has run (<c>imp_uid</c>).</summary>
    public string? ImpUid { get; init; }

    /// <summary>Gets when the charge is due (<c>schedule_at</c>).</summary>
    public DateTimeOffset? ScheduleAt { get; init; }

    /// <summary>Gets when the charge ran (<c>executed_at</c>), or <see langword="null"/>.</summary>
    public DateTimeOffset? ExecutedAt { get; init; }

    /// <summary>Gets when the schedule was revoked (<c>revoked_at</c>), or <see langword="null"/>.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Gets the amount to charge (<c>amount</c>).</summary>
    public decimal Amount { get; init; }

    /// <summary>Gets the currency (<c>currency</c>).</summary>
    public string? Currency { get; init; }

    /// <summary>Gets the order name (<c>name</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Gets the buyer's name (<c>buyer_name</c>).</summary>
    public string? BuyerName { get; init; }

    /// <summary>Gets the buyer's e-mail address (<c>buyer_email</c>).</summary>
    public string? BuyerEmail { get; init; }

    /// <summary>Gets the buyer's phone number (<c>buyer_tel</c>).</summary>
    public string? BuyerTel { get; init; }

    /// <summary>Gets the buyer's address (<c>buyer_addr</c>).</summary>
    public string? BuyerAddr { get; init; }

    /// <summary>Gets the buyer's postcode (<c>buyer_postcode</c>).</summary>
    public string? BuyerPostcode { get; init; }

    /// <summary>Gets the shop's custom data (<c>custom_data</c>).</summary>
    public string? CustomData { get; init; }

    /// <summary>Gets the state of the schedule (<c>schedule_status</c>).</summary>
    public ScheduleStatus? ScheduleStatus { get; init; }

    /// <summary>Gets the outcome of the charge once run (<c>payment_status</c>): paid, failed, cancelled; <see langword="null"/> before.</summary>
    public PaymentStatus? PaymentStatus { get; init; }

    /// <summary>Gets why the charge failed (<c>fail_reason</c>).</summary>
    public string? FailReason { get; init; }
}

/// <summary>The body of <c>POST /subscribe/payments/schedule</c>.</summary>
internal sealed class ScheduleRequest
{
    public required string CustomerUid { get; init; }

    public required IReadOnlyList<ScheduledCharge> Schedules { get; init; }
}

/// <summary>The body of <c>POST /subscribe/payments/unschedule</c>; no merchant_uid revokes every schedule of the key.</summary>
internal sealed class UnscheduleRequest
{
    public required string CustomerUid { get; init; }

    public IReadOnlyList<string>? MerchantUid { get; init; }
}
