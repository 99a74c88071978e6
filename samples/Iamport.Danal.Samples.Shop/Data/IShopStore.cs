namespace Iamport.Danal.Samples.Shop.Data;

/// <summary>The shop's records: subscriptions, the checkouts it issued, charges (one per subscription and period) and
/// webhooks seen. The Billing classes depend on this and nothing else about storage.</summary>
/// <remarks>
/// Two implementations: <see cref="SqliteShopStore"/> (the embedded default, one file, no setup) and
/// <see cref="PostgresShopStore"/> (when <c>ConnectionStrings:Shop</c> is set), for any number of shop processes on any
/// number of machines. The rules that matter (one charge per subscription and period, one activation per checkout) are
/// enforced by the database, never by a process's memory.
/// </remarks>
public interface IShopStore
{
    /// <summary>Creates the tables and indexes when they do not exist yet; safe to run from several processes at once.</summary>
    Task EnsureCreatedAsync(CancellationToken cancellationToken = default);

    // ---- subscriptions and checkouts ----

    /// <summary>Records a checkout the server is about to hand to the browser, with a pending subscription behind it.</summary>
    Task<long> CreateCheckoutAsync(string owner, string planName, long monthlyAmount, string merchantUid, string customerUid, long checkoutAmount, CancellationToken cancellationToken = default);

    /// <summary>Records a key-only checkout that will replace the card of an existing subscription once verified.</summary>
    Task CreateCardChangeAsync(long subscriptionId, string merchantUid, string customerUid, CancellationToken cancellationToken = default);

    Task<CheckoutRecord?> FindCheckoutAsync(string merchantUid, CancellationToken cancellationToken = default);

    /// <summary>Applies a verified checkout, once: the callback, the mobile redirect and the webhook may all try.</summary>
    /// <remarks>A new subscription becomes active (with its first charge recorded when the window charged it); a card
    /// change swaps the subscription's key and reports the key it replaced, which the caller then deletes.</remarks>
    Task<Activation> ActivateCheckoutAsync(CheckoutRecord checkout, string impUid, string? cardName, DateOnly today, DateOnly nextChargeOn, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(string owner, CancellationToken cancellationToken = default);

    Task<Subscription?> FindSubscriptionAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Adds active subscriptions whose keys were issued elsewhere (a migration from another system, a load run), in one transaction.</summary>
    Task AddActiveSubscriptionsAsync(IReadOnlyList<NewSubscription> subscriptions, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<string>> ListBillingKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>Forgets the billing key after it was deleted at I'mport and stops the subscription.</summary>
    Task CancelSubscriptionAsync(long subscriptionId, CancellationToken cancellationToken = default);

    // ---- charges ----

    /// <summary>Claims up to <paramref name="max"/> due periods for this caller; no other caller, in any process, gets them.</summary>
    /// <remarks>A period is due when its subscription is active with a key and its next charge date has come. A period
    /// whose earlier try was not charged (or refused before approval) is claimed again, with the same merchant_uid.</remarks>
    Task<IReadOnlyList<ClaimedCharge>> ClaimDueAsync(DateOnly today, string merchantUidPrefix, int max, CancellationToken cancellationToken = default);

    /// <summary>Claims the declined period of a past-due subscription for a retry the customer asked for.</summary>
    Task<ClaimedCharge?> ClaimRetryAsync(long subscriptionId, CancellationToken cancellationToken = default);

    /// <summary>Gives back a claim whose charge was never sent (the run is stopping), so the next run charges it.</summary>
    Task ReleaseClaimAsync(string merchantUid, CancellationToken cancellationToken = default);

    /// <summary>Records that a claimed (or unknown) charge was paid and moves the subscription to its next period, once.</summary>
    Task MarkChargePaidAsync(string merchantUid, string impUid, CancellationToken cancellationToken = default);

    /// <summary>Records a charge that did not end paid. A decline makes the subscription past due: no automatic retry.</summary>
    Task MarkChargeNotPaidAsync(string merchantUid, string status, string? impUid, string? reason, CancellationToken cancellationToken = default);

    Task MarkChargeRefundedAsync(string merchantUid, CancellationToken cancellationToken = default);

    /// <summary>Keeps the reason I'mport gave for refusing a refund, for the page to show.</summary>
    Task MarkRefundFailedAsync(string merchantUid, string reason, CancellationToken cancellationToken = default);

    /// <summary>Charges whose outcome must be looked up: unknown, or claimed longer ago than <paramref name="staleClaimAfter"/>.</summary>
    Task<IReadOnlyList<Charge>> ListUnresolvedChargesAsync(TimeSpan staleClaimAfter, CancellationToken cancellationToken = default);

    Task<Charge?> FindChargeAsync(string merchantUid, CancellationToken cancellationToken = default);

    Task<Charge?> FindChargeAsync(long chargeId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Charge>> ListChargesAsync(long subscriptionId, CancellationToken cancellationToken = default);

    /// <summary>Counts every charge by status, for the operator (and for tests: nothing may stay claimed).</summary>
    Task<ChargeTally> TallyChargesAsync(CancellationToken cancellationToken = default);

    // ---- webhooks ----

    Task<bool> WebhookSeenAsync(string impUid, string status, CancellationToken cancellationToken = default);

    Task RecordWebhookAsync(string impUid, string status, string merchantUid, string result, CancellationToken cancellationToken = default);

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
    public override string ToString() => $"Checkout {MerchantUid} ({Purpose}, {Status})";
}

public static class CheckoutPurpose
{
    public const string Subscribe = "subscribe";
    public const string CardChange = "card_change";
}

/// <param name="Activated">Whether this call applied the checkout (<see langword="false"/>: already applied, or the
/// subscription can no longer take a new card).</param>
/// <param name="ReplacedCustomerUid">A card change only: the key it replaced, to delete at I'mport.</param>
public sealed record Activation(bool Activated, string? ReplacedCustomerUid)
{
    public override string ToString() => $"Activation ({Activated})";
}

/// <summary>A period this caller claimed and now charges: everything the charge request needs.</summary>
public sealed record ClaimedCharge(long SubscriptionId, string MerchantUid, long Amount, string CustomerUid, string PlanName)
{
    public override string ToString() => $"Claimed {MerchantUid}";
}

public sealed record Charge(
    long Id, long SubscriptionId, string Period, DateOnly DueOn, string MerchantUid, long Amount, string Status, int Attempts,
    string? ImpUid, string? FailReason, string? RefundError, DateTimeOffset UpdatedAt);

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
}

public static class SubscriptionStatus
{
    public const string Pending = "pending";
    public const string Active = "active";
    public const string PastDue = "past_due";
    public const string Cancelled = "cancelled";
}
