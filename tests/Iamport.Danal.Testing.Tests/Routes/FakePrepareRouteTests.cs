using System;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Testing.Tests.Routes;

/// <summary><c>PUT /payments/prepare</c> next to <c>POST</c> and <c>GET</c>: changing a registered amount, 404 for an
/// unregistered merchant_uid (the schema's answer), and the window holding the order to the new amount.</summary>
[TestFixture(FakeHost.InProcess)]
[TestFixture(FakeHost.Kestrel)]
public class FakePrepareRouteTests(FakeHost host)
{
    private async Task<FakeHarness> StartAsync()
    {
        var h = new FakeHarness(host);
        await h.GetTokenAsync();
        return h;
    }

    [TestCase(1000, 0)]
    [TestCase(1000, 2000)]
    [TestCase(0, 9900)]
    [TestCase(50_000, 49_999)]
    public async Task Put_Registered_ChangesTheAmountGetShows(decimal first, decimal changed)
    {
        await using var h = await StartAsync();
        await h.PostAsync("payments/prepare", new { merchant_uid = "order-1", amount = first });

        var (status, put) = await h.SendAsync(HttpMethod.Put, "payments/prepare", new { merchant_uid = "order-1", amount = changed });
        var (_, read) = await h.GetAsync("payments/prepare/order-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((int)put!["code"]!, Is.Zero);
            Assert.That(JsonNode.DeepEquals(put["response"], JsonNode.Parse($$"""{"merchant_uid":"order-1","amount":{{changed}},"currency":"KRW"}""")), Is.True, put.ToJsonString());
            Assert.That((decimal)read!["response"]!["amount"]!, Is.EqualTo(changed));
            Assert.That(h.Fake.RequestCount(FakeRoutes.UpdatePrepared), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Put_FormBody_ChangesTheAmount()
    {
        await using var h = await StartAsync();
        await h.PostAsync("payments/prepare", new { merchant_uid = "order-1", amount = 1000 });

        var (status, put) = await h.SendAsync(HttpMethod.Put, "payments/prepare", "merchant_uid=order-1&amount=3000", form: true);

        Assert.That((status, (decimal?)put!["response"]?["amount"]), Is.EqualTo((HttpStatusCode.OK, (decimal?)3000m)));
    }

    [Test]
    public async Task Put_Unregistered_NotFoundAndRegistersNothing()
    {
        await using var h = await StartAsync();

        var (status, put) = await h.SendAsync(HttpMethod.Put, "payments/prepare", new { merchant_uid = "nope", amount = 1000 });
        var (_, read) = await h.GetAsync("payments/prepare/nope");
        var (posted, _) = await h.PostAsync("payments/prepare", new { merchant_uid = "nope", amount = 500 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((int)put!["code"]!, Is.EqualTo(1));
            Assert.That((string)put["message"]!, Is.EqualTo("사전등록된 결제정보가 존재하지 않습니다."));
            Assert.That(put["response"], Is.Null);
            Assert.That((int)read!["code"]!, Is.EqualTo(1), "the PUT registered nothing");
            Assert.That(posted, Is.EqualTo(HttpStatusCode.OK), "the merchant_uid can still be registered");
        }
    }

    [Test]
    public async Task Put_UnregisteredWithNotFoundStyleHttp200_Answers200Code1()
    {
        await using var h = new FakeHarness(host, o => o.NotFoundStyle = NotFoundStyle.Http200);
        await h.GetTokenAsync();

        var (status, put) = await h.SendAsync(HttpMethod.Put, "payments/prepare", new { merchant_uid = "nope", amount = 1000 });

        Assert.That((status, (int)put!["code"]!), Is.EqualTo((HttpStatusCode.OK, 1)));
    }

    [TestCase("""{"amount":1000}""")]
    [TestCase("""{"merchant_uid":"order-1"}""")]
    [TestCase("""{"merchant_uid":"order-1","amount":-1}""")]
    [TestCase("""{"merchant_uid":"","amount":1000}""")]
    public async Task Put_MissingOrNegative_400AndTheAmountStays(string body)
    {
        await using var h = await StartAsync();
        await h.PostAsync("payments/prepare", new { merchant_uid = "order-1", amount = 1000 });

        var (status, put) = await h.SendAsync(HttpMethod.Put, "payments/prepare", JsonNode.Parse(body));
        var (_, read) = await h.GetAsync("payments/prepare/order-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string)put!["message"]!, Is.EqualTo("merchant_uid 와 amount 는 필수입니다."));
            Assert.That((decimal)read!["response"]!["amount"]!, Is.EqualTo(1000m));
        }
    }

    [Test]
    public async Task Put_WithoutToken_401()
    {
        await using var h = new FakeHarness(host);

        var (status, _) = await h.SendAsync(HttpMethod.Put, "payments/prepare", new { merchant_uid = "order-1", amount = 1000 });

        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Put_ChangedAmount_TheWindowOpensOnlyWithTheNewAmount()
    {
        await using var h = await StartAsync();
        await h.PostAsync("payments/prepare", new { merchant_uid = "issue-1", amount = 1000 });
        await h.SendAsync(HttpMethod.Put, "payments/prepare", new { merchant_uid = "issue-1", amount = 2000 });

        JsonNode oldAmount = await CompleteAsync(h, 1000);
        int afterOld = h.Fake.Payments.Count;
        JsonNode newAmount = await CompleteAsync(h, 2000);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(oldAmount["error_code"], Is.Not.Null, "the registered amount is now 2000");
            Assert.That(afterOld, Is.Zero, "nothing was charged at the old amount");
            Assert.That(newAmount["error_code"], Is.Null, newAmount.ToJsonString());
            Assert.That((decimal)newAmount["paid_amount"]!, Is.EqualTo(2000m));
        }
    }

    private static async Task<JsonNode> CompleteAsync(FakeHarness h, decimal amount)
    {
        var param = new JsonObject
        {
            ["pg"] = "danal_tpay",
            ["pay_method"] = "card",
            ["merchant_uid"] = "issue-1",
            ["customer_uid"] = "cust_1",
            ["name"] = "정기구독",
            ["amount"] = amount,
            ["buyer_tel"] = "010-1234-5678",
        };
        var body = new JsonObject { ["action"] = "approve", ["merchant_code"] = "imp00000000", ["card_number"] = TestCards.Approve, ["mobile"] = false, ["param"] = param };
        using var response = await h.Client.PostAsync("fake-danal/complete", new StringContent(body.ToJsonString(), Encoding.UTF8, "text/plain"));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
