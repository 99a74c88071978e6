using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Iamport.Danal.Tests.Honesty;

/// <summary>
/// Redirects over real sockets: I'mport (a Kestrel on 127.0.0.1) answers a charge or a look-up with 301/302/303/307/308,
/// to a path of its own or to another Kestrel. Whatever the shop configured, the client registered by <c>AddIamport</c>
/// follows none: one charge POST at most, nothing reaches the redirect's target, and the charge's outcome comes from a look-up.
/// </summary>
[NonParallelizable]
public class RedirectTests
{
    private const string Elsewhere = "/elsewhere";
    private const string FindPath = "/payments/find/sub_42_2026_12";

    /// <summary>A charge's look-up: <c>/payments/find/…</c> or <c>/payments/findAll/…</c>, whichever reconciliation uses.</summary>
    private const string LookUpPrefix = "/payments/find";

    private static readonly int[] Statuses = [301, 302, 303, 307, 308];
    private static readonly bool[] Hosts = [false, true];

    private LoopbackServer _iamport = null!;
    private LoopbackServer _other = null!;

    /// <summary>How a shop may have set up the I'mport client: each one must end with redirects off.</summary>
    public enum Setup
    {
        AsRegistered,
        DefaultsWithRedirectingSocketsHandler,
        OwnHttpClientHandlerAndStandardResilience,
        KeyedWithWrappedSocketsHandler,
    }

    [OneTimeSetUp]
    public async Task StartServersAsync()
    {
        _iamport = await LoopbackServer.StartAsync();
        _other = await LoopbackServer.StartAsync();
        // If anything follows a redirect, it gets a declined charge: the outcome would then differ from the look-up's.
        _other.Script = c => LoopbackServer.WriteAsync(c, 200, Api.Fixture("again-failed.json"));
    }

    [OneTimeTearDown]
    public async Task StopServersAsync()
    {
        await _iamport.DisposeAsync();
        await _other.DisposeAsync();
    }

    private static IEnumerable<TestCaseData> Cases() =>
        from setup in Enum.GetValues<Setup>()
        from status in Statuses
        from toOtherHost in Hosts
        select new TestCaseData(setup, status, toOtherHost)
            .SetName($"AnyCall_{status}To{(toOtherHost ? "OtherHost" : "SameHost")}_{setup}_NotFollowedOutcomeFromLookUp");

    [TestCaseSource(nameof(Cases))]
    public async Task AnyCall_Redirect_NotFollowedOutcomeFromLookUp(Setup setup, int status, bool toOtherHost)
    {
        string target = toOtherHost ? new Uri(_other.Address, "/subscribe/payments/again").ToString() : Elsewhere + "/subscribe/payments/again";
        var time = new FakeTimeProvider(ApiFixture.Now);
        using ServiceProvider services = Services(setup, time);
        IIamportClient client = setup == Setup.KeyedWithWrappedSocketsHandler
            ? services.GetRequiredKeyedService<IIamportClient>("shopA")
            : services.GetRequiredService<IIamportClient>();

        // 1. The charge's reply is a redirect: the look-up answers paid.
        Script(charge: c => Redirect(c, status, target), firstFind: Paid);
        ChargeResult charged = await ChargeAsync(client, time);
        (int posts, int finds, int elsewhere, int other) afterCharge = Counts();

        // 2. The charge's reply is lost (a gateway's HTML); the first look-up is redirected, the next answers paid.
        Script(charge: c => Html(c, 502), firstFind: c => Redirect(c, status, toOtherHost ? new Uri(_other.Address, FindPath).ToString() : Elsewhere + FindPath));
        ChargeResult reconciled = await ChargeAsync(client, time);
        (int posts, int finds, int elsewhere, int other) afterLookUp = Counts();

        // 3. A caller's own look-up is redirected: no usable answer, and nothing reaches the target either.
        Script(charge: c => Html(c, 502), firstFind: c => Redirect(c, status, toOtherHost ? new Uri(_other.Address, FindPath).ToString() : Elsewhere + FindPath));
        var lookUp = Assert.ThrowsAsync<IamportException>(() => client.GetPaymentByMerchantUidAsync("sub_42_2026_12"));
        (int posts, int finds, int elsewhere, int other) afterOwnLookUp = Counts();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(charged.Outcome, Is.EqualTo(ChargeOutcome.Approved), "a redirected charge: the look-up's outcome");
            Assert.That(charged.IsReconciled, Is.True, "a redirected charge is looked up");
            Assert.That(afterCharge, Is.EqualTo((1, 1, 0, 0)), "(charge POSTs, look-ups, requests to the redirect's path, requests to the other host)");
            Assert.That(reconciled.Outcome, Is.EqualTo(ChargeOutcome.Approved), "a redirected look-up: the next look-up's outcome");
            Assert.That(reconciled.IsReconciled, Is.True);
            Assert.That(afterLookUp, Is.EqualTo((1, 2, 0, 0)), "(charge POSTs, look-ups, requests to the redirect's path, requests to the other host)");
            Assert.That(lookUp!.StatusCode, Is.EqualTo(status), "the 3xx reaches the library as a reply");
            Assert.That(lookUp.HasApiAnswer, Is.False);
            Assert.That(afterOwnLookUp, Is.EqualTo((0, 1, 0, 0)), "(charge POSTs, look-ups, requests to the redirect's path, requests to the other host)");
        }
    }

    [Test]
    public void AddIamport_PrimaryHandlerAlreadyUsedAndFollowingRedirects_CreatingTheClientThrows()
    {
        // A shared handler that already sent a request cannot be changed: the client is refused rather than left following redirects.
        using var shared = new HttpClientHandler();
        using (var warmUp = new HttpClient(shared, disposeHandler: false))
        {
            warmUp.GetAsync(_iamport.Address).GetAwaiter().GetResult().Dispose();
        }

        var services = new ServiceCollection();
        services.AddIamport(o => Configure(o, _iamport.Address)).ConfigurePrimaryHttpMessageHandler(() => shared).SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IIamportClient>());

        Assert.That(ex!.Message, Does.Contain("follows redirects"));
    }

    [Test]
    public async Task ChargeBillingKeyAsync_OpaquePrimaryHandlerFollowsRedirect_ReplyRefusedOutcomeFromLookUp()
    {
        // A primary handler the library cannot see into follows a 307 to the other host: the library cannot stop that
        // handler's second send, but it refuses the reply and takes the outcome from the look-up.
        var time = new FakeTimeProvider(ApiFixture.Now);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddIamport(o => Configure(o, _iamport.Address)).ConfigurePrimaryHttpMessageHandler(() => new OpaqueFollowingHandler());
        using ServiceProvider provider = services.BuildServiceProvider();
        Script(charge: c => Redirect(c, 307, new Uri(_other.Address, "/subscribe/payments/again").ToString()), firstFind: Paid);

        ChargeResult result = await ChargeAsync(provider.GetRequiredService<IIamportClient>(), time);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Approved), "the other host answered declined; the look-up paid");
            Assert.That(result.IsReconciled, Is.True);
            Assert.That(_iamport.Count("POST", "/subscribe/payments/again"), Is.EqualTo(1));
            Assert.That(_iamport.Count("GET", LookUpPrefix), Is.EqualTo(1));
        }
    }

    private ServiceProvider Services(Setup setup, TimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddSingleton(time);
        switch (setup)
        {
            case Setup.AsRegistered:
                services.AddIamport(o => Configure(o, _iamport.Address));
                break;
            case Setup.DefaultsWithRedirectingSocketsHandler:
                services.ConfigureHttpClientDefaults(b => b.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = true, MaxAutomaticRedirections = 5 }));
                services.AddIamport(o => Configure(o, _iamport.Address));
                break;
            case Setup.OwnHttpClientHandlerAndStandardResilience:
                services.AddIamport(o => Configure(o, _iamport.Address))
                    .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = true })
                    .AddStandardResilienceHandler();
                break;
            case Setup.KeyedWithWrappedSocketsHandler:
                services.AddIamport("shopA", o => Configure(o, _iamport.Address))
                    .ConfigurePrimaryHttpMessageHandler(() => new PassThroughHandler { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = true } });
                break;
        }

        return services.BuildServiceProvider();
    }

    private static void Configure(IamportOptions options, Uri address)
    {
        options.ImpKey = "test_key";
        options.ImpSecret = Api.Secret;
        options.BaseAddress = address;
    }

    private void Script(Func<HttpContext, Task> charge, Func<HttpContext, Task> firstFind)
    {
        _iamport.Requests.Clear();
        _other.Requests.Clear();
        int finds = 0;
        _iamport.Script = c => c.Request.Path.Value switch
        {
            "/users/getToken" => LoopbackServer.WriteAsync(c, 200, Api.Token(ScriptedIamport.Token)),
            "/subscribe/payments/again" => charge(c),
            { } path when path.StartsWith(LookUpPrefix, StringComparison.Ordinal) && path.EndsWith("/sub_42_2026_12", StringComparison.Ordinal) =>
                Interlocked.Increment(ref finds) == 1 ? firstFind(c) : Paid(c),
            _ => LoopbackServer.WriteAsync(c, 200, Api.Fixture("again-failed.json")),
        };
    }

    private (int Posts, int Finds, int Elsewhere, int Other) Counts() =>
        (_iamport.Count("POST", "/subscribe/payments/again"), _iamport.Count("GET", LookUpPrefix), _iamport.Requests.Count(r => r.Contains(Elsewhere, StringComparison.Ordinal)), _other.Requests.Count);

    private static async Task<ChargeResult> ChargeAsync(IIamportClient client, FakeTimeProvider time)
    {
        Task<ChargeResult> charge = client.ChargeBillingKeyAsync(Api.Charge());
        await time.AdvanceUntilDoneAsync(charge);
        return await charge;
    }

    private static Task Paid(HttpContext context) => LoopbackServer.WriteAsync(context, 200, LookUpReply(context.Request.Path.Value!, Api.Fixture("again-paid.json")));

    /// <summary>A payment's envelope as the look-up route answers it: the payment itself, or a page listing it.</summary>
    internal static string LookUpReply(string path, string paymentEnvelope)
    {
        if (!path.StartsWith("/payments/findAll/", StringComparison.Ordinal))
        {
            return paymentEnvelope;
        }

        System.Text.Json.Nodes.JsonNode envelope = System.Text.Json.Nodes.JsonNode.Parse(paymentEnvelope)!;
        envelope["response"] = new System.Text.Json.Nodes.JsonObject
        {
            ["total"] = 1, ["previous"] = 0, ["next"] = 0, ["list"] = new System.Text.Json.Nodes.JsonArray(envelope["response"]!.DeepClone()),
        };
        return envelope.ToJsonString();
    }

    private static Task Redirect(HttpContext context, int status, string location)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Location = location;
        return Task.CompletedTask;
    }

    private static Task Html(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html";
        return context.Response.WriteAsync("<html><body>Bad Gateway</body></html>");
    }

    private sealed class PassThroughHandler : DelegatingHandler;

    /// <summary>Not a <see cref="DelegatingHandler"/>: the library cannot reach the socket handler inside, which follows redirects.</summary>
    private sealed class OpaqueFollowingHandler : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _inner = new(new SocketsHttpHandler { AllowAutoRedirect = true });

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            _inner.SendAsync(request, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
