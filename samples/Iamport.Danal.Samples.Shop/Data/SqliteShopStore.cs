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

    /// <summary>An instant on SQLite's clock (UTC), as text that sorts as time does.</summary>
    private const string SqliteNow = "strftime('%Y-%m-%d %H:%M:%f', 'now')";

    protected override IReadOnlyList<string> Migrations { get; } =
    [
        Schema(identity: "INTEGER PRIMARY KEY AUTOINCREMENT", wholeNumber: "INTEGER", date: "TEXT", instant: "TEXT") + "\nPRAGMA user_version = 3;",
        Leases(instant: "TEXT", dbNow: SqliteNow),
        OperationsSchema(wholeNumber: "INTEGER", instant: "TEXT"),
        ScheduledKeys(identity: "INTEGER PRIMARY KEY AUTOINCREMENT", instant: "TEXT"),
    ];

    protected override string DbNow => SqliteNow;

    protected override string LeaseUntilSql => "strftime('%Y-%m-%d %H:%M:%f', 'now', printf('%+.3f seconds', @lease))";

    /// <summary>Busy or locked: another process holds the file longer than the busy timeout.</summary>
    protected override bool IsTransient(Exception exception) => exception is SqliteException { SqliteErrorCode: 5 or 6 };

    protected override string ClaimDueSql => $"""
        INSERT INTO charges (subscription_id, period, due_on, merchant_uid, amount, status, claim_token, claimed_at, updated_at, holder, lease_until)
        SELECT s.id, strftime('%Y%m', s.next_charge_on), s.next_charge_on,
               @prefix || s.id || '_' || strftime('%Y%m', s.next_charge_on), s.amount, 'claimed', @token, @now, @now, @holder, {LeaseUntilSql}
        FROM subscriptions s
        WHERE s.status = 'active' AND s.customer_uid IS NOT NULL AND s.next_charge_on <= @today
          AND NOT EXISTS (SELECT 1 FROM charges c WHERE c.subscription_id = s.id AND c.period = strftime('%Y%m', s.next_charge_on)
                          AND c.status NOT IN ('not_charged', 'failed'))
        ORDER BY s.id LIMIT @max
        {ReclaimOnConflict}
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
            if (reader.GetInt64(0) < 3 && reader.GetInt64(1) > 0)
            {
                throw new InvalidOperationException(
                    "The shop database was made by an older version of this sample (no claims, card changes, refund errors or attempt times): delete it, or migrate it by hand.");
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

    /// <remarks><c>synchronous = FULL</c>, not WAL's usual NORMAL: a claim must be on disk before its charge is sent.
    /// Under NORMAL a power loss may drop the last commits, the claim among them, and the next run would charge that
    /// period as if for the first time, with no look-up first; only I'mport refusing a paid merchant_uid (undocumented
    /// for REST) would then stop a second charge. The price is one flush per commit.</remarks>
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await base.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous = FULL;";
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
