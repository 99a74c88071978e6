using System;
using System.Threading.Tasks;
using Iamport.Danal.Testing;
using Iamport.Danal.Tests.TestSupport;

namespace Iamport.Danal.Tests.EndToEnd;

/// <summary>The public "what became of this charge" call: the library's own classification and settle rule, against the fake.</summary>
public class ChargeOutcomeCallTests
{
    [Test]
    public async Task GetChargeOutcomeAsync_ChargedOnTheFake_ApprovedWithThePayment()
    {
        await using var h = new FaultHarness();
        ChargeResult charged = await h.Client.ChargeBillingKeyAsync(FaultHarness.Charge("outcome-paid"));

        ChargeResult outcome = await h.Client.GetChargeOutcomeAsync(FaultHarness.Charge("outcome-paid"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Outcome, Is.EqualTo(ChargeOutcome.Approved));
            Assert.That(outcome.IsReconciled, Is.True);
            Assert.That(outcome.Payment!.ImpUid, Is.EqualTo(charged.Payment!.ImpUid));
            Assert.That(h.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(1), "asking never charges");
        }
    }

    [Test]
    public async Task GetChargeOutcomeAsync_PaidWithAnotherAmount_Mismatched()
    {
        await using var h = new FaultHarness();
        await h.Client.ChargeBillingKeyAsync(FaultHarness.Charge("outcome-other-amount"));
        var asked = new ChargeRequest { CustomerUid = FaultHarness.CustomerUid, MerchantUid = "outcome-other-amount", Amount = 19900m, Name = "월간 구독" };

        ChargeResult outcome = await h.Client.GetChargeOutcomeAsync(asked);

        Assert.That(outcome.Outcome, Is.EqualTo(ChargeOutcome.Mismatched));
    }

    [Test]
    public async Task GetChargeOutcomeAsync_NothingRecorded_NotChargedOnlyAfterTheSettlePeriod()
    {
        await using var h = new FaultHarness();
        DateTimeOffset asked = h.Time.GetUtcNow();

        Task<ChargeResult> outcome = h.Client.GetChargeOutcomeAsync(FaultHarness.Charge("outcome-nothing"), attemptSentAt: asked);
        await h.Time.AdvanceUntilDoneAsync(outcome);
        ChargeResult result = await outcome;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.NotCharged));
            Assert.That(h.Time.GetUtcNow() - asked, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(3)));
            Assert.That(h.Fake.RequestCount(FakeRoutes.Again), Is.Zero);
        }
    }

    [Test]
    public async Task GetChargeOutcomeAsync_AttemptSentLongAgoAndNothingRecorded_NotChargedAtOnce()
    {
        await using var h = new FaultHarness();
        DateTimeOffset asked = h.Time.GetUtcNow();

        ChargeResult result = await h.Client.GetChargeOutcomeAsync(FaultHarness.Charge("outcome-old"), attemptSentAt: asked - TimeSpan.FromMinutes(5));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.NotCharged));
            Assert.That(h.Time.GetUtcNow(), Is.EqualTo(asked), "the settle period ran from when the attempt left");
        }
    }
}
