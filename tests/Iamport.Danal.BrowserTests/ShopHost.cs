using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Iamport.Danal.Samples.Shop;
using Iamport.Danal.Samples.Shop.Billing;
using Iamport.Danal.Samples.Shop.Data;
using Iamport.Danal.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Iamport.Danal.BrowserTests;

/// <summary>The sample shop started in-process on a loopback port, exactly as <c>dotnet run</c> builds it.</summary>
internal sealed class ShopHost : IAsyncDisposable
{
    private ShopHost(WebApplication app, FakeIamport fake, string databasePath, CapturedLogs logs)
    {
        Logs = logs;
        App = app;
        Fake = fake;
        DatabasePath = databasePath;
        Address = ShopApp.Address(app);
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    /// <summary>The fake I'mport the shop talks to: its own embedded one, or one the test shares between hosts.</summary>
    public FakeIamport Fake { get; }

    public string DatabasePath { get; }

    /// <summary>Every log line the shop wrote (Warning and above, as the hosts are configured), formatted.</summary>
    public CapturedLogs Logs { get; }

    public IShopStore Store => App.Services.GetRequiredService<IShopStore>();

    /// <summary>The admin credential (generated at start in the embedded mode); <see langword="null"/> when the admin endpoints are off.</summary>
    public string? AdminToken => App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ShopOptions>>().Value.AdminToken;

    public static string NewDatabasePath() =>
        Path.Combine(TestContext.CurrentContext.WorkDirectory, "shop-dbs", Guid.NewGuid().ToString("N") + ".db");

    /// <summary>Starts the shop in its embedded default: no keys, its own fake I'mport.</summary>
    public static Task<ShopHost> StartEmbeddedAsync(string? databasePath = null, params string[] settings) =>
        StartAsync(databasePath ?? NewDatabasePath(), sharedFake: null, settings);

    /// <summary>Starts the shop with keys configured, against a fake the test owns (so several hosts can share it).</summary>
    public static Task<ShopHost> StartWithFakeAsync(FakeIamport fake, string databasePath, params string[] settings) =>
        StartAsync(databasePath, fake, settings);

    /// <summary>As <see cref="StartWithFakeAsync(FakeIamport, string, string[])"/>, with a change to the builder (a log capture, say).</summary>
    public static Task<ShopHost> StartWithFakeAsync(FakeIamport fake, string databasePath, Action<WebApplicationBuilder> configure, params string[] settings) =>
        StartAsync(databasePath, fake, settings, configure);

    private static async Task<ShopHost> StartAsync(string databasePath, FakeIamport? sharedFake, string[] settings, Action<WebApplicationBuilder>? configure = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            "--Shop:Database=" + databasePath,
            "--Shop:KeysDirectory=" + databasePath + ".keys", // the instances on one database share one key ring, like a shop's processes
            "--Shop:RenewalWorkerEnabled=false", // tests run renewals themselves
            "--Logging:LogLevel:Default=Warning",
        };
        if (sharedFake is not null)
        {
            args.Add("--Iamport:ImpKey=" + sharedFake.Options.ImpKey);
            args.Add("--Iamport:ImpSecret=" + sharedFake.Options.ImpSecret);
            args.Add("--Iamport:MerchantCode=" + ShopApp.EmbeddedMerchantCode);
            args.Add("--Iamport:BaseAddress=" + sharedFake.BaseAddress);
            args.Add("--Shop:IamportJsUrl=" + new Uri(sharedFake.BaseAddress!, "v1/iamport.js"));
        }

        args.AddRange(settings.Select(s => "--" + s));
        var logs = new CapturedLogs();
        var app = await ShopApp.CreateAsync([.. args], builder =>
        {
            builder.Logging.AddProvider(logs);
            builder.Logging.AddFilter<CapturedLogs>(null, LogLevel.Information); // what a shop's logs would hold, whatever the console shows
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return new ShopHost(app, sharedFake ?? app.Services.GetRequiredService<FakeIamport>(), databasePath, logs);
    }

    public RenewalJob NewRenewalJob() => App.Services.GetRequiredService<RenewalJob>();

    public Sweep NewSweep() => App.Services.GetRequiredService<Sweep>();

    /// <summary>Posts a webhook body as I'mport (or anyone) would: JSON, no cookie.</summary>
    public async Task<HttpResponseMessage> PostWebhookAsync(string impUid, string merchantUid, string status)
    {
        using var http = new HttpClient { BaseAddress = Address };
        return await http.PostAsJsonAsync("iamport/webhook", new Dictionary<string, string> { ["imp_uid"] = impUid, ["merchant_uid"] = merchantUid, ["status"] = status });
    }

    /// <summary>An operator's client for the admin endpoints: <c>Authorization: Bearer {AdminToken}</c>, redirects not followed.</summary>
    public HttpClient NewAdminClient()
    {
        var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = Address };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            AdminToken ?? throw new InvalidOperationException("The admin endpoints are off: no Shop:AdminToken."));
        return http;
    }

    /// <summary>A browser stand-in: a <see cref="ShopSession"/> (identity cookie, antiforgery token, Origin), already on the shop's page.</summary>
    public async Task<ShopCustomer> NewCustomerAsync(CookieContainer? cookies = null) =>
        new(this, await ShopSession.OpenAsync(Address, cookies));

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>Does what the page's script does, over HTTP, so non-browser tests can check out (and forge).</summary>
internal sealed class ShopCustomer(ShopHost shop, ShopSession session) : IDisposable
{
    public ShopSession Session { get; } = session;

    public CookieContainer Cookies => Session.Cookies;

    /// <summary>The session's client: posts carry the customer's cookie, antiforgery token and the shop's Origin.</summary>
    public HttpClient Http => Session.Http;

    /// <summary>Asks the shop for a checkout: <c>{merchantCode, params}</c>.</summary>
    public async Task<JsonObject> StartCheckoutAsync(string kind)
    {
        using var response = await Http.PostAsJsonAsync("api/checkouts", new { kind });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Plays the simulated Danal window: what the fake iamport.js posts when the buyer presses approve.</summary>
    public async Task<JsonObject> PayInWindowAsync(JsonObject start, string card = TestCards.Approve)
    {
        var body = new JsonObject
        {
            ["action"] = "approve",
            ["merchant_code"] = start["merchantCode"]!.GetValue<string>(),
            ["card_number"] = card,
            ["mobile"] = false,
            ["param"] = start["params"]!.DeepClone(),
        };
        using var window = new HttpClient();
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "text/plain");
        using var response = await window.PostAsync(new Uri(shop.Fake.BaseAddress!, "fake-danal/complete"), content);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>What the page's callback posts to the shop.</summary>
    public Task<HttpResponseMessage> VerifyAsync(string? impUid, string? merchantUid) =>
        Http.PostAsJsonAsync("api/checkouts/verify", new VerifyBody(impUid, merchantUid));

    /// <summary>What a mobile window's return to <c>m_redirect_url</c> requests.</summary>
    public Task<HttpResponseMessage> ReturnFromMobileAsync(string impUid, string merchantUid) =>
        Http.GetAsync(new Uri($"checkout/complete?imp_uid={Uri.EscapeDataString(impUid)}&merchant_uid={Uri.EscapeDataString(merchantUid)}&imp_success=true", UriKind.Relative));

    /// <summary>Presses 카드 변경: returns <c>{merchantCode, params}</c> read from the checkout page's snippet, as the
    /// page's script gets them.</summary>
    public async Task<JsonObject> StartCardChangeAsync(long subscriptionId)
    {
        using var response = await Http.PostAsync(new Uri($"subscriptions/{subscriptionId}/change-card", UriKind.Relative), null);
        response.EnsureSuccessStatusCode();
        string page = await response.Content.ReadAsStringAsync();

        // The snippet ends in: })("merchantCode", {params}, "verifyUrl");
        int start = page.LastIndexOf("})(", StringComparison.Ordinal) + 3;
        int end = page.IndexOf(");\n</script>", start, StringComparison.Ordinal);
        var arguments = JsonNode.Parse("[" + page[start..end] + "]")!.AsArray();
        return new JsonObject { ["merchantCode"] = arguments[0]!.DeepClone(), ["params"] = arguments[1]!.DeepClone() };
    }

    /// <summary>The whole checkout without a browser; returns the window's <c>rsp</c>.</summary>
    public async Task<JsonObject> CheckOutAsync(string kind, string card = TestCards.Approve)
    {
        var start = await StartCheckoutAsync(kind);
        var rsp = await PayInWindowAsync(start, card);
        using var verdict = await VerifyAsync(rsp["imp_uid"]?.GetValue<string>(), rsp["merchant_uid"]?.GetValue<string>());
        Assert.That(verdict.StatusCode, Is.EqualTo(HttpStatusCode.OK), await verdict.Content.ReadAsStringAsync());
        return rsp;
    }

    public async Task<JsonArray> SubscriptionsAsync()
    {
        using var response = await Http.GetAsync(new Uri("api/subscriptions", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonArray>())!;
    }

    public void Dispose() => Session.Dispose();

    private sealed record VerifyBody(
        [property: System.Text.Json.Serialization.JsonPropertyName("imp_uid")] string? ImpUid,
        [property: System.Text.Json.Serialization.JsonPropertyName("merchant_uid")] string? MerchantUid);
}

/// <summary>A logger provider that keeps every formatted line, so tests can read what the shop logged.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
    }
}
