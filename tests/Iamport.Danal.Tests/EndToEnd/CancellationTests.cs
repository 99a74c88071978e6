using System;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Tests.EndToEnd;

/// <summary>The caller's cancellation of a call that moves money, over a real socket to the fake: before anything left
/// it stays an <see cref="OperationCanceledException"/>; after the request may have left the caller learns that it
/// may have been applied. Each cancel is triggered by an event (the fake received the request), never by a delay.</summary>
public class CancellationTests
{
    [Test]
    public async Task ChargeBillingKeyAsync_CancelledWhileTheFakeHoldsTheCharge_OutcomeUnknownCarryingTheCancellation()
    {
        await using var h = new FaultHarness(loopback: true);
        await h.StartAsync();
        await h.WarmUpTokenAsync();
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.Latency(TimeSpan.FromSeconds(3)));
        using var cts = new CancellationTokenSource();

        Task<ChargeResult> charge = h.Client.ChargeBillingKeyAsync(FaultHarness.Charge("cancel-order-1"), cts.Token);
        await WhenAsync(() => h.Fake.RequestCount(FakeRoutes.Again) == 1, charge);
        await cts.CancelAsync();

        var ex = Assert.ThrowsAsync<IamportOutcomeUnknownException>(() => charge);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.InnerException, Is.InstanceOf<OperationCanceledException>());
            Assert.That(ex.WasCancelled, Is.True);
            Assert.That(ex.MayHaveBeenApplied, Is.True);
            Assert.That(ex.MerchantUid, Is.EqualTo("cancel-order-1"));
            Assert.That(h.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_CancelledBeforeSending_OperationCanceledAndNoChargeRequest()
    {
        await using var h = new FaultHarness(loopback: true);
        await h.StartAsync();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>().And.Not.InstanceOf<IamportException>(),
            () => h.Client.ChargeBillingKeyAsync(FaultHarness.Charge("cancel-order-2"), new CancellationToken(canceled: true)));
        Assert.That(h.Fake.RequestCount(FakeRoutes.Again), Is.Zero);
    }

    [Test]
    public async Task ChargeBillingKeyAsync_CancelledDuringReconciliation_OutcomeUnknownCarryingTheCancellation()
    {
        await using var h = new FaultHarness(loopback: true);
        await h.StartAsync();
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.DropResponseAfterCommit());
        h.Fake.Faults.Next(FakeRoutes.FindAllPayments, Fault.ServerErrorHtml(), count: 100);
        using var cts = new CancellationTokenSource();

        Task<ChargeResult> charge = h.Client.ChargeBillingKeyAsync(FaultHarness.Charge("cancel-order-3"), cts.Token);
        await WhenAsync(() => h.Fake.RequestCount(FakeRoutes.FindAllPayments) >= 1, charge);
        await cts.CancelAsync();

        var ex = Assert.ThrowsAsync<IamportOutcomeUnknownException>(() => charge);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.InnerException, Is.InstanceOf<OperationCanceledException>());
            Assert.That(ex.MerchantUid, Is.EqualTo("cancel-order-3"));
            Assert.That(h.Fake.PaidChargeCount("cancel-order-3"), Is.EqualTo(1), "the card was charged: a bare cancellation would have hidden it");
        }
    }

    [Test]
    public async Task CancelPaymentAsync_CancelledWhileTheFakeHoldsTheRefund_OutcomeUnknownCarryingTheCancellation()
    {
        await using var h = new FaultHarness(loopback: true);
        await h.StartAsync();
        ChargeResult charged = await h.Client.ChargeBillingKeyAsync(FaultHarness.Charge("cancel-refund-1"));
        h.Fake.Faults.Next(FakeRoutes.Cancel, Fault.Latency(TimeSpan.FromSeconds(3)));
        using var cts = new CancellationTokenSource();

        Task<Payment> refund = h.Client.CancelPaymentAsync(new CancelPaymentRequest { MerchantUid = "cancel-refund-1", Reason = "고객 요청" }, cts.Token);
        await WhenAsync(() => h.Fake.RequestCount(FakeRoutes.Cancel) == 1, refund);
        await cts.CancelAsync();

        var ex = Assert.ThrowsAsync<IamportOutcomeUnknownException>(() => refund);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(charged.IsApproved, Is.True);
            Assert.That(ex!.InnerException, Is.InstanceOf<OperationCanceledException>());
            Assert.That(ex.MerchantUid, Is.EqualTo("cancel-refund-1"));
            Assert.That(ex.Path, Is.EqualTo("/payments/cancel"));
            Assert.That(ex.Message, Does.Contain("may have been applied"));
        }
    }

    [Test]
    public async Task CancelPaymentAsync_CancelledBeforeSending_OperationCanceledAndNoRefundRequest()
    {
        await using var h = new FaultHarness(loopback: true);
        await h.StartAsync();
        await h.Client.ChargeBillingKeyAsync(FaultHarness.Charge("cancel-refund-2"));

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>().And.Not.InstanceOf<IamportException>(),
            () => h.Client.CancelPaymentAsync(new CancelPaymentRequest { MerchantUid = "cancel-refund-2", Reason = "고객 요청" }, new CancellationToken(canceled: true)));
        Assert.That(h.Fake.RequestCount(FakeRoutes.Cancel), Is.Zero);
    }

    /// <summary>Waits for an event of the fake (not for time); fails if <paramref name="call"/> ended first.</summary>
    private static async Task WhenAsync(Func<bool> happened, Task call)
    {
        while (!happened())
        {
            Assert.That(call.IsCompleted, Is.False, "the call ended before the event");
            await Task.Delay(5);
        }
    }
}
