using System.Threading.Tasks;
using Iamport.Danal.LoadRunner;

namespace Iamport.Danal.IntegrationTests;

/// <summary>The load runner's correctness half at CI size: 500 charges per client, no timing asserted.</summary>
[TestFixture]
public sealed class LoadRunTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task RunLoadAsync_500ChargesAtConcurrency16_OneGetTokenNoErrors()
    {
        var options = new RunOptions { Count = 500, Concurrency = 16, Warmup = 50, Keys = 50 };

        LoadReport report = await ChargeRunner.RunLoadAsync(options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Library.TokenRequests, Is.EqualTo(1), "getToken requests for the whole library run");
            Assert.That(report.Library.Errors, Is.Zero, "library errors");
            Assert.That(report.Raw.Errors, Is.Zero, "raw baseline errors");
            Assert.That(report.Library.Check.DoubleCharges, Is.Zero);
            Assert.That(report.Library.Check.Applied, Is.EqualTo(500), "every charge recorded by the fake");
            Assert.That(report.Library.Batch.CountOf(Reported.Declined), Is.EqualTo(50), "every tenth key declines");
            Assert.That(report.Passed, Is.True);
        }
    }
}
