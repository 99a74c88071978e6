using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Testing.Tests.Routes;

/// <summary>What the fake reads from a request and how it answers what is not there, route by route, like the real service.</summary>
[TestFixture(FakeHost.InProcess)]
[TestFixture(FakeHost.Kestrel)]
public class RequestRulesTests(FakeHost host)
{
    private const string ChargeJson = """{"customer_uid":"cust_1","merchant_uid":"order-1","amount":1000,"name":"월간 구독"}""";
    private const string ChargeForm = "customer_uid=cust_1&merchant_uid=order-1&amount=1000&name=%EC%9B%94%EA%B0%84";

    private static async Task<(HttpStatusCode Status, JsonNode? Json)> PostRawAsync(FakeHarness h, string body, string? contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "subscribe/payments/again") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", h.Token);
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await h.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text));
    }

    [TestCase(ChargeJson, "application/json")]
    [TestCase(ChargeJson, "application/json; charset=utf-8")]
    [TestCase(ChargeForm, "application/x-www-form-urlencoded")]
    public async Task Body_LabelledAsItIs_Charged(string body, string contentType)
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();

        var (status, json) = await PostRawAsync(h, body, contentType);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), json?.ToJsonString());
            Assert.That((string?)json?["response"]?["status"], Is.EqualTo("paid"));
            Assert.That(h.Fake.PaidChargeCount("order-1"), Is.EqualTo(1));
        }
    }

    [TestCase(ChargeJson, null, "customer_uid")]
    [TestCase(ChargeJson, "text/plain", "customer_uid")]
    [TestCase(ChargeJson, "application/x-www-form-urlencoded", "customer_uid")]
    [TestCase(ChargeForm, "application/json", "JSON")]
    public async Task Body_NotJsonOrFormAsLabelled_400AndNothingCharged(string body, string? contentType, string messagePart)
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();

        var (status, json) = await PostRawAsync(h, body, contentType);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((int)json!["code"]!, Is.Not.Zero);
            Assert.That((string)json["message"]!, Does.Contain(messagePart));
            Assert.That(json["response"], Is.Null);
            Assert.That(h.Fake.ChargeAttemptCount("order-1"), Is.Zero);
        }
    }

    [TestCase("payments/imp_123456789012", HttpStatusCode.NotFound)]
    [TestCase("payments/find/nope", HttpStatusCode.NotFound)]
    [TestCase("payments/findAll/nope", HttpStatusCode.NotFound)]
    [TestCase("payments?imp_uid[]=imp_123456789012", HttpStatusCode.NotFound)]
    [TestCase("subscribe/customers/nope", HttpStatusCode.OK)]
    [TestCase("subscribe/customers?customer_uid[]=nope", HttpStatusCode.NotFound)]
    [TestCase("subscribe/customers/nope/payments", HttpStatusCode.NotFound)]
    [TestCase("subscribe/payments/schedule/nope", HttpStatusCode.NotFound)]
    [TestCase("payments/prepare/nope", HttpStatusCode.OK)]
    public async Task Lookup_NothingThere_AnsweredAsTheRealServiceAnswersThatRoute(string path, HttpStatusCode expected)
    {
        await using var h = new FakeHarness(host);
        await h.GetTokenAsync();

        var (status, json) = await h.GetAsync(path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(expected));
            Assert.That((int)json!["code"]!, Is.Not.Zero);
            Assert.That(json["response"], Is.Null);
        }
    }

    [Test]
    public async Task Lookup_UnknownCustomer_Code1WithTheRealMessage()
    {
        await using var h = new FakeHarness(host);
        await h.GetTokenAsync();

        var (_, json) = await h.GetAsync("subscribe/customers/cust_x");

        Assert.That((string)json!["message"]!, Does.Contain("cust_x").And.Contain("찾을 수 없습니다"));
    }
}
