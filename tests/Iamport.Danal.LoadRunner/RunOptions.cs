using System;
using System.Globalization;
using System.IO;

namespace Iamport.Danal.LoadRunner;

/// <summary>What one run does: how many charges, how many at once, and (soak) which faults at what rate.</summary>
public sealed class RunOptions
{
    /// <summary>Gets the number of measured charges per client (library, raw).</summary>
    public int Count { get; init; } = 10_000;

    /// <summary>Gets how many charges are in flight at once.</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>Gets the warm-up charges per client before measuring (not counted in latency or throughput).</summary>
    public int Warmup { get; init; } = 1_000;

    /// <summary>Gets the number of pre-issued billing keys; every tenth one declines.</summary>
    public int Keys { get; init; } = 200;

    /// <summary>Gets whether this is a fault soak of the library rather than a load run.</summary>
    public bool Soak { get; init; }

    /// <summary>Gets whether this is a growth run: many charges into one fake, the last window's throughput against the first's.</summary>
    public bool Growth { get; init; }

    /// <summary>Gets the share of charge requests that suffer a fault in a soak.</summary>
    public double FaultRate { get; init; } = 0.10;

    /// <summary>Gets whether the soak's faults include the fake's 401 (<see cref="Iamport.Danal.Testing.FaultKind.RevokeToken"/>, which revokes every token).</summary>
    public bool RevokeFault { get; init; } = true;

    /// <summary>Gets whether the library's client gets <c>AddStandardResilienceHandler()</c> (retries of POSTs included).</summary>
    public bool Resilience { get; init; }

    /// <summary>Gets the seed of the fault plan.</summary>
    public int Seed { get; init; } = 7;

    /// <summary>Gets the share of soak charges the caller cancels at a random moment (0 to 30 ms after the call, or before it).</summary>
    public double CancelRate { get; init; }

    /// <summary>Gets where progress lines go, or <see langword="null"/> for none.</summary>
    public TextWriter? Progress { get; init; }

    public static RunOptions Parse(string[] args, TextWriter? progress)
    {
        ArgumentNullException.ThrowIfNull(args);
        int count = -1, concurrency = 64, warmup = -1, keys = 200, seed = 7;
        double rate = 0.10, cancelRate = 0;
        bool soak = false, revoke = true, growth = false, resilience = false;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--soak": soak = true; break;
                case "--growth": growth = true; break;
                case "--no-401-fault": revoke = false; break;
                case "--resilience": resilience = true; break;
                case "-n" or "--count": count = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "-c" or "--concurrency": concurrency = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--keys": keys = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--fault-rate": rate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--cancel-rate": cancelRate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown argument {args[i]}.");
            }
        }

        if (soak && growth)
        {
            throw new ArgumentException("--soak and --growth are separate runs.");
        }

        count = count >= 0 ? count : growth ? 100_000 : 10_000;
        if (count < 1 || concurrency < 1 || keys < 1 || rate is < 0 or > 1 || cancelRate is < 0 or > 1)
        {
            throw new ArgumentException("--count, --concurrency and --keys must be at least 1; --fault-rate from 0 to 1.");
        }

        return new RunOptions
        {
            Count = count,
            Concurrency = concurrency,
            Warmup = warmup >= 0 ? warmup : Math.Min(1_000, count / 10),
            Keys = keys,
            Soak = soak,
            Growth = growth,
            RevokeFault = revoke,
            Resilience = resilience,
            FaultRate = rate,
            CancelRate = cancelRate,
            Seed = seed,
            Progress = progress,
        };
    }
}
