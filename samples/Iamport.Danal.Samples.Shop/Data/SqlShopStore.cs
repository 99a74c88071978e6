using System.Data.Common;
using Iamport.Danal.Samples.Shop.Billing;

namespace Iamport.Danal.Samples.Shop.Data;

/// <summary>The store in plain SQL that SQLite and PostgreSQL both understand (<c>ON CONFLICT</c>, <c>RETURNING</c>,
/// <c>@name</c> parameters). The two subclasses add only what differs: the schema and how due periods are claimed.</summary>
/// <remarks>
/// <para>Every operation opens its own pooled connection and, when it writes more than one row, its own
/// transaction; every state change is guarded by the row's current state, so a retried or concurrent call changes
/// nothing twice. That is what lets an operation that failed on a transient database error (a restart, a dropped
/// connection, a busy file) be run again whole, with growing pauses, for up to <see cref="RetryFor"/>: callers never
/// see an outage shorter than that.</para>
/// <para>A claim is a lease: it carries <c>lease_until</c>, set and compared on the database's clock (never a process's,
/// which may run ahead), renewed by its holder (<see cref="RenewLeasesAsync"/>) while it works. A claim whose lease ran
/// out is looked up by whoever sees it first, never charged again blindly.</para>
/// </remarks>
public abstract partial class SqlShopStore(DbDataSource dataSource, TimeProvider time) : IShopStore
{
    /// <summary>The schema, as numbered steps: step <c>i</c> (from 0) brings a database to version <c>i + 1</c>. Each
    /// runs once, in its own transaction with its version recorded in <c>shop_schema_versions</c>. Append a step to
    /// change the schema; never edit one that has shipped.</summary>
    protected abstract IReadOnlyList<string> Migrations { get; }

    /// <summary>Runs first in every migration transaction (PostgreSQL: a lock, so processes starting together wait for each other).</summary>
    protected virtual string MigrationLockSql => "";

    /// <summary>The database's own clock, as an expression of the type the schema uses for instants.</summary>
    protected abstract string DbNow { get; }

    /// <summary>The database's clock plus <c>@lease</c> seconds: when a claim taken or renewed now expires.</summary>
    protected abstract string LeaseUntilSql { get; }

    /// <summary>Claims due periods: parameters <c>@today</c>, <c>@prefix</c>, <c>@max</c>, <c>@token</c>, <c>@now</c>,
    /// <c>@holder</c>, <c>@lease</c>; every row it claims gets <c>claim_token = @token</c>, <c>holder = @holder</c> and
    /// <c>lease_until = </c><see cref="LeaseUntilSql"/>. Ends in <see cref="ReclaimOnConflict"/>.</summary>
    protected abstract string ClaimDueSql { get; }

    /// <summary>How long a claim lasts unless its holder renews it (<c>Shop:RenewalLease</c>).</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an operation is retried on transient database errors before the error reaches the caller
    /// (<c>Shop:StoreRetryFor</c>).</summary>
    public TimeSpan RetryFor { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>This store's claims: one per process, so a renewal renews everything the process holds.</summary>
    private readonly string _holder = Guid.NewGuid().ToString("N");

    /// <summary>How a claim treats a period that already has a charge row: it takes it again only when that charge was
    /// not charged or failed, under the same merchant_uid; a claimed, paid, declined or unknown period stays as it is.</summary>
    protected const string ReclaimOnConflict = """
        ON CONFLICT (subscription_id, period) DO UPDATE
            SET status = 'claimed', attempts = charges.attempts + 1, fail_reason = NULL,
                claim_token = excluded.claim_token, claimed_at = excluded.claimed_at, updated_at = excluded.updated_at,
                holder = excluded.holder, lease_until = excluded.lease_until, previous_claimed_at = charges.claimed_at
            WHERE charges.status IN ('not_charged', 'failed') AND charges.merchant_uid = excluded.merchant_uid;
        """;

    /// <summary>The tables, written once; each database names its own types for an identity key, a whole number
    /// (KRW, ids), a Korean date (<c>yyyy-MM-dd</c>) and an instant.</summary>
    /// <remarks>Version 1, as the sample shipped before versioned migrations (hence <c>IF NOT EXISTS</c>: a database of
    /// that time already has it).</remarks>
    protected static string Schema(string identity, string wholeNumber, string date, string instant) => $"""
        CREATE TABLE IF NOT EXISTS subscriptions (
            id              {identity},
            owner           TEXT NOT NULL,    -- the shop's own customer id (a cookie in this sample)
            plan_name       TEXT NOT NULL,
            amount          {wholeNumber} NOT NULL, -- KRW per month
            status          TEXT NOT NULL,    -- pending, active, past_due, cancelled
            customer_uid    TEXT,             -- the billing key's id at I'mport: never rendered or logged
            card_name       TEXT,
            next_charge_on  {date},            -- Korean date
            created_at      {instant} NOT NULL);
        CREATE INDEX IF NOT EXISTS subscriptions_due ON subscriptions (next_charge_on) WHERE status = 'active';
        CREATE TABLE IF NOT EXISTS checkouts (
            merchant_uid    TEXT PRIMARY KEY, -- issued by the server; the browser only echoes it
            subscription_id {wholeNumber} NOT NULL REFERENCES subscriptions(id),
            customer_uid    TEXT NOT NULL,
            amount          {wholeNumber} NOT NULL, -- 0: register the card only
            status          TEXT NOT NULL,    -- pending, verified, closed
            purpose         TEXT NOT NULL,    -- subscribe, card_change
            imp_uid         TEXT,
            created_at      {instant} NOT NULL);
        CREATE TABLE IF NOT EXISTS charges (
            id              {identity},
            subscription_id {wholeNumber} NOT NULL REFERENCES subscriptions(id),
            period          TEXT NOT NULL,    -- yyyyMM
            due_on          {date} NOT NULL,
            merchant_uid    TEXT NOT NULL UNIQUE,
            amount          {wholeNumber} NOT NULL,
            status          TEXT NOT NULL,    -- claimed, paid, declined, not_charged, failed, unknown, refunded
            attempts        INTEGER NOT NULL DEFAULT 1,
            claim_token     TEXT,             -- which claim (one batch of one process) charges it
            claimed_at      {instant},         -- when the current attempt was claimed: records older than this are earlier attempts
            imp_uid         TEXT,
            fail_reason     TEXT,
            refund_error    TEXT,
            updated_at      {instant} NOT NULL,
            UNIQUE (subscription_id, period)); -- the guard against charging a period twice
        CREATE INDEX IF NOT EXISTS charges_claim ON charges (claim_token);
        CREATE INDEX IF NOT EXISTS charges_status ON charges (status);
        CREATE TABLE IF NOT EXISTS webhook_payments ( -- webhooks handled, by the state of the re-fetched payment
            imp_uid         TEXT NOT NULL,
            status          TEXT NOT NULL,
            cancel_amount   {wholeNumber} NOT NULL,
            merchant_uid    TEXT NOT NULL,
            result          TEXT NOT NULL,
            received_at     {instant} NOT NULL,
            PRIMARY KEY (imp_uid, status, cancel_amount));
        CREATE TABLE IF NOT EXISTS retired_keys ( -- billing keys no subscription uses, to delete at I'mport
            customer_uid    TEXT PRIMARY KEY,
            status          TEXT NOT NULL,    -- due, deleting, deleted
            updated_at      {instant} NOT NULL);
        CREATE INDEX IF NOT EXISTS checkouts_pending ON checkouts (created_at) WHERE status = 'pending';
        """;

    /// <summary>Version 2: claims become leases on the database's clock. A claim left by an older version gets a
    /// lease that has run out, so it is looked up at once.</summary>
    protected static string Leases(string instant, string dbNow) => $"""
        ALTER TABLE charges ADD COLUMN lease_until {instant}; -- the claim expires then, on the database's clock
        ALTER TABLE charges ADD COLUMN holder TEXT;            -- the process holding the claim (renews its lease)
        ALTER TABLE charges ADD COLUMN previous_claimed_at {instant}; -- when the attempt before this one was claimed
        UPDATE charges SET lease_until = {dbNow} WHERE status = 'claimed';
        """;

    protected TimeProvider Time { get; } = time;

    /// <summary>The schema version this code needs.</summary>
    public int SchemaVersion => Migrations.Count;

    /// <summary>Brings the schema to <see cref="SchemaVersion"/>, step by step; safe to run from several processes at once.</summary>
    public virtual async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        for (int version = 1; version <= Migrations.Count; version++)
        {
            string step = Migrations[version - 1];
            await WriteAsync(async (c, tx) =>
            {
                await ExecuteAsync(c, tx, MigrationLockSql + "\nCREATE TABLE IF NOT EXISTS shop_schema_versions (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);", cancellationToken);
                if (await ScalarAsync<long>(c, tx, "SELECT COUNT(*) FROM shop_schema_versions WHERE version = @v;", cancellationToken, ("@v", version)) == 0)
                {
                    await ExecuteAsync(c, tx, step, cancellationToken);
                    await ExecuteAsync(c, tx, "INSERT INTO shop_schema_versions (version, applied_at) VALUES (@v, @at);", cancellationToken,
                        ("@v", version), ("@at", Now().ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
                }
            }, cancellationToken);
        }
    }

    /// <summary>The versions applied to the database, in order.</summary>
    public Task<IReadOnlyList<int>> AppliedVersionsAsync(CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT version FROM shop_schema_versions ORDER BY version;", r => Convert.ToInt32(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), cancellationToken);

    // ---- subscriptions and checkouts -------------------------------------------------------------------------

    public Task<long> CreateCheckoutAsync(string owner, string planName, long monthlyAmount, string merchantUid, string customerUid, long checkoutAmount, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx) =>
        {
            long subscriptionId = await ScalarAsync<long>(c, tx, """
                INSERT INTO subscriptions (owner, plan_name, amount, status, created_at)
                VALUES (@owner, @plan, @amount, 'pending', @now) RETURNING id;
                """, cancellationToken, ("@owner", owner), ("@plan", planName), ("@amount", monthlyAmount), ("@now", Now()));
            await InsertCheckoutAsync(c, tx, merchantUid, subscriptionId, customerUid, checkoutAmount, CheckoutPurpose.Subscribe, cancellationToken);
            return subscriptionId;
        }, cancellationToken);

    public Task CreateCardChangeAsync(long subscriptionId, string merchantUid, string customerUid, CancellationToken cancellationToken = default) =>
        WriteAsync((c, tx) => InsertCheckoutAsync(c, tx, merchantUid, subscriptionId, customerUid, 0, CheckoutPurpose.CardChange, cancellationToken), cancellationToken);

    public async Task<CheckoutRecord?> FindCheckoutAsync(string merchantUid, CancellationToken cancellationToken = default) =>
        FirstOrNull(await QueryCheckoutsAsync("WHERE c.merchant_uid = @m;", cancellationToken, ("@m", merchantUid)));

    public Task<Activation> ActivateCheckoutAsync(CheckoutRecord checkout, string impUid, string? cardName, DateOnly today, DateOnly nextChargeOn, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx) =>
        {
            int changed = await ExecuteAsync(c, tx,
                "UPDATE checkouts SET status = 'verified', imp_uid = @imp WHERE merchant_uid = @m AND status = 'pending';",
                cancellationToken, ("@m", checkout.MerchantUid), ("@imp", impUid));
            if (changed == 0)
            {
                // Another path (callback, redirect, webhook, sweep) got there first: report what it decided.
                string status = await ScalarAsync<string>(c, tx, "SELECT status FROM checkouts WHERE merchant_uid = @m;", cancellationToken, ("@m", checkout.MerchantUid));
                return new Activation(false, status, null);
            }

            if (checkout.Purpose == CheckoutPurpose.CardChange)
            {
                // Only a subscription that still bills takes the new key. The swap is guarded by the key it replaces:
                // a concurrent change in between is seen by reading again, so the key retired is always the one replaced.
                for (int attempt = 0; attempt < 5; attempt++)
                {
                    var old = await QueryAsync(c, tx,
                        "SELECT customer_uid FROM subscriptions WHERE id = @sid AND status IN ('active', 'past_due') AND customer_uid IS NOT NULL;",
                        r => r.GetString(0), cancellationToken, ("@sid", checkout.SubscriptionId));
                    if (old.Count == 0)
                    {
                        break;
                    }

                    int swapped = await ExecuteAsync(c, tx,
                        "UPDATE subscriptions SET customer_uid = @cu, card_name = @card WHERE id = @sid AND customer_uid = @old AND status IN ('active', 'past_due');",
                        cancellationToken, ("@sid", checkout.SubscriptionId), ("@cu", checkout.CustomerUid), ("@card", cardName), ("@old", old[0]));
                    if (swapped == 1)
                    {
                        await RetireKeyAsync(c, tx, old[0], cancellationToken);
                        return new Activation(true, CheckoutRecord.Verified, old[0]);
                    }
                }

                await ExecuteAsync(c, tx, "UPDATE checkouts SET status = 'closed' WHERE merchant_uid = @m;", cancellationToken, ("@m", checkout.MerchantUid));
                await RetireKeyAsync(c, tx, checkout.CustomerUid, cancellationToken);
                return new Activation(false, CheckoutRecord.Closed, checkout.CustomerUid);
            }

            await ExecuteAsync(c, tx,
                "UPDATE subscriptions SET status = 'active', customer_uid = @cu, card_name = @card, next_charge_on = @next WHERE id = @sid AND status = 'pending';",
                cancellationToken, ("@sid", checkout.SubscriptionId), ("@cu", checkout.CustomerUid), ("@card", cardName), ("@next", nextChargeOn));
            if (checkout.Amount > 0)
            {
                // The first month was paid in the window: record it as this period's charge so renewal skips it.
                await ExecuteAsync(c, tx, """
                    INSERT INTO charges (subscription_id, period, due_on, merchant_uid, amount, status, imp_uid, updated_at)
                    VALUES (@sid, @period, @due, @m, @amount, 'paid', @imp, @now);
                    """, cancellationToken, ("@sid", checkout.SubscriptionId), ("@period", ShopClock.Period(today)), ("@due", today),
                    ("@m", checkout.MerchantUid), ("@amount", checkout.Amount), ("@imp", impUid), ("@now", Now()));
            }

            return new Activation(true, CheckoutRecord.Verified, null);
        }, cancellationToken);

    public Task<bool> CloseCheckoutAsync(string merchantUid, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx) =>
        {
            var closed = await QueryAsync(c, tx,
                "UPDATE checkouts SET status = 'closed' WHERE merchant_uid = @m AND status = 'pending' RETURNING customer_uid;",
                r => r.GetString(0), cancellationToken, ("@m", merchantUid));
            if (closed.Count == 0)
            {
                return false;
            }

            await RetireKeyAsync(c, tx, closed[0], cancellationToken);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<CheckoutRecord>> ListStaleCheckoutsAsync(TimeSpan olderThan, CancellationToken cancellationToken = default) =>
        QueryCheckoutsAsync("WHERE c.status = 'pending' AND c.created_at < @before ORDER BY c.created_at;", cancellationToken, ("@before", Now() - olderThan));

    // ---- retired keys ----------------------------------------------------------------------------------------

    public Task RetireKeyAsync(string customerUid, CancellationToken cancellationToken = default) =>
        WriteAsync((c, tx) => RetireKeyAsync(c, tx, customerUid, cancellationToken), cancellationToken);

    public Task<bool> TakeRetiredKeyAsync(string customerUid, TimeSpan staleAfter, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx) => await ExecuteAsync(c, tx, """
            UPDATE retired_keys SET status = 'deleting', updated_at = @now
            WHERE customer_uid = @cu AND (status = 'due' OR (status = 'deleting' AND updated_at < @stale))
              AND NOT EXISTS (SELECT 1 FROM subscriptions WHERE customer_uid = @cu);
            """, cancellationToken, ("@cu", customerUid), ("@now", Now()), ("@stale", Now() - staleAfter)) == 1, cancellationToken);

    public Task FinishRetiredKeyAsync(string customerUid, bool deleted, CancellationToken cancellationToken = default) =>
        WriteAsync((c, tx) => ExecuteAsync(c, tx,
            "UPDATE retired_keys SET status = @status, updated_at = @now WHERE customer_uid = @cu AND status = 'deleting';",
            cancellationToken, ("@cu", customerUid), ("@status", deleted ? "deleted" : "due"), ("@now", Now())), cancellationToken);

    public Task<IReadOnlyList<string>> ListRetiredKeysAsync(TimeSpan staleAfter, CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT customer_uid FROM retired_keys WHERE status = 'due' OR (status = 'deleting' AND updated_at < @stale);",
            r => r.GetString(0), cancellationToken, ("@stale", Now() - staleAfter));

    /// <summary>Queues a key no subscription points at; a key deleted before and issued again (a window completed after
    /// its checkout was closed) is queued again.</summary>
    private Task<int> RetireKeyAsync(DbConnection c, DbTransaction tx, string customerUid, CancellationToken cancellationToken) =>
        ExecuteAsync(c, tx, """
            INSERT INTO retired_keys (customer_uid, status, updated_at)
            SELECT @cu, 'due', @now WHERE NOT EXISTS (SELECT 1 FROM subscriptions WHERE customer_uid = @cu)
            ON CONFLICT (customer_uid) DO UPDATE SET status = 'due', updated_at = excluded.updated_at WHERE retired_keys.status = 'deleted';
            """, cancellationToken, ("@cu", customerUid), ("@now", Now()));

    public Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(string owner, CancellationToken cancellationToken = default) =>
        QuerySubscriptionsAsync("WHERE owner = @owner AND status <> 'pending' ORDER BY id DESC;", cancellationToken, ("@owner", owner));

    public async Task<Subscription?> FindSubscriptionAsync(long id, CancellationToken cancellationToken = default) =>
        FirstOrNull(await QuerySubscriptionsAsync("WHERE id = @id;", cancellationToken, ("@id", id)));

    public Task AddActiveSubscriptionsAsync(IReadOnlyList<NewSubscription> subscriptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        return WriteAsync(async (c, tx) =>
        {
            await using var command = Command(c, tx, """
                INSERT INTO subscriptions (owner, plan_name, amount, status, customer_uid, card_name, next_charge_on, created_at)
                VALUES (@owner, @plan, @amount, 'active', @cu, @card, @next, @now);
                """, ("@owner", ""), ("@plan", ""), ("@amount", 0L), ("@cu", ""), ("@card", null), ("@next", default(DateOnly)), ("@now", Now()));
            foreach (var s in subscriptions)
            {
                command.Parameters["@owner"].Value = s.Owner;
                command.Parameters["@plan"].Value = s.PlanName;
                command.Parameters["@amount"].Value = s.Amount;
                command.Parameters["@cu"].Value = s.CustomerUid;
                command.Parameters["@card"].Value = (object?)s.CardName ?? DBNull.Value;
                command.Parameters["@next"].Value = s.NextChargeOn;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }, cancellationToken);
    }

    public Task<IReadOnlyList<string>> ListBillingKeysAsync(CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT customer_uid FROM subscriptions WHERE customer_uid IS NOT NULL;", r => r.GetString(0), cancellationToken);

    public Task<string?> CancelSubscriptionAsync(long subscriptionId, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx) =>
        {
            // Guarded by the key read, like a card change: a card swapped in meanwhile is the one retired.
            for (int attempt = 0; attempt < 5; attempt++)
            {
                var key = await QueryAsync(c, tx, "SELECT customer_uid FROM subscriptions WHERE id = @id;",
                    r => r.IsDBNull(0) ? null : r.GetString(0), cancellationToken, ("@id", subscriptionId));
                if (key.Count == 0 || key[0] is null)
                {
                    await ExecuteAsync(c, tx, "UPDATE subscriptions SET status = 'cancelled', next_charge_on = NULL WHERE id = @id AND customer_uid IS NULL;",
                        cancellationToken, ("@id", subscriptionId));
                    return null;
                }

                if (await ExecuteAsync(c, tx,
                        "UPDATE subscriptions SET status = 'cancelled', customer_uid = NULL, next_charge_on = NULL WHERE id = @id AND customer_uid = @cu;",
                        cancellationToken, ("@id", subscriptionId), ("@cu", key[0])) == 1)
                {
                    await RetireKeyAsync(c, tx, key[0]!, cancellationToken);
                    return key[0];
                }
            }

            throw new InvalidOperationException("The subscription's card kept changing while it was being cancelled; try again.");
        }, cancellationToken);

    // ---- charges -------------------------------------------------------------------------------------------

    public async Task<IReadOnlyList<ClaimedCharge>> ClaimDueAsync(DateOnly today, string merchantUidPrefix, int max, CancellationToken cancellationToken = default)
    {
        // A claim can come back empty while periods are still due: on PostgreSQL it may have picked rows another
        // process claimed just before (the unique key refused them all). Only "nothing left to claim" ends a run, so
        // look again, a few times, before saying so.
        for (int attempt = 0; ; attempt++)
        {
            // One token for every try of this claim: when a commit went through but its answer was lost, the try
            // after it returns that claim's rows too, so none is left claimed with nobody charging it.
            string token = Guid.NewGuid().ToString("N");
            var claimed = await WriteAsync(async (c, tx) =>
            {
                await ExecuteAsync(c, tx, ClaimDueSql, cancellationToken,
                    ("@today", today), ("@prefix", merchantUidPrefix), ("@max", max), ("@token", token), ("@now", Now()), ("@holder", _holder), ("@lease", Lease.TotalSeconds));
                return await ClaimedAsync(c, tx, token, cancellationToken);
            }, cancellationToken);
            if (claimed.Count > 0 || attempt == 4 || !await AnyUnclaimedDueAsync(today, cancellationToken))
            {
                return claimed;
            }
        }
    }

    private async Task<bool> AnyUnclaimedDueAsync(DateOnly today, CancellationToken cancellationToken) =>
        (await QueryAsync("""
            SELECT 1 FROM subscriptions s
            WHERE s.status = 'active' AND s.customer_uid IS NOT NULL AND s.next_charge_on <= @today
              AND NOT EXISTS (SELECT 1 FROM charges c WHERE c.subscription_id = s.id AND c.due_on = s.next_charge_on
                              AND c.status NOT IN ('not_charged', 'failed'))
            LIMIT 1;
            """, r => true, cancellationToken, ("@today", today))).Count > 0;

    public Task<ClaimedCharge?> ClaimRetryAsync(long subscriptionId, CancellationToken cancellationToken = default) =>
        WriteAsync((c, tx) => ClaimRetryAsync(c, tx, subscriptionId, cancellationToken), cancellationToken);

    private async Task<ClaimedCharge?> ClaimRetryAsync(DbConnection c, DbTransaction tx, long subscriptionId, CancellationToken cancellationToken)
    {
        // The subscription's row first, as dunning's final cancellation takes it (CancelAfterDunningAsync): on
        // PostgreSQL the two then run one after the other, and whichever comes second sees what the first did. (A
        // condition on another table inside the claim's UPDATE would be read from before the wait.)
        if (await LockPastDueSubscriptionAsync(c, tx, subscriptionId, cancellationToken) == 0)
        {
            return null;
        }

        string token = Guid.NewGuid().ToString("N");
        int claimed = await ExecuteAsync(c, tx, $"""
            UPDATE charges SET status = 'claimed', attempts = attempts + 1, fail_reason = NULL, claim_token = @token, claimed_at = @now, updated_at = @now,
                holder = @holder, lease_until = {LeaseUntilSql}, previous_claimed_at = claimed_at
            WHERE status IN ('declined', 'failed') AND subscription_id = (
                SELECT id FROM subscriptions WHERE id = @sid AND status = 'past_due' AND customer_uid IS NOT NULL)
            AND due_on = (SELECT next_charge_on FROM subscriptions WHERE id = @sid);
            """, cancellationToken, ("@sid", subscriptionId), ("@token", token), ("@now", Now()), ("@holder", _holder), ("@lease", Lease.TotalSeconds));
        return claimed == 0 ? null : FirstOrNull(await ClaimedAsync(c, tx, token, cancellationToken));
    }

    /// <summary>Takes a past-due subscription's row for the rest of the transaction (a write that changes nothing: a
    /// row lock on PostgreSQL, where <c>FOR UPDATE</c> would not be SQLite's SQL; SQLite's writers are serial anyway).</summary>
    private static Task<int> LockPastDueSubscriptionAsync(DbConnection c, DbTransaction tx, long subscriptionId, CancellationToken cancellationToken) =>
        ExecuteAsync(c, tx, "UPDATE subscriptions SET status = status WHERE id = @sid AND status = 'past_due' AND customer_uid IS NOT NULL;",
            cancellationToken, ("@sid", subscriptionId));

    public Task<int> RenewLeasesAsync(CancellationToken cancellationToken = default) =>
        WriteAsync((c, tx) => ExecuteAsync(c, tx, $"UPDATE charges SET lease_until = {LeaseUntilSql} WHERE holder = @holder AND status = 'claimed';",
            cancellationToken, ("@holder", _holder), ("@lease", Lease.TotalSeconds)), cancellationToken);

    public Task ReleaseClaimAsync(string merchantUid, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx) =>
        {
            // A first try that was never sent leaves no trace; a later one goes back to "not charged" (claimable again).
            await ExecuteAsync(c, tx, "DELETE FROM charges WHERE merchant_uid = @m AND status = 'claimed' AND attempts = 1;", cancellationToken, ("@m", merchantUid));
            await ExecuteAsync(c, tx, "UPDATE charges SET status = 'not_charged', updated_at = @now WHERE merchant_uid = @m AND status = 'claimed';",
                cancellationToken, ("@m", merchantUid), ("@now", Now()));
        }, cancellationToken);

    public Task<bool> MarkChargePaidAsync(string merchantUid, string impUid, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx) =>
        {
            var paid = await QueryAsync(c, tx, """
                UPDATE charges SET status = 'paid', imp_uid = @imp, fail_reason = NULL, updated_at = @now
                WHERE merchant_uid = @m AND status IN ('claimed', 'unknown', 'not_charged', 'failed', 'declined', 'scheduled')
                RETURNING subscription_id, due_on;
                """, r => (SubscriptionId: r.GetInt64(0), DueOn: r.GetFieldValue<DateOnly>(1)), cancellationToken, ("@m", merchantUid), ("@imp", impUid), ("@now", Now()));
            if (paid.Count == 1)
            {
                await ExecuteAsync(c, tx, """
                    UPDATE subscriptions SET next_charge_on = @next, status = 'active'
                    WHERE id = @sid AND next_charge_on = @due AND status IN ('active', 'past_due');
                    """, cancellationToken, ("@sid", paid[0].SubscriptionId), ("@due", paid[0].DueOn), ("@next", paid[0].DueOn.AddMonths(1)));
            }

            return paid.Count == 1;
        }, cancellationToken);

    public Task<bool> MarkChargeNotPaidAsync(string merchantUid, int attempt, string status, string? impUid, string? reason, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx) =>
        {
            int changed = await ExecuteAsync(c, tx, """
                UPDATE charges SET status = @status, imp_uid = COALESCE(@imp, imp_uid), fail_reason = @reason, updated_at = @now
                WHERE merchant_uid = @m AND attempts = @attempt AND (status IN ('claimed', 'unknown') OR (status = 'scheduled' AND @status <> 'not_charged'));
                """, cancellationToken, ("@m", merchantUid), ("@attempt", attempt), ("@status", status), ("@imp", impUid), ("@reason", reason), ("@now", Now()));
            if (changed == 1 && status == ChargeStatus.Declined)
            {
                await ExecuteAsync(c, tx,
                    "UPDATE subscriptions SET status = 'past_due' WHERE id = (SELECT subscription_id FROM charges WHERE merchant_uid = @m) AND status = 'active';",
                    cancellationToken, ("@m", merchantUid));
            }

            return changed == 1;
        }, cancellationToken);

    public Task<bool> MarkChargeRefundedAsync(string merchantUid, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx) => await ExecuteAsync(c, tx,
            "UPDATE charges SET status = 'refunded', refund_error = NULL, updated_at = @now WHERE merchant_uid = @m AND status = 'paid';",
            cancellationToken, ("@m", merchantUid), ("@now", Now())) == 1, cancellationToken);

    public Task<bool> MarkChargeMismatchedAsync(string merchantUid, int attempt, string impUid, string reason, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx) => await ExecuteAsync(c, tx, """
            UPDATE charges SET status = 'mismatched', imp_uid = @imp, fail_reason = @reason, updated_at = @now
            WHERE merchant_uid = @m AND attempts = @attempt AND status IN ('claimed', 'unknown', 'scheduled');
            """, cancellationToken, ("@m", merchantUid), ("@attempt", attempt), ("@imp", impUid), ("@reason", reason), ("@now", Now())) == 1, cancellationToken);

    public Task MarkRefundFailedAsync(string merchantUid, string reason, CancellationToken cancellationToken = default) =>
        WriteAsync((c, tx) => ExecuteAsync(c, tx,
            "UPDATE charges SET refund_error = @reason, updated_at = @now WHERE merchant_uid = @m AND status = 'paid';",
            cancellationToken, ("@m", merchantUid), ("@reason", reason), ("@now", Now())), cancellationToken);

    public Task<IReadOnlyList<Charge>> ListUnresolvedChargesAsync(CancellationToken cancellationToken = default) =>
        QueryChargesAsync($"WHERE status = 'unknown' OR (status = 'claimed' AND (lease_until IS NULL OR lease_until < {DbNow})) ORDER BY id;", cancellationToken);

    public async Task<Charge?> FindChargeAsync(string merchantUid, CancellationToken cancellationToken = default) =>
        FirstOrNull(await QueryChargesAsync("WHERE merchant_uid = @m;", cancellationToken, ("@m", merchantUid)));

    public async Task<Charge?> FindChargeAsync(long chargeId, CancellationToken cancellationToken = default) =>
        FirstOrNull(await QueryChargesAsync("WHERE id = @id;", cancellationToken, ("@id", chargeId)));

    public Task<IReadOnlyList<Charge>> ListChargesAsync(long subscriptionId, CancellationToken cancellationToken = default) =>
        QueryChargesAsync("WHERE subscription_id = @sid ORDER BY period DESC;", cancellationToken, ("@sid", subscriptionId));

    public async Task<ChargeTally> TallyChargesAsync(CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync("SELECT status, COUNT(*), MAX(updated_at) FROM charges GROUP BY status;",
            r => (Status: r.GetString(0), Count: Convert.ToInt32(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), Last: r.GetFieldValue<DateTimeOffset>(2)),
            cancellationToken);
        return new ChargeTally(rows.ToDictionary(r => r.Status, r => r.Count), rows.Count == 0 ? null : rows.Max(r => r.Last));
    }

    // ---- webhooks ------------------------------------------------------------------------------------------

    public async Task<bool> WebhookSeenAsync(string impUid, string status, long cancelAmount, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT 1 FROM webhook_payments WHERE imp_uid = @imp AND status = @status AND cancel_amount = @cancelled;", r => true, cancellationToken,
            ("@imp", impUid), ("@status", status), ("@cancelled", cancelAmount))).Count > 0;

    public Task RecordWebhookAsync(string impUid, string status, long cancelAmount, string merchantUid, string result, CancellationToken cancellationToken = default) =>
        WriteAsync((c, tx) => ExecuteAsync(c, tx, """
            INSERT INTO webhook_payments (imp_uid, status, cancel_amount, merchant_uid, result, received_at) VALUES (@imp, @status, @cancelled, @m, @result, @now)
            ON CONFLICT (imp_uid, status, cancel_amount) DO NOTHING;
            """, cancellationToken, ("@imp", impUid), ("@status", status), ("@cancelled", cancelAmount), ("@m", merchantUid), ("@result", result), ("@now", Now())), cancellationToken);

    public async Task<int> CountWebhooksAsync(string merchantUid, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT 1 FROM webhook_payments WHERE merchant_uid = @m;", r => true, cancellationToken, ("@m", merchantUid))).Count;

    // ---- plumbing ------------------------------------------------------------------------------------------

    private const string SubscriptionColumns =
        "SELECT id, owner, plan_name, amount, status, customer_uid, card_name, next_charge_on FROM subscriptions";

    private const string ChargeColumns =
        "SELECT id, subscription_id, period, due_on, merchant_uid, amount, status, attempts, imp_uid, fail_reason, refund_error, updated_at, claimed_at FROM charges";

    /// <summary>Opens a pooled connection.</summary>
    protected virtual async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one transaction on its own connection, and commits it; the whole
    /// transaction is run again after a transient error (see <see cref="RetryAsync"/>).</summary>
    protected virtual Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        RetryAsync(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            T result = await work(connection, tx);
            await tx.CommitAsync(cancellationToken);
            return result;
        }, cancellationToken);

    /// <summary>Whether an error is the database being briefly unavailable (restarting, unreachable, busy), so the
    /// same operation may succeed when tried again.</summary>
    protected abstract bool IsTransient(Exception exception);

    /// <summary>Runs <paramref name="operation"/>, and again after each transient error, with pauses growing from
    /// 50 ms to 2 s, for up to <see cref="RetryFor"/>. Every operation is safe to run again whole: its writes are
    /// guarded by the rows' state, and a transaction that failed was rolled back.</summary>
    protected async Task<T> RetryAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        // Real time, whatever clock the shop runs on: the pauses are for the database, not for business dates.
        long started = TimeProvider.System.GetTimestamp();
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                return await operation();
            }
            catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested && TimeProvider.System.GetElapsedTime(started) + pause < RetryFor)
            {
                await Task.Delay(pause, cancellationToken);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    private async Task WriteAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken) =>
        await WriteAsync<bool>(async (c, tx) =>
        {
            await work(c, tx);
            return true;
        }, cancellationToken);

    private static T? FirstOrNull<T>(IReadOnlyList<T> list)
        where T : class => list.Count > 0 ? list[0] : null;

    private Task<int> InsertCheckoutAsync(DbConnection c, DbTransaction tx, string merchantUid, long subscriptionId, string customerUid, long amount, string purpose, CancellationToken cancellationToken) =>
        ExecuteAsync(c, tx, """
            INSERT INTO checkouts (merchant_uid, subscription_id, customer_uid, amount, status, purpose, created_at)
            VALUES (@m, @sid, @cu, @amount, 'pending', @purpose, @now);
            """, cancellationToken, ("@m", merchantUid), ("@sid", subscriptionId), ("@cu", customerUid), ("@amount", amount), ("@purpose", purpose), ("@now", Now()));

    private static Task<IReadOnlyList<ClaimedCharge>> ClaimedAsync(DbConnection c, DbTransaction tx, string token, CancellationToken cancellationToken) =>
        QueryAsync(c, tx, """
            SELECT c.subscription_id, c.merchant_uid, c.amount, s.customer_uid, s.plan_name, c.attempts, c.previous_claimed_at
            FROM charges c JOIN subscriptions s ON s.id = c.subscription_id
            WHERE c.claim_token = @token AND c.status = 'claimed' ORDER BY c.subscription_id;
            """, r => new ClaimedCharge(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetString(4),
                r.GetInt32(5), r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6)), cancellationToken, ("@token", token));

    private Task<IReadOnlyList<CheckoutRecord>> QueryCheckoutsAsync(string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        QueryAsync("""
            SELECT c.merchant_uid, c.subscription_id, c.customer_uid, c.amount, c.status, c.purpose, s.owner, s.plan_name, s.amount
            FROM checkouts c JOIN subscriptions s ON s.id = c.subscription_id
            """ + " " + where,
            r => new CheckoutRecord(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7), r.GetInt64(8)),
            cancellationToken, parameters);

    private Task<IReadOnlyList<Subscription>> QuerySubscriptionsAsync(string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        QueryAsync(SubscriptionColumns + " " + where, r => new Subscription(
            r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4),
            r.IsDBNull(5) ? null : r.GetString(5),
            r.IsDBNull(6) ? null : r.GetString(6),
            r.IsDBNull(7) ? null : r.GetFieldValue<DateOnly>(7)), cancellationToken, parameters);

    private Task<IReadOnlyList<Charge>> QueryChargesAsync(string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        QueryAsync(ChargeColumns + " " + where, r => new Charge(
            r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetFieldValue<DateOnly>(3), r.GetString(4),
            r.GetInt64(5), r.GetString(6), r.GetInt32(7),
            r.IsDBNull(8) ? null : r.GetString(8),
            r.IsDBNull(9) ? null : r.GetString(9),
            r.IsDBNull(10) ? null : r.GetString(10),
            r.GetFieldValue<DateTimeOffset>(11),
            r.IsDBNull(12) ? null : r.GetFieldValue<DateTimeOffset>(12)), cancellationToken, parameters);

    private Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        RetryAsync(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            return await QueryAsync(connection, null, sql, map, cancellationToken, parameters);
        }, cancellationToken);

    private static async Task<IReadOnlyList<T>> QueryAsync<T>(DbConnection connection, DbTransaction? tx, string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(map(reader));
        }

        return list;
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<T> ScalarAsync<T>(DbConnection connection, DbTransaction? tx, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync(cancellationToken))!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private DateTimeOffset Now() => Time.GetUtcNow();
}
