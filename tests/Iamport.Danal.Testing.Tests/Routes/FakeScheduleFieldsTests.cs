using System;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Testing.Tests.Routes;

/// <summary>A schedule's <c>card_quota</c>, <c>product_count</c> and <c>browser_ip</c>: accepted, installments under the
/// charge's rule, and <c>card_quota</c> carried to the payment the schedule makes.</summary>
[TestFixture(FakeHost.InProcess)]
[TestFixture(FakeHost.Kestrel)]
public class FakeScheduleFieldsTests(FakeHost host)
{
    private static readonly long At = FakeHarness.Start.AddHours(1).ToUnixTimeSeconds();

    private async Task<FakeHarness> WithKeyAsync()
    {
        var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();
        return h;
    }

    private static JsonObject Body(decimal amount, int? cardQuota, int productCount = 2, string browserIp = "203.0.113.7")
    {
        var item = new JsonObject { ["merchant_uid"] = "s-1", ["schedule_at"] = At, ["amount"] = amount, ["name"] = "정기구독", ["product_count"] = productCount, ["browser_ip"] = browserIp };
        if (cardQuota is { } quota)
        {
            item["card_quota"] = quota;
        }

        return new JsonObject { ["customer_uid"] = "cust_1", ["schedules"] = new JsonArray(item) };
    }

    [TestCase(50_000, 3)]
    [TestCase(1_200_000, 12)]
    [TestCase(9_900, 0)]
    [TestCase(9_900, null)]
    public async Task Schedule_CardQuota_CarriedToThePaymentWhenItRuns(decimal amount, int? quota)
    {
        await using var h = await WithKeyAsync();

        var (status, created) = await h.PostAsync("subscribe/payments/schedule", Body(amount, quota));
        h.Time.Advance(TimeSpan.FromHours(1));
        await h.Fake.RunDueSchedulesAsync();
        await h.GetTokenAsync();
        var (_, found) = await h.GetAsync("payments/find/s-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((status, (int)created!["code"]!), Is.EqualTo((HttpStatusCode.OK, 0)), created.ToJsonString());
            Assert.That((string)found!["response"]!["status"]!, Is.EqualTo("paid"));
            Assert.That((int)found["response"]!["card_quota"]!, Is.EqualTo(quota ?? 0));
            Assert.That((decimal)found["response"]!["amount"]!, Is.EqualTo(amount));
        }
    }

    [TestCase(49_999, 2)]
    [TestCase(9_900, 3)]
    [TestCase(1_000, 12)]
    public async Task Schedule_InstallmentsUnder50000_RefusedAndNothingRegistered(decimal amount, int quota)
    {
        await using var h = await WithKeyAsync();

        var (status, created) = await h.PostAsync("subscribe/payments/schedule", Body(amount, quota));
        var (lookup, _) = await h.GetAsync("subscribe/payments/schedule/s-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((status, (int)created!["code"]!), Is.EqualTo((HttpStatusCode.OK, 1)));
            Assert.That((string)created["message"]!, Is.EqualTo("5만원 미만 결제는 할부가 불가능합니다."));
            Assert.That(lookup, Is.EqualTo(HttpStatusCode.NotFound), "nothing was registered");
        }
    }

    [Test]
    public async Task Schedule_FormEncodedQuotaCountAndIp_Accepted()
    {
        await using var h = await WithKeyAsync();
        var form = string.Join("&",
            "customer_uid=cust_1",
            "schedules%5B0%5D%5Bmerchant_uid%5D=s-1",
            $"schedules%5B0%5D%5Bschedule_at%5D={At}",
            "schedules%5B0%5D%5Bamount%5D=60000",
            "schedules%5B0%5D%5Bname%5D=n",
            "schedules%5B0%5D%5Bcard_quota%5D=6",
            "schedules%5B0%5D%5Bproduct_count%5D=3",
            "schedules%5B0%5D%5Bbrowser_ip%5D=2001%3Adb8%3A%3A7");

        var (status, created) = await h.SendAsync(System.Net.Http.HttpMethod.Post, "subscribe/payments/schedule", form, form: true);
        h.Time.Advance(TimeSpan.FromHours(1));
        await h.Fake.RunDueSchedulesAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((status, (int)created!["code"]!), Is.EqualTo((HttpStatusCode.OK, 0)), created.ToJsonString());
            Assert.That(h.Fake.Payments.Single().Amount, Is.EqualTo(60_000m));
            Assert.That(h.Fake.PaidChargeCount("s-1"), Is.EqualTo(1));
        }
    }
}
