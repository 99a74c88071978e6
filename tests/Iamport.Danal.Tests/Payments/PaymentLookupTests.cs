using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using RichardSzalay.MockHttp;
using static Iamport.Danal.Tests.TestSupport.Api;

namespace Iamport.Danal.Tests.Payments;

public class PaymentLookupTests
{
    private const string FindAll = "/payments/findAll/order_0001";
    private static readonly string[] AllFivePayments = ["imp_300000000001", "imp_300000000002", "imp_300000000003", "imp_300000000004", "imp_300000000005"];

    [Test]
    public async Task FindAllPaymentsAsync_ThreePages_FollowsNextAndStopsAtZero()
    {
        using var api = new ApiFixture();
        api.ExpectGet(FindAll + "?sorting=-started&page=1", Fixture("payments-page1.json"));
        api.ExpectGet(FindAll + "?sorting=-started&page=2", Fixture("payments-page2.json"));
        api.ExpectGet(FindAll + "?sorting=-started&page=3", Fixture("payments-page3.json"));

        var seen = new List<string>();
        await foreach (Payment payment in api.Client.GetPaymentsByMerchantUidAsync("order_0001"))
        {
            seen.Add(payment.ImpUid);
        }

        Assert.That(seen, Is.EqualTo(AllFivePayments));
        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task FindAllPaymentsAsync_CancelledAfterFirstItem_StopsWithoutFetchingNextPage()
    {
        using var api = new ApiFixture();
        api.ExpectGet(FindAll + "?sorting=-started&page=1", Fixture("payments-page1.json"));
        MockedRequest page2 = api.Mock.When(HttpMethod.Get, Base + FindAll).WithQueryString("page", "2").Respond(Json, Fixture("payments-page2.json"));
        using var cts = new CancellationTokenSource();
        var seen = new List<string>();

        Assert.That(
            async () =>
            {
                await foreach (Payment payment in api.Client.GetPaymentsByMerchantUidAsync("order_0001").WithCancellation(cts.Token))
                {
                    seen.Add(payment.ImpUid);
                    cts.Cancel();
                }
            },
            Throws.InstanceOf<OperationCanceledException>());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen, Has.Count.EqualTo(2), "the page already fetched is finished, nothing more");
            Assert.That(api.Mock.GetMatchCount(page2), Is.Zero);
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task FindAllPaymentsAsync_StatusAndSorting_SendsBoth()
    {
        using var api = new ApiFixture(includeSandbox: true);
        api.ExpectGet(FindAll + "/paid?sorting=-paid&include_sandbox=true&page=1", Fixture("payments-page3.json"));

        var seen = new List<Payment>();
        await foreach (Payment payment in api.Client.GetPaymentsByMerchantUidAsync("order_0001", PaymentStatus.Paid, PaymentSorting.PaidDescending))
        {
            seen.Add(payment);
        }

        Assert.That(seen, Has.Count.EqualTo(1));
        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public void FindAllPaymentsAsync_UnknownOrderAnswered200WithCode_ThrowsRatherThanEmpty()
    {
        // The payment routes answer "not found" with 404: a 200 refusal may be an outage's answer, never an empty list.
        using var api = new ApiFixture();
        api.ExpectGet(FindAll + "?page=1", Fixture("payment-not-found.json"), HttpStatusCode.OK);

        Assert.ThrowsAsync<IamportException>(async () =>
        {
            await foreach (Payment _ in api.Client.GetPaymentsByMerchantUidAsync("order_0001"))
            {
            }
        });
    }

    [TestCase(HttpStatusCode.NotFound)]
    public async Task FindAllPaymentsAsync_UnknownOrder_YieldsNothing(HttpStatusCode status)
    {
        using var api = new ApiFixture();
        api.ExpectGet(FindAll + "?page=1", Fixture("payment-not-found.json"), status);

        int count = 0;
        await foreach (Payment _ in api.Client.GetPaymentsByMerchantUidAsync("order_0001"))
        {
            count++;
        }

        Assert.That(count, Is.Zero);
        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public void FindAllPaymentsAsync_EmptyMerchantUid_ThrowsAtCallBeforeEnumeration()
    {
        using var api = new ApiFixture();

        Assert.That(() => api.Client.GetPaymentsByMerchantUidAsync(" "), Throws.ArgumentException.With.Property("ParamName").EqualTo("merchantUid"));
        Assert.That(api.RequestsSent, Is.Zero);
    }

    [Test]
    public async Task FindPaymentAsync_Sorting_SendsSortingAndStatus()
    {
        using var api = new ApiFixture();
        api.ExpectGet("/payments/find/order_0001/failed?sorting=started", Fixture("payment-charge.json"));

        Payment? payment = await api.Client.GetPaymentByMerchantUidAsync("order_0001", PaymentStatus.Failed, PaymentSorting.Started);

        Assert.That(payment?.MerchantUid, Is.EqualTo("order_0001"));
        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task GetPaymentAsync_RecordedShape_MapsFields()
    {
        using var api = new ApiFixture();
        api.ExpectGet("/payments/imp_123456789012", Fixture("payment-issue.json"));

        Payment? payment = await api.Client.GetPaymentAsync("imp_123456789012");

        Assert.That(payment, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(payment!.Amount, Is.EqualTo(9900m));
            Assert.That(payment.Status, Is.EqualTo(PaymentStatus.Paid));
            Assert.That(payment.PgProvider, Is.EqualTo(PgProvider.DanalTpay));
            Assert.That(payment.CustomerUidUsage, Is.EqualTo(CustomerUidUsage.Issue));
            Assert.That(payment.PaidAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1795770000)));
            Assert.That(payment.CancelledAt, Is.Null, "0 means it did not happen");
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }
}
