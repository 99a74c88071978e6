using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Testing.Tests.Routes;

[TestFixture(FakeHost.InProcess)]
[TestFixture(FakeHost.Kestrel)]
public class ChargeTests(FakeHost host)
{
    private static readonly string[] PaymentFields =
    [
        "imp_uid", "merchant_uid", "pay_method", "channel", "pg_provider", "emb_pg_provider", "pg_tid", "pg_id", "escrow",
        "apply_num", "bank_code", "bank_name", "card_code", "card_name", "card_quota", "card_number", "card_type",
        "vbank_code", "vbank_name", "vbank_num", "vbank_holder", "vbank_date", "name", "amount", "cancel_amount",
        "currency", "buyer_name", "buyer_email", "buyer_tel", "buyer_addr", "buyer_postcode", "custom_data", "user_agent",
        "status", "started_at", "paid_at", "failed_at", "cancelled_at", "fail_reason", "cancel_reason", "receipt_url",
        "cancel_history", "cancel_receipt_urls", "cash_receipt_issued", "customer_uid", "customer_uid_usage", "sandbox", "promotion",
    ];

    [Test]
    public async Task Again_ApprovedCard_PaidPaymentWithEveryField()
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();

        var json = await h.AgainAsync("cust_1", "order-1", 9900);
        var payment = json["response"]!.AsObject();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)json["code"]!, Is.Zero);
            Assert.That(payment.Select(p => p.Key), Is.SupersetOf(PaymentFields));
            Assert.That((string)payment["imp_uid"]!, Does.Match("^imp_[0-9]{12}$"));
            Assert.That((string)payment["status"]!, Is.EqualTo("paid"));
            Assert.That((decimal)payment["amount"]!, Is.EqualTo(9900m));
            Assert.That((string)payment["pg_provider"]!, Is.EqualTo("danal_tpay"));
            Assert.That((string)payment["channel"]!, Is.EqualTo("api"));
            Assert.That((string)payment["customer_uid_usage"]!, Is.EqualTo("payment"));
            Assert.That((long)payment["paid_at"]!, Is.EqualTo(FakeHarness.Start.ToUnixTimeSeconds()));
            Assert.That((long)payment["failed_at"]!, Is.Zero);
            Assert.That((long)payment["cancelled_at"]!, Is.Zero);
            Assert.That((string)payment["card_number"]!, Does.Contain("*"));
            Assert.That((bool)payment["sandbox"]!, Is.False);
            Assert.That(h.Fake.PaidChargeCount("order-1"), Is.EqualTo(1));
            Assert.That(h.Receiver.Received, Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task Again_DeclineNext_FailedWithReasonAndNoWebhook()
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        h.Fake.DeclineNext("cust_1", TestCards.SuspendedReason);
        await h.GetTokenAsync();

        var declined = await h.AgainAsync("cust_1", "order-1", 9900);
        var retried = await h.AgainAsync("cust_1", "order-1", 9900);
        var (_, all) = await h.GetAsync("payments/findAll/order-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)declined["code"]!, Is.Zero);
            Assert.That((string)declined["response"]!["status"]!, Is.EqualTo("failed"));
            Assert.That((string)declined["response"]!["fail_reason"]!, Is.EqualTo("정지된 카드"));
            Assert.That((long)declined["response"]!["failed_at"]!, Is.Not.Zero);
            Assert.That((string)retried["response"]!["status"]!, Is.EqualTo("paid"));
            Assert.That((int)all!["response"]!["total"]!, Is.EqualTo(2));
            Assert.That(h.Receiver.Received, Has.Count.EqualTo(1), "only the approval is notified");
            Assert.That(h.Fake.PaidChargeCount("order-1"), Is.EqualTo(1));
        }
    }

    [TestCase(TestCards.LimitExceeded, "한도초과")]
    [TestCase(TestCards.Suspended, "정지된 카드")]
    [TestCase(TestCards.InsufficientBalance, "잔액부족")]
    public async Task Again_DecliningTestCard_FailedWithCardReason(string card, string reason)
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1", card);
        await h.GetTokenAsync();

        var json = await h.AgainAsync("cust_1", "order-1", 1000);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)json["response"]!["status"]!, Is.EqualTo("failed"));
            Assert.That((string)json["response"]!["fail_reason"]!, Is.EqualTo(reason));
        }
    }

    [Test]
    public async Task Again_PaidMerchantUid_Code1AndNothingCharged()
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();
        await h.AgainAsync("cust_1", "order-1", 1000);

        var second = await h.AgainAsync("cust_1", "order-1", 1000);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)second["code"]!, Is.EqualTo(1));
            Assert.That((string)second["message"]!, Does.Match("[가-힣]"));
            Assert.That(second["response"], Is.Null);
            Assert.That(h.Fake.GetPayments("order-1"), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task Again_UnknownCustomer_Http200CodeMinus1()
    {
        await using var h = new FakeHarness(host);
        await h.GetTokenAsync();

        var json = await h.AgainAsync("nobody", "order-1", 1000);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)json["code"]!, Is.EqualTo(-1));
            Assert.That(json["response"], Is.Null);
        }
    }

    [TestCase("""{"customer_uid":"cust_1","merchant_uid":"o","amount":1000}""")]
    [TestCase("""{"customer_uid":"cust_1","merchant_uid":"o","amount":0,"name":"n"}""")]
    [TestCase("""{"customer_uid":"cust_1","merchant_uid":"o","amount":"abc","name":"n"}""")]
    [TestCase("""{"customer_uid":"cust_1","amount":1000,"name":"n"}""")]
    public async Task Again_BadParameters_Http400Envelope(string body)
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();

        var (status, json) = await h.PostAsync("subscribe/payments/again", JsonNode.Parse(body)!);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((int)json!["code"]!, Is.Not.Zero);
            Assert.That(h.Fake.Payments, Is.Empty);
        }
    }

    [Test]
    public async Task Again_FormBody_Charged()
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();

        var (status, json) = await h.SendAsync(HttpMethod.Post, "subscribe/payments/again",
            "customer_uid=cust_1&merchant_uid=order-1&amount=1500&name=%EC%9B%94%EA%B0%84+%EA%B5%AC%EB%8F%85&custom_data=%7B%22a%22%3A1%7D", form: true);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string)json!["response"]!["status"]!, Is.EqualTo("paid"));
            Assert.That((decimal)json["response"]!["amount"]!, Is.EqualTo(1500m));
            Assert.That((string)json["response"]!["name"]!, Is.EqualTo("월간 구독"));
            Assert.That((string)json["response"]!["custom_data"]!, Is.EqualTo("""{"a":1}"""));
        }
    }

    [TestCase("subscribe/payments/onetime")]
    [TestCase("subscribe/customers/cust_9")]
    public async Task NonAuthenticatedIssuance_RefusedForDanal(string path)
    {
        await using var h = new FakeHarness(host);
        await h.GetTokenAsync();

        var (status, json) = await h.PostAsync(path, new { customer_uid = "cust_9", card_number = "1234", expiry = "2030-01", birth = "800101" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((int)json!["code"]!, Is.EqualTo(1));
            Assert.That((string)json["message"]!, Does.Contain("다날은 API 를 통한 비인증 결제를 지원하지 않습니다"));
            Assert.That(h.Fake.HasBillingKey("cust_9"), Is.False);
        }
    }

    [Test]
    public async Task Customer_GetReissueDelete_FollowsKeyLifecycle()
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();
        h.Time.Advance(System.TimeSpan.FromMinutes(1));
        h.Fake.IssueBillingKey("cust_1", TestCards.ApproveCheckCard);

        var (_, got) = await h.GetAsync("subscribe/customers/cust_1");
        var (deleteStatus, deleted) = await h.SendAsync(HttpMethod.Delete, "subscribe/customers/cust_1?reason=%ED%95%B4%EC%A7%80");
        var (afterStatus, _) = await h.GetAsync("subscribe/customers/cust_1");
        var charge = await h.AgainAsync("cust_1", "order-after-delete", 1000);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)got!["response"]!["card_name"]!, Is.EqualTo("KB국민카드"));
            Assert.That((int)got["response"]!["card_type"]!, Is.EqualTo(1));
            Assert.That((long)got["response"]!["updated"]!, Is.GreaterThan((long)got["response"]!["inserted"]!));
            Assert.That(deleteStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string)deleted!["response"]!["customer_uid"]!, Is.EqualTo("cust_1"));
            Assert.That(afterStatus, Is.EqualTo(HttpStatusCode.OK), "an unknown key is HTTP 200 with code 1, as the real service answers");
            Assert.That((int)charge["code"]!, Is.EqualTo(-1));
        }
    }

    [Test]
    public async Task CustomerPayments_Paged()
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();
        for (var i = 0; i < 21; i++)
        {
            await h.AgainAsync("cust_1", "order-" + i, 1000);
        }

        var (_, first) = await h.GetAsync("subscribe/customers/cust_1/payments");
        var (_, second) = await h.GetAsync("subscribe/customers/cust_1/payments?page=2");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)first!["response"]!["total"]!, Is.EqualTo(21));
            Assert.That(first["response"]!["list"]!.AsArray(), Has.Count.EqualTo(20));
            Assert.That((int)first["response"]!["next"]!, Is.EqualTo(2));
            Assert.That(second!["response"]!["list"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That((int)second["response"]!["next"]!, Is.Zero);
            Assert.That((int)second["response"]!["previous"]!, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task RequestCounts_PerRoute_Recorded()
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();
        await h.AgainAsync("cust_1", "order-1", 1000);
        await h.AgainAsync("cust_1", "order-2", 1000);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(h.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(2));
            Assert.That(h.Fake.RequestsPerRoute[FakeRoutes.GetToken], Is.EqualTo(1));
            Assert.That(Regex.IsMatch(h.Fake.Payments[0].ImpUid, "^imp_[0-9]{12}$"), Is.True);
        }
    }
}
