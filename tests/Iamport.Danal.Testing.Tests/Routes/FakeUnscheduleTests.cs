using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Testing.Tests.Routes;

/// <summary><c>POST /subscribe/payments/unschedule</c> by <c>merchant_uid[]</c>: without <c>customer_uid</c> it revokes
/// those schedules whatever their key (the schema); only pending ones, the rest passed over.</summary>
[TestFixture(FakeHost.InProcess)]
[TestFixture(FakeHost.Kestrel)]
public class FakeUnscheduleTests(FakeHost host)
{
    private static readonly long At = FakeHarness.Start.AddHours(1).ToUnixTimeSeconds();

    /// <summary>cust_1: a-1, a-2, a-3; cust_2: b-1, b-2; all due at <see cref="At"/> and later, none run yet.</summary>
    private async Task<FakeHarness> TwoKeysWithSchedulesAsync()
    {
        var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        h.Fake.IssueBillingKey("cust_2");
        await h.GetTokenAsync();
        await ScheduleAsync(h, "cust_1", "a-1", "a-2", "a-3");
        await ScheduleAsync(h, "cust_2", "b-1", "b-2");
        return h;
    }

    private static async Task ScheduleAsync(FakeHarness h, string customerUid, params string[] merchantUids)
    {
        var items = new JsonArray([.. merchantUids.Select((m, i) => (JsonNode)new JsonObject { ["merchant_uid"] = m, ["schedule_at"] = At + i * 60, ["amount"] = 9900, ["name"] = "정기구독" })]);
        var (status, json) = await h.PostAsync("subscribe/payments/schedule", new JsonObject { ["customer_uid"] = customerUid, ["schedules"] = items });
        Assert.That((status, (int?)json?["code"]), Is.EqualTo((HttpStatusCode.OK, (int?)0)), json?.ToJsonString());
    }

    private static string[] Of(params string[] values) => values;

    private static string[] MerchantUids(JsonNode? answer) => [.. answer!["response"]!.AsArray().Select(s => (string)s!["merchant_uid"]!).Order()];

    private static async Task<string[]> StatusesAsync(FakeHarness h, params string[] merchantUids)
    {
        var statuses = new string[merchantUids.Length];
        for (var i = 0; i < merchantUids.Length; i++)
        {
            var (_, json) = await h.GetAsync("subscribe/payments/schedule/" + merchantUids[i]);
            statuses[i] = (string)json!["response"]!["schedule_status"]!;
        }

        return statuses;
    }

    [TestCase("a-1")]
    [TestCase("a-1,b-1")]
    [TestCase("a-2,a-3,b-2")]
    [TestCase("b-1,b-2,a-1,a-2,a-3")]
    public async Task Unschedule_MerchantUidsWithoutCustomerUid_RevokesExactlyThoseWhateverTheirKey(string list)
    {
        await using var h = await TwoKeysWithSchedulesAsync();
        string[] listed = list.Split(',');
        string[] all = ["a-1", "a-2", "a-3", "b-1", "b-2"];

        var (status, json) = await h.PostAsync("subscribe/payments/unschedule", new JsonObject { ["merchant_uid"] = new JsonArray([.. listed.Select(m => (JsonNode)m)]) });
        string[] statuses = await StatusesAsync(h, all);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((status, (int)json!["code"]!), Is.EqualTo((HttpStatusCode.OK, 0)));
            Assert.That(MerchantUids(json), Is.EqualTo(listed.Order().ToArray()));
            Assert.That(json["response"]!.AsArray().Select(s => (string)s!["schedule_status"]!), Is.All.EqualTo("revoked"));
            Assert.That(json["response"]!.AsArray().Select(s => (long)s!["revoked_at"]!), Is.All.EqualTo(FakeHarness.Start.ToUnixTimeSeconds()));
            Assert.That(statuses, Is.EqualTo(all.Select(m => listed.Contains(m) ? "revoked" : "scheduled").ToArray()));
        }
    }

    [Test]
    public async Task Unschedule_MerchantUidsAsForm_RevokesThem()
    {
        await using var h = await TwoKeysWithSchedulesAsync();

        var (_, json) = await h.SendAsync(HttpMethod.Post, "subscribe/payments/unschedule", "merchant_uid%5B%5D=a-2&merchant_uid%5B%5D=b-1", form: true);

        Assert.That(MerchantUids(json), Is.EqualTo(Of("a-2", "b-1")));
    }

    [Test]
    public async Task Unschedule_MerchantUidsThenTheClockPasses_OnlyTheOthersRun()
    {
        await using var h = await TwoKeysWithSchedulesAsync();

        await h.PostAsync("subscribe/payments/unschedule", new JsonObject { ["merchant_uid"] = new JsonArray("a-1", "b-2") });
        h.Time.Advance(TimeSpan.FromHours(2));
        await h.Fake.RunDueSchedulesAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(h.Fake.Payments.Select(p => p.MerchantUid).Order(), Is.EqualTo(Of("a-2", "a-3", "b-1")));
            Assert.That(h.Fake.ChargeAttemptCount("a-1") + h.Fake.ChargeAttemptCount("b-2"), Is.Zero);
        }
    }

    [Test]
    public async Task Unschedule_UnknownExecutedAndRevokedAmongThem_PassedOverAndThePendingOneRevoked()
    {
        await using var h = await TwoKeysWithSchedulesAsync();
        await h.PostAsync("subscribe/payments/unschedule", new JsonObject { ["merchant_uid"] = new JsonArray("b-1") });
        h.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(30));
        await h.Fake.RunDueSchedulesAsync(); // a-1 (due at the hour) runs; a-2 is due a minute later
        await h.GetTokenAsync();

        var (status, json) = await h.PostAsync("subscribe/payments/unschedule", new JsonObject { ["merchant_uid"] = new JsonArray("nope", "a-1", "b-1", "a-2") });
        string[] statuses = await StatusesAsync(h, "a-1", "a-2", "b-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((status, (int)json!["code"]!), Is.EqualTo((HttpStatusCode.OK, 0)));
            Assert.That(MerchantUids(json), Is.EqualTo(Of("a-2")));
            Assert.That(statuses, Is.EqualTo(Of("executed", "revoked", "revoked")));
            Assert.That(h.Fake.PaidChargeCount("a-1"), Is.EqualTo(1), "a schedule that ran keeps its payment");
        }
    }

    [TestCase("nope")]
    [TestCase("nope,other")]
    public async Task Unschedule_NothingListedIsPending_Code1AndNothingChanges(string list)
    {
        await using var h = await TwoKeysWithSchedulesAsync();

        var (status, json) = await h.PostAsync("subscribe/payments/unschedule", new JsonObject { ["merchant_uid"] = new JsonArray([.. list.Split(',').Select(m => (JsonNode)m)]) });
        string[] statuses = await StatusesAsync(h, "a-1", "b-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((status, (int)json!["code"]!), Is.EqualTo((HttpStatusCode.OK, 1)));
            Assert.That((string)json["message"]!, Is.EqualTo("취소할 예약결제 기록이 존재하지 않습니다."));
            Assert.That(statuses, Is.All.EqualTo("scheduled"));
        }
    }

    [Test]
    public async Task Unschedule_CustomerUidAndAnotherKeysMerchantUid_RevokesNothingOfTheOtherKey()
    {
        await using var h = await TwoKeysWithSchedulesAsync();

        var (_, json) = await h.PostAsync("subscribe/payments/unschedule", new JsonObject { ["customer_uid"] = "cust_1", ["merchant_uid"] = new JsonArray("b-1", "a-3") });
        string[] statuses = await StatusesAsync(h, "a-3", "b-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(MerchantUids(json), Is.EqualTo(Of("a-3")));
            Assert.That(statuses, Is.EqualTo(Of("revoked", "scheduled")));
        }
    }

    [TestCase("{}")]
    [TestCase("""{"merchant_uid":[]}""")]
    [TestCase("""{"customer_uid":""}""")]
    public async Task Unschedule_NeitherCustomerUidNorMerchantUid_400AndNothingChanges(string body)
    {
        await using var h = await TwoKeysWithSchedulesAsync();

        var (status, json) = await h.PostAsync("subscribe/payments/unschedule", JsonNode.Parse(body)!);
        string[] statuses = await StatusesAsync(h, "a-1", "a-2", "a-3", "b-1", "b-2");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string)json!["message"]!, Is.EqualTo("customer_uid 파라미터가 누락되었습니다."));
            Assert.That(statuses, Is.All.EqualTo("scheduled"), "never read as \"revoke everything\"");
        }
    }
}
