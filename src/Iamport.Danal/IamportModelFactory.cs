using System;
using System.Collections.Generic;

namespace Iamport.Danal;

/// <summary>Builds the library's results and models for your tests, such as the answers of a mocked <see cref="IIamportClient"/>.</summary>
/// <remarks>
/// <para>The one way to build what the client returns: those types have no public constructor or setter, since they say
/// what I'mport answered. Every result and model type has a method here; parameters not given keep the value I'mport's
/// absence of the field would give. A result the client never returns cannot be built (an approved charge without its
/// payment throws).</para>
/// <para>New fields keep old binaries working. When I'mport adds a field, the model's method gets a new overload with
/// every parameter (the new one last, optional); the old overload keeps its exact signature, loses its default values
/// and is hidden from IntelliSense (<c>[EditorBrowsable(Never)]</c>). A test compiled against the old version binds to the
/// old overload and still runs; a test compiled against the new one sees one method. A signature is never changed, and
/// only one overload of a method has optional parameters (the analyzers RS0026/RS0027 enforce it).</para>
/// <para>Lists are built with <see cref="IamportPageable{T}.FromPages"/> from <see cref="IamportPage{T}.FromValues"/>.</para>
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
    /// <summary>Creates a <see cref="Payment"/> for tests; every value not given keeps its default.</summary>
    /// <param name="impUid">The value of <see cref="Payment.ImpUid"/>.</param>
    /// <param name="merchantUid">The value of <see cref="Payment.MerchantUid"/>.</param>
    /// <param name="amount">The value of <see cref="Payment.Amount"/>.</param>
    /// <param name="cancelAmount">The value of <see cref="Payment.CancelAmount"/>.</param>
    /// <param name="currency">The value of <see cref="Payment.Currency"/>.</param>
    /// <param name="status">The value of <see cref="Payment.Status"/>.</param>
    /// <param name="isSandbox">The value of <see cref="Payment.IsSandbox"/>.</param>
    /// <param name="payMethod">The value of <see cref="Payment.PayMethod"/>.</param>
    /// <param name="channel">The value of <see cref="Payment.Channel"/>.</param>
    /// <param name="pgProvider">The value of <see cref="Payment.PgProvider"/>.</param>
    /// <param name="embeddedPgProvider">The value of <see cref="Payment.EmbeddedPgProvider"/>.</param>
    /// <param name="pgTransactionId">The value of <see cref="Payment.PgTransactionId"/>.</param>
    /// <param name="pgId">The value of <see cref="Payment.PgId"/>.</param>
    /// <param name="isEscrow">The value of <see cref="Payment.IsEscrow"/>.</param>
    /// <param name="approvalNumber">The value of <see cref="Payment.ApprovalNumber"/>.</param>
    /// <param name="bankCode">The value of <see cref="Payment.BankCode"/>.</param>
    /// <param name="bankName">The value of <see cref="Payment.BankName"/>.</param>
    /// <param name="cardCode">The value of <see cref="Payment.CardCode"/>.</param>
    /// <param name="cardName">The value of <see cref="Payment.CardName"/>.</param>
    /// <param name="cardIssuerCode">The value of <see cref="Payment.CardIssuerCode"/>.</param>
    /// <param name="cardIssuerName">The value of <see cref="Payment.CardIssuerName"/>.</param>
    /// <param name="cardPublisherCode">The value of <see cref="Payment.CardPublisherCode"/>.</param>
    /// <param name="cardPublisherName">The value of <see cref="Payment.CardPublisherName"/>.</param>
    /// <param name="cardQuota">The value of <see cref="Payment.CardQuota"/>.</param>
    /// <param name="cardNumber">The value of <see cref="Payment.CardNumber"/>.</param>
    /// <param name="cardType">The value of <see cref="Payment.CardType"/>.</param>
    /// <param name="vbankCode">The value of <see cref="Payment.VbankCode"/>.</param>
    /// <param name="vbankName">The value of <see cref="Payment.VbankName"/>.</param>
    /// <param name="vbankNumber">The value of <see cref="Payment.VbankNumber"/>.</param>
    /// <param name="vbankHolder">The value of <see cref="Payment.VbankHolder"/>.</param>
    /// <param name="vbankDate">The value of <see cref="Payment.VbankDate"/>.</param>
    /// <param name="vbankIssuedAt">The value of <see cref="Payment.VbankIssuedAt"/>.</param>
    /// <param name="name">The value of <see cref="Payment.Name"/>.</param>
    /// <param name="buyerName">The value of <see cref="Payment.BuyerName"/>.</param>
    /// <param name="buyerEmail">The value of <see cref="Payment.BuyerEmail"/>.</param>
    /// <param name="buyerPhone">The value of <see cref="Payment.BuyerPhone"/>.</param>
    /// <param name="buyerAddress">The value of <see cref="Payment.BuyerAddress"/>.</param>
    /// <param name="buyerPostcode">The value of <see cref="Payment.BuyerPostcode"/>.</param>
    /// <param name="customData">The value of <see cref="Payment.CustomData"/>.</param>
    /// <param name="userAgent">The value of <see cref="Payment.UserAgent"/>.</param>
    /// <param name="startedAt">The value of <see cref="Payment.StartedAt"/>.</param>
    /// <param name="paidAt">The value of <see cref="Payment.PaidAt"/>.</param>
    /// <param name="failedAt">The value of <see cref="Payment.FailedAt"/>.</param>
    /// <param name="cancelledAt">The value of <see cref="Payment.CancelledAt"/>.</param>
    /// <param name="failReason">The value of <see cref="Payment.FailReason"/>.</param>
    /// <param name="cancelReason">The value of <see cref="Payment.CancelReason"/>.</param>
    /// <param name="receiptUrl">The value of <see cref="Payment.ReceiptUrl"/>.</param>
    /// <param name="cancelHistory">The value of <see cref="Payment.CancelHistory"/>.</param>
    /// <param name="cancelReceiptUrls">The value of <see cref="Payment.CancelReceiptUrls"/>.</param>
    /// <param name="isCashReceiptIssued">The value of <see cref="Payment.IsCashReceiptIssued"/>.</param>
    /// <param name="customerUid">The value of <see cref="Payment.CustomerUid"/>.</param>
    /// <param name="customerUidUsage">The value of <see cref="Payment.CustomerUidUsage"/>.</param>
    /// <param name="promotion">The value of <see cref="Payment.Promotion"/>.</param>
    /// <returns>The payment.</returns>
    public static Payment Payment(
        string impUid = "",
        string merchantUid = "",
        decimal amount = default,
        decimal cancelAmount = default,
        string? currency = null,
        PaymentStatus status = default,
        bool isSandbox = default,
        PayMethod? payMethod = null,
        string? channel = null,
        PgProvider? pgProvider = null,
        string? embeddedPgProvider = null,
        string? pgTransactionId = null,
        string? pgId = null,
        bool? isEscrow = null,
        string? approvalNumber = null,
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
        string? vbankNumber = null,
        string? vbankHolder = null,
        DateTimeOffset? vbankDate = null,
        DateTimeOffset? vbankIssuedAt = null,
        string? name = null,
        string? buyerName = null,
        string? buyerEmail = null,
        string? buyerPhone = null,
        string? buyerAddress = null,
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
        bool? isCashReceiptIssued = null,
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
        IsSandbox = isSandbox,
        PayMethod = payMethod,
        Channel = channel,
        PgProvider = pgProvider,
        EmbeddedPgProvider = embeddedPgProvider,
        PgTransactionId = pgTransactionId,
        PgId = pgId,
        IsEscrow = isEscrow,
        ApprovalNumber = approvalNumber,
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
        VbankNumber = vbankNumber,
        VbankHolder = vbankHolder,
        VbankDate = vbankDate,
        VbankIssuedAt = vbankIssuedAt,
        Name = name,
        BuyerName = buyerName,
        BuyerEmail = buyerEmail,
        BuyerPhone = buyerPhone,
        BuyerAddress = buyerAddress,
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
        IsCashReceiptIssued = isCashReceiptIssued,
        CustomerUid = customerUid,
        CustomerUidUsage = customerUidUsage,
        Promotion = promotion,
    };

    /// <summary>Creates a <see cref="PaymentCancellation"/> for tests; every value not given keeps its default.</summary>
    /// <param name="pgTransactionId">The value of <see cref="PaymentCancellation.PgTransactionId"/>.</param>
    /// <param name="amount">The value of <see cref="PaymentCancellation.Amount"/>.</param>
    /// <param name="cancelledAt">The value of <see cref="PaymentCancellation.CancelledAt"/>.</param>
    /// <param name="reason">The value of <see cref="PaymentCancellation.Reason"/>.</param>
    /// <param name="cancellationId">The value of <see cref="PaymentCancellation.CancellationId"/>.</param>
    /// <param name="receiptUrl">The value of <see cref="PaymentCancellation.ReceiptUrl"/>.</param>
    /// <returns>The cancellation.</returns>
    public static PaymentCancellation PaymentCancellation(
        string? pgTransactionId = null,
        decimal amount = default,
        DateTimeOffset? cancelledAt = null,
        string? reason = null,
        string? cancellationId = null,
        string? receiptUrl = null) => new()
    {
        PgTransactionId = pgTransactionId,
        Amount = amount,
        CancelledAt = cancelledAt,
        Reason = reason,
        CancellationId = cancellationId,
        ReceiptUrl = receiptUrl,
    };

    /// <summary>Creates a <see cref="PaymentPromotion"/> for tests; every value not given keeps its default.</summary>
    /// <param name="id">The value of <see cref="PaymentPromotion.Id"/>.</param>
    /// <param name="discount">The value of <see cref="PaymentPromotion.Discount"/>.</param>
    /// <returns>The promotion.</returns>
    public static PaymentPromotion PaymentPromotion(
        string? id = null,
        decimal discount = default) => new()
    {
        Id = id,
        Discount = discount,
    };

    /// <summary>Creates a <see cref="PreparedPayment"/> for tests; every value not given keeps its default.</summary>
    /// <param name="merchantUid">The value of <see cref="PreparedPayment.MerchantUid"/>.</param>
    /// <param name="amount">The value of <see cref="PreparedPayment.Amount"/>.</param>
    /// <param name="currency">The value of <see cref="PreparedPayment.Currency"/>.</param>
    /// <returns>The registration.</returns>
    public static PreparedPayment PreparedPayment(
        string merchantUid = "",
        decimal amount = default,
        string? currency = null) => new()
    {
        MerchantUid = merchantUid,
        Amount = amount,
        Currency = currency,
    };

    /// <summary>Creates a <see cref="BillingKey"/> for tests; every value not given keeps its default.</summary>
    /// <param name="customerUid">The value of <see cref="BillingKey.CustomerUid"/>.</param>
    /// <param name="pgProvider">The value of <see cref="BillingKey.PgProvider"/>.</param>
    /// <param name="pgId">The value of <see cref="BillingKey.PgId"/>.</param>
    /// <param name="isSandbox">The value of <see cref="BillingKey.IsSandbox"/>.</param>
    /// <param name="customerId">The value of <see cref="BillingKey.CustomerId"/>.</param>
    /// <param name="cardName">The value of <see cref="BillingKey.CardName"/>.</param>
    /// <param name="cardCode">The value of <see cref="BillingKey.CardCode"/>.</param>
    /// <param name="cardIssuerCode">The value of <see cref="BillingKey.CardIssuerCode"/>.</param>
    /// <param name="cardIssuerName">The value of <see cref="BillingKey.CardIssuerName"/>.</param>
    /// <param name="cardPublisherCode">The value of <see cref="BillingKey.CardPublisherCode"/>.</param>
    /// <param name="cardPublisherName">The value of <see cref="BillingKey.CardPublisherName"/>.</param>
    /// <param name="cardNumber">The value of <see cref="BillingKey.CardNumber"/>.</param>
    /// <param name="cardType">The value of <see cref="BillingKey.CardType"/>.</param>
    /// <param name="customerName">The value of <see cref="BillingKey.CustomerName"/>.</param>
    /// <param name="customerPhone">The value of <see cref="BillingKey.CustomerPhone"/>.</param>
    /// <param name="customerEmail">The value of <see cref="BillingKey.CustomerEmail"/>.</param>
    /// <param name="customerAddress">The value of <see cref="BillingKey.CustomerAddress"/>.</param>
    /// <param name="customerPostcode">The value of <see cref="BillingKey.CustomerPostcode"/>.</param>
    /// <param name="insertedAt">The value of <see cref="BillingKey.InsertedAt"/>.</param>
    /// <param name="updatedAt">The value of <see cref="BillingKey.UpdatedAt"/>.</param>
    /// <returns>The billing key.</returns>
    public static BillingKey BillingKey(
        string customerUid = "",
        PgProvider? pgProvider = null,
        string? pgId = null,
        bool isSandbox = default,
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
        string? customerPhone = null,
        string? customerEmail = null,
        string? customerAddress = null,
        string? customerPostcode = null,
        DateTimeOffset? insertedAt = null,
        DateTimeOffset? updatedAt = null) => new()
    {
        CustomerUid = customerUid,
        PgProvider = pgProvider,
        PgId = pgId,
        IsSandbox = isSandbox,
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
        CustomerPhone = customerPhone,
        CustomerEmail = customerEmail,
        CustomerAddress = customerAddress,
        CustomerPostcode = customerPostcode,
        InsertedAt = insertedAt,
        UpdatedAt = updatedAt,
    };

    /// <summary>Creates a <see cref="Schedule"/> for tests; every value not given keeps its default.</summary>
    /// <param name="customerUid">The value of <see cref="Schedule.CustomerUid"/>.</param>
    /// <param name="merchantUid">The value of <see cref="Schedule.MerchantUid"/>.</param>
    /// <param name="impUid">The value of <see cref="Schedule.ImpUid"/>.</param>
    /// <param name="scheduledAt">The value of <see cref="Schedule.ScheduledAt"/>.</param>
    /// <param name="executedAt">The value of <see cref="Schedule.ExecutedAt"/>.</param>
    /// <param name="revokedAt">The value of <see cref="Schedule.RevokedAt"/>.</param>
    /// <param name="amount">The value of <see cref="Schedule.Amount"/>.</param>
    /// <param name="currency">The value of <see cref="Schedule.Currency"/>.</param>
    /// <param name="name">The value of <see cref="Schedule.Name"/>.</param>
    /// <param name="buyerName">The value of <see cref="Schedule.BuyerName"/>.</param>
    /// <param name="buyerEmail">The value of <see cref="Schedule.BuyerEmail"/>.</param>
    /// <param name="buyerPhone">The value of <see cref="Schedule.BuyerPhone"/>.</param>
    /// <param name="buyerAddress">The value of <see cref="Schedule.BuyerAddress"/>.</param>
    /// <param name="buyerPostcode">The value of <see cref="Schedule.BuyerPostcode"/>.</param>
    /// <param name="customData">The value of <see cref="Schedule.CustomData"/>.</param>
    /// <param name="scheduleStatus">The value of <see cref="Schedule.ScheduleStatus"/>.</param>
    /// <param name="paymentStatus">The value of <see cref="Schedule.PaymentStatus"/>.</param>
    /// <param name="failReason">The value of <see cref="Schedule.FailReason"/>.</param>
    /// <param name="pgProvider">The value of <see cref="Schedule.PgProvider"/>.</param>
    /// <param name="pgId">The value of <see cref="Schedule.PgId"/>.</param>
    /// <param name="customerId">The value of <see cref="Schedule.CustomerId"/>.</param>
    /// <param name="promotionId">The value of <see cref="Schedule.PromotionId"/>.</param>
    /// <returns>The schedule.</returns>
    public static Schedule Schedule(
        string? customerUid = null,
        string merchantUid = "",
        string? impUid = null,
        DateTimeOffset? scheduledAt = null,
        DateTimeOffset? executedAt = null,
        DateTimeOffset? revokedAt = null,
        decimal amount = default,
        string? currency = null,
        string? name = null,
        string? buyerName = null,
        string? buyerEmail = null,
        string? buyerPhone = null,
        string? buyerAddress = null,
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
        ScheduledAt = scheduledAt,
        ExecutedAt = executedAt,
        RevokedAt = revokedAt,
        Amount = amount,
        Currency = currency,
        Name = name,
        BuyerName = buyerName,
        BuyerEmail = buyerEmail,
        BuyerPhone = buyerPhone,
        BuyerAddress = buyerAddress,
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

    /// <summary>Creates a <see cref="ChargeResult"/> for tests.</summary>
    /// <param name="outcome">What happened.</param>
    /// <param name="merchantUid">The merchant_uid of the attempt.</param>
    /// <param name="payment">The payment I'mport recorded, or <see langword="null"/> (as for <see cref="ChargeOutcome.NotCharged"/>).</param>
    /// <param name="isReconciled">Whether the outcome was learnt by a look-up after a lost reply.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="payment"/> is <see langword="null"/> for an outcome other than <see cref="ChargeOutcome.NotCharged"/>.</exception>
    public static ChargeResult ChargeResult(ChargeOutcome outcome, string merchantUid, Payment? payment = null, bool isReconciled = false) =>
        payment is null && outcome != ChargeOutcome.NotCharged
            ? throw new ArgumentNullException(nameof(payment), $"A {outcome} charge always carries the payment I'mport reported.")
            : new(outcome, merchantUid, payment, isReconciled);

    /// <summary>Creates a <see cref="VerificationResult"/> for tests.</summary>
    /// <param name="failedCheck">The first check that failed, or <see cref="VerificationCheck.None"/> for a verified payment.</param>
    /// <param name="payment">The payment as I'mport reports it, if any.</param>
    /// <param name="billingKey">The billing key fetched for an issuance, if any.</param>
    /// <param name="expected">The expected value of the failed check.</param>
    /// <param name="actual">The value I'mport reported for the failed check.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="payment"/> is <see langword="null"/> for a verified result (<see cref="VerificationCheck.None"/>).</exception>
    public static VerificationResult VerificationResult(VerificationCheck failedCheck, Payment? payment = null, BillingKey? billingKey = null, string? expected = null, string? actual = null) =>
        payment is null && failedCheck == VerificationCheck.None
            ? throw new ArgumentNullException(nameof(payment), "A verified result always carries the payment.")
            : new(failedCheck, payment, billingKey, expected, actual);

    /// <summary>Creates a <see cref="LookupResult{T}"/> for tests.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="found">The items found; none when <see langword="null"/>.</param>
    /// <param name="notFound">The ids not found; none when <see langword="null"/>.</param>
    /// <returns>The result.</returns>
    public static LookupResult<T> LookupResult<T>(IReadOnlyList<T>? found = null, IReadOnlyList<string>? notFound = null) =>
        new(found ?? [], notFound ?? []);

    /// <summary>Creates a <see cref="WebhookNotification"/> for tests.</summary>
    /// <param name="impUid">The value of <see cref="WebhookNotification.ImpUid"/>.</param>
    /// <param name="merchantUid">The value of <see cref="WebhookNotification.MerchantUid"/>.</param>
    /// <param name="status">The value of <see cref="WebhookNotification.Status"/>.</param>
    /// <param name="cancellationId">The value of <see cref="WebhookNotification.CancellationId"/>.</param>
    /// <returns>The notification.</returns>
    public static WebhookNotification WebhookNotification(string impUid, string merchantUid, PaymentStatus status, string? cancellationId = null) => new()
    {
        ImpUid = impUid,
        MerchantUid = merchantUid,
        Status = status,
        CancellationId = cancellationId,
    };
}
