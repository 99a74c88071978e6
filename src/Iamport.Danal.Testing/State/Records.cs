using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Iamport.Danal.Testing.State;

// The records are serialized as they are (snake_case, nulls written): their property lists are the reference's
// PaymentAnnotation, PaymentCancelAnnotation, CustomerAnnotation and ScheduleResultAnnotation.

/// <summary>A payment (<c>PaymentAnnotation</c>): one charge attempt, paid, failed or cancelled.</summary>
internal sealed class PaymentRecord
{
    /// <summary>Gets or sets when look-ups by merchant_uid start to see the payment (a <see cref="FaultKind.DropResponseRecordLater"/> fault).</summary>
    [JsonIgnore]
    public DateTimeOffset VisibleFrom { get; set; } = DateTimeOffset.MinValue;

    public required string ImpUid { get; init; }
    public required string MerchantUid { get; init; }
    public string PayMethod { get; init; } = "card";
    public required string Channel { get; init; }
    public string PgProvider { get; init; } = "danal_tpay";
    public string? EmbPgProvider { get; init; }
    public string? PgTid { get; init; }
    public string? PgId { get; init; }
    public bool Escrow { get; init; }
    public string? ApplyNum { get; set; }
    public string? BankCode { get; init; }
    public string? BankName { get; init; }
    public string? CardCode { get; init; }
    public string? CardName { get; init; }
    public string? CardIssuerCode { get; init; }
    public string? CardIssuerName { get; init; }
    public string? CardPublisherCode { get; init; }
    public string? CardPublisherName { get; init; }
    public int CardQuota { get; init; }
    public string? CardNumber { get; init; }
    public int? CardType { get; init; }
    public string? VbankCode { get; init; }
    public string? VbankName { get; init; }
    public string? VbankNum { get; init; }
    public string? VbankHolder { get; init; }
    public long VbankDate { get; init; }
    public long VbankIssuedAt { get; init; }
    public string? Name { get; init; }
    public decimal Amount { get; init; }
    public decimal CancelAmount { get; set; }
    public string Currency { get; init; } = "KRW";
    public string? BuyerName { get; init; }
    public string? BuyerEmail { get; init; }
    public string? BuyerTel { get; init; }
    public string? BuyerAddr { get; init; }
    public string? BuyerPostcode { get; init; }
    public string? CustomData { get; init; }
    public string UserAgent { get; init; } = "sorry_not_supported_anymore";
    public required string Status { get; set; }
    public long StartedAt { get; init; }
    public long PaidAt { get; set; }
    public long FailedAt { get; set; }
    public long CancelledAt { get; set; }
    public string? FailReason { get; set; }
    public string? CancelReason { get; set; }
    public string? ReceiptUrl { get; init; }
    public List<CancelRecord> CancelHistory { get; init; } = [];
    public List<JsonNode> DepositHistory { get; init; } = [];
    public List<string> CancelReceiptUrls { get; init; } = [];
    public bool CashReceiptIssued { get; init; }
    public string? CustomerUid { get; init; }
    public string? CustomerUidUsage { get; init; }
    public JsonNode? Promotion { get; init; }
    public bool Sandbox { get; init; }

    /// <summary>Creation order: breaks ties between records started in the same second.</summary>
    [JsonIgnore]
    public long Sequence { get; init; }

    [JsonIgnore]
    public IReadOnlyList<string>? NoticeUrls { get; init; }

    /// <summary>The sub-merchant's tier code from <c>IMP.agency</c>; not part of <c>PaymentAnnotation</c>.</summary>
    [JsonIgnore]
    public string? Tier { get; init; }
}

/// <summary>One entry of <c>cancel_history</c> (<c>PaymentCancelAnnotation</c>).</summary>
internal sealed class CancelRecord
{
    public string? PgTid { get; init; }
    public decimal Amount { get; init; }
    public long CancelledAt { get; init; }
    public string? Reason { get; init; }
    public required string CancellationId { get; init; }
    public string? ReceiptUrl { get; init; }
}

/// <summary>A billing key (<c>CustomerAnnotation</c>).</summary>
internal sealed class CustomerRecord
{
    public required string CustomerUid { get; init; }
    public string PgProvider { get; init; } = "danal_tpay";
    public string? PgId { get; init; }
    public bool Sandbox { get; init; }
    public string? CustomerId { get; init; }
    public string? CardName { get; init; }
    public string? CardCode { get; init; }
    public string? CardIssuerCode { get; init; }
    public string? CardIssuerName { get; init; }
    public string? CardPublisherCode { get; init; }
    public string? CardPublisherName { get; init; }
    public string? CardNumber { get; init; }
    public int? CardType { get; init; }
    public string? CustomerName { get; init; }
    public string? CustomerTel { get; init; }
    public string? CustomerEmail { get; init; }
    public string? CustomerAddr { get; init; }
    public string? CustomerPostcode { get; init; }
    public long Inserted { get; init; }
    public long Updated { get; init; }

    /// <summary>The test card behind the key: decides how charges end.</summary>
    [JsonIgnore]
    public TestCard Card { get; init; } = TestCard.Find(null);
}

/// <summary>A scheduled charge (<c>ScheduleResultAnnotation</c>).</summary>
internal sealed class ScheduleRecord(ChargeInput charge)
{
    public required string CustomerUid { get; init; }
    public string MerchantUid => Charge.MerchantUid;
    public string? ImpUid { get; set; }
    public string PgProvider { get; init; } = "danal_tpay";
    public string? PgId { get; init; }
    public string? CustomerId { get; init; }
    public long ScheduleAt { get; set; }
    public long ExecutedAt { get; set; }
    public long RevokedAt { get; set; }
    public decimal Amount => Charge.Amount;
    public string Currency { get; init; } = "KRW";
    public string? Name => Charge.Name;
    public string? BuyerName => Charge.BuyerName;
    public string? BuyerEmail => Charge.BuyerEmail;
    public string? BuyerTel => Charge.BuyerTel;
    public string? BuyerAddr => Charge.BuyerAddr;
    public string? BuyerPostcode => Charge.BuyerPostcode;
    public string? CustomData => Charge.CustomData;
    public string ScheduleStatus { get; set; } = "scheduled";
    public string? PaymentStatus { get; set; }
    public string? FailReason { get; set; }
    public string? PromotionId { get; init; }

    /// <summary>Registration order: breaks ties between schedules due in the same second.</summary>
    [JsonIgnore]
    public long Sequence { get; init; }

    /// <summary>Gets the charge the schedule runs when its time comes (its fields above are what I'mport shows of it).</summary>
    [JsonIgnore]
    public ChargeInput Charge { get; } = charge;
}

/// <summary>A pre-registered amount (<c>PaymentPrepareAnnotation</c>).</summary>
internal sealed class PreparedRecord
{
    public required string MerchantUid { get; init; }
    public decimal Amount { get; init; }
    public string Currency { get; init; } = "KRW";
}
