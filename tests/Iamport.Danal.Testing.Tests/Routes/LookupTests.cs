using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Testing.Tests.Routes;

[TestFixture(FakeHost.InProcess)]
[TestFixture(FakeHost.Kestrel)]
public class LookupTests(FakeHost host)
{
    [TestCase(NotFoundStyle.Http404, HttpStatusCode.NotFound)]
    [TestCase(NotFoundStyle.Http200, HttpStatusCode.OK)]
    public async Task Lookups_NotFound_ForcedStyleOverridesEveryRoute(NotFoundStyle style, HttpStatusCode expected)
    {
        await using var h = new FakeHarness(host, o => o.NotFoundStyle = style);
        await h.GetTokenAsync();

        foreach (var path in new[] { "payments/imp_123456789012", "payments/find/nope", "payments/findAll/nope", "subscribe/customers/nope", "subscribe/payments/schedule/nope" })
        {
            var (status, json) = await h.GetAsync(path);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(status, Is.EqualTo(expected), path);
                Assert.That((int)json!["code"]!, Is.Not.Zero, path);
                Assert.That(json["response"], Is.Null, path);
            }
        }
    }

    [Test]
    public async Task Find_SeveralAttempts_NewestFirstByDefaultAndFilteredByStatus()
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        h.Fake.DeclineNext("cust_1");
        await h.GetTokenAsync();
        var failed = await h.AgainAsync("cust_1", "order-1", 1000);
        h.Time.Advance(TimeSpan.FromSeconds(5));
        var paid = await h.AgainAsync("cust_1", "order-1", 1000);

        var (_, newest) = await h.GetAsync("payments/find/order-1");
        var (_, oldest) = await h.GetAsync("payments/find/order-1?sorting=started");
        var (_, onlyFailed) = await h.GetAsync("payments/find/order-1/failed");
        var (_, byImpUid) = await h.GetAsync("payments/" + (string)failed["response"]!["imp_uid"]!);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)newest!["response"]!["imp_uid"]!, Is.EqualTo((string)paid["response"]!["imp_uid"]!));
            Assert.That((string)oldest!["response"]!["status"]!, Is.EqualTo("failed"));
            Assert.That((string)onlyFailed!["response"]!["status"]!, Is.EqualTo("failed"));
            Assert.That((string)byImpUid!["response"]!["merchant_uid"]!, Is.EqualTo("order-1"));
        }
    }

    [Test]
    public async Task FindAll_PagedWithLimit_NextZeroOnLastPage()
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();
        for (var i = 0; i < 3; i++)
        {
            h.Fake.DeclineNext("cust_1");
            await h.AgainAsync("cust_1", "order-1", 1000);
        }

        var (_, page1) = await h.GetAsync("payments/findAll/order-1/failed?page=1&limit=2");
        var (_, page2) = await h.GetAsync("payments/findAll/order-1/failed?page=2&limit=2");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)page1!["response"]!["total"]!, Is.EqualTo(3));
            Assert.That((int)page1["response"]!["next"]!, Is.EqualTo(2));
            Assert.That((int)page1["response"]!["previous"]!, Is.Zero);
            Assert.That(page2!["response"]!["list"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That((int)page2["response"]!["next"]!, Is.Zero);
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Sandbox_GetByImpUidHidesUnlessIncludeSandbox_SearchesOnlyWithTheOption(bool hideFromSearches)
    {
        await using var h = new FakeHarness(host, o => (o.Sandbox, o.HideSandboxFromSearches) = (true, hideFromSearches));
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();
        var impUid = (string)(await h.AgainAsync("cust_1", "order-1", 1000))["response"]!["imp_uid"]!;
        string[] searches = ["payments/find/order-1", "payments/findAll/order-1", "payments/status/paid", "payments?imp_uid[]=" + impUid, "payments?merchant_uid[]=order-1"];

        var (hiddenGet, _) = await h.GetAsync("payments/" + impUid);
        var (shownGet, got) = await h.GetAsync("payments/" + impUid + "?include_sandbox=true");
        var searched = new List<HttpStatusCode>();
        var searchedWithFlag = new List<HttpStatusCode>();
        var statusListSizes = new List<int>();
        foreach (var search in searches)
        {
            var (status, json) = await h.GetAsync(search);
            var (flagged, flaggedJson) = await h.GetAsync(search + (search.Contains('?') ? "&" : "?") + "include_sandbox=true");
            searched.Add(status);
            searchedWithFlag.Add(flagged);
            if (search == "payments/status/paid")
            {
                statusListSizes.Add(json!["response"]!["list"]!.AsArray().Count);
                statusListSizes.Add(flaggedJson!["response"]!["list"]!.AsArray().Count);
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(hiddenGet, Is.EqualTo(HttpStatusCode.NotFound), "documented: GET /payments/{imp_uid} hides it without include_sandbox");
            Assert.That(shownGet, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((bool)got!["response"]!["sandbox"]!, Is.True);
            Assert.That(searchedWithFlag, Is.All.EqualTo(HttpStatusCode.OK));
            if (hideFromSearches)
            {
                Assert.That(searched.Where((_, i) => searches[i] != "payments/status/paid"), Is.All.EqualTo(HttpStatusCode.NotFound));
                Assert.That(string.Join(",", statusListSizes), Is.EqualTo("0,1"));
            }
            else
            {
                Assert.That(searched, Is.All.EqualTo(HttpStatusCode.OK), "include_sandbox is undocumented there: nothing hidden by default");
                Assert.That(string.Join(",", statusListSizes), Is.EqualTo("1,1"));
            }
        }
    }

    [Test]
    public async Task Prepare_RegisteredThenReadable_DuplicateRefused()
    {
        await using var h = new FakeHarness(host);
        await h.GetTokenAsync();

        var (status, created) = await h.PostAsync("payments/prepare", new { merchant_uid = "order-1", amount = 5000 });
        var (_, duplicate) = await h.PostAsync("payments/prepare", new { merchant_uid = "order-1", amount = 5000 });
        var (_, read) = await h.GetAsync("payments/prepare/order-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((decimal)created!["response"]!["amount"]!, Is.EqualTo(5000m));
            Assert.That((int)duplicate!["code"]!, Is.Not.Zero);
            Assert.That((string)read!["response"]!["merchant_uid"]!, Is.EqualTo("order-1"));
        }
    }
}
