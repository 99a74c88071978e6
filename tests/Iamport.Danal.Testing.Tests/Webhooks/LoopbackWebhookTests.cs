using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Iamport.Danal.Testing.Tests.Webhooks;

/// <summary>Webhooks sent by the fake's own HTTP client to a shop endpoint on a real loopback port.</summary>
public class LoopbackWebhookTests
{
    [Test]
    public async Task ScheduledRun_WebhookReachesLoopbackEndpoint_AndRefetchShowsPaid()
    {
        var received = new ConcurrentQueue<(string? ContentType, string Body)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        await using var shop = builder.Build();
        shop.MapPost("/iamport/webhook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            received.Enqueue((request.ContentType, await reader.ReadToEndAsync()));
            return Results.Ok();
        });
        await shop.StartAsync();
        var shopAddress = new Uri(shop.Urls.First());

        var time = new FakeTimeProvider(FakeHarness.Start);
        await using var fake = new FakeIamport(new FakeIamportOptions { WebhookUrl = new Uri(shopAddress, "/iamport/webhook") }, time);
        fake.IssueBillingKey("cust_1");
        using var client = new HttpClient(fake.CreateHandler()) { BaseAddress = new Uri("https://api.iamport.kr/") };
        var token = await TokenAsync(client);
        var at = FakeHarness.Start.AddMinutes(10).ToUnixTimeSeconds();
        await SendAsync(client, HttpMethod.Post, "subscribe/payments/schedule", token, new JsonObject
        {
            ["customer_uid"] = "cust_1",
            ["schedules"] = new JsonArray(new JsonObject { ["merchant_uid"] = "sched-1", ["schedule_at"] = at, ["amount"] = 4900, ["name"] = "구독" }),
        });

        time.Advance(TimeSpan.FromMinutes(10));
        await fake.RunDueSchedulesAsync();
        var (contentType, body) = received.Single();
        var hook = JsonNode.Parse(body)!;
        var refetched = await SendAsync(client, HttpMethod.Get, "payments/" + (string)hook["imp_uid"]!, token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(contentType, Does.StartWith("application/json"));
            Assert.That((string)hook["merchant_uid"]!, Is.EqualTo("sched-1"));
            Assert.That((string)hook["status"]!, Is.EqualTo("paid"));
            Assert.That(fake.Webhooks.Single().ResponseStatusCode, Is.EqualTo(200));
            Assert.That((decimal)refetched["response"]!["amount"]!, Is.EqualTo(4900m));
            Assert.That((string)refetched["response"]!["status"]!, Is.EqualTo("paid"));
        }
    }

    [Test]
    public async Task Webhook_ReceiverDown_RecordedWithErrorAndChargeStillAnswered()
    {
        await using var fake = new FakeIamport(new FakeIamportOptions { WebhookUrl = new Uri("http://127.0.0.1:9/closed") });
        fake.IssueBillingKey("cust_1");
        using var client = new HttpClient(fake.CreateHandler()) { BaseAddress = new Uri("https://api.iamport.kr/") };
        var token = await TokenAsync(client);

        var charge = await SendAsync(client, HttpMethod.Post, "subscribe/payments/again", token,
            new JsonObject { ["customer_uid"] = "cust_1", ["merchant_uid"] = "order-1", ["amount"] = 1000, ["name"] = "n" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)charge["response"]!["status"]!, Is.EqualTo("paid"));
            Assert.That(fake.Webhooks.Single().ResponseStatusCode, Is.Null);
            Assert.That(fake.Webhooks.Single().Error, Is.Not.Null);
        }
    }

    private static async Task<string> TokenAsync(HttpClient client)
    {
        var json = await SendAsync(client, HttpMethod.Post, "users/getToken", null, new JsonObject { ["imp_key"] = "fake_imp_key", ["imp_secret"] = "fake_imp_secret" });
        return (string)json["response"]!["access_token"]!;
    }

    private static async Task<JsonNode> SendAsync(HttpClient client, HttpMethod method, string path, string? token, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
