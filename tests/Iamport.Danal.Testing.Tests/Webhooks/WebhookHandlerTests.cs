using System;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Testing.Tests.Webhooks;

/// <summary>Option changes apply to later requests: a webhook handler set after the fake was created receives the next webhooks.</summary>
public class WebhookHandlerTests
{
    [Test]
    public async Task WebhookHandler_SetAfterConstruction_UsedForLaterWebhooks()
    {
        await using var fake = new FakeIamport(new FakeIamportOptions { WebhookUrl = new Uri("http://shop.test/hook") });
        fake.IssueBillingKey("cust_1");
        using var first = new RecordingHandler();
        using var second = new RecordingHandler();
        using var http = new HttpClient(fake.CreateHandler()) { BaseAddress = new Uri("https://api.iamport.kr/") };
        var token = await http.PostAsync("users/getToken", Json(new JsonObject { ["imp_key"] = "fake_imp_key", ["imp_secret"] = "fake_imp_secret" }));
        var accessToken = (string)JsonNode.Parse(await token.Content.ReadAsStringAsync())!["response"]!["access_token"]!;
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);

        fake.Options.WebhookHandler = first;
        await http.PostAsync("subscribe/payments/again", Json(Charge("order-1")));
        fake.Options.WebhookHandler = second;
        await http.PostAsync("subscribe/payments/again", Json(Charge("order-2")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Received, Has.Count.EqualTo(1));
            Assert.That(first.Received[0].Body, Does.Contain("order-1"));
            Assert.That(second.Received, Has.Count.EqualTo(1));
            Assert.That(second.Received[0].Body, Does.Contain("order-2"));
        }
    }

    private static JsonObject Charge(string merchantUid) =>
        new() { ["customer_uid"] = "cust_1", ["merchant_uid"] = merchantUid, ["amount"] = 1000, ["name"] = "n" };

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
}
