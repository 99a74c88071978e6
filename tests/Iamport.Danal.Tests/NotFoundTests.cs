using System;
using System.Collections.Generic;
using System.Net;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using static Iamport.Danal.Tests.TestSupport.Api;

namespace Iamport.Danal.Tests;

/// <summary>Every single-object look-up maps "not found" to null, whether I'mport answers 404 or HTTP 200 with code != 0.</summary>
public class NotFoundTests
{
    private static IEnumerable<TestCaseData> Lookups()
    {
        (string Name, string Path, string Fixture, Func<IIamportClient, Task<object?>> Call)[] lookups =
        [
            ("GetPaymentAsync", "/payments/imp_000000000000", "payment-not-found.json", async c => await c.GetPaymentAsync("imp_000000000000")),
            ("FindPaymentAsync", "/payments/find/order_0001?sorting=-started", "payment-not-found.json", async c => await c.FindPaymentAsync("order_0001")),
            ("GetPreparedPaymentAsync", "/payments/prepare/order_0001", "prepare-not-found.json", async c => await c.GetPreparedPaymentAsync("order_0001")),
            ("GetBillingKeyAsync", "/subscribe/customers/cust_0001", "billing-key-not-found.json", async c => await c.GetBillingKeyAsync("cust_0001")),
            ("GetBillingKeyPaymentsAsync", "/subscribe/customers/cust_0001/payments?page=1", "billing-key-not-found.json", async c => await c.GetBillingKeyPaymentsAsync("cust_0001")),
            ("GetScheduleAsync", "/subscribe/payments/schedule/order_sched_0009", "schedule-not-found.json", async c => await c.GetScheduleAsync("order_sched_0009")),
        ];
        foreach (var lookup in lookups)
        {
            foreach (HttpStatusCode status in new[] { HttpStatusCode.NotFound, HttpStatusCode.OK })
            {
                yield return new TestCaseData(lookup.Path, lookup.Fixture, status, lookup.Call).SetArgDisplayNames(lookup.Name, status.ToString());
            }
        }
    }

    [TestCaseSource(nameof(Lookups))]
    public async Task Lookup_NotFoundAs404Or200WithCode_ReturnsNull(string pathAndQuery, string fixture, HttpStatusCode status, Func<IIamportClient, Task<object?>> call)
    {
        using var api = new ApiFixture();
        api.ExpectGet(pathAndQuery, Fixture(fixture), status);

        Assert.That(await call(api.Client), Is.Null);
        api.Mock.VerifyNoOutstandingExpectation();
    }
}
