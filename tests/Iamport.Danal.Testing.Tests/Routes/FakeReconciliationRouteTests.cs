using System;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Testing.Tests.Routes;

/// <summary>Daily reconciliation by raw HTTP: payments by status and period, and multi-gets of payments and billing keys (207 when partial).</summary>
[TestFixture(FakeHost.InProcess)]
[TestFixture(FakeHost.Kestrel)]
public class FakeReconciliationRouteTests(FakeHost host)
{
    private static readonly long T0 = FakeHarness.Start.ToUnixTimeSeconds();

    private static string MerchantUids(JsonNode? json) => string.Join(",", json!["response"]!["list"]!.AsArray().Select(p => (string)p!["merchant_uid"]!));

    /// <summary>order-0 paid at T0, order-1 declined at T0+10, order-2 paid at T0+20 and cancelled at T0+30.</summary>
    private async Task<FakeHarness> ThreeOrdersAsync()
    {
        var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();
        await h.AgainAsync("cust_1", "order-0", 1000);
        h.Time.Advance(TimeSpan.FromSeconds(10));
        h.Fake.DeclineNext("cust_1");
        await h.AgainAsync("cust_1", "order-1", 1000);
        h.Time.Advance(TimeSpan.FromSeconds(10));
        await h.AgainAsync("cust_1", "order-2", 1000);
        h.Time.Advance(TimeSpan.FromSeconds(10));
        await h.PostAsync("payments/cancel", new JsonObject { ["merchant_uid"] = "order-2", ["reason"] = "환불" });
        return h;
    }

    [Test]
    public async Task ByStatus_StatusAndPeriod_ByTheTimeOfThatStatusBothEndsInclusive()
    {
        await using var h = await ThreeOrdersAsync();

        var (_, paid) = await h.GetAsync($"payments/status/paid?from={T0}&to={T0 + 30}");
        var (_, cancelled) = await h.GetAsync($"payments/status/cancelled?from={T0 + 30}&to={T0 + 30}");
        var (_, failedBefore) = await h.GetAsync($"payments/status/failed?from={T0}&to={T0 + 9}");
        var (_, all) = await h.GetAsync($"payments/status/all?from={T0}&to={T0 + 30}");
        var (_, allOldestFirst) = await h.GetAsync($"payments/status/all?from={T0}&to={T0 + 30}&sorting=started");
        var (_, byDefault) = await h.GetAsync("payments/status/all");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(MerchantUids(paid), Is.EqualTo("order-0"));
            Assert.That(MerchantUids(cancelled), Is.EqualTo("order-2"));
            Assert.That(MerchantUids(failedBefore), Is.Empty);
            Assert.That(MerchantUids(all), Is.EqualTo("order-2,order-1,order-0"), "newest first");
            Assert.That(MerchantUids(allOldestFirst), Is.EqualTo("order-0,order-1,order-2"));
            Assert.That(MerchantUids(byDefault), Is.EqualTo("order-2,order-1,order-0"), "the last 90 days by default");
        }
    }

    [Test]
    public async Task ByStatus_Limit_PagesWithNext()
    {
        await using var h = await ThreeOrdersAsync();

        var (_, page1) = await h.GetAsync("payments/status/all?limit=2");
        var (_, page2) = await h.GetAsync("payments/status/all?limit=2&page=2");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(MerchantUids(page1), Is.EqualTo("order-2,order-1"));
            Assert.That((int)page1!["response"]!["next"]!, Is.EqualTo(2));
            Assert.That(MerchantUids(page2), Is.EqualTo("order-0"));
            Assert.That((int)page2!["response"]!["next"]!, Is.Zero);
            Assert.That((int)page2["response"]!["total"]!, Is.EqualTo(3));
        }
    }

    [TestCase("payments/status/done")]
    [TestCase("payments/status/all?limit=1001")]
    [TestCase("payments/status/all?sorting=amount")]
    [TestCase("payments/status/all?from=1700000000&to=1769472000")]
    [TestCase("payments/status/all?page=9")]
    public async Task ByStatus_BadQuery_400(string path)
    {
        await using var h = await ThreeOrdersAsync();

        var (status, json) = await h.GetAsync(path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((int)json!["code"]!, Is.Not.Zero);
        }
    }

    [Test]
    public async Task MultiGet_Payments_200WhenAllFound207WithTheFoundWhenPartial()
    {
        await using var h = await ThreeOrdersAsync();
        var impUids = h.Fake.Payments.Select(p => p.ImpUid).ToArray();

        var (allStatus, all) = await h.GetAsync($"payments?imp_uid[]={impUids[0]}&imp_uid[]={impUids[2]}");
        var (partStatus, part) = await h.GetAsync($"payments?imp_uid[]={impUids[0]}&imp_uid[]=imp_000000000000&merchant_uid[]=order-1");
        var (noneStatus, _) = await h.GetAsync("payments?imp_uid[]=imp_000000000000");
        var (emptyStatus, empty) = await h.GetAsync("payments");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(allStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(string.Join(",", all!["response"]!.AsArray().Select(p => (string)p!["imp_uid"]!)), Is.EqualTo(impUids[0] + "," + impUids[2]));
            Assert.That(partStatus, Is.EqualTo(HttpStatusCode.MultiStatus));
            Assert.That(string.Join(",", part!["response"]!.AsArray().Select(p => (string)p!["merchant_uid"]!)), Is.EqualTo("order-0,order-1"));
            Assert.That(noneStatus, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(emptyStatus, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string)empty!["message"]!, Does.Contain("누락"));
        }
    }

    [Test]
    public async Task MultiGet_BillingKeys_207WithTheKeysFoundWhenPartial()
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_a");
        h.Fake.IssueBillingKey("cust_b", TestCards.ApproveCheckCard);
        await h.GetTokenAsync();

        var (allStatus, all) = await h.GetAsync("subscribe/customers?customer_uid[]=cust_a&customer_uid[]=cust_b");
        var (partStatus, part) = await h.GetAsync("subscribe/customers?customer_uid[]=cust_b&customer_uid[]=cust_x");
        var (noneStatus, _) = await h.GetAsync("subscribe/customers?customer_uid[]=cust_x");
        var (missingStatus, _) = await h.GetAsync("subscribe/customers");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(allStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(string.Join(",", all!["response"]!.AsArray().Select(c => (string)c!["customer_uid"]!)), Is.EqualTo("cust_a,cust_b"));
            Assert.That(partStatus, Is.EqualTo(HttpStatusCode.MultiStatus));
            Assert.That((int)part!["code"]!, Is.Zero);
            Assert.That(string.Join(",", part["response"]!.AsArray().Select(c => (string)c!["customer_uid"]!)), Is.EqualTo("cust_b"));
            Assert.That(noneStatus, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(missingStatus, Is.EqualTo(HttpStatusCode.BadRequest));
        }
    }
}
