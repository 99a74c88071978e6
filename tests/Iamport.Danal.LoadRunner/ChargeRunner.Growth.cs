using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Iamport.Danal.LoadRunner;

public static partial class ChargeRunner
{
    /// <summary>The size of the first and last window compared by a growth run.</summary>
    public const int GrowthWindow = 2_000;

    /// <summary>Charges <see cref="RunOptions.Count"/> times (100,000 by default) into one fake through the raw client, in
    /// windows of <see cref="GrowthWindow"/>, and compares the throughput of the last window with the first: a fake
    /// whose per-request cost grows with its records (a scan of its payments) shows up as a ratio well below 1.
    /// Each window also records this process's CPU time (client, Kestrel and fake all run in it), so the ratio can be
    /// read per CPU second too: on a shared machine other processes' load moves wall-clock windows, not CPU time.</summary>
    public static async Task<GrowthReport> RunGrowthAsync(RunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Warmup > 0)
        {
            await using Side warm = await Side.StartAsync(library: false, options.Keys, cancellationToken);
            await warm.RunAsync("warm-up", 0, options.Warmup, options, cancellationToken);
        }

        await using Side side = await Side.StartAsync(library: false, options.Keys, cancellationToken);
        var windows = new List<Batch>();
        var cpu = new List<TimeSpan>();
        using var self = Process.GetCurrentProcess();
        var quiet = new RunOptions { Count = options.Count, Concurrency = options.Concurrency, Keys = options.Keys };
        for (int first = 0; first < options.Count; first += GrowthWindow)
        {
            int count = Math.Min(GrowthWindow, options.Count - first);
            self.Refresh();
            TimeSpan cpuBefore = self.TotalProcessorTime;
            Batch window = await side.RunAsync("growth", first, count, quiet, cancellationToken);
            self.Refresh();
            cpu.Add(self.TotalProcessorTime - cpuBefore);
            windows.Add(window);
            if (options.Progress is { } progress && (first / GrowthWindow) % 5 == 0)
            {
                progress.WriteLine($"  growth: charges {first:N0}..{first + count - 1:N0}: {window.Throughput:N0}/s");
            }
        }

        return new GrowthReport(options, windows, cpu, side.Result("raw", Batch.Concat(windows)));
    }
}

/// <summary>A growth run: throughput per window of charges into one fake, first against last.</summary>
public sealed record GrowthReport(RunOptions Options, IReadOnlyList<Batch> Windows, IReadOnlyList<TimeSpan> Cpu, PhaseResult Result)
{
    /// <summary>Gets the throughput of the last window over the first (target at least 0.8).</summary>
    public double Ratio => Windows[^1].Throughput / Windows[0].Throughput;

    /// <summary>Gets the same ratio per CPU second of this process: charges per CPU second, last window over first.</summary>
    public double CpuRatio => CpuThroughput(Windows.Count - 1) / CpuThroughput(0);

    private double CpuThroughput(int window) => Windows[window].Reported.Length / Cpu[window].TotalSeconds;

    /// <summary>Gets whether every charge was reported as the fake recorded it. The ratio is printed against its target
    /// but does not change the result (it depends on the machine).</summary>
    public bool Passed => Result.Errors == 0;

    public void Print(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"Growth run: {Options.Count:N0} charges into one fake (raw client, concurrency {Options.Concurrency}, {Options.Keys} keys), windows of {ChargeRunner.GrowthWindow:N0}");
        int step = Math.Max(1, Windows.Count / 10);
        for (int w = 0; w < Windows.Count; w++)
        {
            if (w % step == 0 || w == Windows.Count - 1)
            {
                output.WriteLine($"  charges {w * ChargeRunner.GrowthWindow,9:N0}+ {Windows[w].Throughput,8:N0}/s  {CpuThroughput(w),8:N0}/CPU s  p50 {Windows[w].PercentileMs(0.5),7:0.00} ms");
            }
        }

        output.WriteLine($"last {ChargeRunner.GrowthWindow:N0} / first {ChargeRunner.GrowthWindow:N0} throughput = {Ratio:0.000} (target >= 0.80: {(Ratio >= 0.8 ? "met" : "MISSED")})");
        output.WriteLine($"per CPU second: last / first = {CpuRatio:0.000} (target >= 0.80: {(CpuRatio >= 0.8 ? "met" : "MISSED")})");
        output.WriteLine($"errors {Result.Errors}, double charges {Result.Check.DoubleCharges}");
        output.WriteLine(Passed ? "correctness: PASS" : "correctness: FAIL");
    }
}
