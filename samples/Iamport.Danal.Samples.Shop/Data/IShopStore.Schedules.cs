namespace Iamport.Danal.Samples.Shop.Data;

/// <summary>The store's part for I'mport's scheduler (<c>Shop:RenewalEngine=Scheduler</c>): a period handed to I'mport
/// is a charge row in status <see cref="ChargeStatus.Scheduled"/>, with the key it was registered on.</summary>
public partial interface IShopStore
{
    /// <summary>Records that the subscription's next period is being scheduled on <paramref name="customerUid"/>, once:
    /// <see langword="false"/> when the period has a charge already (scheduled, claimed, paid, …), or the subscription no
    /// longer bills that key on that date. Only the caller that gets <see langword="true"/> registers it at I'mport; the
    /// row is <see cref="ScheduledCharge.Registering"/> until it calls <see cref="EndRegistrationAsync"/>, or for a lease
    /// (<c>Shop:RenewalLease</c>, on the database's clock) if it dies first.</summary>
    Task<bool> AddScheduledChargeAsync(long subscriptionId, DateOnly dueOn, string merchantUid, string customerUid, CancellationToken cancellationToken = default);

    /// <summary>The registrar of a scheduled period is done with it (registered, refused or unknown): from now on the
    /// reconciliation and a key's revocation may move it.</summary>
    Task EndRegistrationAsync(string merchantUid, CancellationToken cancellationToken = default);

    /// <summary>Takes back a scheduled period whose schedule is not (any more) at I'mport, once: only while it is still
    /// scheduled on <paramref name="customerUid"/>. The period then has no charge, so it can be scheduled (or claimed) again.</summary>
    Task<bool> DropScheduledChargeAsync(string merchantUid, string customerUid, CancellationToken cancellationToken = default);

    /// <summary>The key the period's charge was registered on at I'mport, kept once it settled; <see langword="null"/> when
    /// it was never handed to I'mport's scheduler.</summary>
    Task<string?> FindScheduledKeyAsync(string merchantUid, CancellationToken cancellationToken = default);

    /// <summary>Periods scheduled at I'mport and not yet settled; every one when <paramref name="subscriptionId"/> is null.</summary>
    Task<IReadOnlyList<ScheduledCharge>> ListScheduledChargesAsync(long? subscriptionId = null, CancellationToken cancellationToken = default);

    /// <summary>Keeps what a reconciliation repaired, for the operator page.</summary>
    Task RecordScheduleRepairAsync(int recorded, int registered, int revoked, CancellationToken cancellationToken = default);

    /// <summary>The latest reconciliations that repaired something, newest first.</summary>
    Task<IReadOnlyList<ScheduleRepair>> ListScheduleRepairsAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>Active subscriptions with a key whose next period has no charge at all (neither scheduled nor charged).</summary>
    Task<IReadOnlyList<Subscription>> ListUnscheduledAsync(CancellationToken cancellationToken = default);
}

/// <summary>What one reconciliation of I'mport's scheduler repaired (see <c>ScheduleEngine.RunOnceAsync</c>).</summary>
public sealed record ScheduleRepair(DateTimeOffset At, int Recorded, int Registered, int Revoked);

/// <summary>A period handed to I'mport's scheduler.</summary>
/// <param name="CustomerUid">The key it was registered on (a credential: kept out of <see cref="ToString"/>).</param>
/// <param name="Registering">Its registrar is still asking I'mport (its request may not have arrived yet): only the
/// registrar decides what becomes of it meanwhile.</param>
public sealed record ScheduledCharge(long SubscriptionId, string MerchantUid, DateOnly DueOn, long Amount, string CustomerUid, DateTimeOffset? RegisteredAt, bool Registering = false)
{
    public override string ToString() => $"Scheduled {MerchantUid}";
}
