using System;
using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Linq;

namespace Iamport.Danal.Benchmarks;

/// <summary>
/// Where a charge's allocated bytes go, by type: the runtime's <c>GCAllocationTick</c> event (one sample about every
/// 100 KB allocated, naming the type that crossed the mark) over many warmed-up calls of one side. A sample, not an
/// exact count: types under about 20 B per call come and go between runs; <see cref="Interleaved"/> gives the exact total.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private volatile bool _sampling;

    /// <summary>Runs <paramref name="calls"/> charges of one side and prints bytes per call by type, largest first.</summary>
    public static void Run(bool library, int calls = 200_000)
    {
        var bench = new ChargeBenchmarks();
        bench.Setup();
        Action call = library ? () => bench.RunLibrary() : () => bench.RunRaw();
        for (int i = 0; i < 20_000; i++)
        {
            call();
        }

        using var sampler = new AllocationSampler();
        sampler._sampling = true;
        for (int i = 0; i < calls; i++)
        {
            call();
        }

        sampler._sampling = false;
        foreach ((string type, long bytes) in sampler._bytes.OrderByDescending(p => p.Value))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(double)bytes / calls,8:F1} B/call  {type}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(double)sampler._bytes.Values.Sum() / calls,8:F1} B/call  total (sampled)"));
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_sampling || !(eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) ?? false)
            || eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }

        int type = eventData.PayloadNames.IndexOf("TypeName");
        int amount = eventData.PayloadNames.IndexOf("AllocationAmount64");
        if (type < 0 || amount < 0)
        {
            return;
        }

        long bytes = Convert.ToInt64(eventData.Payload[amount], CultureInfo.InvariantCulture);
        _bytes.AddOrUpdate((string?)eventData.Payload[type] ?? "?", bytes, (_, sum) => sum + bytes);
    }
}
