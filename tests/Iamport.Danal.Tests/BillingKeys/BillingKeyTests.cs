using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using static Iamport.Danal.Tests.TestSupport.Api;

namespace Iamport.Danal.Tests.BillingKeys;

public class BillingKeyTests
{
    [Test]
    public async Task GetBillingKeyAsync_RecordedShape_MapsCustomerAnnotation()
    {
        using var api = new ApiFixture();
        api.ExpectGet("/subscribe/customers/cust_0001", Fixture("billing-key.json"));

        BillingKey? key = await api.Client.GetBillingKeyAsync("cust_0001");

        Assert.That(key, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(key!.CustomerUid, Is.EqualTo("cust_0001"));
            Assert.That(key.PgProvider, Is.EqualTo(PgProvider.DanalTpay));
            Assert.That(key.PgId, Is.EqualTo("A010002002"));
            Assert.That(key.CardName, Is.EqualTo("BC카드"));
            Assert.That(key.CardNumber, Is.EqualTo("910020*********7"));
            Assert.That(key.CardType, Is.Zero);
            Assert.That(key.CustomerPhone, Is.EqualTo("010-1234-5678"));
            Assert.That(key.IsSandbox, Is.False);
            Assert.That(key.InsertedAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1795769990)));
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task DeleteBillingKeyAsync_WithReason_SendsDeleteAndReturnsDeletedKey()
    {
        using var api = new ApiFixture();
        api.Expect(HttpMethod.Delete, "/subscribe/customers/cust_0001?reason=" + Uri.EscapeDataString("구독 해지"), Fixture("billing-key.json"));

        BillingKey deleted = await api.Client.DeleteBillingKeyAsync("cust_0001", "구독 해지");

        Assert.That(deleted.CustomerUid, Is.EqualTo("cust_0001"));
        api.Mock.VerifyNoOutstandingExpectation();
    }

    [TestCase(HttpStatusCode.NotFound)]
    [TestCase(HttpStatusCode.OK)]
    public void DeleteBillingKeyAsync_UnknownKey_ThrowsWithoutEchoingCustomerUid(HttpStatusCode status)
    {
        using var api = new ApiFixture();
        api.Expect(HttpMethod.Delete, "/subscribe/customers/cust_0001", Fixture("billing-key-not-found.json"), status);

        var ex = Assert.ThrowsAsync<IamportException>(() => api.Client.DeleteBillingKeyAsync("cust_0001"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex.StatusCode, Is.EqualTo((int)status));
            Assert.That(ex.Code, Is.EqualTo(1));
            Assert.That(ex.Path, Is.EqualTo("/subscribe/customers/{customer_uid}"));
            Assert.That(ex.Message, Does.Not.Contain("cust_0001"));
            Assert.That(ex.ApiMessage, Does.Not.Contain("cust_0001"));
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task GetBillingKeyPaymentsAsync_FromSecondPage_ReturnsThatPageOnly()
    {
        using var api = new ApiFixture();
        api.ExpectGet("/subscribe/customers/cust_0001/payments?page=2", Fixture("billing-key-payments.json"));

        List<IamportPage<Payment>> pages = await api.Client.GetPaymentsByCustomerUidAsync("cust_0001").AsPages("2").ToListAsync();

        Assert.That(pages, Has.Count.EqualTo(1));
        IamportPage<Payment> page = pages[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Total, Is.EqualTo(3));
            Assert.That(page.Previous, Is.EqualTo(1));
            Assert.That(page.Next, Is.Zero);
            Assert.That(page.Items, Has.Count.EqualTo(3));
            Assert.That(page.Items[1].Status, Is.EqualTo(PaymentStatus.Failed));
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public void GetBillingKeyPaymentsAsync_PageZero_ThrowsBeforeSending()
    {
        using var api = new ApiFixture();

        Assert.That(() => api.Client.GetPaymentsByCustomerUidAsync("cust_0001").AsPages("0"), Throws.ArgumentException.With.Property("ParamName").EqualTo("continuationToken"));
        Assert.That(api.RequestsSent, Is.Zero);
    }

    [Test]
    public void GetBillingKeyAsync_SlashInCustomerUid_ThrowsWithoutEchoingIt()
    {
        using var api = new ApiFixture();

        Assert.That(
            () => api.Client.GetBillingKeyAsync("cust/secret_0001"),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("customerUid").And.Message.Not.Contains("secret"));
        Assert.That(api.RequestsSent, Is.Zero);
    }
}
