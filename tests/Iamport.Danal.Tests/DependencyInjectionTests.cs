using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using RichardSzalay.MockHttp;

namespace Iamport.Danal.Tests;

public class DependencyInjectionTests
{
    [TestCase("ImpKey")]
    [TestCase("ImpSecret")]
    public void StartAsync_RequiredKeyMissing_FailsNamingTheKey(string missing)
    {
        var settings = new Dictionary<string, string?> { ["Iamport:ImpKey"] = "key", ["Iamport:ImpSecret"] = "s3cr3t-value" };
        settings.Remove("Iamport:" + missing);
        OptionsValidationException ex = Hosts.StartFailure(settings);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex.Message, Does.Contain("Iamport:" + missing));
            Assert.That(ex.Message, Does.Not.Contain("s3cr3t-value"));
        }
    }

    [Test]
    public async Task AddIamport_ConfigurationSection_BindsEveryOption()
    {
        var services = new ServiceCollection();
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ImpKey"] = "k",
            ["ImpSecret"] = "s",
            ["MerchantCode"] = "imp12345678",
            ["Pg"] = "danal_tpay.A010002002",
            ["BaseAddress"] = "http://127.0.0.1:5099/",
            ["IncludeSandbox"] = "true",
            ["Tier"] = "T01",
            ["TokenRefreshMargin"] = "00:02:00",
            ["Timeout"] = "00:00:10",
            ["ReconciliationWindow"] = "00:00:45",
        }).Build();
        services.AddIamport(config);
        await using ServiceProvider sp = services.BuildServiceProvider();

        IamportOptions options = sp.GetRequiredService<IOptions<IamportOptions>>().Value;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.MerchantCode, Is.EqualTo("imp12345678"));
            Assert.That(options.Pg, Is.EqualTo("danal_tpay.A010002002"));
            Assert.That(options.BaseAddress, Is.EqualTo(new Uri("http://127.0.0.1:5099/")));
            Assert.That(options.IncludeSandbox, Is.True);
            Assert.That(options.Tier, Is.EqualTo("T01"));
            Assert.That(options.TokenRefreshMargin, Is.EqualTo(TimeSpan.FromMinutes(2)));
            Assert.That(options.Timeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(options.ReconciliationWindow, Is.EqualTo(TimeSpan.FromSeconds(45)));
        }
    }

    [TestCase("Pg", "must be \"danal_tpay\"")]
    [TestCase("Timeout", "must be positive")]
    [TestCase("ReconciliationWindow", "must not be negative")]
    public void AddIamport_OptionOutOfRange_FailsValidationNamingTheKey(string key, string rule)
    {
        var services = new ServiceCollection();
        services.AddIamport(o =>
        {
            o.ImpKey = "k";
            o.ImpSecret = "s";
            o.Pg = key == "Pg" ? "html5_inicis" : o.Pg;
            o.Timeout = key == "Timeout" ? TimeSpan.Zero : o.Timeout;
            o.ReconciliationWindow = key == "ReconciliationWindow" ? TimeSpan.FromSeconds(-1) : o.ReconciliationWindow;
        });
        using ServiceProvider sp = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => _ = sp.GetRequiredService<IOptions<IamportOptions>>().Value);

        Assert.That(ex.Message, Does.Contain("Iamport:" + key).And.Contain(rule));
    }

    [Test]
    public async Task AddIamport_Timeout_EndsACallThatNeverAnswersWithTheTransportsOneTimer()
    {
        // The transport times the whole exchange with IamportOptions.Timeout, so the factory's HttpClient runs no timer of
        // its own (it would be a second one per request): a server that never answers still ends the call after the
        // options' timeout, not after HttpClient's default 100 s.
        var services = new ServiceCollection();
        services.AddIamport(o => { o.ImpKey = "k"; o.ImpSecret = "s"; o.Timeout = TimeSpan.FromMilliseconds(300); })
            .ConfigurePrimaryHttpMessageHandler(() => new AnswersOnlyGetToken());
        await using ServiceProvider sp = services.BuildServiceProvider();
        IIamportClient client = sp.GetRequiredService<IIamportClient>();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var ex = Assert.ThrowsAsync<IamportException>(() => client.GetPaymentAsync("imp_1"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex.StatusCode, Is.Zero);
            Assert.That(ex.InnerException, Is.InstanceOf<TimeoutException>());
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
            Assert.That(sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(IIamportClient)).Timeout, Is.EqualTo(Timeout.InfiniteTimeSpan));
        }
    }

    [Test]
    public async Task AddIamport_TwoClientInstances_ShareOneTokenAndSendTierHeader()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        MockedRequest token = mock.WhenToken();
        MockedRequest payment = mock.When(HttpMethod.Get, Api.Base + "/payments/imp_1").WithHeaders("Tier", "T01")
            .Respond("application/json", Api.Fixture("again-paid.json"));
        var services = new ServiceCollection();
        services.AddIamport(o => { o.ImpKey = "k"; o.ImpSecret = "s"; o.Tier = "T01"; })
            .ConfigurePrimaryHttpMessageHandler(() => mock);
        await using ServiceProvider sp = services.BuildServiceProvider();

        IIamportClient first = sp.GetRequiredService<IIamportClient>();
        IIamportClient second = sp.GetRequiredService<IIamportClient>();
        await first.GetPaymentAsync("imp_1");
        await second.GetPaymentAsync("imp_1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.Not.SameAs(first));
            Assert.That(mock.GetMatchCount(token), Is.EqualTo(1));
            Assert.That(mock.GetMatchCount(payment), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Logs_FullFlow_NeverContainSecretTokenOrCustomerUid()
    {
        const string AccessToken = "tok_must_not_be_logged";
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken(AccessToken);
        mock.Expect(HttpMethod.Post, Api.AgainUrl).Respond("application/json", Api.Fixture("again-paid.json"));
        mock.Expect(HttpMethod.Post, Api.AgainUrl).Respond(HttpStatusCode.Unauthorized, "application/json", Api.Fixture("unauthorized.json"));
        mock.Expect(HttpMethod.Post, Api.AgainUrl).Respond("application/json", Api.Fixture("again-failed.json"));
        mock.Expect(HttpMethod.Post, Api.AgainUrl).Throw(new TaskCanceledException());
        mock.Expect(HttpMethod.Get, Api.Base + "/payments/findAll/sub_42_2026_12").Respond("application/json", Api.Page("again-paid.json"));
        mock.Expect(HttpMethod.Post, Api.AgainUrl).Respond("application/json",
            $$"""{"code":-1,"message":"customer_uid({{Api.CustomerUid}}) 빌링키 없음","response":null}""");
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddIamport(o => { o.ImpKey = "k"; o.ImpSecret = Api.Secret; })
            .ConfigurePrimaryHttpMessageHandler(() => mock);
        await using ServiceProvider sp = services.BuildServiceProvider();
        IIamportClient client = sp.GetRequiredService<IIamportClient>();

        await client.ChargeBillingKeyAsync(Api.Charge());
        await client.ChargeBillingKeyAsync(Api.Charge());
        await client.ChargeBillingKeyAsync(Api.Charge());
        Assert.ThrowsAsync<IamportException>(() => client.ChargeBillingKeyAsync(Api.Charge()));

        mock.VerifyNoOutstandingExpectation();
        IReadOnlyList<FakeLogRecord> records = sp.GetFakeLogCollector().GetSnapshot();
        string everything = string.Join("\n", records.Select(r =>
            r.Level + " " + r.Category + " " + r.Message + " " + string.Join(",", r.StructuredState?.Select(kv => kv.Key + "=" + kv.Value) ?? [])));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(records.Any(r => r.Level == LogLevel.Information && r.Message!.Contains("token refreshed", StringComparison.Ordinal)), Is.True, everything);
            Assert.That(records.Any(r => r.Level == LogLevel.Warning && r.Message!.Contains("401", StringComparison.Ordinal)), Is.True, everything);
            Assert.That(records.Any(r => r.Level == LogLevel.Warning && r.Message!.Contains("looking the order up", StringComparison.Ordinal)), Is.True, everything);
            Assert.That(records.Count(r => r.Level == LogLevel.Debug), Is.GreaterThanOrEqualTo(6), everything);
            Assert.That(records.Any(r => r.Category?.StartsWith("System.Net.Http", StringComparison.Ordinal) == true), Is.False, "the factory's URI-logging handlers are removed");
            Assert.That(everything, Does.Not.Contain(Api.Secret));
            Assert.That(everything, Does.Not.Contain(AccessToken));
            Assert.That(everything, Does.Not.Contain("Bearer"));
            Assert.That(everything, Does.Not.Contain(Api.CustomerUid));
        }
    }

    /// <summary>Answers getToken; every other request waits until it is cancelled, as a server that hangs.</summary>
    private sealed class AnswersOnlyGetToken : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath != "/users/getToken")
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Api.Token()) };
        }
    }
}
