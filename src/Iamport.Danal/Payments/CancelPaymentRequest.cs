using System;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

/// <summary>A full or partial refund (<c>POST /payments/cancel</c>).</summary>
/// <remarks>
/// <para>Name the payment by <see cref="ImpUid"/> or <see cref="MerchantUid"/>; when both are set I'mport uses <see cref="ImpUid"/>.</para>
/// <para><b>Double refunds.</b> A partial refund (<see cref="Amount"/> set) must state <see cref="Checksum"/>, the refundable
/// balance the caller believes in; I'mport refuses the refund when the balance differs, so a retried or concurrent
/// request cannot refund twice. The balance comes from the caller's own records or from the payment it looked at before
/// deciding to refund, which is what <see cref="Partial"/> does. The library deliberately does not fetch the balance
/// itself just before sending: a retry would then read the already-reduced balance and refund again.</para>
/// </remarks>
/// <example>
/// <code>
/// Payment payment = (await client.GetPaymentAsync(impUid))!;
/// // Safe to retry: a second attempt is refused because the balance no longer matches.
/// var refund = CancelPaymentRequest.Partial(payment, 3_000m, "일부 환불");
/// Payment updated = await client.CancelPaymentAsync(refund);
/// </code>
/// </example>
/// <seealso href="https://developers.portone.io/api/rest-v1/payment"/>
public sealed class CancelPaymentRequest
{
    /// <summary>Gets I'mport's id of the payment to refund (<c>imp_uid</c>); preferred over <see cref="MerchantUid"/>.</summary>
    public string? ImpUid { get; init; }

    /// <summary>Gets the shop's order id of the payment to refund (<c>merchant_uid</c>), used when <see cref="ImpUid"/> is not set.</summary>
    public string? MerchantUid { get; init; }

    /// <summary>Gets the amount to refund (<c>amount</c>), a positive whole number of won; <see langword="null"/> refunds the whole balance.</summary>
    public decimal? Amount { get; init; }

    /// <summary>Gets the tax-free part of the refund (<c>tax_free</c>).</summary>
    public decimal? TaxFree { get; init; }

    /// <summary>Gets the refundable balance the caller believes in (<c>checksum</c>); required when <see cref="Amount"/> is set.</summary>
    /// <remarks>I'mport refuses the refund when the payment's real balance (<c>amount - cancel_amount</c>) differs.</remarks>
    public decimal? Checksum { get; init; }

    /// <summary>Gets why the payment is refunded (<c>reason</c>).</summary>
    public string? Reason { get; init; }

    /// <summary>Gets whether I'mport sends a webhook for this refund (<c>enable_webhook</c>); <see langword="null"/> means no.</summary>
    public bool? EnableWebhook { get; init; }

    /// <summary>Creates a refund of the whole balance of <paramref name="payment"/>, guarded by that balance so a retry cannot refund twice.</summary>
    /// <param name="payment">The payment as the caller last looked it up.</param>
    /// <param name="reason">Why the payment is refunded.</param>
    /// <returns>A request with <see cref="ImpUid"/>, <see cref="Reason"/> and <see cref="Checksum"/> = <see cref="Payment.RefundableAmount"/>, and no <see cref="Amount"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="payment"/> is <see langword="null"/>.</exception>
    public static CancelPaymentRequest Full(Payment payment, string? reason = null)
    {
        Guard.NotNull(payment);
        return new() { ImpUid = payment.ImpUid, Checksum = payment.RefundableAmount, Reason = reason };
    }

    /// <summary>Creates a partial refund of <paramref name="payment"/> guarded by its current refundable balance.</summary>
    /// <param name="payment">The payment as the caller last looked it up.</param>
    /// <param name="amount">The amount to refund.</param>
    /// <param name="reason">Why the payment is refunded.</param>
    /// <returns>A request with <see cref="ImpUid"/>, <see cref="Amount"/>, <see cref="Reason"/> and <see cref="Checksum"/> = <see cref="Payment.RefundableAmount"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="payment"/> is <see langword="null"/>.</exception>
    public static CancelPaymentRequest Partial(Payment payment, decimal amount, string? reason = null)
    {
        Guard.NotNull(payment);
        return new() { ImpUid = payment.ImpUid, Amount = amount, Checksum = payment.RefundableAmount, Reason = reason };
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first field that breaks a rule.</summary>
    internal void Validate()
    {
        const string P = "request.";
        if (string.IsNullOrWhiteSpace(ImpUid) && string.IsNullOrWhiteSpace(MerchantUid))
        {
            throw new ArgumentException("imp_uid or merchant_uid is required.", P + nameof(ImpUid));
        }

        RouteRules.MaxLength(ImpUid, P + nameof(ImpUid), "imp_uid", DanalRules.ImpUidMaxLength);
        RouteRules.MaxLength(MerchantUid, P + nameof(MerchantUid), "merchant_uid", DanalRules.MerchantUidMaxLength);
        if (Amount is { } amount)
        {
            DanalRules.Amount(amount, P + nameof(Amount));
            if (Checksum is not { } checksum)
            {
                throw new ArgumentException("checksum (the refundable balance you expect) is required for a partial refund: it stops double refunds.", P + nameof(Checksum));
            }

            if (amount > checksum)
            {
                throw new ArgumentException("amount must not exceed checksum (the refundable balance).", P + nameof(Amount));
            }
        }

        DanalRules.WholeAmount(Checksum, P + nameof(Checksum), "checksum");
        DanalRules.TaxFree(TaxFree, Amount ?? Checksum ?? decimal.MaxValue, P + nameof(TaxFree));
        RouteRules.Text(Reason, P + nameof(Reason), "reason");
    }
}
