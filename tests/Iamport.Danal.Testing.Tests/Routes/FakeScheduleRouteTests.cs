using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Testing.Tests.Routes;

/// <summary>The schedule routes beyond register/revoke, by raw HTTP: lists (required period, three months, exclusive
/// <c>to</c>, newest first, paging), moving a schedule, rescheduling and retrying a failed or revoked one.</summary>
[TestFixture(FakeHost.InProcess)]
[TestFixture(FakeHost.Kestrel)]
public class FakeScheduleRouteTests(FakeHost host)
{
    private static readonly long At = FakeHarness.Start.AddHours(1).ToUnixTimeSeconds();

    private static JsonObject Item(string merchantUid, long at, string? currency = null)
    {
        var item = new JsonObject { ["merchant_uid"] = merchantUid, ["schedule_at"] = at, ["amount"] = 9900, ["name"] = "정기구독" };
        if (currency is not null)
        {
            item["currency"] = currency;
        }

        return item;
    }

    private static async Task<JsonNode> ScheduleAsync(FakeHarness h, string customerUid, params JsonObject[] items)
    {
        var (status, json) = await h.PostAsync("subscribe/payments/schedule", new JsonObject { ["customer_uid"] = customerUid, ["schedules"] = new JsonArray(items) });
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), json?.ToJsonString());
        Assert.That((int)json!["code"]!, Is.Zero, json.ToJsonString());
        return json["response"]!;
    }

    private static string MerchantUids(JsonNode? page) => string.Join(",", page!["response"]!["list"]!.AsArray().Select(s => (string)s!["merchant_uid"]!));

    private async Task<FakeHarness> WithKeyAsync(string customerUid = "cust_1", string card = TestCards.Approve)
    {
        var h = new FakeHarness(host);
        h.Fake.IssueBillingKey(customerUid, card);
        await h.GetTokenAsync();
        return h;
    }

    [Test]
    public async Task Schedule_UnknownCustomer_Code1WithTheRealMessage()
    {
        await using var h = await WithKeyAsync();

        var (status, json) = await h.PostAsync("subscribe/payments/schedule", new JsonObject { ["customer_uid"] = "nobody", ["schedules"] = new JsonArray(Item("s-1", At)) });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((int)json!["code"]!, Is.EqualTo(1));
            Assert.That((string)json["message"]!, Is.EqualTo("등록된 고객정보가 없습니다."));
        }
    }

    [TestCase("""{"schedules":[{"merchant_uid":"s-1","schedule_at":1769475600,"amount":1000,"name":"n"}]}""", "customer_uid 파라미터가 누락되었습니다.")]
    [TestCase("""{"customer_uid":"cust_1"}""", "schedules 파라미터가 누락되었습니다.")]
    [TestCase("""{"customer_uid":"cust_1","schedules":[{"merchant_uid":"s-1","amount":1000,"name":"n"}]}""", "schedules.schedule_at 파라미터가 누락되었습니다.")]
    public async Task Schedule_RequiredParameterMissing_400InKorean(string body, string message)
    {
        await using var h = await WithKeyAsync();

        var (status, json) = await h.PostAsync("subscribe/payments/schedule", JsonNode.Parse(body)!);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string)json!["message"]!, Is.EqualTo(message));
        }
    }

    [Test]
    public async Task Schedule_Currency_StoredAndShown()
    {
        await using var h = await WithKeyAsync();

        var created = await ScheduleAsync(h, "cust_1", Item("s-krw", At), Item("s-usd", At + 60, "USD"));
        var (_, got) = await h.GetAsync("subscribe/payments/schedule/s-usd");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)created[0]!["currency"]!, Is.EqualTo("KRW"));
            Assert.That((string)got!["response"]!["currency"]!, Is.EqualTo("USD"));
        }
    }

    [TestCase("subscribe/payments/schedule/customers/cust_1")]
    [TestCase("subscribe/customers/cust_1/schedules")]
    public async Task CustomerList_Period_FromInclusiveToExclusiveNewestFirst(string route)
    {
        await using var h = await WithKeyAsync();
        await ScheduleAsync(h, "cust_1", Item("s-1", At), Item("s-2", At + 3600), Item("s-3", At + 7200));

        var (status, page) = await h.GetAsync($"{route}?from={At}&to={At + 7200}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(MerchantUids(page), Is.EqualTo("s-2,s-1"), "to is exclusive; newest first");
            Assert.That((int)page!["response"]!["total"]!, Is.EqualTo(2));
        }
    }

    [TestCase("", "from 파라미터가 누락되었습니다.")]
    [TestCase("?from=1769475600", "to 파라미터가 누락되었습니다.")]
    [TestCase("?to=1769475600", "from 파라미터가 누락되었습니다.")]
    [TestCase("?from=1769475600&to=1777420800", "3개월")]
    [TestCase("?from=1769475600&to=1769475600", "이후여야")]
    [TestCase("?from=1769475600&to=1769479200&schedule-status=paid", "schedule-status")]
    public async Task CustomerList_BadPeriodOrStatus_400(string query, string message)
    {
        await using var h = await WithKeyAsync();

        var (status, json) = await h.GetAsync("subscribe/payments/schedule/customers/cust_1" + query);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string)json!["message"]!, Does.Contain(message));
        }
    }

    [Test]
    public async Task CustomerList_ExactlyThreeMonths_Accepted()
    {
        await using var h = await WithKeyAsync();
        var from = FakeHarness.Start.ToUnixTimeSeconds();

        var (status, _) = await h.GetAsync($"subscribe/payments/schedule/customers/cust_1?from={from}&to={FakeHarness.Start.AddMonths(3).ToUnixTimeSeconds()}");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task MerchantList_EveryCustomer_FilteredSortedAndPaged()
    {
        await using var h = await WithKeyAsync();
        h.Fake.IssueBillingKey("cust_2");
        await ScheduleAsync(h, "cust_1", Item("a-1", At), Item("a-2", At + 60));
        await ScheduleAsync(h, "cust_2", Item("b-1", At + 30), Item("b-2", At + 90));
        await h.PostAsync("subscribe/payments/unschedule", new JsonObject { ["customer_uid"] = "cust_2", ["merchant_uid"] = new JsonArray("b-2") });
        var period = $"schedule_from={At}&schedule_to={At + 3600}";

        var (_, newest) = await h.GetAsync("subscribe/payments/schedule?" + period);
        var (_, oldest) = await h.GetAsync("subscribe/payments/schedule?sorting=scheduled&" + period);
        var (_, scheduledOnly) = await h.GetAsync("subscribe/payments/schedule?schedule_status=scheduled&" + period);
        var (_, page1) = await h.GetAsync("subscribe/payments/schedule?limit=3&" + period);
        var (_, page2) = await h.GetAsync("subscribe/payments/schedule?limit=3&page=2&" + period);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(MerchantUids(newest), Is.EqualTo("b-2,a-2,b-1,a-1"));
            Assert.That(MerchantUids(oldest), Is.EqualTo("a-1,b-1,a-2,b-2"));
            Assert.That(MerchantUids(scheduledOnly), Is.EqualTo("a-2,b-1,a-1"));
            Assert.That(MerchantUids(page1), Is.EqualTo("b-2,a-2,b-1"));
            Assert.That((int)page1!["response"]!["next"]!, Is.EqualTo(2));
            Assert.That(MerchantUids(page2), Is.EqualTo("a-1"));
            Assert.That((int)page2!["response"]!["next"]!, Is.Zero);
            Assert.That((int)page2["response"]!["total"]!, Is.EqualTo(4));
        }
    }

    [TestCase("schedule_to=1769479200", "schedule_from 파라미터가 누락되었습니다.")]
    [TestCase("schedule_from=1769475600", "schedule_to 파라미터가 누락되었습니다.")]
    [TestCase("schedule_from=1769475600&schedule_to=1769479200&limit=1001", "limit")]
    [TestCase("schedule_from=1769475600&schedule_to=1769479200&limit=0", "limit")]
    [TestCase("schedule_from=1769475600&schedule_to=1769479200&sorting=amount", "sorting")]
    [TestCase("schedule_from=1769475600&schedule_to=1769479200&schedule_status=done", "schedule_status")]
    public async Task MerchantList_BadQuery_400(string query, string message)
    {
        await using var h = await WithKeyAsync();

        var (status, json) = await h.GetAsync("subscribe/payments/schedule?" + query);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string)json!["message"]!, Does.Contain(message));
        }
    }

    [Test]
    public async Task MerchantList_Limit1000_Accepted()
    {
        await using var h = await WithKeyAsync();

        var (status, _) = await h.GetAsync($"subscribe/payments/schedule?schedule_from={At}&schedule_to={At + 60}&limit=1000");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Update_PendingSchedule_RunsAtTheNewTimeOnly()
    {
        await using var h = await WithKeyAsync();
        await ScheduleAsync(h, "cust_1", Item("s-1", At));

        var (status, moved) = await h.SendAsync(HttpMethod.Put, "subscribe/payments/schedule/s-1", new JsonObject { ["schedule_at"] = At + 3600 });
        h.Time.Advance(TimeSpan.FromHours(1));
        await h.Fake.RunDueSchedulesAsync();
        var countAtOldTime = h.Fake.ChargeAttemptCount("s-1");
        h.Time.Advance(TimeSpan.FromHours(1));
        await h.Fake.RunDueSchedulesAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((long)moved!["response"]!["schedule_at"]!, Is.EqualTo(At + 3600));
            Assert.That(countAtOldTime, Is.Zero);
            Assert.That(h.Fake.PaidChargeCount("s-1"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Update_FormBody_Accepted()
    {
        await using var h = await WithKeyAsync();
        await ScheduleAsync(h, "cust_1", Item("s-1", At));

        var (status, moved) = await h.SendAsync(HttpMethod.Put, "subscribe/payments/schedule/s-1", "schedule_at=" + (At + 60), form: true);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((long)moved!["response"]!["schedule_at"]!, Is.EqualTo(At + 60));
        }
    }

    [Test]
    public async Task Update_UnknownMissingPastOrExecuted_Refused()
    {
        await using var h = await WithKeyAsync();
        await ScheduleAsync(h, "cust_1", Item("s-1", At), Item("s-2", At + 60));
        h.Time.Advance(TimeSpan.FromSeconds(30));
        await h.Fake.RunDueSchedulesAsync();
        h.Time.Advance(TimeSpan.FromHours(1));
        await h.Fake.RunDueSchedulesAsync();
        await h.GetTokenAsync();

        var (unknown, _) = await h.SendAsync(HttpMethod.Put, "subscribe/payments/schedule/nope", new JsonObject { ["schedule_at"] = At + 9000 });
        var (missing, missingJson) = await h.SendAsync(HttpMethod.Put, "subscribe/payments/schedule/s-1", new JsonObject());
        var (executed, _) = await h.SendAsync(HttpMethod.Put, "subscribe/payments/schedule/s-1", new JsonObject { ["schedule_at"] = At + 9000 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(unknown, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(missing, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string)missingJson!["message"]!, Is.EqualTo("schedule_at 파라미터가 누락되었습니다."));
            Assert.That(executed, Is.EqualTo(HttpStatusCode.BadRequest));
        }
    }

    [Test]
    public async Task Reschedule_FailedRun_PendingAgainAndRunsAtTheNewTime()
    {
        await using var h = await WithKeyAsync("cust_1");
        h.Fake.DeclineNext("cust_1");
        await ScheduleAsync(h, "cust_1", Item("s-1", At));
        h.Time.Advance(TimeSpan.FromHours(1));
        await h.Fake.RunDueSchedulesAsync();
        await h.GetTokenAsync();

        var (status, rescheduled) = await h.PostAsync("subscribe/payments/schedule/s-1/reschedule", new JsonObject { ["schedule_at"] = At + 3600 });
        h.Time.Advance(TimeSpan.FromHours(1));
        await h.Fake.RunDueSchedulesAsync();
        await h.GetTokenAsync();
        var (_, after) = await h.GetAsync("subscribe/payments/schedule/s-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string)rescheduled!["response"]!["schedule_status"]!, Is.EqualTo("scheduled"));
            Assert.That(rescheduled["response"]!["imp_uid"], Is.Null);
            Assert.That((string)after!["response"]!["payment_status"]!, Is.EqualTo("paid"));
            Assert.That(string.Join(",", h.Fake.GetPayments("s-1").Select(p => p.Status)), Is.EqualTo("failed,paid"));
        }
    }

    [Test]
    public async Task Reschedule_PendingOrPaid_400()
    {
        await using var h = await WithKeyAsync();
        await ScheduleAsync(h, "cust_1", Item("s-1", At), Item("s-2", At + 7200));
        h.Time.Advance(TimeSpan.FromHours(1));
        await h.Fake.RunDueSchedulesAsync();
        await h.GetTokenAsync();

        var (paid, _) = await h.PostAsync("subscribe/payments/schedule/s-1/reschedule", new JsonObject { ["schedule_at"] = At + 9000 });
        var (pending, _) = await h.PostAsync("subscribe/payments/schedule/s-2/reschedule", new JsonObject { ["schedule_at"] = At + 9000 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(paid, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(pending, Is.EqualTo(HttpStatusCode.BadRequest));
        }
    }

    [Test]
    public async Task Retry_RevokedSchedule_ChargesNowAndAnswersThePayment()
    {
        await using var h = await WithKeyAsync();
        await ScheduleAsync(h, "cust_1", Item("s-1", At));
        await h.PostAsync("subscribe/payments/unschedule", new JsonObject { ["customer_uid"] = "cust_1" });

        var (status, payment) = await h.PostAsync("subscribe/payments/schedule/s-1/retry", new JsonObject());
        var (again, _) = await h.PostAsync("subscribe/payments/schedule/s-1/retry", new JsonObject());
        var (_, schedule) = await h.GetAsync("subscribe/payments/schedule/s-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string)payment!["response"]!["status"]!, Is.EqualTo("paid"));
            Assert.That((string)payment["response"]!["customer_uid_usage"]!, Is.EqualTo("payment.scheduled"));
            Assert.That(again, Is.EqualTo(HttpStatusCode.BadRequest), "a paid schedule is not retried");
            Assert.That((string)schedule!["response"]!["schedule_status"]!, Is.EqualTo("executed"));
            Assert.That((string)schedule["response"]!["imp_uid"]!, Is.EqualTo((string)payment["response"]!["imp_uid"]!));
            Assert.That(h.Fake.PaidChargeCount("s-1"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Retry_UnknownScheduleOrDeletedKey_404()
    {
        await using var h = await WithKeyAsync();
        await ScheduleAsync(h, "cust_1", Item("s-1", At));
        await h.PostAsync("subscribe/payments/unschedule", new JsonObject { ["customer_uid"] = "cust_1" });
        await h.SendAsync(HttpMethod.Delete, "subscribe/customers/cust_1");

        var (unknown, _) = await h.PostAsync("subscribe/payments/schedule/nope/retry", new JsonObject());
        var (noKey, json) = await h.PostAsync("subscribe/payments/schedule/s-1/retry", new JsonObject());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(unknown, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(noKey, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((string)json!["message"]!, Is.EqualTo("등록된 고객정보가 없습니다."));
            Assert.That(h.Fake.ChargeAttemptCount("s-1"), Is.Zero);
        }
    }
}
