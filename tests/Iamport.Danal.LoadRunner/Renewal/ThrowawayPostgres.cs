using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace Iamport.Danal.LoadRunner.Renewal;

/// <summary>A PostgreSQL server of its own for one test or run: a fresh data directory in a temporary folder, listening
/// on a free loopback port (its unix socket in the same folder), stopped and deleted on dispose.</summary>
/// <remarks>Uses the server binaries of the machine (Debian's <c>postgresql</c> package:
/// <c>/usr/lib/postgresql/{version}/bin</c>, or the folder in <c>PG_BIN</c>). PostgreSQL refuses to run as root, so as
/// root the server runs as the <c>postgres</c> user (<c>runuser</c>), in a folder that user owns.</remarks>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    public const string InstallHint =
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found, so the PostgreSQL tests cannot run. Install them with "
        + "`apt-get install -y postgresql` (as root, after `apt-get update`), or point PG_BIN at the folder that holds them.";

    private static readonly string[] ServerTools = ["initdb", "pg_ctl", "postgres"];

    private readonly string _bin;
    private readonly string _folder;
    private readonly bool _asPostgresUser;

    private ThrowawayPostgres(string bin, string folder, bool asPostgresUser, int port)
    {
        _bin = bin;
        _folder = folder;
        _asPostgresUser = asPostgresUser;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
        }.ToString();
    }

    /// <summary>Gets the connection string of the server's <c>postgres</c> database, as the superuser <c>postgres</c> (trust auth on loopback).</summary>
    public string ConnectionString { get; }

    /// <summary>The folder with <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>, or <see langword="null"/> when this machine has none.</summary>
    public static string? FindBinaries()
    {
        static bool Complete(string dir) => ServerTools.All(b => File.Exists(Path.Combine(dir, b)));

        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } configured)
        {
            return Complete(configured) ? configured : null;
        }

        const string Debian = "/usr/lib/postgresql";
        return Directory.Exists(Debian)
            ? Directory.GetDirectories(Debian)
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), out int v) ? v : 0, Bin: Path.Combine(d, "bin")))
                .Where(d => Complete(d.Bin))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Bin)
                .FirstOrDefault()
            : null;
    }

    /// <summary>Creates and starts a server.</summary>
    /// <exception cref="InvalidOperationException">No server binaries (<see cref="InstallHint"/>), or the server did not start (with its log).</exception>
    public static async Task<ThrowawayPostgres> StartAsync(CancellationToken cancellationToken = default)
    {
        string bin = FindBinaries() ?? throw new InvalidOperationException(InstallHint);
        bool asPostgresUser = Environment.UserName == "root";
        string folder = Directory.CreateTempSubdirectory("pg-").FullName;
        var server = new ThrowawayPostgres(bin, folder, asPostgresUser, FreeLoopbackPort());
        try
        {
            if (asPostgresUser)
            {
                await RunAsync("chown", ["postgres:postgres", folder], cancellationToken);
            }

            string data = Path.Combine(folder, "data");
            await server.RunServerToolAsync("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], cancellationToken);
            int port = new NpgsqlConnectionStringBuilder(server.ConnectionString).Port;
            await server.RunServerToolAsync("pg_ctl",
            [
                "-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "start",
                "-o", $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=64MB -c synchronous_commit=off",
            ], cancellationToken);
            return server;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            string log = Path.Combine(folder, "server.log");
            string tail = File.Exists(log) ? File.ReadAllText(log) : "";
            await server.DisposeAsync();
            throw new InvalidOperationException("The throwaway PostgreSQL did not start: " + ex.Message + "\n" + tail, ex);
        }
    }

    /// <summary>Creates an empty schema and returns a connection string whose search path is it: one run's tables, dropped with the server.</summary>
    public static async Task<string> CreateSchemaAsync(string connectionString, string schema, CancellationToken cancellationToken = default)
    {
        // Unpooled: a pooled connection may have been ended by a restart of the server.
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString()))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE SCHEMA \"{schema}\";", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ToString();
    }

    /// <summary>Drops a schema made by <see cref="CreateSchemaAsync"/>.</summary>
    public static async Task DropSchemaAsync(string connectionString, string schema)
    {
        // Unpooled: a pooled connection may have been ended by a restart of the server.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Restarts the server as an operator would (<c>pg_ctl restart -m fast</c>: every session is ended), and
    /// returns once it accepts connections again.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default) =>
        RunServerToolAsync("pg_ctl", ["-D", Path.Combine(_folder, "data"), "-l", Path.Combine(_folder, "server.log"), "-m", "fast", "-w", "-t", "60", "restart"], cancellationToken);

    /// <summary>Freezes every process of the server (SIGSTOP) for <paramref name="duration"/>, then lets them go on
    /// (SIGCONT): connections stay open but nothing answers, as on a host that stalls.</summary>
    public async Task FreezeAsync(TimeSpan duration, CancellationToken cancellationToken = default)
    {
        string[] pids = ServerProcesses().Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        await RunAsync("kill", ["-STOP", .. pids], cancellationToken);
        try
        {
            await Task.Delay(duration, cancellationToken);
        }
        finally
        {
            await RunAsync("kill", ["-CONT", .. pids], CancellationToken.None);
        }
    }

    /// <summary>The postmaster (first line of <c>postmaster.pid</c>) and its children, from <c>/proc</c>.</summary>
    private int[] ServerProcesses()
    {
        int postmaster = int.Parse(File.ReadLines(Path.Combine(_folder, "data", "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        var children = new System.Collections.Generic.List<int> { postmaster };
        foreach (string dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
            {
                continue;
            }

            try
            {
                // /proc/{pid}/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) == postmaster)
                {
                    children.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
        }

        return [.. children];
    }

    public async ValueTask DisposeAsync()
    {
        string data = Path.Combine(_folder, "data");
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            try
            {
                await RunServerToolAsync("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"], CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder; nothing depends on it.
        }
    }

    private Task RunServerToolAsync(string tool, string[] arguments, CancellationToken cancellationToken) =>
        _asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments], cancellationToken, _folder)
            : RunAsync(Path.Combine(_bin, tool), arguments, cancellationToken, _folder);

    private static async Task RunAsync(string file, string[] arguments, CancellationToken cancellationToken, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException(file + " did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
