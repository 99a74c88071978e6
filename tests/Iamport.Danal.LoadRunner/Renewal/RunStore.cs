using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Samples.Shop;
using Iamport.Danal.Samples.Shop.Data;
using Npgsql;

namespace Iamport.Danal.LoadRunner.Renewal;

/// <summary>The store a renewal measurement's shop processes share, and the runner reads: a fresh schema on PostgreSQL
/// (in <see cref="RenewalRunOptions.Server"/>, at <see cref="RenewalRunOptions.Postgres"/>, or on a throwaway server
/// started for the run), or a SQLite file in the run's folder. Disposing it closes it and drops what the run made.</summary>
internal sealed class RunStore : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _dataSource;
    private readonly string? _serverConnection;
    private readonly string? _schema;

    private RunStore(IShopStore store, string argument, ThrowawayPostgres? ownServer, NpgsqlDataSource? dataSource, string? serverConnection, string? schema)
    {
        Store = store;
        Argument = argument;
        OwnServer = ownServer;
        _dataSource = dataSource;
        _serverConnection = serverConnection;
        _schema = schema;
    }

    public IShopStore Store { get; }

    /// <summary>The shop's command-line setting that points a process at this store.</summary>
    public string Argument { get; }

    /// <summary>The throwaway server started for this run, if one was.</summary>
    public ThrowawayPostgres? OwnServer { get; }

    public static async Task<RunStore> OpenAsync(RenewalRunOptions options, string folder, string schemaPrefix, CancellationToken cancellationToken)
    {
        if (options.Store != "postgres")
        {
            string database = Path.Combine(folder, "shop.db");
            return new RunStore(new SqliteShopStore(database, TimeProvider.System), "--Shop:Database=" + database, null, null, null, null);
        }

        ThrowawayPostgres? own = null;
        string serverConnection = options.Server?.ConnectionString ?? options.Postgres ?? (own = await ThrowawayPostgres.StartAsync(cancellationToken)).ConnectionString;
        string schema = schemaPrefix + Guid.NewGuid().ToString("N")[..12];
        string connection = await ThrowawayPostgres.CreateSchemaAsync(serverConnection, schema, cancellationToken);
        var dataSource = NpgsqlDataSource.Create(connection);
        var store = new PostgresShopStore(dataSource, TimeProvider.System) { RetryFor = TimeSpan.FromMinutes(1) };
        return new RunStore(store, $"--ConnectionStrings:{ShopApp.StoreConnectionName}={connection}", own, dataSource, serverConnection, schema);
    }

    public async ValueTask DisposeAsync()
    {
        (Store as IDisposable)?.Dispose();
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (OwnServer is not null)
        {
            await OwnServer.DisposeAsync(); // the schema goes with it
        }
        else if (_schema is not null && _serverConnection is not null)
        {
            await ThrowawayPostgres.DropSchemaAsync(_serverConnection, _schema);
        }
    }

    /// <summary>Deletes the run's folder, or leaves it in the temp folder when something still holds a file.</summary>
    public static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder.
        }
    }
}
