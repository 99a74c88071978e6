using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Testing.Tests.Hosting;

/// <summary>The same fake over a real loopback socket, and over both hosts at once.</summary>
public class KestrelTests
{
    private static async Task<(HttpStatusCode Status, JsonNode? Json)> PostAsync(HttpClient client, string path, JsonObject body, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.StartsWith('{') ? JsonNode.Parse(text) : null);
    }

    [Test]
    public async Task StartAsync_PortZero_ServesApiOnLoopback()
    {
        await using var fake = new FakeIamport();
        fake.IssueBillingKey("cust_1");
        var baseAddress = await fake.StartAsync(port: 0);
        using var client = new HttpClient { BaseAddress = baseAddress };

        var (_, token) = await PostAsync(client, "users/getToken", new JsonObject { ["imp_key"] = "fake_imp_key", ["imp_secret"] = "fake_imp_secret" });
        var (status, charge) = await PostAsync(client, "subscribe/payments/again",
            new JsonObject { ["customer_uid"] = "cust_1", ["merchant_uid"] = "order-1", ["amount"] = 1000, ["name"] = "n" },
            (string)token!["response"]!["access_token"]!);
        using var script = await client.GetAsync("v1/iamport.js");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(baseAddress.IsLoopback, Is.True);
            Assert.That(baseAddress.Port, Is.GreaterThan(0));
            Assert.That(fake.BaseAddress, Is.EqualTo(baseAddress));
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string)charge!["response"]!["status"]!, Is.EqualTo("paid"));
            Assert.That(script.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/javascript"));
        }
    }

    [Test]
    public async Task DropResponseAfterCommit_OverSocket_ConnectionAbortedChargeStands()
    {
        await using var fake = new FakeIamport();
        fake.IssueBillingKey("cust_1");
        using var client = new HttpClient { BaseAddress = await fake.StartAsync() };
        var (_, token) = await PostAsync(client, "users/getToken", new JsonObject { ["imp_key"] = "fake_imp_key", ["imp_secret"] = "fake_imp_secret" });
        fake.Faults.Next(FakeRoutes.Again, Fault.DropResponseAfterCommit());

        Assert.That(
            () => PostAsync(client, "subscribe/payments/again",
                new JsonObject { ["customer_uid"] = "cust_1", ["merchant_uid"] = "order-1", ["amount"] = 1000, ["name"] = "n" },
                (string)token!["response"]!["access_token"]!),
            Throws.InstanceOf<HttpRequestException>());
        Assert.That(fake.PaidChargeCount("order-1"), Is.EqualTo(1));
    }

    [Test]
    public async Task ResetBeforeCommit_OverSocket_NothingApplied()
    {
        await using var fake = new FakeIamport();
        fake.IssueBillingKey("cust_1");
        using var client = new HttpClient { BaseAddress = await fake.StartAsync() };
        fake.Faults.Next(FakeRoutes.GetToken, Fault.ResetBeforeCommit());

        Assert.That(
            () => PostAsync(client, "users/getToken", new JsonObject { ["imp_key"] = "fake_imp_key", ["imp_secret"] = "fake_imp_secret" }),
            Throws.InstanceOf<HttpRequestException>());
        Assert.That(fake.TokensIssuedCount, Is.Zero);
    }

    [Test]
    public async Task BothHosts_OneFake_ShareOneState()
    {
        await using var fake = new FakeIamport();
        fake.IssueBillingKey("cust_1");
        using var inProcess = new HttpClient(fake.CreateHandler()) { BaseAddress = new Uri("https://api.iamport.kr/") };
        using var overSocket = new HttpClient { BaseAddress = await fake.StartAsync() };

        var (_, token) = await PostAsync(inProcess, "users/getToken", new JsonObject { ["imp_key"] = "fake_imp_key", ["imp_secret"] = "fake_imp_secret" });
        var bearer = (string)token!["response"]!["access_token"]!;
        await PostAsync(inProcess, "subscribe/payments/again",
            new JsonObject { ["customer_uid"] = "cust_1", ["merchant_uid"] = "order-1", ["amount"] = 1000, ["name"] = "n" }, bearer);
        using var lookUp = new HttpRequestMessage(HttpMethod.Get, "payments/find/order-1");
        lookUp.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var found = await overSocket.SendAsync(lookUp);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(found.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the token and the charge made in-process are seen over the socket");
            Assert.That(fake.RequestCount(FakeRoutes.FindPayment), Is.EqualTo(1));
            Assert.That(fake.RequestCount(FakeRoutes.Again), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task StartAsync_Twice_Throws()
    {
        await using var fake = new FakeIamport();
        await fake.StartAsync();

        Assert.That(() => fake.StartAsync(), Throws.InvalidOperationException);
    }
}
