using System;
using System.Collections.Generic;
using Iamport.Danal.Payments;
using Iamport.Danal.Schedules;
using Iamport.Danal.Verification;

namespace Iamport.Danal;

/// <summary>Builds the library's results and models for your tests, such as the answers of a mocked <see cref="IIamportClient"/>.</summary>
/// <remarks>
/// Every result and model type has a method here; parameters not given keep the value I'mport's absence of the field
/// would give. Lists are built with <see cref="AsyncPageable{T}.FromPages"/> from <see cref="Page{T}"/>s.
/// </remarks>
/// <example>
/// <code>
/// Payment paid = IamportModelFactory.Payment(impUid: "imp_1", merchantUid: "order-1", amount: 9900m,
///     status: PaymentStatus.Paid, pgProvider: PgProvider.DanalTpay);
/// ChargeResult approved = IamportModelFactory.ChargeResult(ChargeOutcome.Approved, "order-1", paid);
/// </code>
/// </example>
public static class IamportModelFactory
{
    /// <summary>Creates a <see cref="Payments.Payment"/> for tests; every value not given keeps its default.</summary>
    /// <param name="impUid">The value of <see cref="Payments.Payment.ImpUid"/>.</param>
    /// <param name="merchantUid">The value of <see cref="Payments.Payment.MerchantUid"/>.</param>
    /// <param name="amount">The value of <see cref="Payments.Payment.Amount"/>.</param>
    /// <param name="cancelAmount">The value of <see cref="Payments.Payment.CancelAmount"/>.</param>
    /// <param name="currency">The value of <see cref="Payments.Payment.Currency"/>.</param>
    /// <param name="status">The value of <see cref="Payments.Payment.Status"/>.</param>
    /// <param name="sandbox">The value of <see cref="Payments.Payment.Sandbox"/>.</param>
    /// <param name="payMethod">The value of <see cref="Payments.Payment.PayMethod"/>.</param>
    /// <param name="channel">The value of <see cref="Payments.Payment.Channel"/>.</param>
    /// <param name="pgProvider">The value of <see cref="Payments.Payment.PgProvider"/>.</param>
    /// <param name="embPgProvider">The value of <see cref="Payments.Payment.EmbPgProvider"/>.</param>
    /// <param name="pgTid">The value of <see cref="Payments.Payment.PgTid"/>.</param>
    /// <param name="pgId">The value of <see cref="Payments.Payment.PgId"/>.</param>
    /// <param name="escrow">The value of <see cref="Payments.Payment.Escrow"/>.</param>
    /// <param name="applyNum">The value of <see cref="Payments.Payment.ApplyNum"/>.</param>
    /// <param name="bankCode">The value of <see cref="Payments.Payment.BankCode"/>.</param>
    /// <param name="bankName">The value of <see cref="Payments.Payment.BankName"/>.</param>
    /// <param name="cardCode">The value of <see cref="Payments.Payment.CardCode"/>.</param>
    /// <param name="cardName">The value of <see cref="Payments.Payment.CardName"/>.</param>
    /// <param name="cardIssuerCode">The value of <see cref="Payments.Payment.CardIssuerCode"/>.</param>
    /// <param name="cardIssuerName">The value of <see cref="Payments.Payment.CardIssuerName"/>.</param>
    /// <param name="cardPublisherCode">The value of <see cref="Payments.Payment.CardPublisherCode"/>.</param>
    /// <param name="cardPublisherName">The value of <see cref="Payments.Payment.CardPublisherName"/>.</param>
    /// <param name="cardQuota">The value of <see cref="Payments.Payment.CardQuota"/>.</param>
    /// <param name="cardNumber">The value of <see cref="Payments.Payment.CardNumber"/>.</param>
    /// <param name="cardType">The value of <see cref="Payments.Payment.CardType"/>.</param>
    /// <param name="vbankCode">The value of <see cref="Payments.Payment.VbankCode"/>.</param>
    /// <param name="vbankName">The value of <see cref="Payments.Payment.VbankName"/>.</param>
    /// <param name="vbankNum">The value of <see cref="Payments.Payment.VbankNum"/>.</param>
    /// <param name="vbankHolder">The value of <see cref="Payments.Payment.VbankHolder"/>.</param>
    /// <param name="vbankDate">The value of <see cref="Payments.Payment.VbankDate"/>.</param>
    /// <param name="vbankIssuedAt">The value of <see cref="Payments.Payment.VbankIssuedAt"/>.</param>
    /// <param name="name">The value of <see cref="Payments.Payment.Name"/>.</param>
    /// <param name="buyerName">The value of <see cref="Payments.Payment.BuyerName"/>.</param>
    /// <param name="buyerEmail">The value of <see cref="Payments.Payment.BuyerEmail"/>.</param>
    /// <param name="buyerTel">The value of <see cref="Payments.Payment.BuyerTel"/>.</param>
    /// <param name="buyerAddr">The value of <see cref="Payments.Payment.BuyerAddr"/>.</param>
    /// <param name="buyerPostcode">The value of <see cref="Payments.Payment.BuyerPostcode"/>.</param>
    /// <param name="customData">The value of <see cref="Payments.Payment.CustomData"/>.</param>
    /// <param name="userAgent">The value of <see cref="Payments.Payment.UserAgent"/>.</param>
    /// <param name="startedAt">The value of <see cref="Payments.Payment.StartedAt"/>.</param>
    /// <param name="paidAt">The value of <see cref="Payments.Payment.PaidAt"/>.</param>
    /// <param name="failedAt">The value of <see cref="Payments.Payment.FailedAt"/>.</param>
    /// <param name="cancelledAt">The value of <see cref="Payments.Payment.CancelledAt"/>.</param>
    /// <param name="failReason">The value of <see cref="Payments.Payment.FailReason"/>.</param>
    /// <param name="cancelReason">The value of <see cref="Payments.Payment.CancelReason"/>.</param>
    /// <param name="receiptUrl">The value of <see cref="Payments.Payment.ReceiptUrl"/>.</param>
    /// <param name="cancelHistory">The value of <see cref="Payments.Payment.CancelHistory"/>.</param>
    /// <param name="cancelReceiptUrls">The value of <see cref="Payments.Payment.CancelReceiptUrls"/>.</param>
    /// <param name="cashReceiptIssued">The value of <see cref="Payments.Payment.CashReceiptIssued"/>.</param>
    /// <param name="customerUid">The value of <see cref="Payments.Payment.CustomerUid"/>.</param>
    /// <param name="customerUidUsage">The value of <see cref="Payments.Payment.CustomerUidUsage"/>.</param>
    /// <param name="promotion">The value of <see cref="Payments.Payment.Promotion"/>.</param>
    /// <returns>The payment.</returns>
    public static Payments.Payment Payment(
        string impUid = "",
        string merchantUid = "",
        decimal amount = default,
        decimal cancelAmount = default,
        string? currency = null,
        PaymentStatus status = default,
        bool sandbox = default,
        PayMethod? payMethod = null,
        string? channel = null,
        PgProvider? pgProvider = null,
        string? embPgProvider = null,
        string? pgTid = null,
        string? pgId = null,
        bool? escrow = null,
        string? applyNum = null,
        string? bankCode = null,
        string? bankName = null,
        string? cardCode = null,
        string? cardName = null,
        string? cardIssuerCode = null,
        string? cardIssuerName = null,
        string? cardPublisherCode = null,
        string? cardPublisherName = null,
        int? cardQuota = null,
        string? cardNumber = null,
        int? cardType = null,
        string? vbankCode = null,
        string? vbankName = null,
        string? vbankNum = null,
        string? vbankHolder = null,
        DateTimeOffset? vbankDate = null,
        DateTimeOffset? vbankIssuedAt = null,
        string? name = null,
        string? buyerName = null,
        string? buyerEmail = null,
        string? buyerTel = null,
        string? buyerAddr = null,
        string? buyerPostcode = null,
        string? customData = null,
        string? userAgent = null,
        DateTimeOffset? startedAt = null,
        DateTimeOffset? paidAt = null,
        DateTimeOffset? failedAt = null,
        DateTimeOffset? cancelledAt = null,
        string? failReason = null,
        string? cancelReason = null,
        string? receiptUrl = null,
        IReadOnlyList<PaymentCancellation>? cancelHistory = null,
        IReadOnlyList<string>? cancelReceiptUrls = null,
        bool? cashReceiptIssued = null,
        string? customerUid = null,
        CustomerUidUsage? customerUidUsage = null,
        PaymentPromotion? promotion = null) => new()
    {
        ImpUid = impUid,
        MerchantUid = merchantUid,
        Amount = amount,
        CancelAmount = cancelAmount,
        Currency = currency,
        Status = status,
        Sandbox = sandbox,
        PayMethod = payMethod,
        Channel = channel,
        PgProvider = pgProvider,
        EmbPgProvider = embPgProvider,
        PgTid = pgTid,
        PgId = pgId,
        Escrow = escrow,
        ApplyNum = applyNum,
        BankCode = bankCode,
        BankName = bankName,
        CardCode = cardCode,
        CardName = cardName,
        CardIssuerCode = cardIssuerCode,
        CardIssuerName = cardIssuerName,
        CardPublisherCode = cardPublisherCode,
        CardPublisherName = cardPublisherName,
        CardQuota = cardQuota,
        CardNumber = cardNumber,
        CardType = cardType,
        VbankCode = vbankCode,
        VbankName = vbankName,
        VbankNum = vbankNum,
        VbankHolder = vbankHolder,
        VbankDate = vbankDate,
        VbankIssuedAt = vbankIssuedAt,
        Name = name,
        BuyerName = buyerName,
        BuyerEmail = buyerEmail,
        BuyerTel = buyerTel,
        BuyerAddr = buyerAddr,
        BuyerPostcode = buyerPostcode,
        CustomData = customData,
        UserAgent = userAgent,
        StartedAt = startedAt,
        PaidAt = paidAt,
        FailedAt = failedAt,
        CancelledAt = cancelledAt,
        FailReason = failReason,
        CancelReason = cancelReason,
        ReceiptUrl = receiptUrl,
        CancelHistory = cancelHistory ?? [],
        CancelReceiptUrls = cancelReceiptUrls ?? [],
        CashReceiptIssued = cashReceiptIssued,
        CustomerUid = customerUid,
        CustomerUidUsage = customerUidUsage,
        Promotion = promotion,
    };

    /// <summary>Creates a <see cref="Payments.PaymentCancellation"/> for tests; every value not given keeps its default.</summary>
    /// <param name="pgTid">The value of <see cref="Payments.PaymentCancellation.PgTid"/>.</param>
    /// <param name="amount">The value of <see cref="Payments.PaymentCancellation.Amount"/>.</param>
    /// <param name="cancelledAt">The value of <see cref="Payments.PaymentCancellation.CancelledAt"/>.</param>
    /// <param name="reason">The value of <see cref="Payments.PaymentCancellation.Reason"/>.</param>
    /// <param name="cancellationId">The value of <see cref="Payments.PaymentCancellation.CancellationId"/>.</param>
    /// <param name="receiptUrl">The value of <see cref="Payments.PaymentCancellation.ReceiptUrl"/>.</param>
    /// <returns>The cancellation.</returns>
    public static Payments.PaymentCancellation PaymentCancellation(
        string? pgTid = null,
        decimal amount = default,
        DateTimeOffset? cancelledAt = null,
        string? reason = null,
        string? cancellationId = null,
        string? receiptUrl = null) => new()
    {
        PgTid = pgTid,
        Amount = amount,
        CancelledAt = cancelledAt,
        Reason = reason,
        CancellationId = cancellationId,
        ReceiptUrl = receiptUrl,
    };

    /// <summary>Creates a <see cref="Payments.PaymentPromotion"/> for tests; every value not given keeps its default.</summary>
    /// <param name="id">The value of <see cref="Payments.PaymentPromotion.Id"/>.</param>
    /// <param name="discount">The value of <see cref="Payments.PaymentPromotion.Discount"/>.</param>
    /// <returns>The promotion.</returns>
    public static Payments.PaymentPromotion PaymentPromotion(
        string? id = null,
        decimal discount = default) => new()
    {
        Id = id,
        Discount = discount,
    };

    /// <summary>Creates a <see cref="Payments.PreparedPayment"/> for tests; every value not given keeps its default.</summary>
    /// <param name="merchantUid">The value of <see cref="Payments.PreparedPayment.MerchantUid"/>.</param>
    /// <param name="amount">The value of <see cref="Payments.PreparedPayment.Amount"/>.</param>
    /// <param name="currency">The value of <see cref="Payments.PreparedPayment.Currency"/>.</param>
    /// <returns>The registration.</returns>
    public static Payments.PreparedPayment PreparedPayment(
        string merchantUid = "",
        decimal amount = default,
        string? currency = null) => new()
    {
        MerchantUid = merchantUid,
        Amount = amount,
        Currency = currency,
    };

    /// <summary>Creates a <see cref="BillingKeys.BillingKey"/> for tests; every value not given keeps its default.</summary>
    /// <param name="customerUid">The value of <see cref="BillingKeys.BillingKey.CustomerUid"/>.</param>
    /// <param name="pgProvider">The value of <see cref="BillingKeys.BillingKey.PgProvider"/>.</param>
    /// <param name="pgId">The value of <see cref="BillingKeys.BillingKey.PgId"/>.</param>
    /// <param name="sandbox">The value of <see cref="BillingKeys.BillingKey.Sandbox"/>.</param>
    /// <param name="customerId">The value of <see cref="BillingKeys.BillingKey.CustomerId"/>.</param>
    /// <param name="cardName">The value of <see cref="BillingKeys.BillingKey.CardName"/>.</param>
    /// <param name="cardCode">The value of <see cref="BillingKeys.BillingKey.CardCode"/>.</param>
    /// <param name="cardIssuerCode">The value of <see cref="BillingKeys.BillingKey.CardIssuerCode"/>.</param>
    /// <param name="cardIssuerName">The value of <see cref="BillingKeys.BillingKey.CardIssuerName"/>.</param>
    /// <param name="cardPublisherCode">The value of <see cref="BillingKeys.BillingKey.CardPublisherCode"/>.</param>
    /// <param name="cardPublisherName">The value of <see cref="BillingKeys.BillingKey.CardPublisherName"/>.</param>
    /// <param name="cardNumber">The value of <see cref="BillingKeys.BillingKey.CardNumber"/>.</param>
    /// <param name="cardType">The value of <see cref="BillingKeys.BillingKey.CardType"/>.</param>
    /// <param name="customerName">The value of <see cref="BillingKeys.BillingKey.CustomerName"/>.</param>
    /// <param name="customerTel">The value of <see cref="BillingKeys.BillingKey.CustomerTel"/>.</param>
    /// <param name="customerEmail">The value of <see cref="BillingKeys.BillingKey.CustomerEmail"/>.</param>
    /// <param name="customerAddr">The value of <see cref="BillingKeys.BillingKey.CustomerAddr"/>.</param>
    /// <param name="customerPostcode">The value of <see cref="BillingKeys.BillingKey.CustomerPostcode"/>.</param>
    /// <param name="inserted">The value of <see cref="BillingKeys.BillingKey.Inserted"/>.</param>
    /// <param name="updated">The value of <see cref="BillingKeys.BillingKey.Updated"/>.</param>
    /// <returns>The billing key.</returns>
    public static BillingKeys.BillingKey BillingKey(
        string customerUid = "",
        PgProvider? pgProvider = null,
        string? pgId = null,
        bool sandbox = default,
        string? customerId = null,
        string? cardName = null,
        string? cardCode = null,
        string? cardIssuerCode = null,
        string? cardIssuerName = null,
        string? cardPublisherCode = null,
        string? cardPublisherName = null,
        string? cardNumber = null,
        int? cardType = null,
        string? customerName = null,
        string? customerTel = null,
        string? customerEmail = null,
        string? customerAddr = null,
        string? customerPostcode = null,
        DateTimeOffset? inserted = null,
        DateTimeOffset? updated = null) => new()
    {
        CustomerUid = customerUid,
        PgProvider = pgProvider,
        PgId = pgId,
        Sandbox = sandbox,
        CustomerId = customerId,
        CardName = cardName,
        CardCode = cardCode,
        CardIssuerCode = cardIssuerCode,
        CardIssuerName = cardIssuerName,
        CardPublisherCode = cardPublisherCode,
        CardPublisherName = cardPublisherName,
        CardNumber = cardNumber,
        CardType = cardType,
        CustomerName = customerName,
        CustomerTel = customerTel,
        CustomerEmail = customerEmail,
        CustomerAddr = customerAddr,
        CustomerPostcode = customerPostcode,
        Inserted = inserted,
        Updated = updated,
    };

    /// <summary>Creates a <see cref="Schedules.Schedule"/> for tests; every value not given keeps its default.</summary>
    /// <param name="customerUid">The value of <see cref="Schedules.Schedule.CustomerUid"/>.</param>
    /// <param name="merchantUid">The value of <see cref="Schedules.Schedule.MerchantUid"/>.</param>
    /// <param name="impUid">The value of <see cref="Schedules.Schedule.ImpUid"/>.</param>
    /// <param name="scheduleAt">The value of <see cref="Schedules.Schedule.ScheduleAt"/>.</param>
    /// <param name="executedAt">The value of <see cref="Schedules.Schedule.ExecutedAt"/>.</param>
    /// <param name="revokedAt">The value of <see cref="Schedules.Schedule.RevokedAt"/>.</param>
    /// <param name="amount">The value of <see cref="Schedules.Schedule.Amount"/>.</param>
    /// <param name="currency">The value of <see cref="Schedules.Schedule.Currency"/>.</param>
    /// <param name="name">The value of <see cref="Schedules.Schedule.Name"/>.</param>
    /// <param name="buyerName">The value of <see cref="Schedules.Schedule.BuyerName"/>.</param>
    /// <param name="buyerEmail">The value of <see cref="Schedules.Schedule.BuyerEmail"/>.</param>
    /// <param name="buyerTel">The value of <see cref="Schedules.Schedule.BuyerTel"/>.</param>
    /// <param name="buyerAddr">The value of <see cref="Schedules.Schedule.BuyerAddr"/>.</param>
    /// <param name="buyerPostcode">The value of <see cref="Schedules.Schedule.BuyerPostcode"/>.</param>
    /// <param name="customData">The value of <see cref="Schedules.Schedule.CustomData"/>.</param>
    /// <param name="scheduleStatus">The value of <see cref="Schedules.Schedule.ScheduleStatus"/>.</param>
    /// <param name="paymentStatus">The value of <see cref="Schedules.Schedule.PaymentStatus"/>.</param>
    /// <param name="failReason">The value of <see cref="Schedules.Schedule.FailReason"/>.</param>
    /// <param name="pgProvider">The value of <see cref="Schedules.Schedule.PgProvider"/>.</param>
    /// <param name="pgId">The value of <see cref="Schedules.Schedule.PgId"/>.</param>
    /// <param name="customerId">The value of <see cref="Schedules.Schedule.CustomerId"/>.</param>
    /// <param name="promotionId">The value of <see cref="Schedules.Schedule.PromotionId"/>.</param>
    /// <returns>The schedule.</returns>
    public static Schedules.Schedule Schedule(
        string? customerUid = null,
        string merchantUid = "",
        string? impUid = null,
        DateTimeOffset? scheduleAt = null,
        DateTimeOffset? executedAt = null,
        DateTimeOffset? revokedAt = null,
        decimal amount = default,
        string? currency = null,
        string? name = null,
        string? buyerName = null,
        string? buyerEmail = null,
        string? buyerTel = null,
        string? buyerAddr = null,
        string? buyerPostcode = null,
        string? customData = null,
        ScheduleStatus? scheduleStatus = null,
        PaymentStatus? paymentStatus = null,
        string? failReason = null,
        PgProvider? pgProvider = null,
        string? pgId = null,
        string? customerId = null,
        string? promotionId = null) => new()
    {
        CustomerUid = customerUid,
        MerchantUid = merchantUid,
        ImpUid = impUid,
        ScheduleAt = scheduleAt,
        ExecutedAt = executedAt,
        RevokedAt = revokedAt,
        Amount = amount,
        Currency = currency,
        Name = name,
        BuyerName = buyerName,
        BuyerEmail = buyerEmail,
        BuyerTel = buyerTel,
        BuyerAddr = buyerAddr,
        BuyerPostcode = buyerPostcode,
        CustomData = customData,
        ScheduleStatus = scheduleStatus,
        PaymentStatus = paymentStatus,
        FailReason = failReason,
        PgProvider = pgProvider,
        PgId = pgId,
        CustomerId = customerId,
        PromotionId = promotionId,
    };

    /// <summary>Creates a <see cref="Payments.ChargeResult"/> for tests.</summary>
    /// <param name="outcome">What happened.</param>
    /// <param name="merchantUid">The merchant_uid of the attempt.</param>
    /// <param name="payment">The payment I'mport recorded, or <see langword="null"/> (as for <see cref="ChargeOutcome.NotCharged"/>).</param>
    /// <param name="reconciled">Whether the outcome was learnt by a look-up after a lost reply.</param>
    /// <returns>The result.</returns>
    public static ChargeResult ChargeResult(ChargeOutcome outcome, string merchantUid, Payments.Payment? payment = null, bool reconciled = false) =>
        new(outcome, merchantUid, payment, reconciled);

    /// <summary>Creates a <see cref="Verification.VerificationResult"/> for tests.</summary>
    /// <param name="failedCheck">The first check that failed, or <see cref="VerificationCheck.None"/> for a verified payment.</param>
    /// <param name="payment">The payment as I'mport reports it, if any.</param>
    /// <param name="billingKey">The billing key fetched for an issuance, if any.</param>
    /// <param name="expected">The expected value of the failed check.</param>
    /// <param name="actual">The value I'mport reported for the failed check.</param>
    /// <returns>The result.</returns>
    public static VerificationResult VerificationResult(VerificationCheck failedCheck, Payments.Payment? payment = null, BillingKeys.BillingKey? billingKey = null, string? expected = null, string? actual = null) =>
        new(failedCheck, payment, billingKey, expected, actual);

    /// <summary>Creates a <see cref="Page{T}"/> for tests (see <see cref="AsyncPageable{T}.FromPages"/>).</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">The items on the page; none when <see langword="null"/>.</param>
    /// <param name="total">The number of items on all pages; the number of <paramref name="items"/> when <see langword="null"/>.</param>
    /// <param name="previous">The number of the previous page, or 0.</param>
    /// <param name="next">The number of the next page, or 0 on the last page.</param>
    /// <returns>The page.</returns>
    public static Page<T> Page<T>(IReadOnlyList<T>? items = null, int? total = null, int previous = 0, int next = 0) => new()
    {
        Items = items ?? [],
        Total = total ?? items?.Count ?? 0,
        Previous = previous,
        Next = next,
    };

    /// <summary>Creates a <see cref="LookupResult{T}"/> for tests.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="found">The items found; none when <see langword="null"/>.</param>
    /// <param name="notFound">The ids not found; none when <see langword="null"/>.</param>
    /// <returns>The result.</returns>
    public static LookupResult<T> LookupResult<T>(IReadOnlyList<T>? found = null, IReadOnlyList<string>? notFound = null) =>
        new(found ?? [], notFound ?? []);

    /// <summary>Creates a <see cref="Webhooks.WebhookNotification"/> for tests.</summary>
    /// <param name="impUid">The value of <see cref="Webhooks.WebhookNotification.ImpUid"/>.</param>
    /// <param name="merchantUid">The value of <see cref="Webhooks.WebhookNotification.MerchantUid"/>.</param>
    /// <param name="status">The value of <see cref="Webhooks.WebhookNotification.Status"/>.</param>
    /// <param name="cancellationId">The value of <see cref="Webhooks.WebhookNotification.CancellationId"/>.</param>
    /// <returns>The notification.</returns>
    public static Webhooks.WebhookNotification WebhookNotification(string impUid, string merchantUid, PaymentStatus status, string? cancellationId = null) => new()
    {
        ImpUid = impUid,
        MerchantUid = merchantUid,
        Status = status,
        CancellationId = cancellationId,
    };
}
