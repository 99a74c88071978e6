using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Testing;
using Iamport.Danal.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;

namespace Iamport.Danal.Tests.Honesty;

/// <summary>The shop's own pipelines around the client, against the fake I'mport: whatever they retry, hedge or time
/// out, one charge POST reaches I'mport and the outcome reported is the one the fake applied.</summary>
public class ResiliencePipelineTests
{
    private const string CustomerUid = "cust_pipeline_1";
    private const string MerchantUid = "pipeline-order-1";

    private static ChargeRequest Charge() => new() { CustomerUid = CustomerUid, MerchantUid = MerchantUid, Amount = 9900m, Name = "월간 구독" };

    /// <summary>A fake with one key, a shared fake clock (the library's and Polly's), and a container the test shapes.</summary>
    private sealed class Host : IAsyncDisposable
    {
        private ServiceProvider? _provider;

        public Host()
        {
            Fake = new FakeIamport(new FakeIamportOptions { ImpKey = "pipe_key", ImpSecret = "pipe_secret" }, Time);
            Fake.IssueBillingKey(CustomerUid);
            Services.AddSingleton<TimeProvider>(Time);
        }

        public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));

        public FakeIamport Fake { get; }

        public ServiceCollection Services { get; } = [];

        public IHttpClientBuilder AddIamport() => Services
            .AddIamport(o =>
            {
                o.ImpKey = "pipe_key";
                o.ImpSecret = "pipe_secret";
            })
            .ConfigurePrimaryHttpMessageHandler(() => Fake.CreateHandler());

        public IIamportClient Client => (_provider ??= Services.BuildServiceProvider()).GetRequiredService<IIamportClient>();

        public async Task<ChargeResult> ChargeAsync()
        {
            Task<ChargeResult> charge = Client.ChargeBillingKeyAsync(Charge());
            await Time.AdvanceUntilDoneAsync(charge);
            return await charge;
        }

        public async ValueTask DisposeAsync()
        {
            if (_provider is not null)
            {
                await _provider.DisposeAsync();
            }

            await Fake.DisposeAsync();
        }
    }

    private static void AssertOnePostAndTheAppliedOutcome(Host h, ChargeResult result, ChargeOutcome applied)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(h.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(1), "exactly one POST reached I'mport");
            Assert.That(h.Fake.PaidChargeCount(MerchantUid), Is.EqualTo(applied == ChargeOutcome.Approved ? 1 : 0));
            Assert.That(result.Outcome, Is.EqualTo(applied), "what the fake applied");
            Assert.That(result.IsReconciled, Is.True);
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_StandardResilienceHandlerAfterAddIamportAndLostReply_OnePostApproved()
    {
        await using var h = new Host();
        h.AddIamport().AddStandardResilienceHandler();
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.DropResponseAfterCommit());

        ChargeResult result = await h.ChargeAsync();

        AssertOnePostAndTheAppliedOutcome(h, result, ChargeOutcome.Approved);
    }

    [Test]
    public async Task ChargeBillingKeyAsync_StandardResilienceHandlerFromConfigureHttpClientDefaultsAndLostReply_OnePostApproved()
    {
        await using var h = new Host();
        h.Services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler());
        h.AddIamport();
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.DropResponseAfterCommit(asTimeout: true));

        ChargeResult result = await h.ChargeAsync();

        AssertOnePostAndTheAppliedOutcome(h, result, ChargeOutcome.Approved);
    }

    [Test]
    public async Task ChargeBillingKeyAsync_StandardResilienceHandlerAndHtml500_OnePostNotCharged()
    {
        await using var h = new Host();
        h.AddIamport().AddStandardResilienceHandler();
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.ServerErrorHtml());

        ChargeResult result = await h.ChargeAsync();

        AssertOnePostAndTheAppliedOutcome(h, result, ChargeOutcome.NotCharged);
    }

    [Test]
    public async Task ChargeBillingKeyAsync_OneSecondAttemptTimeoutAroundAThreeSecondCharge_OnePostAndTheAppliedOutcome()
    {
        await using var h = new Host();
        h.AddIamport().AddStandardResilienceHandler(o =>
        {
            o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(1);
            o.Retry.DisableForUnsafeHttpMethods();
        });
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.Latency(TimeSpan.FromSeconds(3)));

        ChargeResult result = await h.ChargeAsync();

        // Polly's TimeoutRejectedException comes out of the pipeline after the POST left: looked up, not thrown.
        ChargeOutcome applied = h.Fake.PaidChargeCount(MerchantUid) == 1 ? ChargeOutcome.Approved : ChargeOutcome.NotCharged;
        AssertOnePostAndTheAppliedOutcome(h, result, applied);
    }

    [Test]
    public async Task ChargeBillingKeyAsync_OneSecondAttemptTimeoutWithRetriesOfPosts_OnePostAndTheAppliedOutcome()
    {
        await using var h = new Host();
        h.AddIamport().AddStandardResilienceHandler(o => o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(1));
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.Latency(TimeSpan.FromSeconds(3)));

        ChargeResult result = await h.ChargeAsync();

        ChargeOutcome applied = h.Fake.PaidChargeCount(MerchantUid) == 1 ? ChargeOutcome.Approved : ChargeOutcome.NotCharged;
        AssertOnePostAndTheAppliedOutcome(h, result, applied);
    }

    [Test]
    public async Task ChargeBillingKeyAsync_CircuitOpen_NothingChargedSaidAtOnce()
    {
        await using var h = new Host();
        h.AddIamport().AddStandardResilienceHandler(o =>
        {
            o.CircuitBreaker.MinimumThroughput = 2;
            o.CircuitBreaker.FailureRatio = 0.5;
            o.CircuitBreaker.BreakDuration = TimeSpan.FromHours(1);
            o.Retry.MaxRetryAttempts = 1;
        });
        IIamportClient client = h.Client;
        await client.GetBillingKeyAsync(CustomerUid);
        h.Fake.Faults.Next(FakeRoutes.GetCustomer, Fault.ServerErrorHtml(), count: 10);
        for (int i = 0; i < 2; i++)
        {
            Task<Iamport.Danal.BillingKey?> lookup = client.GetBillingKeyAsync(CustomerUid);
            await h.Time.AdvanceUntilDoneAsync(lookup);
            Assert.ThrowsAsync<IamportException>(() => lookup);
        }

        var ex = Assert.ThrowsAsync<IamportException>(() => client.ChargeBillingKeyAsync(Charge()));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex, Is.Not.InstanceOf<IamportOutcomeUnknownException>(), "refused before sending: nothing charged");
            Assert.That(ex!.InnerException, Is.InstanceOf<BrokenCircuitException>());
            Assert.That(h.Fake.RequestCount(FakeRoutes.Again), Is.Zero);
            Assert.That(h.Fake.RequestCount(FakeRoutes.FindAllPayments), Is.Zero, "nothing to reconcile");
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_HandlerThrowsBeforeSending_NothingChargedAfterSending_LookedUp()
    {
        await using var before = new Host();
        before.AddIamport().AddHttpMessageHandler(() => new ThrowingHandler(beforeSending: true));
        var refused = Assert.ThrowsAsync<IamportException>(() => before.Client.ChargeBillingKeyAsync(Charge()));
        Assert.That(refused, Is.Not.InstanceOf<IamportOutcomeUnknownException>());
        Assert.That(before.Fake.RequestCount(FakeRoutes.Again), Is.Zero);

        await using var after = new Host();
        after.AddIamport().AddHttpMessageHandler(() => new ThrowingHandler(beforeSending: false));
        ChargeResult result = await after.ChargeAsync();
        AssertOnePostAndTheAppliedOutcome(after, result, ChargeOutcome.Approved);
    }

    [Test]
    public async Task ChargeBillingKeyAsync_NaiveRetryHandlersEverywhere_GuardIsInnermostAndOnePostLeaves()
    {
        // Handlers that resend every request three times, added by the defaults, after AddIamport, and by
        // ConfigureAdditionalHttpMessageHandlers: the guard sits below all of them.
        await using var h = new Host();
        h.Services.ConfigureHttpClientDefaults(b => b.AddHttpMessageHandler(() => new ResendHandler()));
        h.AddIamport()
            .AddHttpMessageHandler(() => new ResendHandler())
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) => handlers.Add(new ResendHandler()));

        ChargeResult result = await h.ChargeAsync();

        Assert.That(h.Fake.RequestCount(FakeRoutes.Again), Is.EqualTo(1));
        Assert.That(h.Fake.PaidChargeCount(MerchantUid), Is.EqualTo(1));
        Assert.That(result.IsApproved, Is.True);
    }

    /// <summary>Sends a request, then tries twice more to send it again, keeping the first answer: a careless retry.</summary>
    private sealed class ResendHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage first = await base.SendAsync(request, cancellationToken);
            for (int i = 0; i < 2; i++)
            {
                try
                {
                    (await base.SendAsync(request, cancellationToken)).Dispose();
                }
                catch (InvalidOperationException)
                {
                    // The guard refused the resend; a careless handler swallows that.
                }
            }

            return first;
        }
    }

    private sealed class ThrowingHandler(bool beforeSending) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath == "/subscribe/payments/again")
            {
                if (beforeSending)
                {
                    throw new NotSupportedException("the shop's handler refused");
                }

                using HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
                throw new NotSupportedException("the shop's handler failed after the reply");
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
