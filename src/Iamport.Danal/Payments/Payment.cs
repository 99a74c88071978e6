using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;
using Iamport.Danal.Internal;

namespace Iamport.Danal.Payments;

/// <summary>A payment as I'mport records it (<c>PaymentAnnotation</c>).</summary>
/// <remarks>
/// <para>Times are <see langword="null"/> where I'mport sends 0 ("did not happen"). Fields I'mport adds later are ignored.</para>
/// <para>Like every model the client reads from I'mport, its properties are settable (<c>set</c>, not <c>init</c>):
/// source-generated System.Text.Json can only fill init-only properties through a boxed constructor-argument array,
/// which made reading a payment about 30 % slower (tests/Iamport.Danal.Benchmarks). Request models stay <c>init</c>.</para>
/// </remarks>
/// <seealso href="https://developers.portone.io/api/rest-v1/payment"/>
public sealed class Payment
{
    /// <summary>Gets or sets I'mport's payment id (<c>imp_uid</c>).</summary>
    [JsonRequired]
    public string ImpUid { get; set; } = "";

    /// <summary>Gets or sets the shop's order id (<c>merchant_uid</c>).</summary>
    [JsonRequired]
    public string MerchantUid { get; set; } = "";

    /// <summary>Gets or sets the amount asked for (<c>amount</c>), in KRW.</summary>
    public decimal Amount { get; set; }

    /// <summary>Gets or sets the amount cancelled so far (<c>cancel_amount</c>).</summary>
    public decimal CancelAmount { get; set; }

    /// <summary>Gets or sets the currency (<c>currency</c>), usually <c>KRW</c>.</summary>
    public string? Currency { get; set; }

    /// <summary>Gets or sets the status (<c>status</c>).</summary>
    public PaymentStatus Status { get; set; }

    /// <summary>Gets or sets whether the payment came through a test channel (<c>sandbox</c>).</summary>
    public bool Sandbox { get; set; }

    /// <summary>Gets or sets the payment method (<c>pay_method</c>).</summary>
    public PayMethod? PayMethod { get; set; }

    /// <summary>Gets or sets where the payment started (<c>channel</c>): <c>pc</c>, <c>mobile</c> or <c>api</c>.</summary>
    public string? Channel { get; set; }

    /// <summary>Gets or sets the PG (<c>pg_provider</c>).</summary>
    public PgProvider? PgProvider { get; set; }

    /// <summary>Gets or sets the PG behind a hub PG (<c>emb_pg_provider</c>).</summary>
    public string? EmbPgProvider { get; set; }

    /// <summary>Gets or sets the PG's transaction id (<c>pg_tid</c>).</summary>
    public string? PgTid { get; set; }

    /// <summary>Gets or sets the PG merchant id (<c>pg_id</c>).</summary>
    public string? PgId { get; set; }

    /// <summary>Gets or sets whether the payment is escrowed (<c>escrow</c>).</summary>
    public bool? Escrow { get; set; }

    /// <summary>Gets or sets the card approval number (<c>apply_num</c>).</summary>
    public string? ApplyNum { get; set; }

    /// <summary>Gets or sets the bank code (<c>bank_code</c>).</summary>
    public string? BankCode { get; set; }

    /// <summary>Gets or sets the bank name (<c>bank_name</c>).</summary>
    public string? BankName { get; set; }

    /// <summary>Gets or sets the card company code (<c>card_code</c>).</summary>
    public string? CardCode { get; set; }

    /// <summary>Gets or sets the card company name (<c>card_name</c>).</summary>
    public string? CardName { get; set; }

    /// <summary>Gets or sets the card issuer code (<c>card_issuer_code</c>).</summary>
    public string? CardIssuerCode { get; set; }

    /// <summary>Gets or sets the card issuer name (<c>card_issuer_name</c>).</summary>
    public string? CardIssuerName { get; set; }

    /// <summary>Gets or sets the card publisher code (<c>card_publisher_code</c>).</summary>
    public string? CardPublisherCode { get; set; }

    /// <summary>Gets or sets the card publisher name (<c>card_publisher_name</c>).</summary>
    public string? CardPublisherName { get; set; }

    /// <summary>Gets or sets the installment months (<c>card_quota</c>); 0 is a lump sum.</summary>
    public int? CardQuota { get; set; }

    /// <summary>Gets or sets the masked card number (<c>card_number</c>).</summary>
    public string? CardNumber { get; set; }

    /// <summary>Gets or sets the card type (<c>card_type</c>): 0 credit, 1 check, or <see langword="null"/> when the PG does not say.</summary>
    public int? CardType { get; set; }

    /// <summary>Gets or sets the virtual account bank code (<c>vbank_code</c>).</summary>
    public string? VbankCode { get; set; }

    /// <summary>Gets or sets the virtual account bank name (<c>vbank_name</c>).</summary>
    public string? VbankName { get; set; }

    /// <summary>Gets or sets the virtual account number (<c>vbank_num</c>).</summary>
    public string? VbankNum { get; set; }

    /// <summary>Gets or sets the virtual account holder (<c>vbank_holder</c>).</summary>
    public string? VbankHolder { get; set; }

    /// <summary>Gets or sets the virtual account deadline (<c>vbank_date</c>).</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    public DateTimeOffset? VbankDate { get; set; }

    /// <summary>Gets or sets when the virtual account was issued (<c>vbank_issued_at</c>).</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    public DateTimeOffset? VbankIssuedAt { get; set; }

    /// <summary>Gets or sets the order name (<c>name</c>).</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the buyer's name (<c>buyer_name</c>).</summary>
    public string? BuyerName { get; set; }

    /// <summary>Gets or sets the buyer's e-mail address (<c>buyer_email</c>).</summary>
    public string? BuyerEmail { get; set; }

    /// <summary>Gets or sets the buyer's phone number (<c>buyer_tel</c>).</summary>
    public string? BuyerTel { get; set; }

    /// <summary>Gets or sets the buyer's address (<c>buyer_addr</c>).</summary>
    public string? BuyerAddr { get; set; }

    /// <summary>Gets or sets the buyer's postcode (<c>buyer_postcode</c>).</summary>
    public string? BuyerPostcode { get; set; }

    /// <summary>Gets or sets the shop's custom data (<c>custom_data</c>), a JSON string.</summary>
    public string? CustomData { get; set; }

    /// <summary>Gets or sets the buyer's user agent (<c>user_agent</c>).</summary>
    public string? UserAgent { get; set; }

    /// <summary>Gets or sets when the payment started (<c>started_at</c>).</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>Gets or sets when the payment was approved (<c>paid_at</c>), or <see langword="null"/>.</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    public DateTimeOffset? PaidAt { get; set; }

    /// <summary>Gets or sets when the payment failed (<c>failed_at</c>), or <see langword="null"/>.</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    public DateTimeOffset? FailedAt { get; set; }

    /// <summary>Gets or sets when the payment was last cancelled (<c>cancelled_at</c>), or <see langword="null"/>.</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>Gets or sets why the payment failed (<c>fail_reason</c>), in the card company's words (usually Korean).</summary>
    public string? FailReason { get; set; }

    /// <summary>Gets or sets why the payment was cancelled (<c>cancel_reason</c>).</summary>
    public string? CancelReason { get; set; }

    /// <summary>Gets or sets the receipt address (<c>receipt_url</c>).</summary>
    public string? ReceiptUrl { get; set; }

    /// <summary>Gets or sets every full or partial cancellation (<c>cancel_history</c>).</summary>
    public IReadOnlyList<PaymentCancellation> CancelHistory { get; set; } = [];

    /// <summary>Gets or sets the cancellation receipt addresses (<c>cancel_receipt_urls</c>; deprecated by I'mport in favour of <see cref="CancelHistory"/>).</summary>
    public IReadOnlyList<string> CancelReceiptUrls { get; set; } = [];

    /// <summary>Gets or sets whether a cash receipt was issued (<c>cash_receipt_issued</c>).</summary>
    public bool? CashReceiptIssued { get; set; }

    /// <summary>Gets or sets the billing key used (<c>customer_uid</c>).</summary>
    public string? CustomerUid { get; set; }

    /// <summary>Gets or sets what the payment did with the billing key (<c>customer_uid_usage</c>); <see langword="null"/> for a normal payment.</summary>
    public CustomerUidUsage? CustomerUidUsage { get; set; }

    /// <summary>Gets or sets the promotion applied to the payment (<c>promotion</c>), or <see langword="null"/> when none was.</summary>
    public PaymentPromotion? Promotion { get; set; }

    /// <summary>Gets the amount that can still be refunded: <see cref="Amount"/> minus <see cref="CancelAmount"/>.</summary>
    public decimal RefundableAmount => Amount - CancelAmount;
}

/// <summary>One full or partial cancellation of a payment (<c>PaymentCancelAnnotation</c>).</summary>
public sealed class PaymentCancellation
{
    /// <summary>Gets or sets the PG's cancellation id (<c>pg_tid</c>).</summary>
    public string? PgTid { get; set; }

    /// <summary>Gets or sets the amount cancelled (<c>amount</c>).</summary>
    public decimal Amount { get; set; }

    /// <summary>Gets or sets when it was cancelled (<c>cancelled_at</c>).</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>Gets or sets the reason given (<c>reason</c>).</summary>
    public string? Reason { get; set; }

    /// <summary>Gets or sets I'mport's id of this cancellation (<c>cancellation_id</c>).</summary>
    public string? CancellationId { get; set; }

    /// <summary>Gets or sets the cancellation receipt address (<c>receipt_url</c>).</summary>
    public string? ReceiptUrl { get; set; }
}

/// <summary>The promotion applied to a payment (<c>promotion</c> of <c>PaymentAnnotation</c>).</summary>
public sealed class PaymentPromotion
{
    /// <summary>Gets or sets the promotion's id (<c>id</c>, starting with <c>promotion-id-</c>).</summary>
    public string? Id { get; set; }

    /// <summary>Gets or sets the discount taken off the order amount (<c>discount</c>), in KRW.</summary>
    public decimal Discount { get; set; }
}
