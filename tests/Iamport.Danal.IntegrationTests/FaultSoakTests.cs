using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Iamport.Danal.LoadRunner;
using Iamport.Danal.Testing;

namespace Iamport.Danal.IntegrationTests;

/// <summary>The fault soak at CI size: every fault kind on the charge route plus a mid-run token expiry, and every
/// reported outcome checked against the fake's records.</summary>
[TestFixture]
public sealed class FaultSoakTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task RunSoakAsync_500ChargesWith20PercentFaults_NoDoubleMisreportedOrUnknownCharge()
    {
        var options = new RunOptions { Count = 500, Concurrency = 16, Keys = 50, Soak = true, FaultRate = 0.20, Seed = 11 };

        SoakReport report = await SoakAsync(options);

        using (Assert.EnterMultipleScope())
        {
            foreach (Fault fault in ChargeRunner.SoakFaults)
            {
                Assert.That(report.Injected.GetValueOrDefault(fault.Kind), Is.GreaterThan(0), $"{fault.Kind} injected");
            }

            AssertNoDoubleOrMisreportedCharge(report);
            Assert.That(report.OutcomeUnknown, Is.Zero, "every lost reply is settled by a look-up within the reconciliation window, 401 storm included");
            Assert.That(report.Batch.CountOf(Reported.NotCharged), Is.GreaterThan(0), "resets and HTML 500s reconciled as not charged");
            Assert.That(report.TokenRequests, Is.GreaterThan(1), "the revoked token was replaced");
            Assert.That(report.ChargeRequests, Is.GreaterThanOrEqualTo(500), "every charge reached the fake at least once");
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunSoakAsync_NetworkFaultsAndOneTokenExpiry_EveryOutcomeKnown()
    {
        // Lost replies, resets and HTML 500s with one mid-run token expiry: every look-up succeeds, so no result may be
        // "outcome unknown", and the expiry costs exactly one more getToken.
        var options = new RunOptions { Count = 500, Concurrency = 16, Keys = 50, Soak = true, FaultRate = 0.20, Seed = 5, RevokeFault = false };

        SoakReport report = await SoakAsync(options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Injected.GetValueOrDefault(FaultKind.DropResponseAfterCommit), Is.GreaterThan(0));
            Assert.That(report.OutcomeUnknown, Is.Zero, "outcome unknown although every look-up can succeed");
            AssertNoDoubleOrMisreportedCharge(report);
            Assert.That(report.TokenRequests, Is.EqualTo(2), "one token at the start, one after the mid-run expiry");
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task RunSoakAsync_ThroughStandardResilienceHandler_NoDoubleOrMisreportedCharge()
    {
        // AddStandardResilienceHandler() retries POSTs after a lost reply, a 500 or a timeout, and its circuit breaker
        // opens under 20 % faults: the library's guard must keep each charge to one request, and every refusal before
        // sending must be reported as nothing charged.
        var options = new RunOptions { Count = 500, Concurrency = 16, Keys = 50, Soak = true, FaultRate = 0.20, Seed = 11, Resilience = true };

        SoakReport report = await SoakAsync(options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Injected.GetValueOrDefault(FaultKind.DropResponseAfterCommit), Is.GreaterThan(0));
            AssertNoDoubleOrMisreportedCharge(report);
        }
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task RunSoakAsync_500ChargesWithFaultsAndRandomCallerCancellations_NoBareCancellationAfterACharge()
    {
        // A fifth of the callers give up at a random moment (before the call, while the charge is on the wire, during
        // its reconciliation): a charge the fake recorded must never come back as a bare cancellation.
        int seed = Environment.GetEnvironmentVariable("SOAK_SEED") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next();
        TestContext.Out.WriteLine($"seed {seed} (set SOAK_SEED to repeat)");
        var options = new RunOptions { Count = 500, Concurrency = 16, Keys = 50, Soak = true, FaultRate = 0.20, CancelRate = 0.20, Seed = seed };

        SoakReport report = await SoakAsync(options);

        using (Assert.EnterMultipleScope())
        {
            AssertNoDoubleOrMisreportedCharge(report);
            Assert.That(report.Check.BareCancelledAfterCharge, Is.Zero, "a charge that left, reported as a bare cancellation");
            Assert.That(report.Batch.CountOf(Reported.Cancelled), Is.GreaterThan(0), "some callers cancelled before anything left");
        }
    }

    private static async Task<SoakReport> SoakAsync(RunOptions options)
    {
        SoakReport report = await ChargeRunner.RunSoakAsync(options);
        report.Print(TestContext.Out);
        return report;
    }

    private static void AssertNoDoubleOrMisreportedCharge(SoakReport report)
    {
        Assert.That(report.Check.DoubleCharges, Is.Zero, "merchant_uids charged twice");
        Assert.That(report.Check.Misreported, Is.Zero, string.Join("; ", report.Check.Examples));
        Assert.That(report.Errors, Is.Zero, "exceptions other than IamportException");
    }
}
