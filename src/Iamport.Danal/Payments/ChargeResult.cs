using System;
using System.Diagnostics.CodeAnalysis;

namespace Iamport.Danal;

/// <summary>What happened to a charge: approved, declined, not charged (learnt by a look-up after a lost reply), or a
/// paid answer that does not match the request.</summary>
public enum ChargeOutcome
{
    /// <summary>The card was charged: <c>code 0</c> and <c>status "paid"</c>.</summary>
    Approved,

    /// <summary>The card company refused the charge (<c>status "failed"</c>); <see cref="ChargeResult.FailReason"/> says why. Nothing was charged.</summary>
    Declined,

    /// <summary>The reply was lost and the look-ups found no payment for the merchant_uid, also after
    /// <see cref="IamportOptions.NotChargedSettlePeriod"/>: nothing was charged. Try again with the <b>same</b>
    /// merchant_uid (a new one would be charged even if the first attempt did reach the card company after all), after
    /// asking <see cref="IIamportClient.GetChargeOutcomeAsync"/> about it: whether I'mport's REST API refuses a
    /// merchant_uid that is already paid is undocumented.</summary>
    NotCharged,

    /// <summary>I'mport answered <c>paid</c>, but for a payment that is not this request: another merchant_uid, another
    /// amount or another customer_uid. Money may have moved, but not as asked: do not deliver; <see cref="ChargeResult.Payment"/>
    /// holds what I'mport reported, to refund (<see cref="IIamportClient.CancelPaymentAsync"/>) or investigate. Never
    /// <see cref="ChargeResult.IsApproved"/>; do not charge again before the payment is understood.</summary>
    Mismatched,
}

/// <summary>The outcome of <see cref="IIamportClient.ChargeBillingKeyAsync"/>.</summary>
/// <remarks>Only <see cref="IsApproved"/> means money moved. A declined card is a result, not an exception.</remarks>
public sealed class ChargeResult
{
    internal ChargeResult(ChargeOutcome outcome, string merchantUid, Payment? payment, bool reconciled)
    {
        Outcome = outcome;
        MerchantUid = merchantUid;
        Payment = payment;
        IsReconciled = reconciled;
    }

    /// <summary>Gets what happened.</summary>
    public ChargeOutcome Outcome { get; }

    /// <summary>Gets whether the card was charged; when it was, <see cref="Payment"/> is the payment (never <see langword="null"/>).</summary>
    [MemberNotNullWhen(true, nameof(Payment))]
    public bool IsApproved => Outcome == ChargeOutcome.Approved;

    /// <summary>Gets the merchant_uid of the attempt.</summary>
    public string MerchantUid { get; }

    /// <summary>Gets the payment I'mport recorded (for <see cref="ChargeOutcome.Mismatched"/>, the one it reported), or <see langword="null"/> for <see cref="ChargeOutcome.NotCharged"/>.</summary>
    public Payment? Payment { get; }

    /// <summary>Gets the card company's reason for a decline (<c>fail_reason</c>), usually Korean; <see langword="null"/> otherwise.</summary>
    public string? FailReason => Outcome == ChargeOutcome.Declined ? Payment?.FailReason : null;

    /// <summary>Gets whether the outcome was learnt by looking the order up after the charge's reply was lost.</summary>
    public bool IsReconciled { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Outcome} {MerchantUid}{(IsReconciled ? " (reconciled)" : "")}";
}
