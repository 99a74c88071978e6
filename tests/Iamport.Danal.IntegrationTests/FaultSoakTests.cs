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
    public async Task RunSoakAsync_500ChargesWith20PercentFaults_NoDoubleOrMisreportedCharge()
    {
        var options = new RunOptions { Count = 500, Concurrency = 16, Keys = 50, Soak = true, FaultRate = 0.20, Seed = 11 };

        SoakReport report = await ChargeRunner.RunSoakAsync(options);

        using (Assert.EnterMultipleScope())
        {
            foreach (Fault fault in ChargeRunner.SoakFaults)
            {
                Assert.That(report.Injected.GetValueOrDefault(fault.Kind), Is.GreaterThan(0), $"{fault.Kind} injected");
            }

            Assert.That(report.Check.DoubleCharges, Is.Zero, "merchant_uids charged twice");
            Assert.That(report.Check.Misreported, Is.Zero, string.Join("; ", report.Check.Examples));
            Assert.That(report.Errors, Is.Zero, "unexpected exceptions");
            Assert.That(report.OutcomeUnknown, Is.Zero, "outcome unknown although the look-up works");
            Assert.That(report.Batch.CountOf(Reported.NotCharged), Is.GreaterThan(0), "resets and HTML 500s reconciled as not charged");
            Assert.That(report.TokenRequests, Is.GreaterThan(1), "the revoked token was replaced");
            Assert.That(report.ChargeRequests, Is.GreaterThanOrEqualTo(500), "every charge reached the fake at least once");
        }
    }
}
