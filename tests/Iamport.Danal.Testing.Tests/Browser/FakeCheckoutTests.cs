using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Testing.Tests.Browser;

/// <summary>A checkout completed from C# (<see cref="FakeIamport.ApproveCheckoutAsync"/> and its siblings): what the
/// simulated window's endpoint answers, and the same records it leaves.</summary>
[TestFixture(FakeHost.InProcess)]
[TestFixture(FakeHost.Kestrel)]
public class FakeCheckoutTests(FakeHost host)
{
    private static string Param(decimal amount, string merchantUid = "order-1", string customerUid = "cust_1", string pg = "danal_tpay") => new JsonObject
    {
        ["pg"] = pg,
        ["pay_method"] = "card",
        ["merchant_uid"] = merchantUid,
        ["customer_uid"] = customerUid,
        ["name"] = "월간 구독",
        ["amount"] = amount,
        ["buyer_tel"] = "010-1234-5678",
        ["custom_data"] = new JsonObject { ["plan"] = "basic" },
    }.ToJsonString();

    private static Action<FakeIamportOptions> Seeded => o =>
    {
        o.Seed = 22;
        o.MerchantCode = "imp12345678";
    };

    private static async Task<string> WindowAsync(FakeHarness h, string param, string action, string card)
    {
        var body = new JsonObject
        {
            ["action"] = action,
            ["merchant_code"] = "imp12345678",
            ["card_number"] = card,
            ["mobile"] = false,
            ["param"] = JsonNode.Parse(param),
        };
        using var response = await h.Client.PostAsync("fake-danal/complete", new StringContent(body.ToJsonString(), Encoding.UTF8, "text/plain"));
        return await response.Content.ReadAsStringAsync();
    }

    private static Task<FakeCheckoutResult> CompleteAsync(FakeIamport fake, string param, string action, string card) => action switch
    {
        "approve" => fake.ApproveCheckoutAsync(param, card),
        "fail" => fake.DeclineCheckoutAsync(param),
        _ => fake.CloseCheckoutAsync(param),
    };

    private static string[] Cards => [.. TestCards.All];

    // Every action, card and amount: the C# call answers and records exactly what the window's endpoint does on a
    // twin fake (equal seeds give equal ids).
    [Test]
    public async Task CompleteCheckout_EveryActionCardAndAmount_SameAsTheWindow(
        [Values("approve", "fail", "close")] string action,
        [ValueSource(nameof(Cards))] string card,
        [Values(0, 9900)] int amount)
    {
        await using var viaWindow = new FakeHarness(host, Seeded);
        await using var viaCall = new FakeHarness(host, Seeded);

        var expected = await WindowAsync(viaWindow, Param(amount), action, card);
        var result = await CompleteAsync(viaCall.Fake, Param(amount), action, card);
        var rsp = JsonNode.Parse(expected)!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.CallbackJson, Is.EqualTo(expected));
            Assert.That(result.ImpUid, Is.EqualTo((string?)rsp["imp_uid"]).And.Not.Null);
            Assert.That(result.MerchantUid, Is.EqualTo("order-1"));
            Assert.That(result.ErrorCode, Is.EqualTo((string?)rsp["error_code"]));
            Assert.That(result.ErrorMessage, Is.EqualTo((string?)rsp["error_msg"]));
            Assert.That(result.IsSuccess, Is.EqualTo(rsp["error_code"] is null));
            Assert.That(viaCall.Fake.HasBillingKey("cust_1"), Is.EqualTo(viaWindow.Fake.HasBillingKey("cust_1")));
            Assert.That(Statuses(viaCall.Fake), Is.EqualTo(Statuses(viaWindow.Fake)));
            Assert.That(viaCall.Fake.Webhooks, Has.Count.EqualTo(viaWindow.Fake.Webhooks.Count));
            Assert.That(viaCall.Fake.RequestCount(FakeRoutes.DanalComplete), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ApproveCheckoutAsync_ApprovingCard_IssuesAKeyTheApiShowsAndNotifies()
    {
        await using var h = new FakeHarness(host);

        var result = await h.Fake.ApproveCheckoutAsync(Param(0));
        await h.GetTokenAsync();
        var (_, payment) = await h.GetAsync("payments/" + result.ImpUid);
        var (_, customer) = await h.GetAsync("subscribe/customers/cust_1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsSuccess, Is.True);
            Assert.That(result.ErrorCode, Is.Null);
            Assert.That((string?)payment?["response"]?["status"], Is.EqualTo("paid"));
            Assert.That((string?)payment?["response"]?["customer_uid_usage"], Is.EqualTo("issue"));
            Assert.That((string?)payment?["response"]?["merchant_uid"], Is.EqualTo("order-1"));
            Assert.That((string?)customer?["response"]?["customer_uid"], Is.EqualTo("cust_1"));
            Assert.That(string.Join(",", h.Fake.Webhooks.Select(w => w.MerchantUid)), Is.EqualTo("order-1"));
        }
    }

    [TestCase("fail")]
    [TestCase("close")]
    public async Task DeclineOrClose_ApprovingCard_NoKeyAFailedPaymentAndNoWebhook(string action)
    {
        await using var h = new FakeHarness(host);

        var result = await CompleteAsync(h.Fake, Param(0), action, TestCards.Approve);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsSuccess, Is.False);
            Assert.That(result.ErrorCode, Is.Not.Null.And.Not.Empty);
            Assert.That(result.ErrorMessage, Is.Not.Null.And.Not.Empty);
            Assert.That(result.ImpUid, Does.StartWith("imp_"));
            Assert.That(h.Fake.HasBillingKey("cust_1"), Is.False);
            Assert.That(Statuses(h.Fake), Is.EqualTo("failed"));
            Assert.That(h.Fake.Webhooks, Is.Empty);
        }
    }

    [Test]
    public async Task ApproveCheckoutAsync_ParamTheWindowRefuses_ErrorWithoutPayment()
    {
        await using var h = new FakeHarness(host);

        var result = await h.Fake.ApproveCheckoutAsync(Param(0, pg: "html5_inicis"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsSuccess, Is.False);
            Assert.That(result.ErrorCode, Is.Not.Null);
            Assert.That(result.ImpUid, Is.Null);
            Assert.That(h.Fake.Payments, Is.Empty);
        }
    }

    [Test]
    public async Task ApproveCheckoutAsync_SameMerchantUidAfterPaid_RefusedAsTheWindowDoes()
    {
        await using var h = new FakeHarness(host);

        var first = await h.Fake.ApproveCheckoutAsync(Param(0));
        var again = await h.Fake.ApproveCheckoutAsync(Param(0, customerUid: "cust_2"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.IsSuccess, Is.True);
            Assert.That(again.IsSuccess, Is.False);
            Assert.That(h.Fake.HasBillingKey("cust_2"), Is.False);
            Assert.That(h.Fake.PaidChargeCount("order-1"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ApproveCheckoutAsync_MerchantCodeSet_CompletesAsAfterIMPInitWithIt()
    {
        await using var h = new FakeHarness(host, o => o.MerchantCode = "imp87654321");

        var result = await h.Fake.ApproveCheckoutAsync(Param(0));

        Assert.That(result.IsSuccess, Is.True, result.ErrorMessage);
    }

    [Test]
    public async Task ApproveCheckoutAsync_FaultOnTheWindowRoute_Throws()
    {
        await using var h = new FakeHarness(host);
        h.Fake.Faults.Next(FakeRoutes.DanalComplete, Fault.ServerErrorHtml());

        Assert.That(() => h.Fake.ApproveCheckoutAsync(Param(0)), Throws.InstanceOf<HttpRequestException>());
        Assert.That(h.Fake.HasBillingKey("cust_1"), Is.False);
    }

    [TestCase("")]
    [TestCase("not json")]
    [TestCase("[1, 2]")]
    [TestCase("\"text\"")]
    public async Task CompleteCheckout_NotAJsonObject_ArgumentExceptionNamingTheParameter(string param)
    {
        await using var h = new FakeHarness(host);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => h.Fake.ApproveCheckoutAsync(param), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("requestPayParams"));
            Assert.That(() => h.Fake.DeclineCheckoutAsync(param), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("requestPayParams"));
            Assert.That(() => h.Fake.CloseCheckoutAsync(param), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("requestPayParams"));
            Assert.That(h.Fake.RequestCount(FakeRoutes.DanalComplete), Is.Zero);
        }
    }

    private static string Statuses(FakeIamport fake) => string.Join(",", fake.Payments.Select(p => p.Status));
}
