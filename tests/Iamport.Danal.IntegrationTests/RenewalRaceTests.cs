using System;
using System.Threading.Tasks;
using Iamport.Danal.LoadRunner.Renewal;

namespace Iamport.Danal.IntegrationTests;

/// <summary>The shop's real renewal command, as several processes racing over one store, judged by the fake's records
/// (one paid charge per subscription and period). Correctness only: timing is the load runner's renewal measurement.</summary>
[TestFixture]
[NonParallelizable]
public sealed class RenewalRaceTests
{
    [Test]
    [CancelAfter(240_000)]
    public async Task Renew_ThreeProcessesOnOnePostgres_ChargeEachOf1000PeriodsExactlyOnce()
    {
        Postgres.Require();

        var report = await RenewalRunner.RunAsync(new RenewalRunOptions
        {
            Subscriptions = 1_000, LatencyMs = 20, Concurrency = 16, Instances = 3, Store = "postgres", Progress = TestContext.Progress,
        });

        AssertEveryPeriodChargedOnce(report);
    }

    [Test]
    [CancelAfter(240_000)]
    public async Task Renew_TwoProcessesOnOneSqliteFile_ChargeEachOf1000PeriodsExactlyOnce()
    {
        var report = await RenewalRunner.RunAsync(new RenewalRunOptions
        {
            Subscriptions = 1_000, LatencyMs = 20, Concurrency = 16, Instances = 2, Store = "sqlite", Progress = TestContext.Progress,
        });

        AssertEveryPeriodChargedOnce(report);
    }

    [Test]
    [CancelAfter(240_000)]
    public async Task Renew_ProcessKilledWhileCharging_RestartChargesEveryPeriodOnceAndLeavesNothingClaimed()
    {
        Postgres.Require();

        // 300 ms per charge: when the 40th charge reaches the fake, 16 more are in flight and a batch is claimed, unsent.
        var report = await RenewalRunner.RunAsync(new RenewalRunOptions
        {
            Subscriptions = 300, LatencyMs = 300, Concurrency = 16, Instances = 1, Store = "postgres", KillFirstAfter = 40, Progress = TestContext.Progress,
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.SentBeforeKill, Is.InRange(40, 299), "killed mid-run, with charges in flight");
            Assert.That(report.Charged, Is.EqualTo(300), "charged after the restart");
            Assert.That(report.Doubled, Is.Zero, "charged twice");
            Assert.That(report.Missed, Is.Zero, "never charged");
            Assert.That(report.LeftUnresolved, Is.Zero, "left claimed or unknown in the store");
            Assert.That(report.FailedProcesses, Is.Zero, "the restarted process failed");
        }
    }

    private static void AssertEveryPeriodChargedOnce(RenewalRunReport report)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Charged, Is.EqualTo(report.Options.Subscriptions), "periods charged");
            Assert.That(report.Doubled, Is.Zero, "periods charged more than once");
            Assert.That(report.Missed, Is.Zero, "due periods never charged");
            Assert.That(report.ChargeRequests, Is.EqualTo(report.Options.Subscriptions), "charge requests: none sent twice");
            Assert.That(report.LeftUnresolved, Is.Zero, "left claimed or unknown in the store");
            Assert.That(report.FailedProcesses, Is.Zero, "shop processes that failed");
        }
    }
}

/// <summary>PostgreSQL tests start their own server; without server binaries they are skipped, except under CI=true.</summary>
internal static class Postgres
{
    public static void Require()
    {
        if (ThrowawayPostgres.FindBinaries() is not null)
        {
            return;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(ThrowawayPostgres.InstallHint + " (CI=true: PostgreSQL tests must run.)");
        }

        Assert.Ignore(ThrowawayPostgres.InstallHint);
    }
}
