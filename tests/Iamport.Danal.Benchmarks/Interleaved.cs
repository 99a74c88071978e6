using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace Iamport.Danal.Benchmarks;

/// <summary>
/// The charge call both ways in alternating rounds (raw then library, library then raw, ...), reporting the median of
/// the per-round time ratios. BenchmarkDotNet measures one method after the other, so on a VM whose speed drifts for
/// tens of seconds at a time one side can land in a slow stretch and the other not; here both sides share every stretch.
/// </summary>
public static class Interleaved
{
    public static void Run(int rounds = 40, int callsPerRound = 10_000)
    {
        var bench = new ChargeBenchmarks();
        bench.Setup();
        Action raw = () => bench.RunRaw();
        Action library = () => bench.RunLibrary();
        Time(raw, 50_000);
        Time(library, 50_000);

        var ratios = new double[rounds];
        var cpuRatios = new double[rounds];
        double bestRaw = double.MaxValue, bestLibrary = double.MaxValue;
        for (int round = 0; round < rounds; round++)
        {
            bool rawFirst = round % 2 == 0;
            (double first, double firstCpu) = Time(rawFirst ? raw : library, callsPerRound);
            (double second, double secondCpu) = Time(rawFirst ? library : raw, callsPerRound);
            (double r, double l) = rawFirst ? (first, second) : (second, first);
            (double rCpu, double lCpu) = rawFirst ? (firstCpu, secondCpu) : (secondCpu, firstCpu);
            ratios[round] = l / r;
            cpuRatios[round] = lCpu / rCpu;
            bestRaw = Math.Min(bestRaw, r);
            bestLibrary = Math.Min(bestLibrary, l);
        }

        Array.Sort(ratios);
        Array.Sort(cpuRatios);
        long rawBytes = Allocated(raw, 1_000), libraryBytes = Allocated(library, 1_000);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            Interleaved charge, {rounds} rounds of {callsPerRound:N0} calls per side, alternating order ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)
            time library/raw: median of rounds {ratios[rounds / 2]:F3} (middle half {ratios[rounds / 4]:F3} to {ratios[3 * rounds / 4]:F3}); best round {bestLibrary:F2} us / {bestRaw:F2} us = {bestLibrary / bestRaw:F3}
            CPU time library/raw: median of rounds {cpuRatios[rounds / 2]:F3} (middle half {cpuRatios[rounds / 4]:F3} to {cpuRatios[3 * rounds / 4]:F3})
            allocated per call: library {libraryBytes:N0} B / raw {rawBytes:N0} B = {(double)libraryBytes / rawBytes:F3}
            """));
    }

    /// <summary>Wall-clock and process CPU microseconds per call over <paramref name="calls"/> calls (CPU 0 where
    /// <see cref="ProcessCpuTime"/> is not available).</summary>
    private static (double Wall, double Cpu) Time(Action call, int calls)
    {
        double cpuStart = ProcessCpuTime.IsAvailable ? ProcessCpuTime.Now() : 0;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            call();
        }

        double wall = Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
        double cpu = ProcessCpuTime.IsAvailable ? (ProcessCpuTime.Now() - cpuStart) / calls : 0;
        return (wall, cpu);
    }

    private static long Allocated(Action call, int calls)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            call();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / calls;
    }
}
