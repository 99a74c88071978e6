using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Benchmarks;
using Iamport.Danal.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Iamport.Danal.LoadRunner;

/// <summary>Runs charges against a fake I'mport on Kestrel loopback and checks every outcome against the fake's records.</summary>
public static partial class ChargeRunner
{
    /// <summary>The faults a soak injects into <c>POST /subscribe/payments/again</c>, chosen uniformly.</summary>
    public static IReadOnlyList<Fault> SoakFaults { get; } =
    [
        Fault.DropResponseAfterCommit(),
        Fault.ResetBeforeCommit(),
        Fault.ServerErrorHtml(),
        Fault.RevokeToken(),
    ];

    /// <summary>Charges <see cref="RunOptions.Count"/> keys through the library and through the raw baseline, each against its own fresh fake.</summary>
    public static async Task<LoadReport> RunLoadAsync(RunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);

        // A warm-up round of both clients first, each against a throwaway fake: the JIT (and tiering) of the fake, Kestrel
        // and the shared HTTP stack is then done before either measured round, so neither side pays it for the other.
        if (options.Warmup > 0)
        {
            foreach (bool library in new[] { true, false })
            {
                await using Side warm = await Side.StartAsync(library, options.Keys, cancellationToken);
                await warm.RunAsync((library ? "library" : "raw") + " warm-up", 0, options.Warmup, options, cancellationToken);
            }
        }

        // Measured in rounds of alternating order (library-raw, raw-library, ...), a tenth of the charges per side each
        // round: drift and bursts of noise on a shared machine (other processes, the fakes' growing payment lists) then
        // fall on both sides alike. One fake and one client per side for the whole run.
        await using Side lib = await Side.StartAsync(library: true, options.Keys, cancellationToken);
        await using Side raw = await Side.StartAsync(library: false, options.Keys, cancellationToken);
        int rounds = Math.Clamp(options.Count / (4 * options.Concurrency), 1, 10);
        var libBatches = new List<Batch>();
        var rawBatches = new List<Batch>();
        for (int round = 0; round < rounds; round++)
        {
            int first = options.Count * round / rounds;
            int count = (options.Count * (round + 1) / rounds) - first;
            string slice = $" {round + 1}/{rounds}";
            foreach (bool library in round % 2 == 0 ? new[] { true, false } : [false, true])
            {
                Side side = library ? lib : raw;
                (library ? libBatches : rawBatches).Add(await side.RunAsync((library ? "library" : "raw") + slice, first, count, options, cancellationToken));
            }
        }

        return new LoadReport(options, lib.Result("library", Batch.Concat(libBatches)), raw.Result("raw", Batch.Concat(rawBatches)));
    }

    /// <summary>Charges <see cref="RunOptions.Count"/> keys through the library while the fake injects faults, then compares outcomes with the fake's records.</summary>
    public static async Task<SoakReport> RunSoakAsync(RunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var fake = new FakeIamport();
        Uri address = await fake.StartAsync(0, cancellationToken);
        string[] customers = SeedKeys(fake, options.Keys);
        await using ServiceProvider services = LibraryServices(fake, address, options.Resilience);
        var client = services.GetRequiredService<IIamportClient>();

        fake.Faults.UseRandom(options.Seed, options.FaultRate, [FakeRoutes.Again], options.RevokeFault ? SoakFaults : SoakFaults.Where(f => f.Kind != FaultKind.RevokeToken));
        int half = options.Count / 2;

        // Random caller cancellations (a browser going away, a shutdown): drawn up front from the seed, so a run repeats.
        var random = new Random(options.Seed);
        int[] cancelAfterMs = [.. Enumerable.Range(0, options.Count).Select(_ => random.NextDouble() < options.CancelRate ? random.Next(-1, 31) : int.MaxValue)];
        Batch batch = await RunBatchAsync(
            "soak",
            options.Count,
            options.Concurrency,
            (i, ct) => CancellableChargeAsync(client, customers[i % customers.Length], MerchantUid("soak", i), cancelAfterMs[i], ct),
            // The token expires mid-run: every token is revoked once, as if it had lapsed on I'mport's side.
            i =>
            {
                if (i == half)
                {
                    fake.RevokeTokens();
                }
            },
            options.Progress,
            cancellationToken);

        Verification check = Verify(fake, batch, i => MerchantUid("soak", i));
        var injected = fake.Faults.Injected
            .GroupBy(f => f.Fault.Kind)
            .ToDictionary(g => g.Key, g => g.Count());
        return new SoakReport(options, address, batch, check, injected, fake.TokenRequestCount, fake.RequestCount(FakeRoutes.Again), fake.RequestCount(FakeRoutes.FindAllPayments));
    }

    /// <summary>One client (library or raw) with its own fake, keys and token, for the whole load run.</summary>
    private sealed class Side : IAsyncDisposable
    {
        private readonly FakeIamport _fake;
        private readonly string[] _customers;
        private readonly int _tokensBefore;
        private readonly string _tag;
        private ServiceProvider? _services;
        private HttpClient? _http;
        private Func<int, string, CancellationToken, Task<Reported>> _charge = null!;

        private Side(FakeIamport fake, Uri address, string[] customers, bool library)
        {
            _fake = fake;
            Address = address;
            _customers = customers;
            _tokensBefore = fake.TokenRequestCount;
            _tag = library ? "lib" : "raw";
        }

        public Uri Address { get; }

        public static async Task<Side> StartAsync(bool library, int keys, CancellationToken cancellationToken)
        {
            var fake = new FakeIamport();
            Uri address = await fake.StartAsync(0, cancellationToken);
            var side = new Side(fake, address, SeedKeys(fake, keys), library);
            if (library)
            {
                side._services = LibraryServices(fake, address);
                var client = side._services.GetRequiredService<IIamportClient>();
                side._charge = (i, merchantUid, ct) => LibraryChargeAsync(client, side._customers[i % side._customers.Length], merchantUid, ct);
            }
            else
            {
                side._http = new HttpClient(new SocketsHttpHandler());
                string token = await RawTokenAsync(side._http, address, fake.Options, cancellationToken);
                var raw = new RawBaseline(side._http, address);
                side._charge = (i, merchantUid, ct) => RawChargeAsync(raw, token, side._customers[i % side._customers.Length], merchantUid, ct);
            }

            return side;
        }

        /// <summary>Runs charges <paramref name="first"/> .. first + count - 1 (indexes give merchant_uids and keys).</summary>
        public Task<Batch> RunAsync(string label, int first, int count, RunOptions options, CancellationToken cancellationToken) =>
            RunBatchAsync(label, count, options.Concurrency, (i, ct) => _charge(first + i, MerchantUid(_tag, first + i), ct), null, options.Progress, cancellationToken);

        /// <summary>Checks the whole measured run (charges 0 .. n - 1) against this side's fake.</summary>
        public PhaseResult Result(string name, Batch batch)
        {
            Verification check = Verify(_fake, batch, i => MerchantUid(_tag, i));
            int expectationErrors = Enumerable.Range(0, batch.Reported.Length)
                .Count(i => batch.Reported[i] != (IsDeclineKey(i % _customers.Length) ? Reported.Declined : Reported.Approved));
            return new PhaseResult(name, Address, batch, check, _fake.TokenRequestCount - _tokensBefore, expectationErrors);
        }

        public async ValueTask DisposeAsync()
        {
            if (_services is not null)
            {
                await _services.DisposeAsync();
            }

            _http?.Dispose();
            await _fake.DisposeAsync();
        }
    }

    /// <summary>Registers the library the way a shop does: <c>AddIamport</c> with the fake as <c>BaseAddress</c>.</summary>
    private static ServiceProvider LibraryServices(FakeIamport fake, Uri address, bool resilience = false)
    {
        var services = new ServiceCollection();
        IHttpClientBuilder builder = services.AddIamport(o =>
        {
            o.ImpKey = fake.Options.ImpKey;
            o.ImpSecret = fake.Options.ImpSecret;
            o.BaseAddress = address;
        });
        if (resilience)
        {
            // The standard handler as a shop adds it, retries of POSTs included: the library's guard must keep every
            // charge to one request whatever the pipeline retries.
            builder.AddStandardResilienceHandler();
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>Every tenth key is issued on a card that declines every charge (한도초과).</summary>
    public static bool IsDeclineKey(int keyIndex) => keyIndex % 10 == 9;

    private static string[] SeedKeys(FakeIamport fake, int keys)
    {
        var customers = new string[keys];
        for (int k = 0; k < keys; k++)
        {
            customers[k] = "cust_" + k.ToString("D4", CultureInfo.InvariantCulture);
            fake.IssueBillingKey(customers[k], IsDeclineKey(k) ? TestCards.LimitExceeded : TestCards.Approve);
        }

        return customers;
    }

    private static string MerchantUid(string tag, int i) => "run_" + tag + "_" + i.ToString("D7", CultureInfo.InvariantCulture);

    private static async Task<Reported> LibraryChargeAsync(IIamportClient client, string customerUid, string merchantUid, CancellationToken cancellationToken)
    {
        try
        {
            ChargeResult result = await client.ChargeBillingKeyAsync(
                new ChargeRequest { CustomerUid = customerUid, MerchantUid = merchantUid, Amount = 9900m, Name = "월간 구독" },
                cancellationToken);
            return result.Outcome switch
            {
                ChargeOutcome.Approved => Reported.Approved,
                ChargeOutcome.Declined => Reported.Declined,
                ChargeOutcome.NotCharged => Reported.NotCharged,
                _ => Reported.Error,
            };
        }
        catch (IamportOutcomeUnknownException)
        {
            return Reported.OutcomeUnknown;
        }
        catch (IamportException)
        {
            // The contract: any IamportException but outcome unknown means nothing was charged (an answer refusing it,
            // no token, a circuit breaker refusing before sending). Verify holds it to that against the fake's records.
            return Reported.Refused;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Reported.Error;
        }
    }

    /// <summary>A library charge the caller cancels <paramref name="cancelAfterMs"/> ms after the call (-1: before it;
    /// <see cref="int.MaxValue"/>: never).</summary>
    private static async Task<Reported> CancellableChargeAsync(IIamportClient client, string customerUid, string merchantUid, int cancelAfterMs, CancellationToken cancellationToken)
    {
        if (cancelAfterMs == int.MaxValue)
        {
            return await LibraryChargeAsync(client, customerUid, merchantUid, cancellationToken);
        }

        using var caller = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (cancelAfterMs < 0)
        {
            await caller.CancelAsync();
        }
        else
        {
            caller.CancelAfter(cancelAfterMs);
        }

        try
        {
            return await LibraryChargeAsync(client, customerUid, merchantUid, caller.Token);
        }
        catch (OperationCanceledException) when (caller.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Reported.Cancelled;
        }
    }

    private static async Task<Reported> RawChargeAsync(RawBaseline raw, string token, string customerUid, string merchantUid, CancellationToken cancellationToken)
    {
        try
        {
            RawPayment payment = await raw.ChargeAsync(
                new RawChargeBody { CustomerUid = customerUid, MerchantUid = merchantUid, Amount = 9900m, Name = "월간 구독" },
                token,
                cancellationToken);
            return payment.Status switch
            {
                "paid" => Reported.Approved,
                "failed" => Reported.Declined,
                _ => Reported.Error,
            };
        }
        catch (HttpRequestException)
        {
            return Reported.Error;
        }
    }

    private static async Task<string> RawTokenAsync(HttpClient http, Uri address, FakeIamportOptions fake, CancellationToken cancellationToken)
    {
        string body = JsonSerializer.Serialize(new Dictionary<string, string> { ["imp_key"] = fake.ImpKey, ["imp_secret"] = fake.ImpSecret }, RunnerJson.Default.DictionaryStringString);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await http.PostAsync(new Uri(address, "users/getToken"), content, cancellationToken);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.GetProperty("response").GetProperty("access_token").GetString()
            ?? throw new InvalidOperationException("getToken gave no access_token.");
    }

    private static async Task<Batch> RunBatchAsync(
        string label,
        int count,
        int concurrency,
        Func<int, CancellationToken, Task<Reported>> charge,
        Action<int>? beforeCharge,
        TextWriter? progress,
        CancellationToken cancellationToken)
    {
        var reported = new Reported[count];
        var latency = new long[count];
        int done = 0;
        using var stopTicker = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long started = Stopwatch.GetTimestamp();
        Task ticker = progress is null ? Task.CompletedTask : TickAsync(label, count, () => Volatile.Read(ref done), started, progress, stopTicker.Token);
        try
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, count),
                new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    beforeCharge?.Invoke(i);
                    long t0 = Stopwatch.GetTimestamp();
                    reported[i] = await charge(i, ct);
                    latency[i] = Stopwatch.GetTimestamp() - t0;
                    Interlocked.Increment(ref done);
                });
        }
        finally
        {
            await stopTicker.CancelAsync();
            await ticker;
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        progress?.WriteLine($"  {label}: {count:N0}/{count:N0} charges in {elapsed.TotalSeconds:0.00} s");
        return new Batch(reported, latency, elapsed);
    }

    private static async Task TickAsync(string label, int count, Func<int> done, long started, TextWriter progress, CancellationToken cancellationToken)
    {
        // One line a second while the batch runs; stops when the batch does (the loop ends with the token).
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                int n = done();
                double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                progress.WriteLine($"  {label}: {n:N0}/{count:N0} charges, {n / seconds:N0}/s");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Compares what the client reported with every payment the fake recorded.</summary>
    private static Verification Verify(FakeIamport fake, Batch batch, Func<int, string> merchantUid)
    {
        var records = fake.Payments
            .GroupBy(p => p.MerchantUid, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (Paid: g.Count(p => p.Status != "failed"), Failed: g.Count(p => p.Status == "failed")), StringComparer.Ordinal);
        int doubles = 0, misreported = 0, applied = 0, unknownApplied = 0, bareCancelled = 0;
        var examples = new List<string>();
        for (int i = 0; i < batch.Reported.Length; i++)
        {
            string uid = merchantUid(i);
            (int paid, int failed) = records.GetValueOrDefault(uid);
            Reported said = batch.Reported[i];
            if (paid + failed > 0)
            {
                applied++;
            }

            if (paid > 1)
            {
                doubles++;
            }

            if (said == Reported.Cancelled)
            {
                // A bare cancellation says nothing left: a charge the fake recorded contradicts it.
                bareCancelled += paid + failed > 0 ? 1 : 0;
                continue;
            }

            if (said == Reported.OutcomeUnknown)
            {
                // Not a wrong answer ("the card may have been charged" is true either way), but counted: target 0.
                unknownApplied += paid + failed > 0 ? 1 : 0;
                continue;
            }

            bool ok = paid switch
            {
                > 1 => false,
                1 => said == Reported.Approved,
                _ when failed > 0 => said == Reported.Declined,
                _ => said is Reported.NotCharged or Reported.Refused or Reported.Error,
            };

            if (!ok)
            {
                misreported++;
                if (examples.Count < 10)
                {
                    examples.Add($"{uid}: reported {said}, fake recorded {paid} paid / {failed} failed");
                }
            }
        }

        return new Verification(doubles, misreported, applied, unknownApplied, examples) { BareCancelledAfterCharge = bareCancelled };
    }
}

/// <summary>The raw outcome of one batch of charges.</summary>
public sealed record Batch(Reported[] Reported, long[] LatencyTicks, TimeSpan Elapsed)
{
    public double Throughput => Reported.Length / Elapsed.TotalSeconds;

    public double PercentileMs(double p)
    {
        long[] sorted = (long[])LatencyTicks.Clone();
        Array.Sort(sorted);
        int index = Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1);
        return sorted[index] * 1000.0 / Stopwatch.Frequency;
    }

    public int CountOf(Reported kind) => Reported.Count(r => r == kind);

    /// <summary>Joins two batches run one after the other (charges of the first, then of the second).</summary>
    public static Batch Concat(IReadOnlyList<Batch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        return new Batch(
            [.. batches.SelectMany(b => b.Reported)],
            [.. batches.SelectMany(b => b.LatencyTicks)],
            batches.Aggregate(TimeSpan.Zero, (sum, b) => sum + b.Elapsed));
    }
}

/// <summary>The comparison of reported outcomes with the fake's records.</summary>
/// <param name="DoubleCharges">merchant_uids with two or more paid payments.</param>
/// <param name="Misreported">Charges whose reported outcome contradicts the fake's records (an applied charge reported
/// not charged or refused, an approval or decline the fake does not have, a decline reported for a paid charge).
/// "Outcome unknown" is never counted here: it claims nothing.</param>
/// <param name="Applied">Charges the fake recorded (paid or failed).</param>
/// <param name="UnknownButApplied">Charges reported "outcome unknown" that the fake had in fact applied.</param>
/// <param name="Examples">Up to ten misreported charges, for the log.</param>
public sealed record Verification(int DoubleCharges, int Misreported, int Applied, int UnknownButApplied, IReadOnlyList<string> Examples)
{
    /// <summary>Gets the charges the caller cancelled that ended in a bare <see cref="OperationCanceledException"/>
    /// although the fake recorded them: the caller was told nothing left after the charge did (target 0).</summary>
    public int BareCancelledAfterCharge { get; init; }
}

/// <summary>One client's measured batch and its correctness.</summary>
public sealed record PhaseResult(string Name, Uri Address, Batch Batch, Verification Check, int TokenRequests, int ExpectationErrors)
{
    /// <summary>Gets exceptions and outcomes other than the key's expected approval or decline, plus disagreements with the fake.</summary>
    public int Errors => ExpectationErrors + Check.Misreported + Check.DoubleCharges;
}
