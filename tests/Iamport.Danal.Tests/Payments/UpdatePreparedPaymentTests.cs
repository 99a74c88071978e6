using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using static Iamport.Danal.Tests.TestSupport.Api;

namespace Iamport.Danal.Tests.Payments;

/// <summary><c>PUT /payments/prepare</c>: changing a registered amount, as the schema defines it.</summary>
public class UpdatePreparedPaymentTests
{
    [TestCase(0)]
    [TestCase(9900)]
    [TestCase(1_000_000)]
    public async Task UpdatePreparedPaymentAsync_Amount_PutsMerchantUidAndAmountAndReadsTheAnswer(decimal amount)
    {
        using var api = new ApiFixture();
        SentBody sent = api.Expect(HttpMethod.Put, "/payments/prepare", Fixture("prepare.json"));

        PreparedPayment prepared = await api.Client.UpdatePreparedPaymentAsync("order_0001", amount);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent.Json?.ToJsonString(), Is.EqualTo($$"""{"merchant_uid":"order_0001","amount":{{amount}}}"""));
            Assert.That(prepared.MerchantUid, Is.EqualTo("order_0001"));
            Assert.That(prepared.Amount, Is.EqualTo(9900m), "what I'mport answered");
            Assert.That(prepared.Currency, Is.EqualTo("KRW"));
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [TestCase(HttpStatusCode.NotFound)]
    [TestCase(HttpStatusCode.OK)]
    public void UpdatePreparedPaymentAsync_NothingRegistered_ThrowsIamportExceptionNotNull(HttpStatusCode status)
    {
        using var api = new ApiFixture();
        api.Expect(HttpMethod.Put, "/payments/prepare", Fixture("prepare-not-found.json"), status);

        var ex = Assert.ThrowsAsync<IamportException>(() => api.Client.UpdatePreparedPaymentAsync("order_0001", 9900m));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.StatusCode, Is.EqualTo((int)status));
            Assert.That(ex.Code, Is.EqualTo(1));
            Assert.That(ex.ApiMessage, Is.EqualTo("사전등록된 결제정보가 존재하지 않습니다."));
            Assert.That(ex.Method, Is.EqualTo("PUT"));
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [TestCase("order 0001", 9900, "merchantUid")]
    [TestCase("", 9900, "merchantUid")]
    [TestCase("o_12345678901234567890123456789012345678901", 9900, "merchantUid")]
    [TestCase("order_0001", -1, "amount")]
    [TestCase("order_0001", 99.5, "amount")]
    public void UpdatePreparedPaymentAsync_InvalidArgument_ThrowsBeforeSending(string merchantUid, decimal amount, string paramName)
    {
        using var api = new ApiFixture();

        Assert.That(() => api.Client.UpdatePreparedPaymentAsync(merchantUid, amount), Throws.ArgumentException.With.Property("ParamName").EqualTo(paramName));
        Assert.That(api.RequestsSent, Is.Zero);
    }
}
