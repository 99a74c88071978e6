using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace Iamport.Danal.Benchmarks;

/// <summary>Runs the benchmarks; arguments go to BenchmarkDotNet (e.g. <c>--filter *Charge*</c>).</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        // A short job sized for a 2-core CI-class machine: one process, 5 warm-up and 15 measured iterations.
        IConfig config = DefaultConfig.Instance
            .AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(15).WithId("Short"))
            .WithOptions(ConfigOptions.JoinSummary);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
    }
}
