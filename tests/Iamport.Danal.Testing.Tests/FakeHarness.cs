using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Iamport.Danal.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Iamport.Danal.Testing.Tests;

/// <summary>How a test reaches the fake.</summary>
public enum FakeHost
{
    /// <summary>Through <see cref="FakeIamport.CreateHandler"/>: the test server, no sockets.</summary>
    InProcess,

    /// <summary>Through <see cref="FakeIamport.StartAsync"/>: Kestrel on a loopback port.</summary>
    Kestrel,
}

/// <summary>A fake on a FakeTimeProvider, a plain HttpClient over its in-process handler or its loopback port, and a
/// webhook receiver.</summary>
internal sealed class FakeHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 27, 0, 0, 0, TimeSpan.Zero);

    public FakeHarness(Action<FakeIamportOptions>? configure = null)
        : this(FakeHost.InProcess, configure)
    {
    }

    public FakeHarness(FakeHost host, Action<FakeIamportOptions>? configure = null)
    {
        var options = new FakeIamportOptions
        {
            WebhookUrl = new Uri("http://shop.test/iamport/webhook"),
            WebhookHandler = Receiver,
        };
        configure?.Invoke(options);
        Fake = new FakeIamport(options, Time);
        Client = host == FakeHost.Kestrel
            ? new HttpClient { BaseAddress = Fake.StartAsync().GetAwaiter().GetResult() }
            : new HttpClient(Fake.CreateHandler()) { BaseAddress = new Uri("https://api.iamport.kr/") };
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public FakeIamport Fake { get; }

    public HttpClient Client { get; }

    public RecordingHandler Receiver { get; } = new();

    public string? Token { get; private set; }

    public async Task<(HttpStatusCode Status, JsonNode? Json)> SendAsync(HttpMethod method, string path, object? body = null, bool form = false, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        var bearer = token ?? Token;
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (body is string formText && form)
        {
            request.Content = new StringContent(formText, Encoding.UTF8, "application/x-www-form-urlencoded");
        }
        else if (body is not null)
        {
            var json = body as JsonNode ?? System.Text.Json.JsonSerializer.SerializeToNode(body)!;
            request.Content = new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? parsed = null;
        if (text.StartsWith('{'))
        {
            parsed = JsonNode.Parse(text);
        }

        return (response.StatusCode, parsed);
    }

    public Task<(HttpStatusCode Status, JsonNode? Json)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<(HttpStatusCode Status, JsonNode? Json)> PostAsync(string path, object body) => SendAsync(HttpMethod.Post, path, body);

    public async Task<JsonNode> GetTokenAsync()
    {
        var (status, json) = await SendAsync(HttpMethod.Post, "users/getToken", new JsonObject { ["imp_key"] = "fake_imp_key", ["imp_secret"] = "fake_imp_secret" });
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), json?.ToJsonString());
        Token = (string)json!["response"]!["access_token"]!;
        return json["response"]!;
    }

    public async Task<JsonNode> AgainAsync(string customerUid, string merchantUid, decimal amount, string name = "월간 구독")
    {
        var (status, json) = await PostAsync("subscribe/payments/again", new JsonObject
        {
            ["customer_uid"] = customerUid,
            ["merchant_uid"] = merchantUid,
            ["amount"] = amount,
            ["name"] = name,
        });
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), json?.ToJsonString());
        return json!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Fake.DisposeAsync();
        Receiver.Dispose();
    }
}

/// <summary>Receives webhooks in-process and answers 200.</summary>
internal sealed class RecordingHandler : HttpMessageHandler
{
    private readonly List<(Uri Url, string ContentType, string Body)> _received = [];

    public IReadOnlyList<(Uri Url, string ContentType, string Body)> Received
    {
        get
        {
            lock (_received)
            {
                return _received.ToArray();
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (_received)
        {
            _received.Add((request.RequestUri!, request.Content?.Headers.ContentType?.MediaType ?? "", body));
        }

        return new HttpResponseMessage(HttpStatusCode.OK);
    }
}
