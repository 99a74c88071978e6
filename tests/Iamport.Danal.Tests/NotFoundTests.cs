using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using static Iamport.Danal.Tests.TestSupport.Api;

namespace Iamport.Danal.Tests;

/// <summary>Every single-object look-up maps "not found" to null, and every list to empty, when I'mport answers in the
/// route's documented not-found shape: 404 everywhere; HTTP 200 with code != 0 too except on the payment routes, where
/// the reference documents 404 and a 200 refusal may be an outage's answer (then an <see cref="IamportException"/>).</summary>
public class NotFoundTests
{
    private static IEnumerable<TestCaseData> Lookups()
    {
        (string Name, string Path, string Fixture, Func<IIamportClient, Task<object?>> Call)[] lookups =
        [
            ("!GetPaymentAsync", "/payments/imp_000000000000", "payment-not-found.json", async c => await c.GetPaymentAsync("imp_000000000000")),
            ("!GetPaymentByMerchantUidAsync", "/payments/find/order_0001?sorting=-started", "payment-not-found.json", async c => await c.GetPaymentByMerchantUidAsync("order_0001")),
            ("GetPreparedPaymentAsync", "/payments/prepare/order_0001", "prepare-not-found.json", async c => await c.GetPreparedPaymentAsync("order_0001")),
            ("GetBillingKeyAsync", "/subscribe/customers/cust_0001", "billing-key-not-found.json", async c => await c.GetBillingKeyAsync("cust_0001")),
            ("GetScheduleAsync", "/subscribe/payments/schedule/order_sched_0009", "schedule-not-found.json", async c => await c.GetScheduleAsync("order_sched_0009")),
        ];
        foreach (var lookup in lookups)
        {
            foreach (HttpStatusCode status in new[] { HttpStatusCode.NotFound, HttpStatusCode.OK })
            {
                bool paymentRoute = lookup.Name.StartsWith('!');
                yield return new TestCaseData(lookup.Path, lookup.Fixture, status, !paymentRoute, lookup.Call).SetArgDisplayNames(lookup.Name.TrimStart('!'), status.ToString());
            }
        }
    }

    [TestCaseSource(nameof(Lookups))]
    public async Task Lookup_NotFoundInTheRoutesShape_ReturnsNull(string pathAndQuery, string fixture, HttpStatusCode status, bool notFoundAt200, Func<IIamportClient, Task<object?>> call)
    {
        using var api = new ApiFixture();
        api.ExpectGet(pathAndQuery, Fixture(fixture), status);

        if (status == HttpStatusCode.OK && !notFoundAt200)
        {
            Assert.ThrowsAsync<IamportException>(() => call(api.Client));
        }
        else
        {
            Assert.That(await call(api.Client), Is.Null);
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    private static IEnumerable<TestCaseData> Lists()
    {
        DateTimeOffset since = ApiFixture.Now.AddDays(1);
        (string Name, string Path, string Fixture, Func<IIamportClient, Task<int>> PageCount)[] lists =
        [
            ("!GetPaymentsByMerchantUidAsync", "/payments/findAll/order_0001?page=1", "payment-not-found.json", c => Pages(c.GetPaymentsByMerchantUidAsync("order_0001"))),
            ("!GetPaymentsByStatusAsync", "/payments/status/paid?page=1", "payment-not-found.json", c => Pages(c.GetPaymentsByStatusAsync(PaymentStatus.Paid))),
            ("!GetPaymentsByCustomerUidAsync", "/subscribe/customers/cust_0001/payments?page=1", "billing-key-not-found.json", c => Pages(c.GetPaymentsByCustomerUidAsync("cust_0001"))),
            ("GetSchedulesByCustomerUidAsync", "/subscribe/payments/schedule/customers/cust_0001?page=1", "schedule-not-found.json", c => Pages(c.GetSchedulesByCustomerUidAsync("cust_0001", since, since.AddDays(30)))),
            ("GetSchedulesAsync(merchant)", "/subscribe/payments/schedule?page=1", "schedule-not-found.json", c => Pages(c.GetSchedulesAsync(since, since.AddDays(30)))),
        ];
        foreach (var list in lists)
        {
            foreach (HttpStatusCode status in new[] { HttpStatusCode.NotFound, HttpStatusCode.OK })
            {
                bool paymentRoute = list.Name.StartsWith('!');
                yield return new TestCaseData(list.Path, list.Fixture, status, !paymentRoute, list.PageCount).SetArgDisplayNames(list.Name.TrimStart('!'), status.ToString());
            }
        }
    }

    [TestCaseSource(nameof(Lists))]
    public async Task List_NotFoundInTheRoutesShape_IsEmpty(string pathAndQuery, string fixture, HttpStatusCode status, bool notFoundAt200, Func<IIamportClient, Task<int>> pageCount)
    {
        using var api = new ApiFixture();
        api.ExpectGet(pathAndQuery, Fixture(fixture), status);

        if (status == HttpStatusCode.OK && !notFoundAt200)
        {
            Assert.ThrowsAsync<IamportException>(() => pageCount(api.Client));
        }
        else
        {
            Assert.That(await pageCount(api.Client), Is.Zero);
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    private static async Task<int> Pages<T>(IamportPageable<T> list) => (await list.AsPages().ToListAsync()).Count;
}
