using System;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace Iamport.Danal.Tests.Payments;

public class ChargeBillingKeyTests
{
    [Test]
    public async Task ChargeBillingKeyAsync_Request_SendsSnakeCaseJsonWithBearerToken()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken("tok_abc");
        string? body = null;
        mock.Expect(HttpMethod.Post, Api.AgainUrl)
            .WithHeaders("Authorization", "Bearer tok_abc")
            .Respond(request =>
            {
                body = request.Content!.ReadAsStringAsync().GetAwaiter().GetResult();
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Api.Fixture("again-paid.json")) };
            });

        await Api.Client(mock).ChargeBillingKeyAsync(new ChargeRequest
        {
            CustomerUid = "cust_0001",
            MerchantUid = "sub_42_2026_12",
            Amount = 9900m,
            Name = "Monthly plan",
            BuyerPhone = "010-1234-5678",
        });

        mock.VerifyNoOutstandingExpectation();
        Assert.That(body, Is.EqualTo("""{"customer_uid":"cust_0001","merchant_uid":"sub_42_2026_12","amount":9900,"name":"Monthly plan","buyer_tel":"010-1234-5678"}"""));
    }

    [Test]
    public async Task ChargeBillingKeyAsync_BaseAddressReplacedAfterConstruction_KeepsTheAddressItWasBuiltWith()
    {
        // The client reads its options once, when it is built: a change to the options object afterwards is not seen,
        // so one client never sends half its calls to one host and half to another.
        using var mock = new MockHttpMessageHandler();
        mock.WhenToken();
        MockedRequest first = mock.When(HttpMethod.Post, Api.AgainUrl).Respond(Api.Json, Api.Fixture("again-paid.json"));
        MockedRequest second = mock.When(HttpMethod.Post, "https://other.example/subscribe/payments/again").Respond(Api.Json, Api.Fixture("again-paid.json"));
        IamportOptions options = Api.Options();
        IamportClient client = Api.Client(mock, options: options);

        ChargeResult before = await client.ChargeBillingKeyAsync(Api.Charge());
        options.BaseAddress = new Uri("https://other.example/");
        ChargeResult after = await client.ChargeBillingKeyAsync(Api.Charge());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before.IsApproved && after.IsApproved, Is.True);
            Assert.That(mock.GetMatchCount(first), Is.EqualTo(2));
            Assert.That(mock.GetMatchCount(second), Is.Zero);
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_KoreanName_SurvivesAsValidJson()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        string? body = null;
        mock.When(HttpMethod.Post, Api.AgainUrl).Respond(request =>
        {
            body = request.Content!.ReadAsStringAsync().GetAwaiter().GetResult();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Api.Fixture("again-paid.json")) };
        });

        await Api.Client(mock).ChargeBillingKeyAsync(Api.Charge());

        Assert.That(JsonNode.Parse(body!)!["name"]!.GetValue<string>(), Is.EqualTo("월간 구독"));
    }

    [Test]
    public async Task ChargeBillingKeyAsync_Paid_ReturnsApprovedWithPayment()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        mock.When(HttpMethod.Post, Api.AgainUrl).Respond("application/json", Api.Fixture("again-paid.json"));

        ChargeResult result = await Api.Client(mock).ChargeBillingKeyAsync(Api.Charge());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Approved));
            Assert.That(result.IsApproved, Is.True);
            Assert.That(result.IsReconciled, Is.False);
            Assert.That(result.FailReason, Is.Null);
            Assert.That(result.Payment!.Amount, Is.EqualTo(9900m));
            Assert.That(result.Payment.Status, Is.EqualTo(PaymentStatus.Paid));
            Assert.That(result.Payment.PgProvider, Is.EqualTo(PgProvider.DanalTpay));
            Assert.That(result.Payment.CustomerUidUsage, Is.EqualTo(CustomerUidUsage.Payment));
            Assert.That(result.Payment.PaidAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1764201600)));
            Assert.That(result.Payment.FailedAt, Is.Null, "0 means did not happen");
            Assert.That(result.Payment.CancelledAt, Is.Null);
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_Failed_ReturnsDeclinedWithKoreanReason()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        mock.When(HttpMethod.Post, Api.AgainUrl).Respond("application/json", Api.Fixture("again-failed.json"));

        ChargeResult result = await Api.Client(mock).ChargeBillingKeyAsync(Api.Charge());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Declined));
            Assert.That(result.IsApproved, Is.False);
            Assert.That(result.FailReason, Is.EqualTo("[4004] 한도초과 - 카드사 승인 거절"));
        }
    }

    [TestCase("again-merchant-uid-paid.json", HttpStatusCode.OK, 1, "이미 결제완료된 merchant_uid 입니다.")]
    [TestCase("again-unknown-customer.json", HttpStatusCode.OK, -1, "등록되지 않은 customer_uid 입니다.")]
    [TestCase("again-unknown-customer.json", HttpStatusCode.BadRequest, -1, "등록되지 않은 customer_uid 입니다.")]
    [TestCase("not-found.json", HttpStatusCode.NotFound, 1, "존재하지 않는 결제정보입니다.")]
    [TestCase("again-merchant-uid-paid.json", HttpStatusCode.InternalServerError, 1, "이미 결제완료된 merchant_uid 입니다.")]
    public async Task ChargeBillingKeyAsync_ErrorEnvelope_ThrowsWithKoreanMessageAndRoute(string fixture, HttpStatusCode status, int code, string message)
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        MockedRequest again = mock.When(HttpMethod.Post, Api.AgainUrl).Respond(status, "application/json", Api.Fixture(fixture));

        // A 5xx envelope may be a gateway's after the charge went through: looked up first (here: nothing), then reported.
        MockedRequest find = mock.When(HttpMethod.Get, Api.FindUrl).Respond(HttpStatusCode.NotFound, "application/json", Api.Fixture("not-found.json"));
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        Task<ChargeResult> charge = Api.Client(mock, time).ChargeBillingKeyAsync(Api.Charge());
        await time.AdvanceUntilDoneAsync(charge);

        var ex = Assert.ThrowsAsync<IamportException>(() => charge);
        Assert.That(mock.GetMatchCount(find), (int)status >= 500 ? Is.GreaterThan(0) : Is.Zero);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex, Is.Not.InstanceOf<IamportOutcomeUnknownException>());
            Assert.That(ex!.StatusCode, Is.EqualTo((int)status));
            Assert.That(ex.Code, Is.EqualTo(code));
            Assert.That(ex.ApiMessage, Is.EqualTo(message));
            Assert.That(ex.Message, Does.Contain(message));
            Assert.That(ex.Method, Is.EqualTo("POST"));
            Assert.That(ex.Path, Is.EqualTo("/subscribe/payments/again"));
            Assert.That(mock.GetMatchCount(again), Is.EqualTo(1), "a definite refusal is never retried");
        }
    }

    [Test]
    public void ChargeBillingKeyAsync_MessageEchoesCustomerUid_CustomerUidScrubbed()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        mock.When(HttpMethod.Post, Api.AgainUrl).Respond("application/json",
            $$"""{"code":-1,"message":"customer_uid({{Api.CustomerUid}})에 해당하는 빌링키가 없습니다.","response":null}""");

        var ex = Assert.ThrowsAsync<IamportException>(() => Api.Client(mock).ChargeBillingKeyAsync(Api.Charge()));

        Assert.That(ex!.ToString(), Does.Not.Contain(Api.CustomerUid));
    }

    [Test]
    public async Task ChargeBillingKeyAsync_UnknownStatusAndFields_DoNotThrow()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        mock.When(HttpMethod.Get, Api.Base + "/payments/imp_123456789014").Respond("application/json", Api.Fixture("payment-unknown-values.json"));

        Payment? payment = await Api.Client(mock).GetPaymentAsync("imp_123456789014");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(payment!.Status.Value, Is.EqualTo("partial_refunded"));
            Assert.That(payment.PgProvider!.Value.Value, Is.EqualTo("future_pg"));
            Assert.That(payment.PayMethod!.Value.Value, Is.EqualTo("somepay"));
            Assert.That(payment.CustomerUidUsage!.Value.Value, Is.EqualTo("something.new"));
        }
    }

    [TestCase(HttpStatusCode.BadGateway, "text/html", "bad-gateway.html", "502 Bad Gateway")]
    [TestCase(HttpStatusCode.OK, "application/json", null, "(empty body)")]
    [TestCase(HttpStatusCode.OK, "application/json", "{\"code\":0,\"response\":{\"imp_uid\":", "{\"code\":0")]
    [TestCase(HttpStatusCode.InternalServerError, "application/json", "{\"unexpected\":true}", "unexpected")]
    public void GetPaymentAsync_BodyIsNotAnEnvelope_ThrowsIamportExceptionWithExcerpt(HttpStatusCode status, string mediaType, string? fixtureOrBody, string expectedExcerpt)
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        string body = fixtureOrBody is null ? "" : fixtureOrBody.EndsWith(".html", StringComparison.Ordinal) ? Api.Fixture(fixtureOrBody) : fixtureOrBody;
        mock.When(HttpMethod.Get, Api.Base + "/payments/imp_1").Respond(status, mediaType, body);

        var ex = Assert.ThrowsAsync<IamportException>(() => Api.Client(mock).GetPaymentAsync("imp_1"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.StatusCode, Is.EqualTo((int)status));
            Assert.That(ex.Code, Is.Null);
            Assert.That(ex.HasApiAnswer, Is.False);
            Assert.That(ex.ResponseExcerpt, Does.Contain(expectedExcerpt));
            Assert.That(ex.ResponseExcerpt!.Length, Is.LessThanOrEqualTo(201));
            Assert.That(ex.Path, Is.EqualTo("/payments/{imp_uid}"));
        }
    }

    [Test]
    public void GetPaymentAsync_MalformedBodyWithSecrets_ExcerptScrubsThem()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        mock.When(HttpMethod.Get, Api.Base + "/payments/imp_1").Respond(HttpStatusCode.OK, "application/json",
            $$"""{"customer_uid":"{{Api.CustomerUid}}","access_token":"leaked_token","card_number":"9100201234567896" """);

        var ex = Assert.ThrowsAsync<IamportException>(() => Api.Client(mock).GetPaymentAsync("imp_1"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.ToString(), Does.Not.Contain(Api.CustomerUid));
            Assert.That(ex.ToString(), Does.Not.Contain("leaked_token"));
            Assert.That(ex.ToString(), Does.Not.Contain("9100201234567896"));
        }
    }
}
