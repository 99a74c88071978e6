using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Samples.Shop;
using Iamport.Danal.Samples.Shop.Billing;
using Iamport.Danal.Samples.Shop.Data;
using Iamport.Danal.Testing;

namespace Iamport.Danal.LoadRunner.Renewal;

/// <summary>What one renewal measurement does.</summary>
public sealed class RenewalRunOptions
{
    /// <summary>Gets the number of active subscriptions seeded, all due today.</summary>
    public int Subscriptions { get; init; } = 10_000;

    /// <summary>Gets the fake's latency on every charge, in milliseconds.</summary>
    public int LatencyMs { get; init; } = 1_000;

    /// <summary>Gets <c>Shop:RenewalConcurrency</c> of each shop process.</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>Gets the number of shop renewal processes started at once against the one store.</summary>
    public int Instances { get; init; } = 1;

    /// <summary>Gets <c>job</c> (the shop's renewal job, by default) or <c>schedule</c> (I'mport's scheduler, <see cref="ScheduleRenewalRunner"/>).</summary>
    public string Engine { get; init; } = "job";

    /// <summary>Gets <c>sqlite</c> or <c>postgres</c>.</summary>
    public string Store { get; init; } = "sqlite";

    /// <summary>Gets a PostgreSQL connection string to use (a fresh schema is made in it); <see langword="null"/>: a throwaway server.</summary>
    public string? Postgres { get; init; }

    /// <summary>Gets, when set, after how many charges reached the fake the first shop process is killed; a new one
    /// then finishes the run (with stale claims looked up at once).</summary>
    public int? KillFirstAfter { get; init; }

    /// <summary>Gets where progress lines go, or <see langword="null"/> for none.</summary>
    public TextWriter? Progress { get; init; }

    /// <summary>Gets a throwaway server to use (a fresh schema is made in it) instead of starting one; it stays running.</summary>
    public ThrowawayPostgres? Server { get; init; }

    /// <summary>Gets <c>Shop:RenewalLease</c> of each shop process, or <see langword="null"/> for the shop's default.</summary>
    public TimeSpan? Lease { get; init; }

    /// <summary>Gets, when set with <see cref="Disrupt"/>, after how many charges reached the fake the database is disrupted.</summary>
    public int? DisruptAfter { get; init; }

    /// <summary>Gets what is done to the PostgreSQL server once <see cref="DisruptAfter"/> charges reached the fake (a
    /// restart, a freeze), while the shop processes run.</summary>
    public Func<ThrowawayPostgres, Task>? Disrupt { get; init; }

    /// <summary>Gets a change to the fake before the run (faults, options); with it, no latency is set up.</summary>
    public Action<FakeIamport>? ConfigureFake { get; init; }

    /// <summary>Gets how many times the shop processes are started one after the other (passes); 1 by default.</summary>
    public int Passes { get; init; } = 1;

    /// <summary>Gets a change to the fake after the first pass (say, its faults cleared).</summary>
    public Action<FakeIamport>? AfterFirstPass { get; init; }

    /// <summary>Gets more arguments for every shop process (<c>--Section:Key=value</c>).</summary>
    public IReadOnlyList<string> ShopArguments { get; init; } = [];

    /// <summary>Reads <c>--subscriptions N --latency-ms L --concurrency C --instances K --store sqlite|postgres [--postgres CONNECTION]</c>.</summary>
    /// <exception cref="ArgumentException">An unknown argument, a missing value or a value out of range.</exception>
    public static RenewalRunOptions Parse(string[] args, TextWriter? progress)
    {
        ArgumentNullException.ThrowIfNull(args);
        int n = 10_000, latency = 1_000, concurrency = 64, instances = 1;
        string store = "sqlite", engine = "job";
        string? postgres = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Number() => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : throw new ArgumentException($"{args[i - 1]} needs a whole number.");
            switch (args[i])
            {
                case "--subscriptions": n = Number(); break;
                case "--latency-ms": latency = Number(); break;
                case "--concurrency": concurrency = Number(); break;
                case "--instances": instances = Number(); break;
                case "--store": store = Next(); break;
                case "--postgres": postgres = Next(); break;
                case "--engine": engine = Next(); break;
                default: throw new ArgumentException($"Unknown argument {args[i]}.");
            }
        }

        if (n < 1 || concurrency < 1 || instances < 1)
        {
            throw new ArgumentException("--subscriptions, --concurrency and --instances must be at least 1.");
        }

        if (store is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException("--store is sqlite or postgres.");
        }

        if (engine is not ("job" or "schedule"))
        {
            throw new ArgumentException("--engine is job or schedule.");
        }

        if (postgres is not null && store != "postgres")
        {
            throw new ArgumentException("--postgres goes with --store postgres.");
        }

        return new RenewalRunOptions
        {
            Subscriptions = n, LatencyMs = latency, Concurrency = concurrency, Instances = instances, Store = store, Postgres = postgres, Progress = progress, Engine = engine,
        };
    }
}

/// <param name="WallSeconds">From the first charge that reached the fake to the last outcome the store recorded.</param>
/// <param name="IdealSeconds"><c>N × L / (K × C)</c>.</param>
/// <param name="Charged">Subscriptions (each due for one period) with at least one paid charge at the fake.</param>
/// <param name="Doubled">Subscriptions with more than one paid charge at the fake.</param>
/// <param name="Missed">Subscriptions with no paid charge at the fake.</param>
/// <param name="LeftUnresolved">Charges the store still holds as claimed or unknown at the end.</param>
/// <param name="ChargeRequests">Charge requests the fake received.</param>
/// <param name="FailedProcesses">Shop processes that exited with an error (the killed one not counted).</param>
/// <param name="SentBeforeKill">With <see cref="RenewalRunOptions.KillFirstAfter"/>: charges that had reached the fake when the process was killed.</param>
/// <param name="Unrecorded">Payments paid at the fake whose charge the store does not hold as paid.</param>
/// <param name="SentBeforeDisruption">With <see cref="RenewalRunOptions.Disrupt"/>: charges that had reached the fake when the database was disrupted.</param>
/// <param name="ShopLog">Every line the shop processes wrote.</param>
public sealed record RenewalRunReport(
    RenewalRunOptions Options, double WallSeconds, double IdealSeconds, int Charged, int Doubled, int Missed, int LeftUnresolved,
    int ChargeRequests, int FailedProcesses, int? SentBeforeKill, int Unrecorded = 0, int? SentBeforeDisruption = null, IReadOnlyList<string>? ShopLog = null)
{
    public double Ratio => IdealSeconds > 0 ? WallSeconds / IdealSeconds : 0;

    /// <summary>On the scheduler: whether every subscription's next period was registered exactly once.</summary>
    public bool NextScheduledOnce { get; init; } = true;

    /// <summary>The last line the command prints (other tools parse it).</summary>
    public string Line => string.Create(CultureInfo.InvariantCulture,
        $"renewal: {Options.Subscriptions} subscriptions, {Options.Instances} instances x {Options.Concurrency} concurrent, latency {Options.LatencyMs} ms, store {Options.Store}: wall {WallSeconds:F1} s, ideal {IdealSeconds:F1} s, ratio {Ratio:F3}, charged {Charged}, double {Doubled}, missed {Missed}");

    /// <summary>Every period charged exactly once, nothing left claimed, no process failed.</summary>
    public bool Passed => Doubled == 0 && Missed == 0 && Charged == Options.Subscriptions && LeftUnresolved == 0 && FailedProcesses == 0 && NextScheduledOnce;
}

/// <summary>Runs the shop's real renewal code (<c>Iamport.Danal.Samples.Shop renew</c>, as separate processes) over
/// many due subscriptions in one store, against the fake I'mport on loopback with a latency on every charge, and
/// judges the result by the fake's records.</summary>
public static class RenewalRunner
{
    private const string MerchantCode = "imp00000000";

    public static async Task<RenewalRunReport> RunAsync(RenewalRunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var progress = options.Progress ?? TextWriter.Null;
        string folder = Directory.CreateTempSubdirectory("renewal-").FullName;
        await using var fake = new FakeIamport(new FakeIamportOptions { MerchantCode = MerchantCode });
        Uri address = await fake.StartAsync(0, cancellationToken);
        if (options.ConfigureFake is { } configure)
        {
            configure(fake);
        }
        else if (options.LatencyMs > 0)
        {
            fake.Faults.UseRandom(1, 1.0, [FakeRoutes.Again], [Fault.Latency(TimeSpan.FromMilliseconds(options.LatencyMs))]);
        }

        RunStore? shared = null;
        try
        {
            shared = await RunStore.OpenAsync(options, folder, "renewal_", cancellationToken);
            var store = shared.Store;
            var server = shared.OwnServer;
            await store.EnsureCreatedAsync(cancellationToken);
            await SeedAsync(fake, store, options.Subscriptions, cancellationToken);
            progress.WriteLine($"seeded {options.Subscriptions:N0} due subscriptions ({options.Store}); fake at {address}, {options.LatencyMs} ms per charge");

            var log = new List<string>();
            string[] shopArguments =
            [
                .. options.ShopArguments,
                .. options.Lease is { } lease ? ["--Shop:RenewalLease=" + lease.ToString("c", CultureInfo.InvariantCulture)] : Array.Empty<string>(),
                "--Iamport:ImpKey=" + fake.Options.ImpKey,
                "--Iamport:ImpSecret=" + fake.Options.ImpSecret,
                "--Iamport:MerchantCode=" + MerchantCode,
                "--Iamport:BaseAddress=" + address,
                "--Shop:RenewalConcurrency=" + options.Concurrency.ToString(CultureInfo.InvariantCulture),
                shared.Argument,
                "--Logging:LogLevel:Default=Warning",
                "--Logging:LogLevel:Iamport.Danal.Samples.Shop=Information",
            ];
            var run = new ShopRun(fake, options, shopArguments, folder, new LogTee(progress, log), store, options.Server ?? server);
            var (firstSent, failed, sentBeforeKill) = await RunShopsAsync(run, cancellationToken);
            options.AfterFirstPass?.Invoke(fake);
            for (int pass = 1; pass < options.Passes; pass++)
            {
                progress.WriteLine($"pass {pass + 1}");
                failed += (await RunShopsAsync(run with { Options = new RenewalRunOptions { Instances = options.Instances, Subscriptions = options.Subscriptions } }, cancellationToken)).Failed;
            }

            var tally = await store.TallyChargesAsync(cancellationToken);
            progress.WriteLine("fake saw: " + string.Join(", ", fake.RequestsPerRoute.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}")));
            progress.WriteLine("store holds: " + string.Join(", ", tally.ByStatus.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}")));
            int unrecorded = await UnrecordedAsync(fake, store, cancellationToken);
            double wall = firstSent is { } first && tally.LastUpdate is { } last ? (last - first).TotalSeconds : 0;
            return Judge(fake, options, wall, tally[ChargeStatus.Claimed] + tally[ChargeStatus.Unknown], failed, sentBeforeKill) with
            {
                Unrecorded = unrecorded, SentBeforeDisruption = run.SentBeforeDisruption, ShopLog = log,
            };
        }
        finally
        {
            if (shared is not null)
            {
                await shared.DisposeAsync();
            }

            RunStore.DeleteFolder(folder);
        }
    }

    private static async Task SeedAsync(FakeIamport fake, IShopStore store, int count, CancellationToken cancellationToken)
    {
        var today = ShopClock.Today(TimeProvider.System);
        var subscriptions = new List<NewSubscription>(count);
        for (int i = 0; i < count; i++)
        {
            string customerUid = "cu_renewal_" + i.ToString("D6", CultureInfo.InvariantCulture);
            fake.IssueBillingKey(customerUid);
            subscriptions.Add(new NewSubscription("load", "다날 정기구독 Pro", 9_900, customerUid, "신한카드", today));
        }

        await store.AddActiveSubscriptionsAsync(subscriptions, cancellationToken);
    }

    private static RenewalRunReport Judge(FakeIamport fake, RenewalRunOptions options, double wall, int leftUnresolved, int failed, int? sentBeforeKill)
    {
        var paidPerCustomer = fake.Payments
            .Where(p => p.CustomerUidUsage == "payment" && p.Status == "paid" && p.CustomerUid is not null)
            .GroupBy(p => p.CustomerUid!)
            .ToDictionary(g => g.Key, g => g.Count());
        int charged = paidPerCustomer.Count;
        double ideal = (double)options.Subscriptions * options.LatencyMs / 1000.0 / (options.Instances * options.Concurrency);
        return new RenewalRunReport(options, wall, ideal, charged, paidPerCustomer.Values.Count(c => c > 1), options.Subscriptions - charged,
            leftUnresolved, fake.RequestCount(FakeRoutes.Again), failed, sentBeforeKill);
    }

    /// <summary>Payments paid at the fake (renewal charges) whose charge the store does not hold as paid.</summary>
    private static async Task<int> UnrecordedAsync(FakeIamport fake, IShopStore store, CancellationToken cancellationToken)
    {
        int unrecorded = 0;
        foreach (var payment in fake.Payments.Where(p => p.CustomerUidUsage == "payment" && p.Status == "paid"))
        {
            if (await store.FindChargeAsync(payment.MerchantUid, cancellationToken) is not { Status: ChargeStatus.Paid } charge || charge.ImpUid != payment.ImpUid)
            {
                unrecorded++;
            }
        }

        return unrecorded;
    }

    /// <summary>One run's fixed parts, for each pass.</summary>
    private sealed record ShopRun(
        FakeIamport Fake, RenewalRunOptions Options, string[] ShopArguments, string Folder, LogTee Log, IShopStore Store, ThrowawayPostgres? Server)
    {
        public int? SentBeforeDisruption { get; set; }
    }

    private static async Task<(DateTimeOffset? FirstSent, int Failed, int? SentBeforeKill)> RunShopsAsync(ShopRun run, CancellationToken cancellationToken)
    {
        var (fake, options, shopArguments, folder, progress, _, _) = run;
        var shops = Enumerable.Range(0, options.Instances).Select(i => StartShop(i, folder, progress, ["renew", .. shopArguments])).ToList();
        DateTimeOffset? firstSent = null;
        int? sentBeforeKill = null;
        Task? disruption = null;
        var clock = Stopwatch.StartNew();
        var lastPrint = TimeSpan.Zero;
        var deadline = TimeSpan.FromSeconds(120 + (4.0 * options.Subscriptions * options.LatencyMs / 1000.0 / options.Concurrency));
        try
        {
            while (shops.Any(s => !s.HasExited))
            {
                int sent = fake.RequestCount(FakeRoutes.Again);
                if (firstSent is null && sent > 0)
                {
                    firstSent = DateTimeOffset.UtcNow;
                }

                if (sentBeforeKill is null && options.KillFirstAfter is { } killAfter && sent >= killAfter)
                {
                    shops[0].Kill(entireProcessTree: true);
                    sentBeforeKill = sent;
                    progress.WriteLine($"killed shop 0 after {sent} charges reached the fake");
                }

                if (disruption is null && options.Disrupt is { } disrupt && run.Server is { } server && sent >= (options.DisruptAfter ?? 0))
                {
                    run.SentBeforeDisruption = sent;
                    progress.WriteLine($"disrupting PostgreSQL after {sent} charges reached the fake");
                    disruption = disrupt(server);
                }

                if (clock.Elapsed - lastPrint >= TimeSpan.FromSeconds(1))
                {
                    lastPrint = clock.Elapsed;
                    progress.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s: {sent:N0} charges reached the fake");
                }

                if (clock.Elapsed > deadline)
                {
                    throw new TimeoutException($"The shop processes did not finish within {deadline.TotalSeconds:F0} s.");
                }

                await Task.Delay(5, cancellationToken);
            }

            if (disruption is not null)
            {
                await disruption;
            }

            int failed = shops.Skip(sentBeforeKill is null ? 0 : 1).Count(s => s.ExitCode != 0);
            if (sentBeforeKill is not null)
            {
                // One more pass once the killed process's leases ran out, as the database's clock tells.
                await WhenLeasesRanOutAsync(run.Store, progress, cancellationToken);
                using var restart = StartShop(options.Instances, folder, progress, ["renew", .. shopArguments]);
                await restart.WaitForExitAsync(cancellationToken);
                failed += restart.ExitCode != 0 ? 1 : 0;
            }

            return (firstSent, failed, sentBeforeKill);
        }
        finally
        {
            foreach (var shop in shops)
            {
                if (!shop.HasExited)
                {
                    shop.Kill(entireProcessTree: true);
                }

                shop.Dispose();
            }
        }
    }

    /// <summary>Waits until no claim in the store has a lease that still runs (every claimed charge is listed for a look-up).</summary>
    private static async Task WhenLeasesRanOutAsync(IShopStore store, TextWriter progress, CancellationToken cancellationToken)
    {
        while (true)
        {
            int claimed = (await store.TallyChargesAsync(cancellationToken))[ChargeStatus.Claimed];
            int expired = (await store.ListUnresolvedChargesAsync(cancellationToken)).Count(c => c.Status == ChargeStatus.Claimed);
            if (claimed == expired)
            {
                progress.WriteLine($"{claimed} claims of the killed process have run out of lease");
                return;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Starts the sample shop's process with <paramref name="arguments"/> (a command such as <c>renew</c>, then
    /// settings), its output forwarded to <paramref name="progress"/> under its index.</summary>
    internal static Process StartShop(int index, string folder, TextWriter progress, params IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Iamport.Danal.Samples.Shop.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = Process.Start(start) ?? throw new InvalidOperationException("The shop process did not start.");
        process.OutputDataReceived += (_, e) => Forward(progress, index, e.Data);
        process.ErrorDataReceived += (_, e) => Forward(progress, index, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Forward(TextWriter progress, int index, string? line)
    {
        if (!string.IsNullOrWhiteSpace(line))
        {
            lock (progress)
            {
                progress.WriteLine($"  [shop {index}] {line.Trim()}");
            }
        }
    }

    /// <summary>Progress lines, also kept for the report.</summary>
    private sealed class LogTee(TextWriter progress, List<string> lines) : TextWriter
    {
        public override System.Text.Encoding Encoding => progress.Encoding;

        public override void WriteLine(string? value)
        {
            lock (lines)
            {
                lines.Add(value ?? "");
            }

            progress.WriteLine(value);
        }
    }
}
