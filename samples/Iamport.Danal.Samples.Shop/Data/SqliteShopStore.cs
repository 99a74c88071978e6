using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Iamport.Danal.Samples.Shop.Data;

/// <summary>The embedded default: one SQLite file in WAL mode, no setup. Several shop processes on one machine may share it.</summary>
/// <remarks>SQLite lets one writer in at a time. Writers of this process queue on a gate first, so they wait for each
/// other without SQLite's busy polling; another process's writer is waited for by SQLite's busy timeout. Claims need
/// no locking clause: a claim is one <c>INSERT … SELECT … ON CONFLICT</c> statement inside a write transaction,
/// which no other writer can interleave with.</remarks>
public sealed class SqliteShopStore : SqlShopStore, IDisposable
{
    private const int SchemaVersion = 2;

    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly string _connectionString;

    public SqliteShopStore(string databasePath, TimeProvider time)
        : base(SqliteFactory.Instance.CreateDataSource(ConnectionString(databasePath)), time)
    {
        _connectionString = ConnectionString(databasePath);
    }

    private static string ConnectionString(string databasePath) => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30, // seconds a writer waits for another process's lock (busy timeout)
    }.ToString();

    protected override string SchemaSql => $"""
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
        CREATE INDEX IF NOT EXISTS subscriptions_due ON subscriptions (next_charge_on) WHERE status = 'active';
        CREATE TABLE IF NOT EXISTS checkouts (
            merchant_uid    TEXT PRIMARY KEY, -- issued by the server; the browser only echoes it
            subscription_id INTEGER NOT NULL REFERENCES subscriptions(id),
            customer_uid    TEXT NOT NULL,
            amount          INTEGER NOT NULL, -- 0: register the card only
            status          TEXT NOT NULL,    -- pending, verified
            purpose         TEXT NOT NULL,    -- subscribe, card_change
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
            claim_token     TEXT,             -- which claim (one batch of one process) charges it
            imp_uid         TEXT,
            fail_reason     TEXT,
            refund_error    TEXT,
            updated_at      TEXT NOT NULL,
            UNIQUE (subscription_id, period)); -- the guard against charging a period twice
        CREATE INDEX IF NOT EXISTS charges_claim ON charges (claim_token);
        CREATE INDEX IF NOT EXISTS charges_status ON charges (status);
        CREATE TABLE IF NOT EXISTS webhook_events (
            imp_uid      TEXT NOT NULL,
            status       TEXT NOT NULL,
            merchant_uid TEXT NOT NULL,
            result       TEXT NOT NULL,
            received_at  TEXT NOT NULL,
            PRIMARY KEY (imp_uid, status));
        PRAGMA user_version = {SchemaVersion};
        """;

    protected override string ClaimDueSql => """
        INSERT INTO charges (subscription_id, period, due_on, merchant_uid, amount, status, claim_token, updated_at)
        SELECT s.id, strftime('%Y%m', s.next_charge_on), s.next_charge_on,
               @prefix || s.id || '_' || strftime('%Y%m', s.next_charge_on), s.amount, 'claimed', @token, @now
        FROM subscriptions s
        WHERE s.status = 'active' AND s.customer_uid IS NOT NULL AND s.next_charge_on <= @today
          AND NOT EXISTS (SELECT 1 FROM charges c WHERE c.subscription_id = s.id AND c.period = strftime('%Y%m', s.next_charge_on)
                          AND c.status NOT IN ('not_charged', 'failed'))
        ORDER BY s.id LIMIT @max
        ON CONFLICT (subscription_id, period) DO UPDATE
            SET status = 'claimed', attempts = charges.attempts + 1, fail_reason = NULL,
                claim_token = excluded.claim_token, updated_at = excluded.updated_at
            WHERE charges.status IN ('not_charged', 'failed') AND charges.merchant_uid = excluded.merchant_uid;
        """;

    public override async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        await WriteAsync(async (connection, tx) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = "SELECT (SELECT user_version FROM pragma_user_version), (SELECT COUNT(*) FROM sqlite_master WHERE name = 'charges');";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (reader.GetInt64(0) < SchemaVersion && reader.GetInt64(1) > 0)
            {
                throw new InvalidOperationException(
                    "The shop database was made by an older version of this sample (no claims, card changes or refund errors): delete it, or migrate it by hand.");
            }

            return true;
        }, cancellationToken);

        // WAL: readers never block the writer, and the setting stays with the file. Not allowed inside a transaction.
        await using (var connection = new SqliteConnection(_connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        await base.EnsureCreatedAsync(cancellationToken);
    }

    /// <remarks>WAL with <c>synchronous = NORMAL</c> (SQLite's advice for WAL): a commit is not flushed to disk by
    /// itself, which on a slow disk is what bounds the renewal rate. A process crash loses nothing; a power loss may
    /// lose the last commits, and then a charge's claim and outcome: the next run charges that period again with the
    /// same merchant_uid, I'mport refuses it as already paid, and the look-up records it paid. Never a second charge.</remarks>
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await base.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous = NORMAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    protected override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            return await base.WriteAsync(work, cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public void Dispose() => _writeGate.Dispose();
}
