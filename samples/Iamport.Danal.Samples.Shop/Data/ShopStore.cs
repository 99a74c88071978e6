using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Iamport.Danal.Samples.Shop.Data;

/// <summary>The shop's records in SQLite, in plain SQL: subscriptions, checkouts it issued, charges and webhooks seen.</summary>
/// <remarks>
/// Every method opens its own pooled connection, so two shop processes sharing the file stay correct: the rules that
/// matter (one charge per subscription and period, one activation per checkout) are enforced by the database itself.
/// </remarks>
public sealed class ShopStore
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;

    public ShopStore(string databasePath, TimeProvider time)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30, // seconds a writer waits for another process's lock (busy timeout)
        }.ToString();
        _time = time;
    }

    public void EnsureCreated()
    {
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode = WAL;");
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS subscriptions (
                id             INTEGER PRIMARY KEY AUTOINCREMENT,
                owner          TEXT NOT NULL,     -- the shop's own customer id (a cookie in this sample)
                plan_name      TEXT NOT NULL,
                amount         INTEGER NOT NULL,  -- KRW per month
                status         TEXT NOT NULL,     -- pending, active, past_due, cancelled
                customer_uid   TEXT,              -- the billing key's id at I'mport: never rendered or logged
                card_name      TEXT,
                next_charge_on TEXT,              -- yyyy-MM-dd, Korean date
                created_at     TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS checkouts (
                merchant_uid    TEXT PRIMARY KEY, -- issued by the server; the browser only echoes it
                subscription_id INTEGER NOT NULL REFERENCES subscriptions(id),
                customer_uid    TEXT NOT NULL,
                amount          INTEGER NOT NULL, -- 0: register the card only
                status          TEXT NOT NULL,    -- pending, verified
                imp_uid         TEXT,
                created_at      TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS charges (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                subscription_id INTEGER NOT NULL REFERENCES subscriptions(id),
                period          TEXT NOT NULL,    -- yyyyMM
                due_on          TEXT NOT NULL,
                merchant_uid    TEXT NOT NULL UNIQUE,
                amount          INTEGER NOT NULL,
                status          TEXT NOT NULL,    -- claimed, paid, declined, not_charged, failed, unknown, refunded
                attempts        INTEGER NOT NULL DEFAULT 1,
                imp_uid         TEXT,
                fail_reason     TEXT,
                updated_at      TEXT NOT NULL,
                UNIQUE (subscription_id, period)); -- the guard against charging a period twice
            CREATE TABLE IF NOT EXISTS webhook_events (
                imp_uid      TEXT NOT NULL,
                status       TEXT NOT NULL,
                merchant_uid TEXT NOT NULL,
                result       TEXT NOT NULL,
                received_at  TEXT NOT NULL,
                PRIMARY KEY (imp_uid, status));
            """);
    }

    // ---- subscriptions and checkouts -------------------------------------------------------------------------

    /// <summary>Records a checkout the server is about to hand to the browser, with a pending subscription behind it.</summary>
    public long CreateCheckout(string owner, string planName, long monthlyAmount, string merchantUid, string customerUid, long checkoutAmount)
    {
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        long subscriptionId = Scalar<long>(connection, tx, """
            INSERT INTO subscriptions (owner, plan_name, amount, status, created_at)
            VALUES ($owner, $plan, $amount, 'pending', $now) RETURNING id;
            """, ("$owner", owner), ("$plan", planName), ("$amount", monthlyAmount), ("$now", Now()));
        Execute(connection, tx, """
            INSERT INTO checkouts (merchant_uid, subscription_id, customer_uid, amount, status, created_at)
            VALUES ($m, $sid, $cu, $amount, 'pending', $now);
            """, ("$m", merchantUid), ("$sid", subscriptionId), ("$cu", customerUid), ("$amount", checkoutAmount), ("$now", Now()));
        tx.Commit();
        return subscriptionId;
    }

    public CheckoutRecord? FindCheckout(string merchantUid)
    {
        using var connection = Open();
        using var command = Command(connection, null, """
            SELECT c.merchant_uid, c.subscription_id, c.customer_uid, c.amount, c.status, s.owner, s.plan_name, s.amount
            FROM checkouts c JOIN subscriptions s ON s.id = c.subscription_id WHERE c.merchant_uid = $m;
            """, ("$m", merchantUid));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new CheckoutRecord(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetInt64(7))
            : null;
    }

    /// <summary>Activates the subscription of a verified checkout, once: the callback and the webhook may both try.</summary>
    /// <returns><see langword="true"/> when this call activated it; <see langword="false"/> when it was already done.</returns>
    public bool ActivateCheckout(CheckoutRecord checkout, string impUid, string? cardName, DateOnly today, DateOnly nextChargeOn)
    {
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        int changed = Execute(connection, tx,
            "UPDATE checkouts SET status = 'verified', imp_uid = $imp WHERE merchant_uid = $m AND status = 'pending';",
            ("$m", checkout.MerchantUid), ("$imp", impUid));
        if (changed == 0)
        {
            return false;
        }

        Execute(connection, tx, """
            UPDATE subscriptions SET status = 'active', customer_uid = $cu, card_name = $card, next_charge_on = $next WHERE id = $sid;
            """, ("$sid", checkout.SubscriptionId), ("$cu", checkout.CustomerUid), ("$card", cardName), ("$next", Date(nextChargeOn)));
        if (checkout.Amount > 0)
        {
            // The first month was paid in the window: record it as this period's charge so renewal skips it.
            Execute(connection, tx, """
                INSERT INTO charges (subscription_id, period, due_on, merchant_uid, amount, status, imp_uid, updated_at)
                VALUES ($sid, $period, $due, $m, $amount, 'paid', $imp, $now);
                """, ("$sid", checkout.SubscriptionId), ("$period", Period(today)), ("$due", Date(today)), ("$m", checkout.MerchantUid),
                ("$amount", checkout.Amount), ("$imp", impUid), ("$now", Now()));
        }

        tx.Commit();
        return true;
    }

    public IReadOnlyList<Subscription> ListSubscriptions(string owner) =>
        QuerySubscriptions("WHERE owner = $owner AND status <> 'pending' ORDER BY id DESC;", ("$owner", owner));

    public Subscription? FindSubscription(long id) =>
        QuerySubscriptions("WHERE id = $id;", ("$id", id)).FirstOrDefault();

    public IReadOnlyList<Subscription> ListDueSubscriptions(DateOnly today) =>
        QuerySubscriptions("WHERE status = 'active' AND customer_uid IS NOT NULL AND next_charge_on <= $today ORDER BY id;", ("$today", Date(today)));

    public IReadOnlyList<string> ListBillingKeys()
    {
        using var connection = Open();
        using var command = Command(connection, null, "SELECT customer_uid FROM subscriptions WHERE customer_uid IS NOT NULL;");
        using var reader = command.ExecuteReader();
        var keys = new List<string>();
        while (reader.Read())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    /// <summary>Forgets the billing key after it was deleted at I'mport and stops the subscription.</summary>
    public void RemoveCard(long subscriptionId) =>
        Execute("UPDATE subscriptions SET status = 'cancelled', customer_uid = NULL, next_charge_on = NULL WHERE id = $id;", ("$id", subscriptionId));

    // ---- charges -------------------------------------------------------------------------------------------

    /// <summary>Claims a subscription's period before charging it. Exactly one caller, in any process, gets it.</summary>
    /// <returns><see langword="true"/> when this caller may charge; <see langword="false"/> when the period is paid,
    /// in flight or unresolved elsewhere.</returns>
    /// <remarks>A period whose earlier try was not charged (or refused before approval) may be claimed again, with
    /// the same merchant_uid: I'mport refuses to charge a merchant_uid that is already paid, a second guard.</remarks>
    public bool TryClaimPeriod(long subscriptionId, string period, DateOnly dueOn, string merchantUid, long amount)
    {
        int changed = Execute("""
            INSERT INTO charges (subscription_id, period, due_on, merchant_uid, amount, status, updated_at)
            VALUES ($sid, $period, $due, $m, $amount, 'claimed', $now)
            ON CONFLICT (subscription_id, period) DO UPDATE
                SET status = 'claimed', attempts = attempts + 1, fail_reason = NULL, updated_at = $now
                WHERE charges.status IN ('not_charged', 'failed') AND charges.merchant_uid = $m;
            """, ("$sid", subscriptionId), ("$period", period), ("$due", Date(dueOn)), ("$m", merchantUid), ("$amount", amount), ("$now", Now()));
        return changed == 1;
    }

    /// <summary>Records that a claimed (or unknown) charge was paid and moves the subscription to its next period, once.</summary>
    public void MarkChargePaid(string merchantUid, string impUid)
    {
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        using (var command = Command(connection, tx, """
            UPDATE charges SET status = 'paid', imp_uid = $imp, fail_reason = NULL, updated_at = $now
            WHERE merchant_uid = $m AND status IN ('claimed', 'unknown', 'not_charged', 'failed')
            RETURNING subscription_id, due_on;
            """, ("$m", merchantUid), ("$imp", impUid), ("$now", Now())))
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read())
            {
                return;
            }

            long subscriptionId = reader.GetInt64(0);
            var dueOn = ParseDate(reader.GetString(1));
            reader.Close();
            Execute(connection, tx,
                "UPDATE subscriptions SET next_charge_on = $next, status = 'active' WHERE id = $sid AND next_charge_on = $due;",
                ("$sid", subscriptionId), ("$due", Date(dueOn)), ("$next", Date(dueOn.AddMonths(1))));
        }

        tx.Commit();
    }

    /// <summary>Records a charge that did not end paid. A decline makes the subscription past due: no automatic retry.</summary>
    public void MarkChargeNotPaid(string merchantUid, string status, string? impUid, string? reason)
    {
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        Execute(connection, tx, """
            UPDATE charges SET status = $status, imp_uid = COALESCE($imp, imp_uid), fail_reason = $reason, updated_at = $now
            WHERE merchant_uid = $m AND status IN ('claimed', 'unknown');
            """, ("$m", merchantUid), ("$status", status), ("$imp", impUid), ("$reason", reason), ("$now", Now()));
        if (status == ChargeStatus.Declined)
        {
            Execute(connection, tx,
                "UPDATE subscriptions SET status = 'past_due' WHERE id = (SELECT subscription_id FROM charges WHERE merchant_uid = $m) AND status = 'active';",
                ("$m", merchantUid));
        }

        tx.Commit();
    }

    public void MarkChargeRefunded(string merchantUid) =>
        Execute("UPDATE charges SET status = 'refunded', updated_at = $now WHERE merchant_uid = $m AND status = 'paid';",
            ("$m", merchantUid), ("$now", Now()));

    /// <summary>Charges whose outcome must be looked up: unknown, or claimed by a process that never finished.</summary>
    public IReadOnlyList<Charge> ListUnresolvedCharges(TimeSpan staleClaimAfter)
    {
        string staleBefore = (_time.GetUtcNow() - staleClaimAfter).ToString("O", CultureInfo.InvariantCulture);
        return QueryCharges("WHERE status = 'unknown' OR (status = 'claimed' AND updated_at < $stale) ORDER BY id;", ("$stale", staleBefore));
    }

    public Charge? FindCharge(string merchantUid) =>
        QueryCharges("WHERE merchant_uid = $m;", ("$m", merchantUid)).FirstOrDefault();

    public Charge? FindCharge(long chargeId) =>
        QueryCharges("WHERE id = $id;", ("$id", chargeId)).FirstOrDefault();

    public IReadOnlyList<Charge> ListCharges(long subscriptionId) =>
        QueryCharges("WHERE subscription_id = $sid ORDER BY period DESC;", ("$sid", subscriptionId));

    // ---- webhooks ------------------------------------------------------------------------------------------

    public bool WebhookSeen(string impUid, string status)
    {
        using var connection = Open();
        return Scalar<long>(connection, null, "SELECT COUNT(*) FROM webhook_events WHERE imp_uid = $imp AND status = $status;",
            ("$imp", impUid), ("$status", status)) > 0;
    }

    public void RecordWebhook(string impUid, string status, string merchantUid, string result) =>
        Execute("""
            INSERT INTO webhook_events (imp_uid, status, merchant_uid, result, received_at) VALUES ($imp, $status, $m, $result, $now)
            ON CONFLICT (imp_uid, status) DO NOTHING;
            """, ("$imp", impUid), ("$status", status), ("$m", merchantUid), ("$result", result), ("$now", Now()));

    public int CountWebhooks(string merchantUid)
    {
        using var connection = Open();
        return (int)Scalar<long>(connection, null, "SELECT COUNT(*) FROM webhook_events WHERE merchant_uid = $m;", ("$m", merchantUid));
    }

    // ---- plumbing ------------------------------------------------------------------------------------------

    public static string Period(DateOnly date) => date.ToString("yyyyMM", CultureInfo.InvariantCulture);

    private const string SubscriptionColumns =
        "SELECT id, owner, plan_name, amount, status, customer_uid, card_name, next_charge_on FROM subscriptions";

    private const string ChargeColumns =
        "SELECT id, subscription_id, period, due_on, merchant_uid, amount, status, attempts, imp_uid, fail_reason FROM charges";

    private List<Subscription> QuerySubscriptions(string where, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        using var command = Command(connection, null, SubscriptionColumns + " " + where, parameters);
        using var reader = command.ExecuteReader();
        var list = new List<Subscription>();
        while (reader.Read())
        {
            list.Add(new Subscription(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : ParseDate(reader.GetString(7))));
        }

        return list;
    }

    private List<Charge> QueryCharges(string where, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        using var command = Command(connection, null, ChargeColumns + " " + where, parameters);
        using var reader = command.ExecuteReader();
        var list = new List<Charge>();
        while (reader.Read())
        {
            list.Add(new Charge(
                reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), ParseDate(reader.GetString(3)), reader.GetString(4),
                reader.GetInt64(5), reader.GetString(6), reader.GetInt32(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return list;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private string Now() => _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        return Execute(connection, null, sql, parameters);
    }

    private static int Execute(SqliteConnection connection, string sql) => Execute(connection, null, sql);

    private static int Execute(SqliteConnection connection, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, tx, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static T Scalar<T>(SqliteConnection connection, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, tx, sql, parameters);
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}

public sealed record Subscription(
    long Id, string Owner, string PlanName, long Amount, string Status, string? CustomerUid, string? CardName, DateOnly? NextChargeOn)
{
    // customer_uid is a bearer credential for charging: keep it out of logs and ToString.
    public override string ToString() => $"Subscription {Id} ({Status})";
}

public sealed record CheckoutRecord(
    string MerchantUid, long SubscriptionId, string CustomerUid, long Amount, string Status, string Owner, string PlanName, long MonthlyAmount)
{
    public override string ToString() => $"Checkout {MerchantUid} ({Status})";
}

public sealed record Charge(
    long Id, long SubscriptionId, string Period, DateOnly DueOn, string MerchantUid, long Amount, string Status, int Attempts, string? ImpUid, string? FailReason);

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
