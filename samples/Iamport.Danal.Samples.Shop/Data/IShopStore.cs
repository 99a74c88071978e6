namespace Iamport.Danal.Samples.Shop.Data;

/// <summary>The shop's records: subscriptions, the checkouts it issued, charges (one per subscription and period) and
/// webhooks seen. The Billing classes depend on this and nothing else about storage.</summary>
/// <remarks>
/// Two implementations: <see cref="SqliteShopStore"/> (the embedded default, one file, no setup) and
/// <see cref="PostgresShopStore"/> (when <c>ConnectionStrings:Shop</c> is set), for any number of shop processes on any
/// number of machines. The rules that matter (one charge per subscription and period, one activation per checkout) are
/// enforced by the database, never by a process's memory.
/// </remarks>
public partial interface IShopStore
{
    /// <summary>Brings the schema to the version this code needs by its numbered migrations (creating it in an empty
    /// database), each applied once; safe to run from several processes at once.</summary>
    Task EnsureCreatedAsync(CancellationToken cancellationToken = default);

    // ---- subscriptions and checkouts ----

    /// <summary>Records a checkout the server is about to hand to the browser, with a pending subscription behind it.</summary>
    Task<long> CreateCheckoutAsync(string owner, string planName, long monthlyAmount, string merchantUid, string customerUid, long checkoutAmount, CancellationToken cancellationToken = default);

    /// <summary>Records a key-only checkout that will replace the card of an existing subscription once verified.</summary>
    Task CreateCardChangeAsync(long subscriptionId, string merchantUid, string customerUid, CancellationToken cancellationToken = default);

    Task<CheckoutRecord?> FindCheckoutAsync(string merchantUid, CancellationToken cancellationToken = default);

    /// <summary>Applies a verified checkout, once: the callback, the mobile redirect, the webhook and the sweep may all
    /// try at the same moment, and exactly one moves it from pending.</summary>
    /// <remarks>A new subscription becomes active (with its first charge recorded when the window charged it). A card
    /// change swaps the subscription's key and, in the same transaction, retires the key it replaced; when the
    /// subscription no longer bills, the checkout is closed instead and its own new key is retired.</remarks>
    Task<Activation> ActivateCheckoutAsync(CheckoutRecord checkout, string impUid, string? cardName, DateOnly today, DateOnly nextChargeOn, CancellationToken cancellationToken = default);

    /// <summary>Closes a pending checkout that will never be applied (abandoned, declined, or its payment did not match)
    /// and retires the key it may have issued, in one transaction. <see langword="false"/>: it was no longer pending.</summary>
    Task<bool> CloseCheckoutAsync(string merchantUid, CancellationToken cancellationToken = default);

    /// <summary>Checkouts still pending that were opened longer ago than <paramref name="olderThan"/>, for the sweep.</summary>
    Task<IReadOnlyList<CheckoutRecord>> ListStaleCheckoutsAsync(TimeSpan olderThan, CancellationToken cancellationToken = default);

    // ---- retired billing keys (to delete at I'mport) ----

    /// <summary>Queues a key for deletion at I'mport, unless a subscription points at it.</summary>
    Task RetireKeyAsync(string customerUid, CancellationToken cancellationToken = default);

    /// <summary>Takes a retired key for deletion: exactly one caller gets it, and never while a subscription points at it.
    /// A taking older than <paramref name="staleAfter"/> (its taker died) may be taken again.</summary>
    Task<bool> TakeRetiredKeyAsync(string customerUid, TimeSpan staleAfter, CancellationToken cancellationToken = default);

    /// <summary>Records the end of a taking: deleted, or back in the queue for the sweep.</summary>
    Task FinishRetiredKeyAsync(string customerUid, bool deleted, CancellationToken cancellationToken = default);

    /// <summary>Retired keys not yet deleted (queued, or taken longer ago than <paramref name="staleAfter"/>).</summary>
    Task<IReadOnlyList<string>> ListRetiredKeysAsync(TimeSpan staleAfter, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(string owner, CancellationToken cancellationToken = default);

    Task<Subscription?> FindSubscriptionAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Adds active subscriptions whose keys were issued elsewhere (a migration from another system, a load run), in one transaction.</summary>
    Task AddActiveSubscriptionsAsync(IReadOnlyList<NewSubscription> subscriptions, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<string>> ListBillingKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>Stops the subscription and retires its billing key in one transaction; returns the key, to delete at
    /// I'mport (<see langword="null"/> when it had none).</summary>
    Task<string?> CancelSubscriptionAsync(long subscriptionId, CancellationToken cancellationToken = default);

    // ---- charges ----

    /// <summary>Claims up to <paramref name="max"/> due periods for this caller; no other caller, in any process, gets
    /// them while the claim's lease lasts (see <see cref="RenewLeasesAsync"/>).</summary>
    /// <remarks>A period is due when its subscription is active with a key and its next charge date has come. A period
    /// whose earlier try was not charged (or refused before approval) is claimed again, with the same merchant_uid.</remarks>
    Task<IReadOnlyList<ClaimedCharge>> ClaimDueAsync(DateOnly today, string merchantUidPrefix, int max, CancellationToken cancellationToken = default);

    /// <summary>Claims the declined (or refused too often) period of a past-due subscription for a retry: the
    /// customer's 다시 결제, the dunning schedule or the operator.</summary>
    Task<ClaimedCharge?> ClaimRetryAsync(long subscriptionId, CancellationToken cancellationToken = default);

    /// <summary>Renews the lease of every claim this process holds, on the database's clock; returns how many.</summary>
    Task<int> RenewLeasesAsync(CancellationToken cancellationToken = default);

    /// <summary>Gives back a claim whose charge was never sent (the run is stopping), so the next run charges it.</summary>
    Task ReleaseClaimAsync(string merchantUid, CancellationToken cancellationToken = default);

    /// <summary>Records that a claimed (or unknown) charge was paid and moves the subscription to its next period, once;
    /// <see langword="false"/> when it was recorded paid (or refunded) already.</summary>
    Task<bool> MarkChargePaidAsync(string merchantUid, string impUid, CancellationToken cancellationToken = default);

    /// <summary>Records that attempt <paramref name="attempt"/> of a charge did not end paid. A decline makes the
    /// subscription past due: no automatic retry. Nothing when the period was claimed again since (the outcome of an
    /// earlier attempt, learnt late, never lands on a newer attempt's claim). <see langword="true"/>: this call recorded it.</summary>
    Task<bool> MarkChargeNotPaidAsync(string merchantUid, int attempt, string status, string? impUid, string? reason, CancellationToken cancellationToken = default);

    /// <summary>Records a paid charge as refunded, once; <see langword="false"/> when it was not paid (any more).</summary>
    Task<bool> MarkChargeRefundedAsync(string merchantUid, CancellationToken cancellationToken = default);

    /// <summary>Records a claimed or unknown charge whose payment is paid but not as asked (another amount or
    /// customer_uid): not paid, flagged for the operator, never charged again by itself. Only while it is still attempt
    /// <paramref name="attempt"/>, as <see cref="MarkChargeNotPaidAsync"/>. <see langword="true"/>: this call recorded it.</summary>
    Task<bool> MarkChargeMismatchedAsync(string merchantUid, int attempt, string impUid, string reason, CancellationToken cancellationToken = default);

    /// <summary>Keeps the reason I'mport gave for refusing a refund, for the page to show.</summary>
    Task MarkRefundFailedAsync(string merchantUid, string reason, CancellationToken cancellationToken = default);

    /// <summary>Charges whose outcome must be looked up: unknown, or claimed with a lease that ran out (on the
    /// database's clock: its holder died or lost the database for longer than the lease).</summary>
    Task<IReadOnlyList<Charge>> ListUnresolvedChargesAsync(CancellationToken cancellationToken = default);

    Task<Charge?> FindChargeAsync(string merchantUid, CancellationToken cancellationToken = default);

    Task<Charge?> FindChargeAsync(long chargeId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Charge>> ListChargesAsync(long subscriptionId, CancellationToken cancellationToken = default);

    /// <summary>Counts every charge by status, for the operator (and for tests: nothing may stay claimed).</summary>
    Task<ChargeTally> TallyChargesAsync(CancellationToken cancellationToken = default);

    // ---- webhooks ----

    /// <summary>Whether a webhook for this state of the payment, as re-fetched from I'mport, was handled already.</summary>
    Task<bool> WebhookSeenAsync(string impUid, string status, long cancelAmount, CancellationToken cancellationToken = default);

    /// <summary>Records a handled webhook by the state of its verified payment (never the body's claims).</summary>
    Task RecordWebhookAsync(string impUid, string status, long cancelAmount, string merchantUid, string result, CancellationToken cancellationToken = default);

    Task<int> CountWebhooksAsync(string merchantUid, CancellationToken cancellationToken = default);
}

public sealed record Subscription(
    long Id, string Owner, string PlanName, long Amount, string Status, string? CustomerUid, string? CardName, DateOnly? NextChargeOn)
{
    // customer_uid is a bearer credential for charging: keep it out of logs and ToString.
    public override string ToString() => $"Subscription {Id} ({Status})";
}

/// <summary>A subscription to add as already active (see <see cref="IShopStore.AddActiveSubscriptionsAsync"/>).</summary>
public sealed record NewSubscription(string Owner, string PlanName, long Amount, string CustomerUid, string? CardName, DateOnly NextChargeOn)
{
    public override string ToString() => $"New subscription of {Owner}";
}

/// <param name="Purpose"><see cref="CheckoutPurpose.Subscribe"/> or <see cref="CheckoutPurpose.CardChange"/>.</param>
public sealed record CheckoutRecord(
    string MerchantUid, long SubscriptionId, string CustomerUid, long Amount, string Status, string Purpose, string Owner, string PlanName, long MonthlyAmount)
{
    public const string Pending = "pending";
    public const string Verified = "verified";
    public const string Closed = "closed";

    public override string ToString() => $"Checkout {MerchantUid} ({Purpose}, {Status})";
}

public static class CheckoutPurpose
{
    public const string Subscribe = "subscribe";
    public const string CardChange = "card_change";
}

/// <param name="Activated">Whether this call applied the checkout.</param>
/// <param name="Status">The checkout's status after the call: <see cref="CheckoutRecord.Verified"/> (by this call or an
/// earlier one) or <see cref="CheckoutRecord.Closed"/> (the subscription can no longer take a new card).</param>
/// <param name="RetiredKey">The key this call retired (the card change's old key, or its unneeded new one), to delete at I'mport.</param>
public sealed record Activation(bool Activated, string Status, string? RetiredKey)
{
    public override string ToString() => $"Activation ({Activated}, {Status})";
}

/// <summary>A period this caller claimed and now charges: everything the charge request needs.</summary>
/// <param name="Attempt">1 for the period's first attempt; more for a retry (after not charged, a refusal or a decline).</param>
/// <param name="PreviousAttemptAt">When the attempt before this one was claimed (on this app's clock), for the look-up
/// that comes before a retry; <see langword="null"/> when unknown.</param>
public sealed record ClaimedCharge(long SubscriptionId, string MerchantUid, long Amount, string CustomerUid, string PlanName, int Attempt = 1, DateTimeOffset? PreviousAttemptAt = null)
{
    public override string ToString() => $"Claimed {MerchantUid}";
}

public sealed record Charge(
    long Id, long SubscriptionId, string Period, DateOnly DueOn, string MerchantUid, long Amount, string Status, int Attempts,
    string? ImpUid, string? FailReason, string? RefundError, DateTimeOffset UpdatedAt, DateTimeOffset? ClaimedAt);

/// <summary>How many charges are in each status, and when the last one changed.</summary>
public sealed record ChargeTally(IReadOnlyDictionary<string, int> ByStatus, DateTimeOffset? LastUpdate)
{
    public int this[string status] => ByStatus.GetValueOrDefault(status);
}

public static class ChargeStatus
{
    public const string Claimed = "claimed";
    public const string Paid = "paid";
    public const string Declined = "declined";
    public const string NotCharged = "not_charged";
    public const string Failed = "failed";
    public const string Unknown = "unknown";
    public const string Refunded = "refunded";

    /// <summary>Paid at I'mport, but not as asked (another amount or customer_uid): for the operator to refund or explain.</summary>
    public const string Mismatched = "mismatched";

    /// <summary>Handed to I'mport's scheduler (<c>Shop:RenewalEngine=Scheduler</c>): I'mport charges it at its time, and
    /// its webhook (or the reconciliation) records the outcome.</summary>
    public const string Scheduled = "scheduled";
}

public static class SubscriptionStatus
{
    public const string Pending = "pending";
    public const string Active = "active";
    public const string PastDue = "past_due";
    public const string Cancelled = "cancelled";
}
