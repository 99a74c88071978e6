using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using static Iamport.Danal.Tests.TestSupport.Api;

namespace Iamport.Danal.Tests.Schedules;

public class ScheduleTests
{
    /// <summary>2026-11-28 09:00:00 UTC = 18:00 in Seoul, one day after the fake clock's start.</summary>
    private const long TomorrowUnix = 1795856400;

    private static ScheduleRequest Charge(string merchantUid, DateTimeOffset at) =>
        new() { MerchantUid = merchantUid, ScheduleAt = at, Amount = 9900m, Name = "월간 구독 12월" };

    [Test]
    public async Task ScheduleChargesAsync_SameInstantAsUtcKstAndLocal_SendsSameUnixSeconds()
    {
        using var api = new ApiFixture();
        SentBody sent = api.Expect(HttpMethod.Post, "/subscribe/payments/schedule", Fixture("schedules.json"));
        var utc = new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
        var kst = new DateTimeOffset(2026, 11, 28, 18, 0, 0, TimeSpan.FromHours(9));

        // What DateTimeOffset.Now gives on a KST host: the Seoul wall clock with the host's +09:00 offset...
        var nowStyleOnKstHost = new DateTimeOffset(DateTime.SpecifyKind(new DateTime(2026, 11, 28, 18, 0, 0), DateTimeKind.Unspecified), TimeSpan.FromHours(9));

        // ...the same through a clock whose local zone is Seoul (TimeProvider.GetLocalNow is DateTimeOffset.Now)...
        api.Time.SetLocalTimeZone(TimeZoneInfo.CreateCustomTimeZone("KST", TimeSpan.FromHours(9), "KST", "KST"));
        DateTimeOffset localNowPlusOneDay = api.Time.GetLocalNow().AddDays(1);

        // ...and what it gives on this host, whatever its zone.
        DateTimeOffset nowStyleHere = utc.ToLocalTime();

        await api.Client.ScheduleAsync(
            "cust_0001",
            [Charge("s1", utc), Charge("s2", kst), Charge("s3", nowStyleOnKstHost), Charge("s4", localNowPlusOneDay), Charge("s5", nowStyleHere)]);

        JsonArray schedules = sent.Json!["schedules"]!.AsArray();
        var sentSeconds = new List<long>();
        foreach (JsonNode? schedule in schedules)
        {
            sentSeconds.Add(schedule!["schedule_at"]!.GetValue<long>());
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(localNowPlusOneDay.Offset, Is.EqualTo(TimeSpan.FromHours(9)), "a Now-style value on a KST host");
            Assert.That(sentSeconds, Has.Count.EqualTo(5).And.All.EqualTo(TomorrowUnix));
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task ScheduleChargesAsync_Valid_SendsRequestAndReturnsSchedules()
    {
        using var api = new ApiFixture();
        SentBody sent = api.Expect(HttpMethod.Post, "/subscribe/payments/schedule", Fixture("schedules.json"));

        IReadOnlyList<Schedule> schedules = await api.Client.ScheduleAsync(
            "cust_0001",
            [Charge("order_sched_0001", DateTimeOffset.FromUnixTimeSeconds(TomorrowUnix)), Charge("order_sched_0002", DateTimeOffset.FromUnixTimeSeconds(1798416000))]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent.Json!["customer_uid"]!.GetValue<string>(), Is.EqualTo("cust_0001"));
            JsonObject first = sent.Json["schedules"]![0]!.AsObject();
            Assert.That(first["merchant_uid"]!.GetValue<string>(), Is.EqualTo("order_sched_0001"));
            Assert.That(first["amount"]!.GetValue<decimal>(), Is.EqualTo(9900m));
            Assert.That(first.ContainsKey("tax_free"), Is.False, "unset options are omitted");
            Assert.That(schedules, Has.Count.EqualTo(2));
            Assert.That(schedules[0].ScheduleStatus, Is.EqualTo(ScheduleStatus.Scheduled));
            Assert.That(schedules[0].ScheduledAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(TomorrowUnix)));
            Assert.That(schedules[0].ImpUid, Is.Null);
            Assert.That(schedules[0].ExecutedAt, Is.Null);
            Assert.That(schedules[0].PaymentStatus, Is.Null);
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [TestCase(-1, TestName = "ScheduleChargesAsync_PastTime_ThrowsBeforeSending")]
    [TestCase(0, TestName = "ScheduleChargesAsync_PresentTime_ThrowsBeforeSending")]
    public void ScheduleChargesAsync_PastOrPresentTime_ThrowsBeforeSending(int secondsFromNow)
    {
        using var api = new ApiFixture();
        DateTimeOffset at = api.Time.GetUtcNow().AddSeconds(secondsFromNow).ToOffset(TimeSpan.FromHours(9));

        Assert.That(
            () => api.Client.ScheduleAsync("cust_0001", [Charge("s1", at.AddDays(1)), Charge("s2", at)]),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("schedules[1].ScheduleAt").And.Message.Contains("schedule_at"));
        Assert.That(api.RequestsSent, Is.Zero);
    }

    [Test]
    public void ScheduleChargesAsync_TimeAdvancedPastSchedule_ThrowsBeforeSending()
    {
        using var api = new ApiFixture();
        DateTimeOffset at = api.Time.GetUtcNow().AddMinutes(5);
        api.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.That(() => api.Client.ScheduleAsync("cust_0001", [Charge("s1", at)]), Throws.ArgumentException);
        Assert.That(api.RequestsSent, Is.Zero);
    }

    [Test]
    public void ScheduleChargesAsync_RepeatedMerchantUid_ThrowsBeforeSending()
    {
        using var api = new ApiFixture();
        DateTimeOffset at = DateTimeOffset.FromUnixTimeSeconds(TomorrowUnix);

        Assert.That(
            () => api.Client.ScheduleAsync("cust_0001", [Charge("s1", at), Charge("s1", at.AddDays(30))]),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("schedules[1].MerchantUid"));
        Assert.That(api.RequestsSent, Is.Zero);
    }

    [TestCase("bad uid!", "schedules[0].MerchantUid")]
    [TestCase("", "schedules[0].MerchantUid")]
    public void ScheduleChargesAsync_MerchantUidBreaksChargeRules_ThrowsBeforeSending(string merchantUid, string paramName)
    {
        using var api = new ApiFixture();

        Assert.That(
            () => api.Client.ScheduleAsync("cust_0001", [Charge(merchantUid, DateTimeOffset.FromUnixTimeSeconds(TomorrowUnix))]),
            Throws.ArgumentException.With.Property("ParamName").EqualTo(paramName));
        Assert.That(api.RequestsSent, Is.Zero);
    }

    [Test]
    public void ScheduleChargesAsync_Refused_ThrowsWithoutEchoingCustomerUid()
    {
        using var api = new ApiFixture();
        api.Expect(HttpMethod.Post, "/subscribe/payments/schedule", Fixture("schedule-refused.json"));

        var ex = Assert.ThrowsAsync<IamportException>(() => api.Client.ScheduleAsync("cust_0001", [Charge("s1", DateTimeOffset.FromUnixTimeSeconds(TomorrowUnix))]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex.Code, Is.EqualTo(1));
            Assert.That(ex.Message, Does.Not.Contain("cust_0001"));
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task UnscheduleAsync_SomeMerchantUids_SendsThemAndReturnsRevoked()
    {
        using var api = new ApiFixture();
        SentBody sent = api.Expect(HttpMethod.Post, "/subscribe/payments/unschedule", Fixture("schedules-revoked.json"));

        IReadOnlyList<Schedule> revoked = await api.Client.UnscheduleAsync("cust_0001", ["order_sched_0001"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent.Json?.ToJsonString(), Is.EqualTo("""{"customer_uid":"cust_0001","merchant_uid":["order_sched_0001"]}"""));
            Assert.That(revoked[0].ScheduleStatus, Is.EqualTo(ScheduleStatus.Revoked));
            Assert.That(revoked[0].RevokedAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1795770000)));
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task UnscheduleAllAsync_Always_RevokesAllByOmittingMerchantUid()
    {
        using var api = new ApiFixture();
        SentBody sent = api.Expect(HttpMethod.Post, "/subscribe/payments/unschedule", Fixture("schedules-revoked.json"));

        await api.Client.UnscheduleAllAsync("cust_0001");

        Assert.That(sent.Json?.ToJsonString(), Is.EqualTo("""{"customer_uid":"cust_0001"}"""));
        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public void UnscheduleAsync_EmptyList_ThrowsBeforeSendingInsteadOfRevokingAll()
    {
        using var api = new ApiFixture();

        Assert.That(() => api.Client.UnscheduleAsync("cust_0001", []), Throws.ArgumentException.With.Property("ParamName").EqualTo("merchantUids").And.Message.Contains("UnscheduleAllAsync"));
        Assert.That(api.RequestsSent, Is.Zero);
    }

    [Test]
    public void UnscheduleAllAsync_NothingToRevoke_ThrowsIamportException()
    {
        using var api = new ApiFixture();
        api.Expect(HttpMethod.Post, "/subscribe/payments/unschedule", Fixture("unschedule-nothing.json"));

        var ex = Assert.ThrowsAsync<IamportException>(() => api.Client.UnscheduleAllAsync("cust_0001"));

        Assert.That(ex.ApiMessage, Is.EqualTo("취소할 예약결제 기록이 존재하지 않습니다."));
        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task GetScheduleAsync_Executed_MapsOutcome()
    {
        using var api = new ApiFixture();
        api.ExpectGet("/subscribe/payments/schedule/order_sched_0001", Fixture("schedule-executed.json"));

        Schedule? schedule = await api.Client.GetScheduleAsync("order_sched_0001");

        Assert.That(schedule, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(schedule!.ScheduleStatus, Is.EqualTo(ScheduleStatus.Executed));
            Assert.That(schedule.PaymentStatus, Is.EqualTo(PaymentStatus.Failed));
            Assert.That(schedule.FailReason, Is.EqualTo("잔액부족"));
            Assert.That(schedule.ImpUid, Is.EqualTo("imp_400000000001"));
            Assert.That(schedule.ExecutedAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1795856401)));
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task GetSchedulesAsync_Period_SendsUnixSecondsAndStatus()
    {
        using var api = new ApiFixture();
        api.ExpectGet("/subscribe/payments/schedule/customers/cust_0001?from=1796083200&to=1798761600&page=1&schedule-status=executed", Fixture("schedules-page.json"));

        List<IamportPage<Schedule>> pages = await api.Client.GetSchedulesByCustomerUidAsync(
            "cust_0001",
            new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(9)),
            new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero),
            ScheduleStatus.Executed).AsPages().ToListAsync();
        IamportPage<Schedule> page = pages.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Total, Is.EqualTo(2));
            Assert.That(page.Next, Is.Zero);
            Assert.That(page.Items[0].PaymentStatus, Is.EqualTo(PaymentStatus.Failed));
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [TestCase(HttpStatusCode.NotFound)]
    [TestCase(HttpStatusCode.OK)]
    public async Task GetSchedulesAsync_NoneFoundEitherWay_ReturnsEmptyList(HttpStatusCode status)
    {
        using var api = new ApiFixture();
        api.ExpectGet("/subscribe/payments/schedule/customers/cust_0001?page=1", Fixture("schedule-not-found.json"), status);

        List<Schedule> schedules = await api.Client.GetSchedulesByCustomerUidAsync("cust_0001", ApiFixture.Now, ApiFixture.Now.AddDays(30)).ToListAsync();

        Assert.That(schedules, Is.Empty);

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public void GetSchedulesAsync_UntilNotAfterSince_ThrowsBeforeSending()
    {
        using var api = new ApiFixture();
        DateTimeOffset at = DateTimeOffset.FromUnixTimeSeconds(TomorrowUnix);

        Assert.That(() => api.Client.GetSchedulesByCustomerUidAsync("cust_0001", at, at), Throws.ArgumentException.With.Property("ParamName").EqualTo("until"));
        Assert.That(api.RequestsSent, Is.Zero);
    }
}
