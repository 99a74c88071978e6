// Expected values are written inline, where the reader compares them; each test builds them once.
#pragma warning disable CA1861

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using static Iamport.Danal.Tests.TestSupport.Api;
using static Iamport.Danal.Tests.TestSupport.RouteRecorder;

namespace Iamport.Danal.Tests.Schedules;

/// <summary>The schedule routes: exact requests, every documented answer shape, and the range rules refused before sending.</summary>
public class ScheduleRouteTests
{
    /// <summary>2026-12-01 00:00 KST = 2026-11-30 15:00 UTC.</summary>
    private static readonly DateTimeOffset Since = new(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(9));

    private static readonly DateTimeOffset Until = Since.AddMonths(1);

    private static string PageOf(int page, int next, params string[] merchantUids) => new JsonObject
    {
        ["code"] = 0,
        ["message"] = null,
        ["response"] = new JsonObject
        {
            ["total"] = 3,
            ["previous"] = page - 1,
            ["next"] = next,
            ["list"] = new JsonArray([.. merchantUids.Select(m => (JsonNode)Schedule(m))]),
        },
    }.ToJsonString();

    private static JsonObject Schedule(string merchantUid)
    {
        JsonObject schedule = JsonNode.Parse(Fixture("schedule-executed.json"))!["response"]!.DeepClone().AsObject();
        schedule["merchant_uid"] = merchantUid;
        return schedule;
    }

    private static readonly string[] PageOne = ["s3", "s2"];

    [Test]
    public async Task GetSchedulesAsync_PageForm_SendsExactQueryAndFollowsNext()
    {
        using var api = new ApiFixture();
        var route = new RouteRecorder(api, HttpMethod.Get, "/subscribe/payments/schedule/customers/cust_0001", Ok(PageOf(1, 2, PageOne)), Ok(PageOf(2, 0, "s1")));

        List<Schedule> schedules = await api.Client.GetSchedulesByCustomerUidAsync("cust_0001", Since, Until, ScheduleStatus.Executed).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(schedules.Select(s => s.MerchantUid), Is.EqualTo(new[] { "s3", "s2", "s1" }));
            Assert.That(route.Sent.Select(r => r.PathAndQuery), Is.EqualTo(new[]
            {
                $"/subscribe/payments/schedule/customers/cust_0001?from={UnixSeconds(Since)}&to={UnixSeconds(Until)}&schedule-status=executed&page=1",
                $"/subscribe/payments/schedule/customers/cust_0001?from={UnixSeconds(Since)}&to={UnixSeconds(Until)}&schedule-status=executed&page=2",
            }));
            Assert.That(UnixSeconds(Since), Is.EqualTo("1796050800"), "the instant, whatever the offset: 2026-11-30 15:00 UTC");
        }
    }

    [Test]
    public async Task GetSchedulesAsync_PlainArrayForm_ReadsItAsTheOnlyPage()
    {
        using var api = new ApiFixture();
        var route = new RouteRecorder(api, HttpMethod.Get, "/subscribe/payments/schedule/customers/cust_0001", Ok(Fixture("schedules.json")));

        List<IamportPage<Schedule>> pages = await api.Client.GetSchedulesByCustomerUidAsync("cust_0001", Since, Until).AsPages().ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pages, Has.Count.EqualTo(1));
            Assert.That(pages[0].Items.Select(s => s.MerchantUid), Is.EqualTo(new[] { "order_sched_0001", "order_sched_0002" }));
            Assert.That(pages[0].Total, Is.EqualTo(2));
            Assert.That(pages[0].ContinuationToken, Is.Null);
            Assert.That(route.Sent.Single().PathAndQuery, Is.EqualTo($"/subscribe/payments/schedule/customers/cust_0001?from={UnixSeconds(Since)}&to={UnixSeconds(Until)}&page=1"));
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task GetSchedulesByCustomerUidAsync_EitherForm_ReadsTheSchedules(bool pageForm)
    {
        using var api = new ApiFixture();
        var route = new RouteRecorder(api, HttpMethod.Get, "/subscribe/payments/schedule/customers/cust_0001", Ok(pageForm ? Fixture("schedules-page.json") : Fixture("schedules.json")));

        List<Schedule> schedules = await api.Client.GetSchedulesByCustomerUidAsync("cust_0001", Since, Until, ScheduleStatus.Scheduled).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(schedules, Has.Count.EqualTo(2));
            Assert.That(schedules[1].MerchantUid, Is.EqualTo("order_sched_0002"));
            Assert.That(route.Sent.Single().PathAndQuery, Is.EqualTo($"/subscribe/payments/schedule/customers/cust_0001?from={UnixSeconds(Since)}&to={UnixSeconds(Until)}&schedule-status=scheduled&page=1"));
        }
    }

    [Test]
    public async Task GetSchedulesAsync_MerchantWide_SendsRangeStatusSortingAndLimit()
    {
        using var api = new ApiFixture();
        var route = new RouteRecorder(api, HttpMethod.Get, "/subscribe/payments/schedule", Ok(PageOf(1, 2, PageOne)), Ok(Fixture("schedules.json")));

        List<IamportPage<Schedule>> pages = await api.Client.GetSchedulesAsync(Since, Until, ScheduleStatus.Revoked, ScheduleSorting.Scheduled).AsPages(pageSizeHint: 1000).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pages.SelectMany(p => p.Items).Count(), Is.EqualTo(4), "a page, then an array (read as the last page)");
            Assert.That(route.Sent.Select(r => r.PathAndQuery), Is.EqualTo(new[]
            {
                $"/subscribe/payments/schedule?schedule_from={UnixSeconds(Since)}&schedule_to={UnixSeconds(Until)}&schedule_status=revoked&sorting=scheduled&page=1&limit=1000",
                $"/subscribe/payments/schedule?schedule_from={UnixSeconds(Since)}&schedule_to={UnixSeconds(Until)}&schedule_status=revoked&sorting=scheduled&page=2&limit=1000",
            }));
        }
    }

    [Test]
    public async Task GetSchedulesAsync_MerchantWideDefaults_SendNoStatusSortingOrLimit()
    {
        using var api = new ApiFixture();
        var route = new RouteRecorder(api, HttpMethod.Get, "/subscribe/payments/schedule", Ok(Fixture("schedules-page.json")));

        await api.Client.GetSchedulesAsync(Since, Until).ToListAsync();

        Assert.That(route.Sent.Single().PathAndQuery, Is.EqualTo($"/subscribe/payments/schedule?schedule_from={UnixSeconds(Since)}&schedule_to={UnixSeconds(Until)}&page=1"));
    }

    private static IEnumerable<TestCaseData> Lists()
    {
        (string Name, Func<IIamportClient, DateTimeOffset, DateTimeOffset, IAsyncEnumerable<Schedule>> Call)[] lists =
        [
            ("GetSchedulesAsync(customer)", (c, from, to) => c.GetSchedulesByCustomerUidAsync("cust_0001", from, to)),
            ("GetSchedulesByCustomerUidAsync", (c, from, to) => c.GetSchedulesByCustomerUidAsync("cust_0001", from, to)),
            ("GetSchedulesAsync(merchant)", (c, from, to) => c.GetSchedulesAsync(from, to)),
        ];
        (string Name, DateTimeOffset Until)[] ranges =
        [
            ("3 months and 1 second", Since.AddMonths(3).AddSeconds(1)),
            ("a year", Since.AddYears(1)),
            ("until equals since", Since),
            ("until before since", Since.AddDays(-1)),
        ];
        foreach (var list in lists)
        {
            foreach (var range in ranges)
            {
                yield return new TestCaseData(list.Call, range.Until).SetArgDisplayNames(list.Name, range.Name);
            }
        }
    }

    [TestCaseSource(nameof(Lists))]
    public void ScheduleLists_RangeNotWithinThreeMonths_ThrowAtTheCallWithZeroRequests(Func<IIamportClient, DateTimeOffset, DateTimeOffset, IAsyncEnumerable<Schedule>> list, DateTimeOffset until)
    {
        using var api = new ApiFixture();

        Assert.That(() => list(api.Client, Since, until), Throws.ArgumentException.With.Property("ParamName").EqualTo("until"));
        Assert.That(api.RequestsSent, Is.Zero);
    }

    [Test]
    public async Task GetSchedulesAsync_ExactlyThreeMonths_IsSent()
    {
        using var api = new ApiFixture();
        var route = new RouteRecorder(api, HttpMethod.Get, "/subscribe/payments/schedule/customers/cust_0001", Ok(Fixture("schedules-page.json")));

        await api.Client.GetSchedulesByCustomerUidAsync("cust_0001", Since, Since.AddMonths(3)).ToListAsync();

        Assert.That(route.Sent.Single().PathAndQuery, Does.Contain("&to=" + UnixSeconds(Since.AddMonths(3))));
    }

    [Test]
    public void MerchantWideList_PageSizeOver1000_ThrowsWithZeroRequests()
    {
        using var api = new ApiFixture();

        Assert.That(() => api.Client.GetSchedulesAsync(Since, Until).AsPages(pageSizeHint: 1001), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("pageSizeHint"));
        Assert.That(api.RequestsSent, Is.Zero);
    }

    [Test]
    public void ScheduleLists_Missing400WithKoreanMessage_Throws()
    {
        using var api = new ApiFixture();
        _ = new RouteRecorder(api, HttpMethod.Get, "/subscribe/payments/schedule", (HttpStatusCode.BadRequest, """{"code":1,"message":"schedule_from 파라미터가 누락되었습니다.","response":null}"""));

        var ex = Assert.ThrowsAsync<IamportException>(async () => await api.Client.GetSchedulesAsync(Since, Until).ToListAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(400));
            Assert.That(ex.ApiMessage, Does.Contain("누락"));
        }
    }

    [Test]
    public async Task UpdateScheduleAsync_NewTime_PutsUnixSecondsOfTheInstant()
    {
        using var api = new ApiFixture();
        var route = new RouteRecorder(api, HttpMethod.Put, "/subscribe/payments/schedule/order_sched_0001", Ok(Fixture("schedule-executed.json")));
        var at = new DateTimeOffset(2026, 12, 25, 9, 0, 0, TimeSpan.FromHours(9));

        Schedule schedule = await api.Client.MoveScheduleAsync("order_sched_0001", at);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(schedule.MerchantUid, Is.EqualTo("order_sched_0001"));
            Assert.That(route.Sent.Single().PathAndQuery, Is.EqualTo("/subscribe/payments/schedule/order_sched_0001"));
            Assert.That(route.Sent.Single().Body, Is.EqualTo("""{"schedule_at":1798156800}"""), "2026-12-25 00:00 UTC");
            Assert.That(route.Sent.Single().ContentType, Is.EqualTo("application/json"));
        }
    }

    [Test]
    public async Task RescheduleAsync_NewTime_PostsScheduleAt()
    {
        using var api = new ApiFixture();
        var route = new RouteRecorder(api, HttpMethod.Post, "/subscribe/payments/schedule/order_sched_0001/reschedule", Ok(Fixture("schedule-executed.json")));

        await api.Client.ScheduleAgainAsync("order_sched_0001", ApiFixture.Now.AddDays(1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(route.Sent.Single().Method, Is.EqualTo("POST"));
            Assert.That(route.Sent.Single().Body, Is.EqualTo($$"""{"schedule_at":{{UnixSeconds(ApiFixture.Now.AddDays(1))}}}"""));
        }
    }

    [TestCase(0)]
    [TestCase(-60)]
    public void UpdateAndReschedule_PastOrPresentTime_ThrowWithZeroRequests(int seconds)
    {
        using var api = new ApiFixture();
        DateTimeOffset at = ApiFixture.Now.AddSeconds(seconds);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => api.Client.MoveScheduleAsync("order_sched_0001", at), Throws.ArgumentException.With.Property("ParamName").EqualTo("scheduleAt"));
            Assert.That(() => api.Client.ScheduleAgainAsync("order_sched_0001", at), Throws.ArgumentException.With.Property("ParamName").EqualTo("scheduleAt"));
            Assert.That(api.RequestsSent, Is.Zero);
        }
    }

    [Test]
    public void UpdateScheduleAsync_AlreadyExecuted_Throws400WithKoreanMessage()
    {
        using var api = new ApiFixture();
        _ = new RouteRecorder(api, HttpMethod.Put, "/subscribe/payments/schedule/order_sched_0001", (HttpStatusCode.BadRequest, """{"code":1,"message":"이미 실행된 예약건입니다.","response":null}"""));

        var ex = Assert.ThrowsAsync<IamportException>(() => api.Client.MoveScheduleAsync("order_sched_0001", ApiFixture.Now.AddDays(1)));

        Assert.That(ex!.ApiMessage, Is.EqualTo("이미 실행된 예약건입니다."));
    }

    [Test]
    public async Task RetryScheduleAsync_FailedOne_PostsWithoutBodyAndClassifiesThePayment()
    {
        using var api = new ApiFixture();
        var route = new RouteRecorder(api, HttpMethod.Post, "/subscribe/payments/schedule/order_0001/retry", Ok(Fixture("payment-charge.json")));

        ChargeResult result = await api.Client.RetryScheduleAsync(RetriedSchedule);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Approved));
            Assert.That(result.IsReconciled, Is.False);
            Assert.That(result.IsApproved ? result.Payment.ImpUid : null, Is.EqualTo("imp_223456789012"));
            Assert.That(route.Sent.Single().PathAndQuery, Is.EqualTo("/subscribe/payments/schedule/order_0001/retry"));
            Assert.That(route.Sent.Single().Body, Is.Null);
        }
    }

    [Test]
    public async Task RetryScheduleAsync_ReplyLostButCharged_LooksUpOnceAndReportsApprovedReconciled()
    {
        using var api = new ApiFixture();
        var retry = new RouteRecorder(api, HttpMethod.Post, "/subscribe/payments/schedule/order_0001/retry", (HttpStatusCode.BadGateway, "<html>bad gateway</html>"));
        string paid = System.Text.Json.Nodes.JsonNode.Parse(Fixture("payment-charge.json"))!["response"]!.ToJsonString();
        var lookup = new RouteRecorder(api, HttpMethod.Get, "/payments/findAll/order_0001", Ok("{\"code\":0,\"message\":null,\"response\":{\"total\":1,\"previous\":0,\"next\":0,\"list\":[" + paid + "]}}"));

        ChargeResult result = await api.Client.RetryScheduleAsync(RetriedSchedule);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Approved));
            Assert.That(result.IsReconciled, Is.True);
            Assert.That(retry.Sent, Has.Count.EqualTo(1), "the retry is never sent twice");
            Assert.That(lookup.Sent, Is.Not.Empty);
        }
    }

    [Test]
    public async Task RetryScheduleAsync_PaidForAnotherAmount_Mismatched()
    {
        using var api = new ApiFixture();
        _ = new RouteRecorder(api, HttpMethod.Post, "/subscribe/payments/schedule/order_0001/retry", Ok(Fixture("payment-charge.json")));

        ChargeResult result = await api.Client.RetryScheduleAsync(IamportModelFactory.Schedule(merchantUid: "order_0001", customerUid: "cust_0001", amount: 19900m));

        Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Mismatched));
    }

    private static Schedule RetriedSchedule => IamportModelFactory.Schedule(merchantUid: "order_0001", customerUid: "cust_0001", amount: 9900m, name: "월간 구독");

    [Test]
    public async Task ScheduleAsync_NoCurrencyGiven_SendsKrw()
    {
        using var api = new ApiFixture();
        var route = new RouteRecorder(api, HttpMethod.Post, "/subscribe/payments/schedule", Ok(Fixture("schedules.json")));
        var schedule = new ScheduleRequest { MerchantUid = "s1", ScheduleAt = ApiFixture.Now.AddDays(1), Amount = 9900m, Name = "월간 구독", NoticeUrl = new Uri("https://shop.example/hook") };

        await api.Client.ScheduleAsync("cust_0001", [schedule]);

        JsonNode sent = JsonNode.Parse(route.Sent.Single().Body!)!["schedules"]![0]!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)sent["currency"], Is.EqualTo("KRW"));
            Assert.That((string?)sent["notice_url"], Is.EqualTo("https://shop.example/hook"));
            Assert.That((long?)sent["schedule_at"], Is.EqualTo(ApiFixture.Now.AddDays(1).ToUnixTimeSeconds()));
        }
    }
}
