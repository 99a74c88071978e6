using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

/// <summary>A payment as I'mport records it (<c>PaymentAnnotation</c>).</summary>
/// <remarks>
/// <para>Times are <see langword="null"/> where I'mport sends 0 ("did not happen"). Fields I'mport adds later are ignored.</para>
/// <para>Read-only to users, like every model the client reads from I'mport: build one in a test with
/// <see cref="IamportModelFactory.Payment"/>. The setters are internal with <c>[JsonInclude]</c>, not <c>init</c>:
/// source-generated System.Text.Json can only fill init-only properties through a boxed constructor-argument array,
/// which made reading a payment about 30 % slower (tests/Iamport.Danal.Benchmarks).</para>
/// </remarks>
/// <seealso href="https://developers.portone.io/api/rest-v1/payment"/>
public sealed class Payment
{
    [JsonConstructor]
    internal Payment()
    {
    }

    /// <summary>Gets I'mport's payment id (<c>imp_uid</c>).</summary>
    [JsonRequired]
    [JsonInclude]
    public string ImpUid { get; internal set; } = "";

    /// <summary>Gets the shop's order id (<c>merchant_uid</c>).</summary>
    [JsonRequired]
    [JsonInclude]
    public string MerchantUid { get; internal set; } = "";

    /// <summary>Gets the amount asked for (<c>amount</c>), in KRW.</summary>
    [JsonInclude]
    public decimal Amount { get; internal set; }

    /// <summary>Gets the amount cancelled so far (<c>cancel_amount</c>).</summary>
    [JsonInclude]
    public decimal CancelAmount { get; internal set; }

    /// <summary>Gets the currency (<c>currency</c>), usually <c>KRW</c>.</summary>
    [JsonInclude]
    public string? Currency { get; internal set; }

    /// <summary>Gets the status (<c>status</c>).</summary>
    [JsonInclude]
    public PaymentStatus Status { get; internal set; }

    /// <summary>Gets whether the payment came through a test channel (<c>sandbox</c>).</summary>
    [JsonPropertyName("sandbox")]
    [JsonInclude]
    public bool IsSandbox { get; internal set; }

    /// <summary>Gets the payment method (<c>pay_method</c>).</summary>
    [JsonInclude]
    public PayMethod? PayMethod { get; internal set; }

    /// <summary>Gets where the payment started (<c>channel</c>): <c>pc</c>, <c>mobile</c> or <c>api</c>.</summary>
    [JsonInclude]
    public string? Channel { get; internal set; }

    /// <summary>Gets the PG (<c>pg_provider</c>).</summary>
    [JsonInclude]
    public PgProvider? PgProvider { get; internal set; }

    /// <summary>Gets the PG behind a hub PG (<c>emb_pg_provider</c>).</summary>
    [JsonPropertyName("emb_pg_provider")]
    [JsonInclude]
    public string? EmbeddedPgProvider { get; internal set; }

    /// <summary>Gets the PG's transaction id (<c>pg_tid</c>).</summary>
    [JsonPropertyName("pg_tid")]
    [JsonInclude]
    public string? PgTransactionId { get; internal set; }

    /// <summary>Gets the PG merchant id (<c>pg_id</c>).</summary>
    [JsonInclude]
    public string? PgId { get; internal set; }

    /// <summary>Gets whether the payment is escrowed (<c>escrow</c>).</summary>
    [JsonPropertyName("escrow")]
    [JsonInclude]
    public bool? IsEscrow { get; internal set; }

    /// <summary>Gets the card approval number (<c>apply_num</c>).</summary>
    [JsonPropertyName("apply_num")]
    [JsonInclude]
    public string? ApprovalNumber { get; internal set; }

    /// <summary>Gets the bank code (<c>bank_code</c>).</summary>
    [JsonInclude]
    public string? BankCode { get; internal set; }

    /// <summary>Gets the bank name (<c>bank_name</c>).</summary>
    [JsonInclude]
    public string? BankName { get; internal set; }

    /// <summary>Gets the card company code (<c>card_code</c>).</summary>
    [JsonInclude]
    public string? CardCode { get; internal set; }

    /// <summary>Gets the card company name (<c>card_name</c>).</summary>
    [JsonInclude]
    public string? CardName { get; internal set; }

    /// <summary>Gets the card issuer code (<c>card_issuer_code</c>).</summary>
    [JsonInclude]
    public string? CardIssuerCode { get; internal set; }

    /// <summary>Gets the card issuer name (<c>card_issuer_name</c>).</summary>
    [JsonInclude]
    public string? CardIssuerName { get; internal set; }

    /// <summary>Gets the card publisher code (<c>card_publisher_code</c>).</summary>
    [JsonInclude]
    public string? CardPublisherCode { get; internal set; }

    /// <summary>Gets the card publisher name (<c>card_publisher_name</c>).</summary>
    [JsonInclude]
    public string? CardPublisherName { get; internal set; }

    /// <summary>Gets the installment months (<c>card_quota</c>); 0 is a lump sum.</summary>
    [JsonInclude]
    public int? CardQuota { get; internal set; }

    /// <summary>Gets the masked card number (<c>card_number</c>).</summary>
    [JsonInclude]
    public string? CardNumber { get; internal set; }

    /// <summary>Gets the card type (<c>card_type</c>): 0 credit, 1 check, or <see langword="null"/> when the PG does not say.</summary>
    [JsonInclude]
    public int? CardType { get; internal set; }

    /// <summary>Gets the virtual account bank code (<c>vbank_code</c>).</summary>
    [JsonInclude]
    public string? VbankCode { get; internal set; }

    /// <summary>Gets the virtual account bank name (<c>vbank_name</c>).</summary>
    [JsonInclude]
    public string? VbankName { get; internal set; }

    /// <summary>Gets the virtual account number (<c>vbank_num</c>).</summary>
    [JsonPropertyName("vbank_num")]
    [JsonInclude]
    public string? VbankNumber { get; internal set; }

    /// <summary>Gets the virtual account holder (<c>vbank_holder</c>).</summary>
    [JsonInclude]
    public string? VbankHolder { get; internal set; }

    /// <summary>Gets the virtual account deadline (<c>vbank_date</c>).</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    [JsonInclude]
    public DateTimeOffset? VbankDate { get; internal set; }

    /// <summary>Gets when the virtual account was issued (<c>vbank_issued_at</c>).</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    [JsonInclude]
    public DateTimeOffset? VbankIssuedAt { get; internal set; }

    /// <summary>Gets the order name (<c>name</c>).</summary>
    [JsonInclude]
    public string? Name { get; internal set; }

    /// <summary>Gets the buyer's name (<c>buyer_name</c>).</summary>
    [JsonInclude]
    public string? BuyerName { get; internal set; }

    /// <summary>Gets the buyer's e-mail address (<c>buyer_email</c>).</summary>
    [JsonInclude]
    public string? BuyerEmail { get; internal set; }

    /// <summary>Gets the buyer's phone number (<c>buyer_tel</c>).</summary>
    [JsonPropertyName("buyer_tel")]
    [JsonInclude]
    public string? BuyerPhone { get; internal set; }

    /// <summary>Gets the buyer's address (<c>buyer_addr</c>).</summary>
    [JsonPropertyName("buyer_addr")]
    [JsonInclude]
    public string? BuyerAddress { get; internal set; }

    /// <summary>Gets the buyer's postcode (<c>buyer_postcode</c>).</summary>
    [JsonInclude]
    public string? BuyerPostcode { get; internal set; }

    /// <summary>Gets the shop's custom data (<c>custom_data</c>), a JSON string.</summary>
    [JsonInclude]
    public string? CustomData { get; internal set; }

    /// <summary>Gets the buyer's user agent (<c>user_agent</c>).</summary>
    [JsonInclude]
    public string? UserAgent { get; internal set; }

    /// <summary>Gets when the payment started (<c>started_at</c>).</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    [JsonInclude]
    public DateTimeOffset? StartedAt { get; internal set; }

    /// <summary>Gets when the payment was approved (<c>paid_at</c>), or <see langword="null"/>.</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    [JsonInclude]
    public DateTimeOffset? PaidAt { get; internal set; }

    /// <summary>Gets when the payment failed (<c>failed_at</c>), or <see langword="null"/>.</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    [JsonInclude]
    public DateTimeOffset? FailedAt { get; internal set; }

    /// <summary>Gets when the payment was last cancelled (<c>cancelled_at</c>), or <see langword="null"/>.</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    [JsonInclude]
    public DateTimeOffset? CancelledAt { get; internal set; }

    /// <summary>Gets why the payment failed (<c>fail_reason</c>), in the card company's words (usually Korean).</summary>
    [JsonInclude]
    public string? FailReason { get; internal set; }

    /// <summary>Gets why the payment was cancelled (<c>cancel_reason</c>).</summary>
    [JsonInclude]
    public string? CancelReason { get; internal set; }

    /// <summary>Gets the receipt address (<c>receipt_url</c>).</summary>
    [JsonInclude]
    public string? ReceiptUrl { get; internal set; }

    /// <summary>Gets every full or partial cancellation (<c>cancel_history</c>).</summary>
    [JsonInclude]
    public IReadOnlyList<PaymentCancellation> CancelHistory { get; internal set; } = [];

    /// <summary>Gets the cancellation receipt addresses (<c>cancel_receipt_urls</c>; deprecated by I'mport in favour of <see cref="CancelHistory"/>).</summary>
    [JsonInclude]
    public IReadOnlyList<string> CancelReceiptUrls { get; internal set; } = [];

    /// <summary>Gets whether a cash receipt was issued (<c>cash_receipt_issued</c>).</summary>
    [JsonPropertyName("cash_receipt_issued")]
    [JsonInclude]
    public bool? IsCashReceiptIssued { get; internal set; }

    /// <summary>Gets the billing key used (<c>customer_uid</c>).</summary>
    [JsonInclude]
    public string? CustomerUid { get; internal set; }

    /// <summary>Gets what the payment did with the billing key (<c>customer_uid_usage</c>); <see langword="null"/> for a normal payment.</summary>
    [JsonInclude]
    public CustomerUidUsage? CustomerUidUsage { get; internal set; }

    /// <summary>Gets the promotion applied to the payment (<c>promotion</c>), or <see langword="null"/> when none was.</summary>
    [JsonInclude]
    public PaymentPromotion? Promotion { get; internal set; }

    /// <summary>Gets the amount that can still be refunded: <see cref="Amount"/> minus <see cref="CancelAmount"/>.</summary>
    public decimal RefundableAmount => Amount - CancelAmount;
}

/// <summary>One full or partial cancellation of a payment (<c>PaymentCancelAnnotation</c>).</summary>
public sealed class PaymentCancellation
{
    [JsonConstructor]
    internal PaymentCancellation()
    {
    }

    /// <summary>Gets the PG's cancellation id (<c>pg_tid</c>).</summary>
    [JsonPropertyName("pg_tid")]
    [JsonInclude]
    public string? PgTransactionId { get; internal set; }

    /// <summary>Gets the amount cancelled (<c>amount</c>).</summary>
    [JsonInclude]
    public decimal Amount { get; internal set; }

    /// <summary>Gets when it was cancelled (<c>cancelled_at</c>).</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    [JsonInclude]
    public DateTimeOffset? CancelledAt { get; internal set; }

    /// <summary>Gets the reason given (<c>reason</c>).</summary>
    [JsonInclude]
    public string? Reason { get; internal set; }

    /// <summary>Gets I'mport's id of this cancellation (<c>cancellation_id</c>).</summary>
    [JsonInclude]
    public string? CancellationId { get; internal set; }

    /// <summary>Gets the cancellation receipt address (<c>receipt_url</c>).</summary>
    [JsonInclude]
    public string? ReceiptUrl { get; internal set; }
}

/// <summary>The promotion applied to a payment (<c>promotion</c> of <c>PaymentAnnotation</c>).</summary>
public sealed class PaymentPromotion
{
    [JsonConstructor]
    internal PaymentPromotion()
    {
    }

    /// <summary>Gets the promotion's id (<c>id</c>, starting with <c>promotion-id-</c>).</summary>
    [JsonInclude]
    public string? Id { get; internal set; }

    /// <summary>Gets the discount taken off the order amount (<c>discount</c>), in KRW.</summary>
    [JsonInclude]
    public decimal Discount { get; internal set; }
}
