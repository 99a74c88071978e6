using System;
using System.Collections.Generic;

namespace Iamport.Danal.Payments;

/// <summary>A payment as I'mport records it (<c>PaymentAnnotation</c>).</summary>
/// <remarks>Times are <see langword="null"/> where I'mport sends 0 ("did not happen"). Fields I'mport adds later are ignored.</remarks>
/// <seealso href="https://developers.portone.io/api/rest-v1/payment"/>
public sealed class Payment
{
    /// <summary>Gets I'mport's payment id (<c>imp_uid</c>).</summary>
    public required string ImpUid { get; init; }

    /// <summary>Gets the shop's order id (<c>merchant_uid</c>).</summary>
    public required string MerchantUid { get; init; }

    /// <summary>Gets the amount asked for (<c>amount</c>), in KRW.</summary>
    public decimal Amount { get; init; }

    /// <summary>Gets the amount cancelled so far (<c>cancel_amount</c>).</summary>
    public decimal CancelAmount { get; init; }

    /// <summary>Gets the currency (<c>currency</c>), usually <c>KRW</c>.</summary>
    public string? Currency { get; init; }

    /// <summary>Gets the status (<c>status</c>).</summary>
    public PaymentStatus Status { get; init; }

    /// <summary>Gets whether the payment came through a test channel (<c>sandbox</c>).</summary>
    public bool Sandbox { get; init; }

    /// <summary>Gets the payment method (<c>pay_method</c>).</summary>
    public PayMethod? PayMethod { get; init; }

    /// <summary>Gets where the payment started (<c>channel</c>): <c>pc</c>, <c>mobile</c> or <c>api</c>.</summary>
    public string? Channel { get; init; }

    /// <summary>Gets the PG (<c>pg_provider</c>).</summary>
    public PgProvider? PgProvider { get; init; }

    /// <summary>Gets the PG behind a hub PG (<c>emb_pg_provider</c>).</summary>
    public string? EmbPgProvider { get; init; }

    /// <summary>Gets the PG's transaction id (<c>pg_tid</c>).</summary>
    public string? PgTid { get; init; }

    /// <summary>Gets the PG merchant id (<c>pg_id</c>).</summary>
    public string? PgId { get; init; }

    /// <summary>Gets whether the payment is escrowed (<c>escrow</c>).</summary>
    public bool? Escrow { get; init; }

    /// <summary>Gets the card approval number (<c>apply_num</c>).</summary>
    public string? ApplyNum { get; init; }

    /// <summary>Gets the bank code (<c>bank_code</c>).</summary>
    public string? BankCode { get; init; }

    /// <summary>Gets the bank name (<c>bank_name</c>).</summary>
    public string? BankName { get; init; }

    /// <summary>Gets the card company code (<c>card_code</c>).</summary>
    public string? CardCode { get; init; }

    /// <summary>Gets the card company name (<c>card_name</c>).</summary>
    public string? CardName { get; init; }

    /// <summary>Gets the card issuer code (<c>card_issuer_code</c>).</summary>
    public string? CardIssuerCode { get; init; }

    /// <summary>Gets the card issuer name (<c>card_issuer_name</c>).</summary>
    public string? CardIssuerName { get; init; }

    /// <summary>Gets the card publisher code (<c>card_publisher_code</c>).</summary>
    public string? CardPublisherCode { get; init; }

    /// <summary>Gets the card publisher name (<c>card_publisher_name</c>).</summary>
    public string? CardPublisherName { get; init; }

    /// <summary>Gets the installment months (<c>card_quota</c>); 0 is a lump sum.</summary>
    public int? CardQuota { get; init; }

    /// <summary>Gets the masked card number (<c>card_number</c>).</summary>
    public string? CardNumber { get; init; }

    /// <summary>Gets the card type (<c>card_type</c>): 0 credit, 1 check, or <see langword="null"/> when the PG does not say.</summary>
    public int? CardType { get; init; }

    /// <summary>Gets the virtual account bank code (<c>vbank_code</c>).</summary>
    public string? VbankCode { get; init; }

    /// <summary>Gets the virtual account bank name (<c>vbank_name</c>).</summary>
    public string? VbankName { get; init; }

    /// <summary>Gets the virtual account number (<c>vbank_num</c>).</summary>
    public string? VbankNum { get; init; }

    /// <summary>Gets the virtual account holder (<c>vbank_holder</c>).</summary>
    public string? VbankHolder { get; init; }

    /// <summary>Gets the virtual account deadline (<c>vbank_date</c>).</summary>
    public DateTimeOffset? VbankDate { get; init; }

    /// <summary>Gets when the virtual account was issued (<c>vbank_issued_at</c>).</summary>
    public DateTimeOffset? VbankIssuedAt { get; init; }

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

    /// <summary>Gets the shop's custom data (<c>custom_data</c>), a JSON string.</summary>
    public string? CustomData { get; init; }

    /// <summary>Gets the buyer's user agent (<c>user_agent</c>).</summary>
    public string? UserAgent { get; init; }

    /// <summary>Gets when the payment started (<c>started_at</c>).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Gets when the payment was approved (<c>paid_at</c>), or <see langword="null"/>.</summary>
    public DateTimeOffset? PaidAt { get; init; }

    /// <summary>Gets when the payment failed (<c>failed_at</c>), or <see langword="null"/>.</summary>
    public DateTimeOffset? FailedAt { get; init; }

    /// <summary>Gets when the payment was last cancelled (<c>cancelled_at</c>), or <see langword="null"/>.</summary>
    public DateTimeOffset? CancelledAt { get; init; }

    /// <summary>Gets why the payment failed (<c>fail_reason</c>), in the card company's words (usually Korean).</summary>
    public string? FailReason { get; init; }

    /// <summary>Gets why the payment was cancelled (<c>cancel_reason</c>).</summary>
    public string? CancelReason { get; init; }

    /// <summary>Gets the receipt address (<c>receipt_url</c>).</summary>
    public string? ReceiptUrl { get; init; }

    /// <summary>Gets every full or partial cancellation (<c>cancel_history</c>).</summary>
    public IReadOnlyList<PaymentCancellation> CancelHistory { get; init; } = [];

    /// <summary>Gets the cancellation receipt addresses (<c>cancel_receipt_urls</c>; deprecated by I'mport in favour of <see cref="CancelHistory"/>).</summary>
    public IReadOnlyList<string> CancelReceiptUrls { get; init; } = [];

    /// <summary>Gets whether a cash receipt was issued (<c>cash_receipt_issued</c>).</summary>
    public bool? CashReceiptIssued { get; init; }

    /// <summary>Gets the billing key used (<c>customer_uid</c>).</summary>
    public string? CustomerUid { get; init; }

    /// <summary>Gets what the payment did with the billing key (<c>customer_uid_usage</c>); <see langword="null"/> for a normal payment.</summary>
    public CustomerUidUsage? CustomerUidUsage { get; init; }

    /// <summary>Gets the amount that can still be refunded: <see cref="Amount"/> minus <see cref="CancelAmount"/>.</summary>
    public decimal RefundableAmount => Amount - CancelAmount;
}

/// <summary>One full or partial cancellation of a payment (<c>PaymentCancelAnnotation</c>).</summary>
public sealed class PaymentCancellation
{
    /// <summary>Gets the PG's cancellation id (<c>pg_tid</c>).</summary>
    public string? PgTid { get; init; }

    /// <summary>Gets the amount cancelled (<c>amount</c>).</summary>
    public decimal Amount { get; init; }

    /// <summary>Gets when it was cancelled (<c>cancelled_at</c>).</summary>
    public DateTimeOffset? CancelledAt { get; init; }

    /// <summary>Gets the reason given (<c>reason</c>).</summary>
    public string? Reason { get; init; }

    /// <summary>Gets I'mport's id of this cancellation (<c>cancellation_id</c>).</summary>
    public string? CancellationId { get; init; }

    /// <summary>Gets the cancellation receipt address (<c>receipt_url</c>).</summary>
    public string? ReceiptUrl { get; init; }
}
