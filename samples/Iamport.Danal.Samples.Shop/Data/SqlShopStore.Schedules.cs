namespace Iamport.Danal.Samples.Shop.Data;

/// <summary>The store's part for I'mport's scheduler.</summary>
public abstract partial class SqlShopStore
{
    /// <summary>Version 4: the key a scheduled period was registered on at I'mport, and what each reconciliation repaired.</summary>
    protected static string ScheduledKeys(string identity, string instant) => $"""
        ALTER TABLE charges ADD COLUMN scheduled_key TEXT; -- the key a 'scheduled' charge was registered on
        CREATE TABLE IF NOT EXISTS schedule_repairs ( -- reconciliations of I'mport's scheduler that repaired something
            id              {identity},
            ran_at          {instant} NOT NULL,
            recorded        INTEGER NOT NULL, -- run at I'mport, outcome recorded late (webhook lost)
            registered      INTEGER NOT NULL, -- periods that had no schedule
            revoked         INTEGER NOT NULL); -- schedules taken off a key no longer billed, or handed back to the job
        """;

    public Task RecordScheduleRepairAsync(int recorded, int registered, int revoked, CancellationToken cancellationToken = default) =>
        WriteAsync((c, tx) => ExecuteAsync(c, tx,
            "INSERT INTO schedule_repairs (ran_at, recorded, registered, revoked) VALUES (@now, @recorded, @registered, @revoked);",
            cancellationToken, ("@now", Now()), ("@recorded", recorded), ("@registered", registered), ("@revoked", revoked)), cancellationToken);

    public Task<IReadOnlyList<ScheduleRepair>> ListScheduleRepairsAsync(int max, CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT ran_at, recorded, registered, revoked FROM schedule_repairs ORDER BY id DESC LIMIT @max;",
            r => new ScheduleRepair(r.GetFieldValue<DateTimeOffset>(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3)), cancellationToken, ("@max", max));

    public Task<bool> AddScheduledChargeAsync(long subscriptionId, DateOnly dueOn, string merchantUid, string customerUid, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx) => await ExecuteAsync(c, tx, $"""
            INSERT INTO charges (subscription_id, period, due_on, merchant_uid, amount, status, claimed_at, updated_at, scheduled_key, lease_until)
            SELECT id, @period, next_charge_on, @m, amount, 'scheduled', @now, @now, customer_uid, {LeaseUntilSql} FROM subscriptions
            WHERE id = @sid AND status = 'active' AND customer_uid = @cu AND next_charge_on = @due
            ON CONFLICT DO NOTHING;
            """, cancellationToken, ("@sid", subscriptionId), ("@period", dueOn.ToString("yyyyMM", System.Globalization.CultureInfo.InvariantCulture)),
            ("@due", dueOn), ("@m", merchantUid), ("@cu", customerUid), ("@now", Now()), ("@lease", Lease.TotalSeconds)) == 1, cancellationToken);

    public Task EndRegistrationAsync(string merchantUid, CancellationToken cancellationToken = default) =>
        WriteAsync((c, tx) => ExecuteAsync(c, tx, "UPDATE charges SET lease_until = NULL WHERE merchant_uid = @m AND status = 'scheduled';",
            cancellationToken, ("@m", merchantUid)), cancellationToken);

    public Task<bool> DropScheduledChargeAsync(string merchantUid, string customerUid, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx) => await ExecuteAsync(c, tx,
            "DELETE FROM charges WHERE merchant_uid = @m AND status = 'scheduled' AND scheduled_key = @cu;",
            cancellationToken, ("@m", merchantUid), ("@cu", customerUid)) == 1, cancellationToken);

    public async Task<string?> FindScheduledKeyAsync(string merchantUid, CancellationToken cancellationToken = default) =>
        await QueryAsync("SELECT scheduled_key FROM charges WHERE merchant_uid = @m;", r => r.IsDBNull(0) ? null : r.GetString(0),
            cancellationToken, ("@m", merchantUid)) is [var key] ? key : null;

    public Task<IReadOnlyList<ScheduledCharge>> ListScheduledChargesAsync(long? subscriptionId = null, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"SELECT subscription_id, merchant_uid, due_on, amount, scheduled_key, claimed_at, lease_until IS NOT NULL AND lease_until > {DbNow} FROM charges WHERE status = 'scheduled'"
            + (subscriptionId is null ? "" : " AND subscription_id = @sid") + " ORDER BY id;",
            r => new ScheduledCharge(r.GetInt64(0), r.GetString(1), r.GetFieldValue<DateOnly>(2), r.GetInt64(3), r.GetString(4),
                r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5), r.GetBoolean(6)), cancellationToken, ("@sid", subscriptionId));

    public Task<IReadOnlyList<Subscription>> ListUnscheduledAsync(CancellationToken cancellationToken = default) =>
        QuerySubscriptionsAsync("""
            WHERE status = 'active' AND customer_uid IS NOT NULL AND next_charge_on IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM charges c WHERE c.subscription_id = subscriptions.id AND c.due_on = subscriptions.next_charge_on)
            ORDER BY id;
            """, cancellationToken);
}
