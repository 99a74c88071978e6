using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace Iamport.Danal.Tests.Schedules;

/// <summary>A schedule's retry moves money: cancelled after it left, the caller learns it may have been applied.</summary>
public class RetryCancellationTests
{
    private const string RetryUrl = Api.Base + "/subscribe/payments/schedule/order_sched_0001/retry";

    private static readonly Schedule Schedule = IamportModelFactory.Schedule(merchantUid: "order_sched_0001", customerUid: "cust_0001", amount: 9900m);

    [Test]
    public async Task RetryScheduleAsync_CancelledAfterItLeft_OutcomeUnknownCarryingTheCancellation()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        var sent = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        MockedRequest retry = mock.When(HttpMethod.Post, RetryUrl);
        retry.Respond(() =>
        {
            sent.SetResult(true);
            return new TaskCompletionSource<HttpResponseMessage>().Task;
        });
        using var cts = new CancellationTokenSource();

        Task<ChargeResult> pending = Api.Client(mock).RetryScheduleAsync(Schedule, cts.Token);
        await sent.Task;
        await cts.CancelAsync();

        var ex = Assert.ThrowsAsync<IamportOutcomeUnknownException>(() => pending);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.InnerException, Is.InstanceOf<OperationCanceledException>());
            Assert.That(ex.MerchantUid, Is.EqualTo("order_sched_0001"));
            Assert.That(ex.Path, Is.EqualTo("/subscribe/payments/schedule/{merchant_uid}/retry"));
            Assert.That(mock.GetMatchCount(retry), Is.EqualTo(1));
        }
    }

    [Test]
    public void RetryScheduleAsync_CancelledBeforeSending_OperationCanceledAndNothingSent()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        MockedRequest retry = mock.When(HttpMethod.Post, RetryUrl).Respond("application/json", Api.Fixture("again-paid.json"));

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>().And.Not.InstanceOf<IamportException>(),
            () => Api.Client(mock).RetryScheduleAsync(Schedule, new CancellationToken(canceled: true)));
        Assert.That(mock.GetMatchCount(retry), Is.Zero);
    }
}
