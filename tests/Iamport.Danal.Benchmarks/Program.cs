using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace Iamport.Danal.Benchmarks;

/// <summary>Runs the benchmarks; arguments go to BenchmarkDotNet (e.g. <c>--filter *Charge*</c>), or <c>--interleaved</c> runs
/// <see cref="Interleaved"/>, or <c>--allocations library</c> (or <c>raw</c>) runs <see cref="AllocationSampler"/>.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["--allocations", "library" or "raw"])
        {
            AllocationSampler.Run(library: args[1] == "library");
            return;
        }

        if (args is ["--interleaved"])
        {
            Interleaved.Run();
            return;
        }

        // A short job sized for a 2-core machine: one process, 5 warm-up and 20 measured iterations. The median is shown
        // beside the mean because a shared machine's noise is one-sided (other processes only ever add time).
        IConfig config = DefaultConfig.Instance
            .AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(10).WithIterationCount(50).WithId("Short"))
            .AddColumn(StatisticColumn.Median);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
    }
}
