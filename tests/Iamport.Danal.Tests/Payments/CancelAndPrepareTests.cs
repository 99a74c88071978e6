using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using static Iamport.Danal.Tests.TestSupport.Api;

namespace Iamport.Danal.Tests.Payments;

public class CancelAndPrepareTests
{
    [Test]
    public async Task CancelPaymentAsync_PartialFromPayment_SendsRefundableBalanceAsChecksum()
    {
        using var api = new ApiFixture();
        SentBody sent = api.Expect(HttpMethod.Post, "/payments/cancel", Fixture("payment-partially-cancelled.json"));
        var before = new Payment { ImpUid = "imp_223456789012", MerchantUid = "order_0001", Amount = 9900m, CancelAmount = 0m };

        Payment after = await api.Client.CancelPaymentAsync(CancelPaymentRequest.Partial(before, 3000m, "일부 환불"));

        using (Assert.EnterMultipleScope())
        {
            var expected = JsonNode.Parse("""{"imp_uid":"imp_223456789012","amount":3000,"checksum":9900,"reason":"일부 환불"}""");
            Assert.That(JsonNode.DeepEquals(sent.Json, expected), Is.True, sent.Json?.ToJsonString());
            Assert.That(after.CancelAmount, Is.EqualTo(3000m));
            Assert.That(after.RefundableAmount, Is.EqualTo(6900m));
            Assert.That(after.CancelHistory, Has.Count.EqualTo(1));
            Assert.That(after.CancelHistory[0].CancellationId, Is.EqualTo("cncl_0001"));
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task CancelPaymentAsync_FullByMerchantUid_OmitsAmountAndChecksum()
    {
        using var api = new ApiFixture();
        SentBody sent = api.Expect(HttpMethod.Post, "/payments/cancel", Fixture("payment-partially-cancelled.json"));

        await api.Client.CancelPaymentAsync(new CancelPaymentRequest { MerchantUid = "order_0001", EnableWebhook = true });

        JsonObject body = sent.Json!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(body["merchant_uid"]?.GetValue<string>(), Is.EqualTo("order_0001"));
            Assert.That(body["enable_webhook"]?.GetValue<bool>(), Is.True);
            Assert.That(body.ContainsKey("amount"), Is.False, "no amount means a full refund");
            Assert.That(body.ContainsKey("checksum"), Is.False);
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public void CancelPaymentAsync_Refused200_ThrowsWithKoreanMessage()
    {
        using var api = new ApiFixture();
        api.Expect(HttpMethod.Post, "/payments/cancel", Fixture("cancel-refused.json"));

        var ex = Assert.ThrowsAsync<IamportException>(() => api.Client.CancelPaymentAsync(new CancelPaymentRequest { ImpUid = "imp_223456789012" }));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex.StatusCode, Is.EqualTo(200));
            Assert.That(ex.Code, Is.EqualTo(1));
            Assert.That(ex.ApiMessage, Is.EqualTo("취소할 결제건이 존재하지 않습니다."));
            Assert.That(ex.Path, Is.EqualTo("/payments/cancel"));
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public void CancelPaymentAsync_PartialWithoutChecksum_ThrowsBeforeSending()
    {
        using var api = new ApiFixture();

        Assert.That(
            () => api.Client.CancelPaymentAsync(new CancelPaymentRequest { ImpUid = "imp_223456789012", Amount = 1000m }),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("request.Checksum").And.Message.Contains("checksum"));
        Assert.That(api.RequestsSent, Is.Zero);
    }

    [Test]
    public void CancelPaymentAsync_AmountAboveChecksum_ThrowsBeforeSending()
    {
        using var api = new ApiFixture();

        Assert.That(
            () => api.Client.CancelPaymentAsync(new CancelPaymentRequest { ImpUid = "imp_223456789012", Amount = 5000m, Checksum = 4000m }),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("request.Amount"));
        Assert.That(api.RequestsSent, Is.Zero);
    }

    [Test]
    public void CancelPaymentAsync_NeitherImpUidNorMerchantUid_ThrowsBeforeSending()
    {
        using var api = new ApiFixture();

        Assert.That(
            () => api.Client.CancelPaymentAsync(new CancelPaymentRequest { Reason = "x" }),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("request.ImpUid").And.Message.Contains("merchant_uid"));
        Assert.That(api.RequestsSent, Is.Zero);
    }

    [Test]
    public async Task PreparePaymentAsync_ZeroAmount_PostsMerchantUidAndAmount()
    {
        using var api = new ApiFixture();
        SentBody sent = api.Expect(HttpMethod.Post, "/payments/prepare", Fixture("prepare.json"));

        PreparedPayment prepared = await api.Client.PreparePaymentAsync("order_0001", 0m);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent.Json?.ToJsonString(), Is.EqualTo("""{"merchant_uid":"order_0001","amount":0}"""));
            Assert.That(prepared.MerchantUid, Is.EqualTo("order_0001"));
            Assert.That(prepared.Amount, Is.EqualTo(9900m));
            Assert.That(prepared.Currency, Is.EqualTo("KRW"));
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public void PreparePaymentAsync_AlreadyRegistered_ThrowsIamportException()
    {
        using var api = new ApiFixture();
        api.Expect(HttpMethod.Post, "/payments/prepare", Fixture("prepare-duplicate.json"));

        var ex = Assert.ThrowsAsync<IamportException>(() => api.Client.PreparePaymentAsync("order_0001", 9900m));

        Assert.That(ex.ApiMessage, Is.EqualTo("이미 등록된 merchant_uid입니다."));
        api.Mock.VerifyNoOutstandingExpectation();
    }

    [TestCase("order 0001", 9900, "merchantUid")]
    [TestCase("order_0001", -1, "amount")]
    [TestCase("order_0001", 99.5, "amount")]
    public void PreparePaymentAsync_InvalidArgument_ThrowsBeforeSending(string merchantUid, decimal amount, string paramName)
    {
        using var api = new ApiFixture();

        Assert.That(() => api.Client.PreparePaymentAsync(merchantUid, amount), Throws.ArgumentException.With.Property("ParamName").EqualTo(paramName));
        Assert.That(api.RequestsSent, Is.Zero);
    }

    [Test]
    public async Task GetPreparedPaymentAsync_Registered_ReturnsIt()
    {
        using var api = new ApiFixture();
        api.ExpectGet("/payments/prepare/order_0001", Fixture("prepare.json"));

        PreparedPayment? prepared = await api.Client.GetPreparedPaymentAsync("order_0001");

        Assert.That(prepared?.Amount, Is.EqualTo(9900m));
        api.Mock.VerifyNoOutstandingExpectation();
    }
}
