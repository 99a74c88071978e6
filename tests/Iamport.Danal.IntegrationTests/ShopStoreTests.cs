using System;
using System.Collections.Generic;
using System.Data.Common;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.LoadRunner.Renewal;
using Iamport.Danal.Samples.Shop.Data;
using Iamport.Danal.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Iamport.Danal.IntegrationTests;

/// <summary>The shop's two stores on a real database: a schema made by the sample before versioned migrations is
/// upgraded in place with its data intact, and claims are leases on the database's clock, not the process's.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ShopStoreTests
{
    private static readonly DateOnly Today = new(2026, 12, 3);
    private static readonly DateTimeOffset Earlier = new(2026, 11, 3, 1, 2, 3, TimeSpan.Zero);

    private ThrowawayPostgres? _server;

    public enum StoreKind
    {
        Sqlite,
        Postgres,
    }

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        if (ThrowawayPostgres.FindBinaries() is not null)
        {
            _server = await ThrowawayPostgres.StartAsync();
        }
    }

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
    }

    [TestCase(StoreKind.Sqlite)]
    [TestCase(StoreKind.Postgres)]
    public async Task EnsureCreatedAsync_DatabaseOfTheSampleBeforeMigrations_UpgradedInPlaceWithDataIntact(StoreKind kind)
    {
        await using var db = await OpenAsync(kind, TimeProvider.System);
        await db.ExecuteAsync(kind == StoreKind.Sqlite ? OldSqliteSchema : OldPostgresSchema);
        await SeedOldDataAsync(db);

        await db.Store.EnsureCreatedAsync();
        await db.Store.EnsureCreatedAsync(); // a second start (or `migrate`) changes nothing

        var active = await db.Store.FindSubscriptionAsync(1);
        var pastDue = await db.Store.FindSubscriptionAsync(2);
        var charges = await db.Store.ListChargesAsync(1);
        var checkout = await db.Store.FindCheckoutAsync("chk_1");
        var unresolved = await db.Store.ListUnresolvedChargesAsync();
        var claimed = await db.Store.ClaimDueAsync(Today, "sub", 10);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await db.Store.AppliedVersionsAsync(), Is.EqualTo(Enumerable.Range(1, db.Store.SchemaVersion).ToList()), "versions applied, each once");
            Assert.That(active, Is.EqualTo(new Subscription(1, "owner1", "다날 정기구독 Pro", 9_900, "active", "cu_1", "신한카드", Today)));
            Assert.That(pastDue, Is.EqualTo(new Subscription(2, "owner2", "다날 정기구독 Pro", 9_900, "past_due", "cu_2", null, Today)));
            Assert.That(charges.Select(c => (c.Period, c.Status, c.ImpUid, c.Attempts)),
                Is.EqualTo(new[] { ("202612", "not_charged", (string?)null, 1), ("202611", "paid", "imp_paid", 1) }));
            Assert.That(checkout, Is.EqualTo(new CheckoutRecord("chk_1", 1, "cu_1", 0, "pending", "subscribe", "owner1", "다날 정기구독 Pro", 9_900)));
            Assert.That(await db.Store.WebhookSeenAsync("imp_paid", "paid", 0), Is.True, "webhook seen");
            Assert.That(await db.Store.ListRetiredKeysAsync(TimeSpan.FromDays(1)), Is.EqualTo(new List<string> { "cu_old" }), "retired key queued");
            Assert.That(unresolved.Select(c => c.MerchantUid), Is.EqualTo(new List<string> { "sub3_202612" }), "a claim of the old version: its lease ran out at the upgrade, so it is looked up");
            Assert.That(claimed.Select(c => (c.MerchantUid, c.Attempt, c.PreviousAttemptAt)), Is.EqualTo(new[] { ("sub1_202612", 2, (DateTimeOffset?)Earlier) }),
                "the not-charged period claimed again after the upgrade, as a retry of the attempt claimed before it");
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task MigrateCommand_DatabaseOfTheSampleBeforeMigrations_AppliesEveryStepAndExitsZero(CancellationToken cancellationToken)
    {
        string folder = Directory.CreateTempSubdirectory("shop-migrate-").FullName;
        string path = Path.Combine(folder, "shop.db");
        await using (var db = await OpenAsync(StoreKind.Sqlite, TimeProvider.System, database: null, path: path))
        {
            await db.ExecuteAsync(OldSqliteSchema);
            await SeedOldDataAsync(db);
        }

        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (string argument in new[] { Path.Combine(AppContext.BaseDirectory, "Iamport.Danal.Samples.Shop.dll"), "migrate", "--Shop:Database=" + path, "--Logging:LogLevel:Default=Warning" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("ASPNETCORE_URLS");
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);

        await using var after = await OpenAsync(StoreKind.Sqlite, TimeProvider.System, database: null, path: path);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(process.ExitCode, Is.Zero, await output + await error);
            Assert.That(await output, Does.Contain("schema up to date"));
            Assert.That(await after.Store.AppliedVersionsAsync(cancellationToken), Is.EqualTo(Enumerable.Range(1, after.Store.SchemaVersion).ToList()));
            Assert.That((await after.Store.ListChargesAsync(1, cancellationToken)).Select(c => c.Status), Is.EqualTo(new List<string> { "not_charged", "paid" }));
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [TestCase(StoreKind.Sqlite)]
    [TestCase(StoreKind.Postgres)]
    public async Task ListUnresolvedChargesAsync_ProcessClock15MinutesAhead_FreshClaimsNotTakenUntilTheirLeaseRunsOutOnTheDatabaseClock(StoreKind kind)
    {
        await using var holder = await OpenAsync(kind, TimeProvider.System, lease: TimeSpan.FromSeconds(2));
        await holder.Store.EnsureCreatedAsync();
        await holder.Store.AddActiveSubscriptionsAsync(Enumerable.Range(1, 20)
            .Select(i => new NewSubscription("owner" + i, "다날 정기구독 Pro", 9_900, "cu_" + i, null, Today)).ToList());
        var claimed = await holder.Store.ClaimDueAsync(Today, "sub", 20);

        // Another process on the same database whose clock runs 15 minutes ahead.
        await using var ahead = await OpenAsync(kind, new ShiftedTime(TimeSpan.FromMinutes(15)), database: holder);
        var seenFresh = await ahead.Store.ListUnresolvedChargesAsync();
        int renewed = await holder.Store.RenewLeasesAsync();

        // Once the holder stops renewing, the lease runs out on the database's clock and the claims are listed.
        IReadOnlyList<Charge> seenLater = [];
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (seenLater.Count < claimed.Count)
        {
            await Task.Delay(100, patience.Token);
            seenLater = await ahead.Store.ListUnresolvedChargesAsync(patience.Token);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(claimed, Has.Count.EqualTo(20));
            Assert.That(seenFresh, Is.Empty, "fresh claims taken for stale by a process whose clock runs ahead");
            Assert.That(renewed, Is.EqualTo(20), "leases the holder renewed");
            Assert.That(seenLater.Select(c => c.MerchantUid), Is.EquivalentTo(claimed.Select(c => c.MerchantUid)));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunOnceAsync_DatabaseRefusesTheRecordAfterTheChargeWasSent_OutcomeKeptInMemoryAndRecordedOnceBackNeverResent(CancellationToken cancellationToken)
    {
        Postgres.Require();
        string connection = await NewSchemaAsync();

        // Each charge takes 500 ms at the fake. Once the first charge reached it, the charges table is locked, and with a
        // lock timeout of 200 ms every write fails with a transient error (55P03) until the lock is let go: the store
        // gives up after its 0.5 s of retries, and the job must keep the outcome and write it later.
        await using var fake = new FakeIamport(new FakeIamportOptions { MerchantCode = "imp00000000" });
        Uri address = await fake.StartAsync(0, cancellationToken);
        fake.Faults.UseRandom(1, 1.0, [FakeRoutes.Again], [Fault.Latency(TimeSpan.FromMilliseconds(500))]);
        var logs = new CapturedLines();
        await using var shop = await Iamport.Danal.Samples.Shop.ShopApp.CreateAsync(
        [
            "--Iamport:ImpKey=" + fake.Options.ImpKey, "--Iamport:ImpSecret=" + fake.Options.ImpSecret, "--Iamport:MerchantCode=imp00000000",
            "--Iamport:BaseAddress=" + address, "--Shop:RenewalWorkerEnabled=false", "--Shop:StoreRetryFor=00:00:00.5",
            "--ConnectionStrings:Shop=" + new NpgsqlConnectionStringBuilder(connection) { Options = "-c lock_timeout=200" },
        ], builder => builder.Logging.AddProvider(logs));
        var store = shop.Services.GetRequiredService<IShopStore>();
        var today = Iamport.Danal.Samples.Shop.Billing.ShopClock.Today(TimeProvider.System);
        fake.IssueBillingKey("cu_outage");
        await store.AddActiveSubscriptionsAsync([new NewSubscription("owner", "다날 정기구독 Pro", 9_900, "cu_outage", null, today)], cancellationToken);

        var run = shop.Services.GetRequiredService<Iamport.Danal.Samples.Shop.Billing.RenewalJob>().RunOnceAsync(cancellationToken);
        while (fake.RequestCount(FakeRoutes.Again) == 0)
        {
            await Task.Delay(5, cancellationToken);
        }

        await using var locker = new NpgsqlConnection(connection);
        await locker.OpenAsync(cancellationToken);
        await using (var tx = await locker.BeginTransactionAsync(cancellationToken))
        {
            await using (var lockRows = new NpgsqlCommand("LOCK TABLE charges IN ACCESS EXCLUSIVE MODE;", locker, tx))
            {
                await lockRows.ExecuteNonQueryAsync(cancellationToken);
            }

            while (!logs.Lines.Any(l => l.Contains("not recorded yet", StringComparison.Ordinal)))
            {
                await Task.Delay(20, cancellationToken);
            }

            await tx.RollbackAsync(cancellationToken);
        }

        var report = await run;
        var charge = (await store.ListChargesAsync(1, cancellationToken)).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Approved, Is.EqualTo(1));
            Assert.That(report.Errors, Is.Zero);
            Assert.That(charge.Status, Is.EqualTo(ChargeStatus.Paid), "recorded once the database took it");
            Assert.That(charge.ImpUid, Is.EqualTo(fake.Payments.Single().ImpUid));
            Assert.That(fake.RequestCount(FakeRoutes.Again), Is.EqualTo(1), "the charge was never sent again");
        }
    }

    /// <summary>Every formatted log line of the shop.</summary>
    private sealed class CapturedLines : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new Logger(_lines);

        public void Dispose()
        {
        }

        private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception));
        }
    }

    /// <summary>Data as the sample wrote it before migrations: an active subscription due today with an earlier month
    /// paid and this month not charged, a past-due one, one left claimed, a pending checkout, a webhook, a retired key.</summary>
    private static async Task SeedOldDataAsync(TestDatabase db)
    {
        foreach (var (id, owner, status, card) in new[] { (1L, "owner1", "active", (string?)"신한카드"), (2L, "owner2", "past_due", null), (3L, "owner3", "active", null) })
        {
            await db.ExecuteAsync("""
                INSERT INTO subscriptions (id, owner, plan_name, amount, status, customer_uid, card_name, next_charge_on, created_at)
                VALUES (@id, @owner, '다날 정기구독 Pro', 9900, @status, @cu, @card, @next, @at);
                """, ("@id", id), ("@owner", owner), ("@status", status), ("@cu", "cu_" + id), ("@card", card), ("@next", Today), ("@at", Earlier));
        }

        await db.ExecuteAsync("""
            INSERT INTO checkouts (merchant_uid, subscription_id, customer_uid, amount, status, purpose, created_at)
            VALUES ('chk_1', 1, 'cu_1', 0, 'pending', 'subscribe', @at);
            INSERT INTO charges (subscription_id, period, due_on, merchant_uid, amount, status, attempts, claim_token, claimed_at, imp_uid, updated_at)
            VALUES (1, '202611', @earlier, 'sub1_202611', 9900, 'paid', 1, 't0', @at, 'imp_paid', @at),
                   (1, '202612', @today, 'sub1_202612', 9900, 'not_charged', 1, 't1', @at, NULL, @at),
                   (3, '202612', @today, 'sub3_202612', 9900, 'claimed', 1, 't3', @at, NULL, @at);
            INSERT INTO webhook_payments (imp_uid, status, cancel_amount, merchant_uid, result, received_at) VALUES ('imp_paid', 'paid', 0, 'sub1_202611', 'recorded', @at);
            INSERT INTO retired_keys (customer_uid, status, updated_at) VALUES ('cu_old', 'due', @at);
            """, ("@at", Earlier), ("@earlier", Today.AddMonths(-1)), ("@today", Today));
        if (db.Kind == StoreKind.Postgres)
        {
            // Explicit ids leave the identity behind; the old sample's own inserts never did this.
            await db.ExecuteAsync("SELECT setval(pg_get_serial_sequence('subscriptions', 'id'), 3);");
        }
    }

    private async Task<TestDatabase> OpenAsync(StoreKind kind, TimeProvider time, TimeSpan? lease = null, TestDatabase? database = null, string? path = null)
    {
        TimeSpan leaseOrDefault = lease ?? TimeSpan.FromMinutes(1);
        if (kind == StoreKind.Sqlite)
        {
            string file = path ?? database?.Location ?? Path.Combine(Path.GetTempPath(), "shop-store-" + Guid.NewGuid().ToString("N") + ".db");
            return new TestDatabase(kind, file, new SqliteShopStore(file, time) { Lease = leaseOrDefault }, null, owner: database is null && path is null);
        }

        Postgres.Require();
        string connection = database?.Location ?? await NewSchemaAsync();
        var dataSource = NpgsqlDataSource.Create(connection);
        return new TestDatabase(kind, connection, new PostgresShopStore(dataSource, time) { Lease = leaseOrDefault }, dataSource, owner: database is null);
    }

    private async Task<string> NewSchemaAsync()
    {
        string schema = "store_" + Guid.NewGuid().ToString("N")[..12];
        return await ThrowawayPostgres.CreateSchemaAsync(_server!.ConnectionString, schema);
    }

    /// <summary>A clock that runs ahead of the real one by a fixed amount.</summary>
    private sealed class ShiftedTime(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + ahead;
    }

    /// <summary>A store with its database (a SQLite file or a PostgreSQL schema), and plain SQL on it.</summary>
    private sealed class TestDatabase(StoreKind kind, string location, SqlShopStore store, NpgsqlDataSource? dataSource, bool owner) : IAsyncDisposable
    {
        public StoreKind Kind => kind;

        public string Location => location;

        public SqlShopStore Store => store;

        public async Task ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
        {
            await using DbConnection connection = dataSource is not null ? await dataSource.OpenConnectionAsync() : new SqliteConnection("Data Source=" + location);
            if (dataSource is null)
            {
                await connection.OpenAsync();
            }

            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }

            await command.ExecuteNonQueryAsync();
        }

        public async ValueTask DisposeAsync()
        {
            (store as IDisposable)?.Dispose();
            if (dataSource is not null)
            {
                await dataSource.DisposeAsync();
            }

            if (owner && kind == StoreKind.Sqlite)
            {
                SqliteConnection.ClearAllPools();
                foreach (string file in new[] { location, location + "-wal", location + "-shm" })
                {
                    File.Delete(file);
                }
            }
        }
    }

    // The schema exactly as the sample made it before versioned migrations (CREATE TABLE IF NOT EXISTS at start).
    private static string OldTables(string identity, string wholeNumber, string date, string instant) => $"""
        CREATE TABLE IF NOT EXISTS subscriptions (
            id {identity}, owner TEXT NOT NULL, plan_name TEXT NOT NULL, amount {wholeNumber} NOT NULL, status TEXT NOT NULL,
            customer_uid TEXT, card_name TEXT, next_charge_on {date}, created_at {instant} NOT NULL);
        CREATE INDEX IF NOT EXISTS subscriptions_due ON subscriptions (next_charge_on) WHERE status = 'active';
        CREATE TABLE IF NOT EXISTS checkouts (
            merchant_uid TEXT PRIMARY KEY, subscription_id {wholeNumber} NOT NULL REFERENCES subscriptions(id), customer_uid TEXT NOT NULL,
            amount {wholeNumber} NOT NULL, status TEXT NOT NULL, purpose TEXT NOT NULL, imp_uid TEXT, created_at {instant} NOT NULL);
        CREATE TABLE IF NOT EXISTS charges (
            id {identity}, subscription_id {wholeNumber} NOT NULL REFERENCES subscriptions(id), period TEXT NOT NULL, due_on {date} NOT NULL,
            merchant_uid TEXT NOT NULL UNIQUE, amount {wholeNumber} NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1,
            claim_token TEXT, claimed_at {instant}, imp_uid TEXT, fail_reason TEXT, refund_error TEXT, updated_at {instant} NOT NULL,
            UNIQUE (subscription_id, period));
        CREATE INDEX IF NOT EXISTS charges_claim ON charges (claim_token);
        CREATE INDEX IF NOT EXISTS charges_status ON charges (status);
        CREATE TABLE IF NOT EXISTS webhook_payments (
            imp_uid TEXT NOT NULL, status TEXT NOT NULL, cancel_amount {wholeNumber} NOT NULL, merchant_uid TEXT NOT NULL, result TEXT NOT NULL,
            received_at {instant} NOT NULL, PRIMARY KEY (imp_uid, status, cancel_amount));
        CREATE TABLE IF NOT EXISTS retired_keys (customer_uid TEXT PRIMARY KEY, status TEXT NOT NULL, updated_at {instant} NOT NULL);
        CREATE INDEX IF NOT EXISTS checkouts_pending ON checkouts (created_at) WHERE status = 'pending';
        """;

    private static readonly string OldSqliteSchema =
        OldTables("INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER", "TEXT", "TEXT") + "\nPRAGMA user_version = 3;";

    private static readonly string OldPostgresSchema =
        OldTables("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BIGINT", "DATE", "TIMESTAMPTZ")
        + "\nALTER TABLE charges ADD COLUMN IF NOT EXISTS claimed_at TIMESTAMPTZ;";
}
