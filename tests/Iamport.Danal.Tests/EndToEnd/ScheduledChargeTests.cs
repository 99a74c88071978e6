using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Iamport.Danal.Tests.EndToEnd;

/// <summary>A charge scheduled through the client runs when the fake's clock passes <c>schedule_at</c>; the shop's
/// webhook endpoint receives it and verifies it by re-fetching.</summary>
public class ScheduledChargeTests
{
    private const string Key = "sched_key";
    private const string Secret = "sched_secret";
    private const string CustomerUid = "cust_sched_1";
    private const string MerchantUid = "sched-2026-12";

    [TestCase(WebhookFormat.Json)]
    [TestCase(WebhookFormat.Form)]
    public async Task ScheduleChargesAsync_ClockPassesScheduleAt_WebhookArrivesAndVerifies(WebhookFormat format)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));
        using var endpoint = new WebhookEndpoint();
        await using var fake = new FakeIamport(
            new FakeIamportOptions
            {
                ImpKey = Key,
                ImpSecret = Secret,
                WebhookUrl = new Uri("http://shop.test/iamport/webhook"),
                WebhookFormat = format,
                WebhookHandler = endpoint,
            },
            time);
        fake.IssueBillingKey(CustomerUid);
        using var http = new HttpClient(fake.CreateHandler());
        var client = new IamportClient(http, new IamportOptions { ImpKey = Key, ImpSecret = Secret }, timeProvider: time);

        var scheduled = await client.ScheduleAsync(CustomerUid,
        [
            new ScheduleRequest { MerchantUid = MerchantUid, ScheduleAt = time.GetUtcNow().AddHours(1), Amount = 12900m, Name = "월간 구독 12월" },
        ]);
        time.Advance(TimeSpan.FromMinutes(59));
        bool arrivedEarly = endpoint.Received.IsCompleted;
        int paymentsEarly = fake.GetPayments(MerchantUid).Count;

        time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        (string body, string? contentType) = await endpoint.Received.WaitAsync(TimeSpan.FromSeconds(10));
        WebhookNotification notification = IamportWebhook.Parse(body, contentType);
        VerificationResult verified = await client.VerifyWebhookAsync(notification, new VerifyPaymentRequest
        {
            MerchantUid = MerchantUid,
            Amount = 12900m,
            CustomerUid = CustomerUid,
        });
        Schedule? after = await client.GetScheduleAsync(MerchantUid);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(scheduled, Has.Count.EqualTo(1));
            Assert.That(scheduled[0].ScheduleStatus, Is.EqualTo(ScheduleStatus.Scheduled));
            Assert.That(arrivedEarly, Is.False, "nothing runs before schedule_at");
            Assert.That(paymentsEarly, Is.Zero);
            Assert.That(notification.MerchantUid, Is.EqualTo(MerchantUid));
            Assert.That(notification.Status, Is.EqualTo(PaymentStatus.Paid));
            Assert.That(verified.IsVerified, Is.True, verified.ToString());
            Assert.That(verified.Payment!.ImpUid, Is.EqualTo(notification.ImpUid));
            Assert.That(verified.Payment.CustomerUidUsage, Is.EqualTo(CustomerUidUsage.ScheduledPayment));
            Assert.That(verified.Payment.CustomerUidUsage!.Value.Value, Is.EqualTo("payment.scheduled"));
            Assert.That(after!.ScheduleStatus, Is.EqualTo(ScheduleStatus.Executed));
            Assert.That(fake.PaidChargeCount(MerchantUid), Is.EqualTo(1));
            Assert.That(fake.RequestCount(FakeRoutes.GetPayment), Is.EqualTo(1), "verified by re-fetching the payment");
        }
    }

    /// <summary>The shop's webhook endpoint: completes <see cref="Received"/> with the first body and answers 200.</summary>
    private sealed class WebhookEndpoint : HttpMessageHandler
    {
        private readonly TaskCompletionSource<(string Body, string? ContentType)> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<(string Body, string? ContentType)> Received => _received.Task;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            _received.TrySetResult((body, request.Content?.Headers.ContentType?.ToString()));
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
