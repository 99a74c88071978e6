using System;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Testing.Tests.Routes;

[TestFixture(FakeHost.InProcess)]
[TestFixture(FakeHost.Kestrel)]
public class FakeScheduleTests(FakeHost host)
{
    private static readonly string[] Failed = ["failed"];
    private static readonly string[] S1 = ["s-1"];
    private static readonly string[] S3 = ["s-3"];
    private static readonly long At = FakeHarness.Start.AddHours(1).ToUnixTimeSeconds();

    private static JsonObject ScheduleBody(string customerUid, params (string MerchantUid, long At)[] items) => new()
    {
        ["customer_uid"] = customerUid,
        ["schedules"] = new JsonArray([.. items.Select(i => (JsonNode)new JsonObject
        {
            ["merchant_uid"] = i.MerchantUid,
            ["schedule_at"] = i.At,
            ["amount"] = 9900,
            ["name"] = "정기구독 2월",
            ["buyer_name"] = "홍길동",
        })]),
    };

    [TestCase(WebhookFormat.Json, "application/json", "\"status\":\"paid\"")]
    [TestCase(WebhookFormat.Form, "application/x-www-form-urlencoded", "status=paid")]
    public async Task Schedule_ClockPassesScheduleAt_ChargesAndSendsWebhook(WebhookFormat format, string contentType, string fragment)
    {
        await using var h = new FakeHarness(host, o => o.WebhookFormat = format);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();
        var (_, created) = await h.PostAsync("subscribe/payments/schedule", ScheduleBody("cust_1", ("sched-1", At)));

        h.Time.Advance(TimeSpan.FromMinutes(59));
        await h.Fake.RunDueSchedulesAsync();
        await h.GetTokenAsync(); // the clock moved past the token's 30 minutes
        var (_, before) = await h.GetAsync("subscribe/payments/schedule/sched-1");
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.Fake.RunDueSchedulesAsync();
        await h.GetTokenAsync(); // the clock moved past the token's 30 minutes
        var (_, after) = await h.GetAsync("subscribe/payments/schedule/sched-1");
        var (_, payment) = await h.GetAsync("payments/" + (string)after!["response"]!["imp_uid"]!);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)created!["response"]![0]!["schedule_status"]!, Is.EqualTo("scheduled"));
            Assert.That(created["response"]![0]!["imp_uid"], Is.Null);
            Assert.That((string)before!["response"]!["schedule_status"]!, Is.EqualTo("scheduled"));
            Assert.That((string)after["response"]!["schedule_status"]!, Is.EqualTo("executed"));
            Assert.That((string)after["response"]!["payment_status"]!, Is.EqualTo("paid"));
            Assert.That((long)after["response"]!["executed_at"]!, Is.EqualTo(At));
            Assert.That((string)payment!["response"]!["customer_uid_usage"]!, Is.EqualTo("payment.scheduled"));
            Assert.That(h.Fake.PaidChargeCount("sched-1"), Is.EqualTo(1), "the timer and the explicit run never both charge");
            Assert.That(h.Receiver.Received, Has.Count.EqualTo(1));
            Assert.That(h.Receiver.Received[0].ContentType, Is.EqualTo(contentType));
            Assert.That(h.Receiver.Received[0].Body, Does.Contain(fragment).And.Contain("sched-1"));
        }
    }

    [Test]
    public async Task Schedule_DeclinedRun_FailedAndStillNotified()
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1", TestCards.LimitExceeded);
        await h.GetTokenAsync();
        await h.PostAsync("subscribe/payments/schedule", ScheduleBody("cust_1", ("sched-1", At)));

        h.Time.Advance(TimeSpan.FromHours(2));
        await h.Fake.RunDueSchedulesAsync();
        await h.GetTokenAsync(); // the clock moved past the token's 30 minutes
        var (_, after) = await h.GetAsync("subscribe/payments/schedule/sched-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)after!["response"]!["payment_status"]!, Is.EqualTo("failed"));
            Assert.That((string)after["response"]!["fail_reason"]!, Is.EqualTo("한도초과"));
            Assert.That(h.Fake.Webhooks.Select(w => w.Status), Is.EqualTo(Failed));
        }
    }

    [Test]
    public async Task Schedule_AutomaticMode_TimerChargesWhenClockAdvances()
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();
        await h.PostAsync("subscribe/payments/schedule", ScheduleBody("cust_1", ("sched-1", At)));

        h.Time.Advance(TimeSpan.FromHours(1));

        // The fake timer fires inside Advance and commits the charge before its first await.
        Assert.That(h.Fake.PaidChargeCount("sched-1"), Is.EqualTo(1));
        await h.Fake.RunDueSchedulesAsync();
        Assert.That(h.Fake.Webhooks, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Schedule_AYearAhead_AcceptedAndRunsWhenDue()
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();
        var (status, _) = await h.PostAsync("subscribe/payments/schedule", ScheduleBody("cust_1", ("sched-far", FakeHarness.Start.AddDays(365).ToUnixTimeSeconds())));

        h.Time.Advance(TimeSpan.FromDays(364));
        var before = h.Fake.PaidChargeCount("sched-far");
        h.Time.Advance(TimeSpan.FromDays(1));
        await h.Fake.RunDueSchedulesAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(before, Is.Zero);
            Assert.That(h.Fake.PaidChargeCount("sched-far"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Schedule_ManualMode_RunsOnlyWhenAsked()
    {
        await using var h = new FakeHarness(host, o => o.RunSchedulesAutomatically = false);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();
        await h.PostAsync("subscribe/payments/schedule", ScheduleBody("cust_1", ("sched-1", At)));

        h.Time.Advance(TimeSpan.FromHours(2));
        var countBefore = h.Fake.Payments.Count;
        await h.Fake.RunDueSchedulesAsync();
        await h.GetTokenAsync(); // the clock moved past the token's 30 minutes

        using (Assert.EnterMultipleScope())
        {
            Assert.That(countBefore, Is.Zero);
            Assert.That(h.Fake.PaidChargeCount("sched-1"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Schedule_UnknownCustomerOrDuplicate_Refused()
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();
        await h.PostAsync("subscribe/payments/schedule", ScheduleBody("cust_1", ("sched-1", At)));

        var (_, unknown) = await h.PostAsync("subscribe/payments/schedule", ScheduleBody("nobody", ("sched-2", At)));
        var (_, duplicate) = await h.PostAsync("subscribe/payments/schedule", ScheduleBody("cust_1", ("sched-1", At + 60)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)unknown!["code"]!, Is.Not.Zero);
            Assert.That((int)duplicate!["code"]!, Is.Not.Zero);
        }
    }

    [Test]
    public async Task Unschedule_FormArrayAndAll_RevokesOnlyPending()
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();
        await h.PostAsync("subscribe/payments/schedule", ScheduleBody("cust_1", ("s-1", At), ("s-2", At + 60), ("s-3", At + 120)));

        var (_, one) = await h.SendAsync(System.Net.Http.HttpMethod.Post, "subscribe/payments/unschedule", "customer_uid=cust_1&merchant_uid%5B%5D=s-1", form: true);
        var (_, rest) = await h.PostAsync("subscribe/payments/unschedule", new { customer_uid = "cust_1" });
        var (_, none) = await h.PostAsync("subscribe/payments/unschedule", new { customer_uid = "cust_1" });
        h.Time.Advance(TimeSpan.FromHours(3));
        await h.Fake.RunDueSchedulesAsync();
        await h.GetTokenAsync(); // the clock moved past the token's 30 minutes

        using (Assert.EnterMultipleScope())
        {
            Assert.That(one!["response"]!.AsArray().Select(s => (string)s!["merchant_uid"]!), Is.EqualTo(S1));
            Assert.That((string)one["response"]![0]!["schedule_status"]!, Is.EqualTo("revoked"));
            Assert.That(rest!["response"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That((int)none!["code"]!, Is.Not.Zero);
            Assert.That(h.Fake.Payments, Is.Empty);
        }
    }

    [Test]
    public async Task Schedule_FormEncodedSchedules_Accepted()
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();

        var (status, json) = await h.SendAsync(System.Net.Http.HttpMethod.Post, "subscribe/payments/schedule",
            $"customer_uid=cust_1&schedules%5B0%5D%5Bmerchant_uid%5D=s-1&schedules%5B0%5D%5Bschedule_at%5D={At}&schedules%5B0%5D%5Bamount%5D=1000&schedules%5B0%5D%5Bname%5D=n", form: true);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string)json!["response"]![0]!["merchant_uid"]!, Is.EqualTo("s-1"));
            Assert.That((long)json["response"]![0]!["schedule_at"]!, Is.EqualTo(At));
        }
    }

    [Test]
    public async Task CustomerSchedules_FilteredByRangeAndStatus_Paged()
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();
        await h.PostAsync("subscribe/payments/schedule", ScheduleBody("cust_1", ("s-1", At), ("s-2", At + 3600), ("s-3", At + 7200)));
        await h.PostAsync("subscribe/payments/unschedule", new { customer_uid = "cust_1", merchant_uid = S3 });

        var (_, scheduled) = await h.GetAsync($"subscribe/payments/schedule/customers/cust_1?from={At}&to={At + 7200}&schedule-status=scheduled");
        var (_, firstOnly) = await h.GetAsync($"subscribe/payments/schedule/customers/cust_1?from={At}&to={At + 10}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)scheduled!["response"]!["total"]!, Is.EqualTo(2));
            Assert.That((int)scheduled["response"]!["next"]!, Is.Zero);
            Assert.That((string)firstOnly!["response"]!["list"]![0]!["merchant_uid"]!, Is.EqualTo("s-1"));
            Assert.That((int)firstOnly["response"]!["total"]!, Is.EqualTo(1));
        }
    }
}
