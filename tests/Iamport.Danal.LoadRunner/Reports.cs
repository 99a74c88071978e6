using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Iamport.Danal.Testing;

namespace Iamport.Danal.LoadRunner;

/// <summary>A load run: the library and the raw baseline, same options, each against a fresh fake.</summary>
public sealed record LoadReport(RunOptions Options, PhaseResult Library, PhaseResult Raw)
{
    /// <summary>Gets library throughput / raw throughput (target at least 0.9).</summary>
    public double ThroughputRatio => Library.Batch.Throughput / Raw.Batch.Throughput;

    /// <summary>Gets library p50 latency / raw p50 latency.</summary>
    public double LatencyRatio => Library.Batch.PercentileMs(0.50) / Raw.Batch.PercentileMs(0.50);

    /// <summary>Gets whether the correctness checks passed: exactly one getToken for the library, no errors on either side.</summary>
    public bool Passed => Library.TokenRequests == 1 && Library.Errors == 0 && Raw.Errors == 0;

    public void Print(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"Load run: {Options.Count:N0} charges per client (after {Options.Warmup:N0} warm-up), concurrency {Options.Concurrency}, {Options.Keys} keys (every 10th declines), fake on Kestrel loopback, measured in rounds of alternating order");
        output.WriteLine($"{"client",-8} {"charges/s",10} {"p50 ms",8} {"p99 ms",8} {"errors",7} {"getToken",9}");
        foreach (PhaseResult p in new[] { Library, Raw })
        {
            output.WriteLine($"{p.Name,-8} {p.Batch.Throughput,10:N0} {p.Batch.PercentileMs(0.50),8:0.00} {p.Batch.PercentileMs(0.99),8:0.00} {p.Errors,7} {p.TokenRequests,9}");
        }

        output.WriteLine($"throughput library/raw = {ThroughputRatio:0.000} (target >= 0.90: {(ThroughputRatio >= 0.9 ? "met" : "MISSED")})");
        output.WriteLine($"p50 latency library/raw = {LatencyRatio:0.000}; p99 latency library/raw = {Library.Batch.PercentileMs(0.99) / Raw.Batch.PercentileMs(0.99):0.000}");
        output.WriteLine($"library: {Library.Batch.CountOf(Reported.Approved):N0} approved, {Library.Batch.CountOf(Reported.Declined):N0} declined; getToken requests {Library.TokenRequests} (expected 1)");
        foreach (string example in Library.Check.Examples.Concat(Raw.Check.Examples))
        {
            output.WriteLine("  misreported: " + example);
        }

        output.WriteLine(Passed ? "correctness: PASS" : "correctness: FAIL");
    }
}

/// <summary>A fault soak of the library and the comparison of its outcomes with the fake's records.</summary>
public sealed record SoakReport(
    RunOptions Options,
    Uri Address,
    Batch Batch,
    Verification Check,
    IReadOnlyDictionary<FaultKind, int> Injected,
    int TokenRequests,
    int ChargeRequests,
    int FindRequests)
{
    /// <summary>Gets the number of <see cref="IamportOutcomeUnknownException"/> results (target 0: the look-up is not faulted).</summary>
    public int OutcomeUnknown => Batch.CountOf(Reported.OutcomeUnknown);

    /// <summary>Gets exceptions that are neither an I'mport answer nor "outcome unknown".</summary>
    public int Errors => Batch.CountOf(Reported.Error);

    /// <summary>Gets whether nothing was charged twice, nothing misreported, and no unexpected error occurred.
    /// "Outcome unknown" results are printed against their target of 0 but are not wrong answers.</summary>
    public bool Passed => Check.DoubleCharges == 0 && Check.Misreported == 0 && Check.BareCancelledAfterCharge == 0 && Errors == 0;

    public void Print(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"Fault soak: {Options.Count:N0} charges, concurrency {Options.Concurrency}, fault rate {Options.FaultRate:P0} on POST /subscribe/payments/again, token revoked at charge {Options.Count / 2:N0}{(Options.CancelRate > 0 ? $", {Options.CancelRate:P0} of charges cancelled by the caller at random (seed {Options.Seed})" : "")}{(Options.Resilience ? ", through AddStandardResilienceHandler()" : "")}");
        output.WriteLine("faults injected: " + string.Join(", ", Injected.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value:N0}")));
        output.WriteLine($"fake saw: {ChargeRequests:N0} charge requests, {FindRequests:N0} look-ups, {TokenRequests} getToken requests; applied {Check.Applied:N0} charges");
        output.WriteLine("client reported: " + string.Join(", ", Enum.GetValues<Reported>().Where(r => r != Reported.None).Select(r => $"{r} {Batch.CountOf(r):N0}")));
        output.WriteLine($"double charges: {Check.DoubleCharges}");
        output.WriteLine($"misreported outcomes: {Check.Misreported}");
        output.WriteLine($"bare cancellations after the charge was recorded: {Check.BareCancelledAfterCharge}");
        output.WriteLine($"outcome unknown (IamportOutcomeUnknownException): {OutcomeUnknown} (target 0: {(OutcomeUnknown == 0 ? "met" : "MISSED")}); of these applied by the fake: {Check.UnknownButApplied}");
        output.WriteLine($"unexpected errors: {Errors}");
        foreach (string example in Check.Examples)
        {
            output.WriteLine("  misreported: " + example);
        }

        output.WriteLine($"elapsed {Batch.Elapsed.TotalSeconds:0.0} s, {Batch.Throughput:N0} charges/s, p50 {Batch.PercentileMs(0.5):0.00} ms, p99 {Batch.PercentileMs(0.99):0.00} ms");
        output.WriteLine(Passed ? "correctness: PASS" : "correctness: FAIL");
    }
}
