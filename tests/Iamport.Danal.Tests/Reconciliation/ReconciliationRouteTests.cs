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

namespace Iamport.Danal.Tests.Reconciliation;

/// <summary>The reconciliation look-ups: payments by status and period, and the multi-gets with their 207 partial answers.</summary>
public class ReconciliationRouteTests
{
    private static readonly DateTimeOffset Since = new(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(9));

    private static readonly DateTimeOffset Until = Since.AddDays(30);

    private static readonly string[] FivePayments = ["imp_300000000001", "imp_300000000002", "imp_300000000003", "imp_300000000004", "imp_300000000005"];

    private static JsonObject Item(string fixture, Action<JsonObject> change)
    {
        JsonObject item = JsonNode.Parse(Fixture(fixture))!["response"]!.DeepClone().AsObject();
        change(item);
        return item;
    }

    private static string ListOf(params JsonObject[] items) =>
        new JsonObject { ["code"] = 0, ["message"] = null, ["response"] = new JsonArray([.. items]) }.ToJsonString();

    private static JsonObject PaymentNamed(string impUid) => Item("payment-charge.json", p => p["imp_uid"] = impUid);

    private static JsonObject KeyNamed(string customerUid) => Item("billing-key.json", k => k["customer_uid"] = customerUid);

    [Test]
    public async Task GetPaymentsByStatusAsync_Paid_SendsExactQueryAndFollowsEveryPage()
    {
        using var api = new ApiFixture();
        var route = new RouteRecorder(api, HttpMethod.Get, "/payments/status/paid", Ok(Fixture("payments-page1.json")), Ok(Fixture("payments-page2.json")), Ok(Fixture("payments-page3.json")));

        List<Payment> payments = await api.Client.GetPaymentsByStatusAsync(PaymentStatus.Paid, Since, Until, PaymentSorting.Paid).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(payments.Select(p => p.ImpUid), Is.EqualTo(FivePayments));
            Assert.That(route.Sent.Select(r => r.PathAndQuery), Is.EqualTo(new[] { 1, 2, 3 }.Select(page =>
                $"/payments/status/paid?sorting=paid&from={UnixSeconds(Since)}&to={UnixSeconds(Until)}&page={page}")));
        }
    }

    [Test]
    public async Task GetPaymentsByStatusAsync_NoStatusAndPageSize_AsksForAllWithLimit()
    {
        using var api = new ApiFixture();
        var route = new RouteRecorder(api, HttpMethod.Get, "/payments/status/all", Ok(Fixture("payments-page3.json")));

        List<IamportPage<Payment>> pages = await api.Client.GetPaymentsByStatusAsync(null).AsPages("3", pageSizeHint: 500).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pages.Single().Items.Single().ImpUid, Is.EqualTo("imp_300000000005"));
            Assert.That(route.Sent.Single().PathAndQuery, Is.EqualTo("/payments/status/all?sorting=-started&page=3&limit=500"));
        }
    }

    [Test]
    public void GetPaymentsByStatusAsync_RangeOver90Days_ThrowsAtTheCallWithZeroRequests()
    {
        using var api = new ApiFixture();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => api.Client.GetPaymentsByStatusAsync(PaymentStatus.Paid, Since, Since.AddDays(91)), Throws.ArgumentException.With.Property("ParamName").EqualTo("until"));
            Assert.That(() => api.Client.GetPaymentsByStatusAsync(PaymentStatus.Paid, Since, Since.AddDays(-1)), Throws.ArgumentException.With.Property("ParamName").EqualTo("until"));
            Assert.That(() => api.Client.GetPaymentsByStatusAsync(PaymentStatus.Paid, ApiFixture.Now.AddDays(-91)), Throws.ArgumentException.With.Property("ParamName").EqualTo("since"));
            Assert.That(api.RequestsSent, Is.Zero);
        }
    }

    [Test]
    public async Task GetPaymentsAsync_AllFound_SendsRepeatedImpUidAndIsComplete()
    {
        using var api = new ApiFixture();
        var route = new RouteRecorder(api, HttpMethod.Get, "/payments", Ok(ListOf(PaymentNamed("imp_1"), PaymentNamed("imp_2"))));

        LookupResult<Payment> result = await api.Client.GetPaymentsAsync(["imp_1", "imp_2"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Found.Select(p => p.ImpUid), Is.EqualTo(new[] { "imp_1", "imp_2" }));
            Assert.That(result.IsComplete, Is.True);
            Assert.That(result.NotFound, Is.Empty);
            Assert.That(Uri.UnescapeDataString(route.Sent.Single().PathAndQuery), Is.EqualTo("/payments?imp_uid[]=imp_1&imp_uid[]=imp_2"));
        }
    }

    [Test]
    public async Task GetPaymentsAsync_207Partial_ReturnsFoundAndNamesTheMissing()
    {
        using var api = new ApiFixture();
        _ = new RouteRecorder(api, HttpMethod.Get, "/payments", ((HttpStatusCode)207, ListOf(PaymentNamed("imp_2"))));

        LookupResult<Payment> result = await api.Client.GetPaymentsAsync(["imp_1", "imp_2", "imp_3"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Found.Select(p => p.ImpUid), Is.EqualTo(new[] { "imp_2" }));
            Assert.That(result.NotFound, Is.EqualTo(new[] { "imp_1", "imp_3" }));
            Assert.That(result.IsComplete, Is.False);
        }
    }

    [Test]
    public async Task GetPaymentsAsync_NoneFound404_AllNotFound()
    {
        using var api = new ApiFixture();
        _ = new RouteRecorder(api, HttpMethod.Get, "/payments", (HttpStatusCode.NotFound, """{"code":1,"message":"해당되는 결제건을 찾지 못하였습니다.","response":null}"""));

        LookupResult<Payment> result = await api.Client.GetPaymentsAsync(["imp_1", "imp_2"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Found, Is.Empty);
            Assert.That(result.NotFound, Is.EqualTo(new[] { "imp_1", "imp_2" }));
        }
    }

    [Test]
    public void GetPaymentsAsync_NoneOrOver100Ids_ThrowsWithZeroRequests()
    {
        using var api = new ApiFixture();
        string[] tooMany = [.. Enumerable.Range(0, 101).Select(i => "imp_" + i)];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => api.Client.GetPaymentsAsync([]), Throws.ArgumentException.With.Property("ParamName").EqualTo("impUids"));
            Assert.That(() => api.Client.GetPaymentsAsync(tooMany), Throws.ArgumentException.With.Property("ParamName").EqualTo("impUids"));
            Assert.That(() => api.Client.GetPaymentsAsync(["imp_1", ""]), Throws.ArgumentException.With.Property("ParamName").EqualTo("impUids[1]"));
            Assert.That(api.RequestsSent, Is.Zero);
        }
    }

    [Test]
    public async Task GetBillingKeysAsync_207Partial_ReturnsFoundAndNamesTheMissing()
    {
        using var api = new ApiFixture();
        var route = new RouteRecorder(api, HttpMethod.Get, "/subscribe/customers", ((HttpStatusCode)207, ListOf(KeyNamed("cust_b"))));

        LookupResult<BillingKey> result = await api.Client.GetBillingKeysAsync(["cust_a", "cust_b"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Found.Select(k => k.CustomerUid), Is.EqualTo(new[] { "cust_b" }));
            Assert.That(result.NotFound, Is.EqualTo(new[] { "cust_a" }));
            Assert.That(Uri.UnescapeDataString(route.Sent.Single().PathAndQuery), Is.EqualTo("/subscribe/customers?customer_uid[]=cust_a&customer_uid[]=cust_b"));
        }
    }

    [Test]
    public async Task GetBillingKeysAsync_AllFound200_IsComplete()
    {
        using var api = new ApiFixture();
        _ = new RouteRecorder(api, HttpMethod.Get, "/subscribe/customers", Ok(ListOf(KeyNamed("cust_a"), KeyNamed("cust_b"))));

        LookupResult<BillingKey> result = await api.Client.GetBillingKeysAsync(["cust_a", "cust_b"]);

        Assert.That(result.IsComplete, Is.True);
    }

    [Test]
    public void GetBillingKeysAsync_ErrorEchoingTheKeys_NamesNoneOfThem()
    {
        using var api = new ApiFixture();
        _ = new RouteRecorder(api, HttpMethod.Get, "/subscribe/customers", (HttpStatusCode.InternalServerError, """{"code":-1,"message":"cust_secret_a, cust_secret_b 조회 실패","response":null}"""));

        var ex = Assert.ThrowsAsync<IamportException>(() => api.Client.GetBillingKeysAsync(["cust_secret_a", "cust_secret_b"]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(500));
            Assert.That(ex.ToString(), Does.Not.Contain("cust_secret"));
            Assert.That(ex.ApiMessage, Does.Contain("조회 실패"));
        }
    }
}
