using Iamport.Danal.Samples.Shop.Billing;

namespace Iamport.Danal.Samples.Shop;

/// <summary>Every log line of the shop. None carries a customer_uid, a card detail or a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Checkout {MerchantUid} opened ({Kind}, {Amount} KRW)")]
    public static partial void CheckoutOpened(this ILogger logger, string merchantUid, string kind, long amount);

    [LoggerMessage(2, LogLevel.Warning, "Verify refused: no such checkout for this customer")]
    public static partial void UnknownCheckout(this ILogger logger);

    [LoggerMessage(3, LogLevel.Warning, "Checkout {MerchantUid} refused: {Check} check failed")]
    public static partial void CheckoutRefused(this ILogger logger, string merchantUid, VerificationCheck check);

    [LoggerMessage(4, LogLevel.Information, "Checkout {MerchantUid} verified ({ImpUid}); subscription {Subscription} active")]
    public static partial void CheckoutActivated(this ILogger logger, string merchantUid, string impUid, long subscription);

    [LoggerMessage(5, LogLevel.Warning, "Refunded mismatched payment {ImpUid} of checkout {MerchantUid}")]
    public static partial void MismatchRefunded(this ILogger logger, string impUid, string merchantUid);

    [LoggerMessage(6, LogLevel.Information, "Renewal run: {Report} in {Seconds:F1} s ({Rate:F1} settled/s)")]
    public static partial void RenewalRun(this ILogger logger, RenewalReport report, double seconds, double rate);

    [LoggerMessage(7, LogLevel.Warning, "Renewal {MerchantUid}: outcome unknown, will be looked up")]
    public static partial void RenewalUnknown(this ILogger logger, string merchantUid);

    [LoggerMessage(8, LogLevel.Warning, "Renewal {MerchantUid} refused by I'mport: code {Code}")]
    public static partial void RenewalRefused(this ILogger logger, string merchantUid, int? code);

    [LoggerMessage(9, LogLevel.Information, "Renewal {MerchantUid} declined")]
    public static partial void RenewalDeclined(this ILogger logger, string merchantUid);

    [LoggerMessage(10, LogLevel.Error, "Renewal run failed")]
    public static partial void RenewalRunFailed(this ILogger logger, Exception exception);

    [LoggerMessage(11, LogLevel.Warning, "Refund of {MerchantUid} refused: code {Code}")]
    public static partial void RefundRefused(this ILogger logger, string merchantUid, int? code);

    [LoggerMessage(12, LogLevel.Information, "Refunded {MerchantUid} ({ImpUid})")]
    public static partial void Refunded(this ILogger logger, string merchantUid, string impUid);

    [LoggerMessage(13, LogLevel.Information, "Card removed from subscription {Subscription}")]
    public static partial void CardRemoved(this ILogger logger, long subscription);

    [LoggerMessage(15, LogLevel.Information, "Renewal progress: {Settled} settled ({Approved} approved, {Declined} declined), {Rate:F1} settled/s")]
    public static partial void RenewalProgress(this ILogger logger, int settled, int approved, int declined, double rate);

    [LoggerMessage(16, LogLevel.Error, "Renewal {MerchantUid}: unexpected error; the claim stays and is looked up once stale")]
    public static partial void RenewalError(this ILogger logger, string merchantUid, Exception exception);

    [LoggerMessage(17, LogLevel.Warning, "Renewal {MerchantUid}: paid as {ImpUid}, but not as asked (amount or card); recorded as mismatched for the operator")]
    public static partial void RenewalMismatched(this ILogger logger, string merchantUid, string impUid);

    [LoggerMessage(18, LogLevel.Information, "Retired billing key deleted")]
    public static partial void RetiredKeyDeleted(this ILogger logger);

    [LoggerMessage(19, LogLevel.Warning, "Retired billing key not deleted (code {Code}); the sweep tries again")]
    public static partial void RetiredKeyNotDeleted(this ILogger logger, int? code);

    [LoggerMessage(20, LogLevel.Warning, "Sweep: checkout {MerchantUid} could not be looked up (code {Code}); the next sweep tries again")]
    public static partial void SweepLookupFailed(this ILogger logger, string merchantUid, int? code);

    [LoggerMessage(21, LogLevel.Warning, "Sweep: cancelled payments could not be listed (code {Code}); the next sweep tries again")]
    public static partial void SweepRefundsFailed(this ILogger logger, int? code);

    [LoggerMessage(22, LogLevel.Information, "Sweep: {Report}")]
    public static partial void SweepRun(this ILogger logger, SweepReport report);

    [LoggerMessage(23, LogLevel.Information, "Dunning: retry {Retry} of {MerchantUid}: {Outcome}")]
    public static partial void DunningRetried(this ILogger logger, string merchantUid, int retry, RenewalOutcome outcome);

    [LoggerMessage(24, LogLevel.Warning, "Dunning: {MerchantUid} still unpaid after {Retries} automatic retries; subscription cancelled and its key retired")]
    public static partial void DunningCancelled(this ILogger logger, string merchantUid, int retries);

    [LoggerMessage(25, LogLevel.Information, "Dunning: {Report}")]
    public static partial void DunningRun(this ILogger logger, DunningReport report);

    [LoggerMessage(26, LogLevel.Information, "Operator: {Action} {Target}: {Result}")]
    public static partial void OperatorAction(this ILogger logger, string action, string target, string result);

    [LoggerMessage(14, LogLevel.Information, "Webhook {ImpUid} {Status} for {MerchantUid}: {Result}")]
    public static partial void Webhook(this ILogger logger, string impUid, string status, string merchantUid, string result);

    // Riding out the database (ids from 41, apart from the other groups).
    [LoggerMessage(41, LogLevel.Warning, "Renewal {MerchantUid}: {Outcome} not recorded yet (database unavailable); kept in memory and written again, never charged again")]
    public static partial void RenewalRecordRetry(this ILogger logger, string merchantUid, RenewalOutcome outcome, Exception exception);

    [LoggerMessage(42, LogLevel.Warning, "Renewal leases not renewed (database unavailable); trying again")]
    public static partial void RenewalLeaseRetry(this ILogger logger, Exception exception);

    [LoggerMessage(43, LogLevel.Warning, "Renewal {MerchantUid}: lease not confirmed for {Seconds:F0} s; given back unsent")]
    public static partial void RenewalLeaseLost(this ILogger logger, string merchantUid, double seconds);

    [LoggerMessage(44, LogLevel.Information, "Renewal {MerchantUid}: earlier attempt found paid by the look-up before a retry; not charged again")]
    public static partial void RenewalRetryFoundPaid(this ILogger logger, string merchantUid);

    // I'mport's scheduler (ids from 51).
    [LoggerMessage(51, LogLevel.Information, "Schedule {MerchantUid}: registered at I'mport for {ScheduleAt:o}")]
    public static partial void ScheduleRegistered(this ILogger logger, string merchantUid, DateTimeOffset scheduleAt);

    [LoggerMessage(52, LogLevel.Warning, "Schedule {MerchantUid}: not registered ({Code}); the period is free again for the reconciliation")]
    public static partial void ScheduleRefused(this ILogger logger, string merchantUid, string? code);

    [LoggerMessage(53, LogLevel.Warning, "Schedule {MerchantUid}: I'mport's answer is unknown; the reconciliation looks it up")]
    public static partial void ScheduleUnknown(this ILogger logger, string merchantUid);

    [LoggerMessage(54, LogLevel.Information, "Schedule {MerchantUid}: taken off its key (card changed, subscription ended or engine switched)")]
    public static partial void ScheduleRevoked(this ILogger logger, string merchantUid);

    [LoggerMessage(55, LogLevel.Information, "Schedule reconciliation: {Report}")]
    public static partial void ScheduleReconciled(this ILogger logger, ScheduleReport report);
}
