namespace Iamport.Danal.Samples.Shop.Data;

/// <summary>What the operator's page and the dunning schedule need from the store.</summary>
public partial interface IShopStore
{
    /// <summary>Makes past due each active subscription whose due period was refused (not declined) at least
    /// <paramref name="maxTries"/> times, so no renewal run claims it again; returns how many.</summary>
    /// <remarks>A refusal that cannot succeed (an unknown or deleted key) is otherwise claimed again by every run, forever.</remarks>
    Task<int> StopRefusedChargesAsync(int maxTries, CancellationToken cancellationToken = default);

    /// <summary>Records a charge refused before approval; when this was its <paramref name="maxTries"/>th try, the
    /// subscription is made past due in the same transaction, so no renewal run (in any process) claims it again.</summary>
    Task MarkChargeRefusedAsync(string merchantUid, string reason, int maxTries, CancellationToken cancellationToken = default);

    /// <summary>Opens a dunning record for each past-due period that has none yet (counted from when it went past due),
    /// then lists the open ones.</summary>
    Task<IReadOnlyList<DunningState>> OpenDunningAsync(CancellationToken cancellationToken = default);

    /// <summary>Takes automatic retry number <paramref name="retriesTaken"/> + 1 of an open dunning record and, in the same
    /// transaction, claims the period (as <see cref="ClaimRetryAsync"/>): exactly one caller (in any process) gets each
    /// retry, and nobody sees the retry taken while the period still looks declined. <see langword="null"/>: not this
    /// caller's, or nothing to charge (the customer is paying it at this moment).</summary>
    Task<ClaimedCharge?> TakeDunningRetryAsync(string merchantUid, long subscriptionId, int retriesTaken, CancellationToken cancellationToken = default);

    /// <summary>Closes an open dunning record whose period no longer needs it (paid, or the subscription ended otherwise).</summary>
    Task CloseDunningAsync(string merchantUid, CancellationToken cancellationToken = default);

    /// <summary>Ends a subscription whose dunning gave up, in one transaction: cancelled, its key retired, the record
    /// marked cancelled for the customer's page. Only while it is still past due on that period; returns the retired key
    /// (to delete at I'mport), or <see langword="null"/> when nothing was cancelled.</summary>
    Task<string?> CancelAfterDunningAsync(string merchantUid, CancellationToken cancellationToken = default);

    /// <summary>The latest dunning record of a subscription, if it ever went past due.</summary>
    Task<DunningState?> FindDunningAsync(long subscriptionId, CancellationToken cancellationToken = default);

    /// <summary>Keeps the receipt address I'mport gave for a paid charge.</summary>
    Task RecordReceiptAsync(string merchantUid, string receiptUrl, CancellationToken cancellationToken = default);

    /// <summary>Receipt addresses of a subscription's charges, by merchant_uid.</summary>
    Task<IReadOnlyDictionary<string, string>> ListReceiptsAsync(long subscriptionId, CancellationToken cancellationToken = default);

    /// <summary>The charges of past-due subscriptions at their due period (declined, or refused too often).</summary>
    Task<IReadOnlyList<Charge>> ListPastDueChargesAsync(CancellationToken cancellationToken = default);

    /// <summary>Charges an operator should see besides those: refused (with their tries), mismatched, and paid ones whose
    /// refund failed.</summary>
    Task<IReadOnlyList<Charge>> ListChargesForOperatorAsync(CancellationToken cancellationToken = default);
}

/// <summary>A past-due period under the dunning schedule.</summary>
/// <param name="FailedAt">When the period went past due; the schedule counts from here.</param>
/// <param name="Retries">Automatic retries taken so far.</param>
/// <param name="Status"><see cref="Open"/>, <see cref="Paid"/> (or otherwise settled) or <see cref="Cancelled"/>.</param>
/// <param name="ChargeStatus">The status of the period's charge now.</param>
/// <param name="SubscriptionStatus">The status of the subscription now.</param>
public sealed record DunningState(
    string MerchantUid, long SubscriptionId, DateTimeOffset FailedAt, int Retries, string Status, string ChargeStatus, string SubscriptionStatus, DateTimeOffset UpdatedAt)
{
    /// <summary>Past due, retries may follow.</summary>
    public const string Open = "open";

    /// <summary>Paid, or the subscription ended otherwise: no more retries.</summary>
    public const string Closed = "closed";

    /// <summary>The last retry failed too: dunning cancelled the subscription.</summary>
    public const string Cancelled = "cancelled";
}
