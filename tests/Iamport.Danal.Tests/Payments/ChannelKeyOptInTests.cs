using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using Iamport.Danal.Internal;
using Iamport.Danal.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Iamport.Danal.Tests.Payments;

/// <summary><c>channel_key</c> on charges and schedules: documented only to pick the channel of a super billing key, so
/// sent only when <see cref="IamportOptions.SendChannelKeyWithCharges"/> asks for it (or a charge names its own), byte
/// for byte.</summary>
public class ChannelKeyOptInTests
{
    private const string ChannelKey = "channel-key-5f1c2a7e-0b1d-4c3e-9a8f-1234567890ab";
    private const string ChargeBody = """{"customer_uid":"cust_0001","merchant_uid":"sub_42_2026_12","amount":9900,"name":"Monthly"}""";
    private const string ScheduleItem = """{"merchant_uid":"s_1","schedule_at":1795856400,"amount":9900,"name":"Monthly","currency":"KRW"}""";

    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    // Every way a shop may have set up its channel without opting in: none of them sends channel_key.
    private static IEnumerable<TestCaseData> NotOptedIn()
    {
        yield return new TestCaseData(Options(ChannelKey, send: false)).SetArgDisplayNames("ChannelKey set");
        yield return new TestCaseData(Options(null, send: false)).SetArgDisplayNames("Pg default");
        yield return new TestCaseData(new IamportOptions { ImpKey = "test_key", ImpSecret = Api.Secret, Pg = "danal_tpay.A010002002" }).SetArgDisplayNames("Pg with CPID");
    }

    [TestCaseSource(nameof(NotOptedIn))]
    public async Task ChargeBillingKeyAsync_NotOptedIn_SendsNoChannelKey(IamportOptions options)
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        Sent sent = Capture(mock, Api.AgainUrl, "again-paid.json");

        await Api.Client(mock, options: options).ChargeBillingKeyAsync(Charge());

        Assert.That(sent.Bodies, Is.EqualTo(new[] { ChargeBody }));
    }

    [Test]
    public async Task ChargeBillingKeyAsync_SendChannelKeyWithCharges_SendsChannelKey()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        Sent sent = Capture(mock, Api.AgainUrl, "again-paid.json");
        ChargeRequest request = Charge();

        await Api.Client(mock, options: Options(ChannelKey, send: true)).ChargeBillingKeyAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent.Bodies, Is.EqualTo(new[] { ChargeBody.TrimEnd('}') + ",\"channel_key\":\"" + ChannelKey + "\"}" }));
            Assert.That(request.ChannelKey, Is.Null, "the caller's request is not changed");
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task ChargeBillingKeyAsync_RequestNamesItsChannel_SendsThatOneWhateverTheOption(bool send)
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        Sent sent = Capture(mock, Api.AgainUrl, "again-paid.json");
        ChargeRequest request = new() { CustomerUid = "cust_0001", MerchantUid = "sub_42_2026_12", Amount = 9900m, Name = "Monthly", ChannelKey = "channel-key-other" };

        await Api.Client(mock, options: Options(ChannelKey, send)).ChargeBillingKeyAsync(request);

        Assert.That(sent.Bodies, Is.EqualTo(new[] { ChargeBody.TrimEnd('}') + ",\"channel_key\":\"channel-key-other\"}" }));
    }

    [TestCaseSource(nameof(NotOptedIn))]
    public async Task ScheduleAsync_NotOptedIn_SendsNoChannelKey(IamportOptions options)
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        Sent sent = Capture(mock, Api.Base + "/subscribe/payments/schedule", "schedules.json");

        await Api.Client(mock, new FakeTimeProvider(Now), options).ScheduleAsync("cust_0001", [Schedule()]);

        Assert.That(sent.Bodies, Is.EqualTo(new[] { """{"customer_uid":"cust_0001","schedules":[""" + ScheduleItem + "]}" }));
    }

    [Test]
    public async Task ScheduleAsync_SendChannelKeyWithCharges_SendsChannelKey()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        Sent sent = Capture(mock, Api.Base + "/subscribe/payments/schedule", "schedules.json");

        await Api.Client(mock, new FakeTimeProvider(Now), Options(ChannelKey, send: true)).ScheduleAsync("cust_0001", [Schedule()]);

        Assert.That(sent.Bodies, Is.EqualTo(new[] { """{"customer_uid":"cust_0001","schedules":[""" + ScheduleItem + "],\"channel_key\":\"" + ChannelKey + "\"}" }));
    }

    [Test]
    public async Task AddIamport_KeyedMerchants_EachSendsChannelKeyOnlyWhenItOptedIn()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        Sent sent = Capture(mock, Api.AgainUrl, "again-paid.json");
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Iamport:superKey:ImpKey"] = "k",
            ["Iamport:superKey:ImpSecret"] = "s",
            ["Iamport:superKey:ChannelKey"] = ChannelKey,
            ["Iamport:superKey:SendChannelKeyWithCharges"] = "true",
        });
        builder.Services.AddIamport("superKey", builder.Configuration.GetSection("Iamport:superKey")).ConfigurePrimaryHttpMessageHandler(() => mock);
        builder.Services.AddIamport("plain", o => (o.ImpKey, o.ImpSecret, o.ChannelKey) = ("k", "s", ChannelKey)).ConfigurePrimaryHttpMessageHandler(() => mock);
        using IHost host = builder.Build();
        await host.StartAsync();

        await host.Services.GetRequiredKeyedService<IIamportClient>("superKey").ChargeBillingKeyAsync(Charge());
        await host.Services.GetRequiredKeyedService<IIamportClient>("plain").ChargeBillingKeyAsync(Charge());

        Assert.That(sent.Bodies, Is.EqualTo(new[] { ChargeBody.TrimEnd('}') + ",\"channel_key\":\"" + ChannelKey + "\"}", ChargeBody }));
        await host.StopAsync();
    }

    [Test]
    public void StartAsync_SendChannelKeyWithChargesWithoutChannelKey_FailsNamingBothSettings()
    {
        OptionsValidationException ex = Hosts.StartFailure(new Dictionary<string, string?>
        {
            ["Iamport:ImpKey"] = "k",
            ["Iamport:ImpSecret"] = "s",
            ["Iamport:SendChannelKeyWithCharges"] = "true",
        });

        Assert.That(ex.Message, Does.Contain("Iamport:SendChannelKeyWithCharges needs Iamport:ChannelKey"));
    }

    [Test]
    public void StartAsync_AddIamportTwiceDifferingOnlyInSendChannelKeyWithCharges_Fails()
    {
        OptionsValidationException ex = Hosts.StartFailure(builder =>
        {
            builder.Services.AddIamport(o => (o.ImpKey, o.ImpSecret, o.ChannelKey) = ("k", "s", ChannelKey));
            builder.Services.AddIamport(o => (o.ImpKey, o.ImpSecret, o.ChannelKey, o.SendChannelKeyWithCharges) = ("k", "s", ChannelKey, true));
        });

        Assert.That(ex.Message, Does.Contain("AddIamport was called 2 times with different settings"));
    }

    [Test]
    public void SettingsFrom_OptionsChangedAfterwards_KeepsTheChoiceAndItsKey()
    {
        IamportOptions options = Options(ChannelKey, send: true);
        var optedIn = IamportSettings.From(options);
        options.SendChannelKeyWithCharges = false;
        var notOptedIn = IamportSettings.From(options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(optedIn.ChargeChannelKey, Is.EqualTo(ChannelKey));
            Assert.That(notOptedIn.ChargeChannelKey, Is.Null);
            Assert.That(notOptedIn.ChannelKey, Is.EqualTo(ChannelKey), "the checkout still uses the channel key");
            Assert.That(optedIn, Is.Not.EqualTo(notOptedIn), "two registrations differing in the choice differ");
            Assert.That(options.ToString(), Does.Contain("SendChannelKeyWithCharges = False"));
        }
    }

    private static IamportOptions Options(string? channelKey, bool send) =>
        new() { ImpKey = "test_key", ImpSecret = Api.Secret, ChannelKey = channelKey, SendChannelKeyWithCharges = send };

    private static ChargeRequest Charge() => new() { CustomerUid = "cust_0001", MerchantUid = "sub_42_2026_12", Amount = 9900m, Name = "Monthly" };

    private static ScheduleRequest Schedule() =>
        new() { MerchantUid = "s_1", ScheduleAt = new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero), Amount = 9900m, Name = "Monthly" };

    private static Sent Capture(MockHttpMessageHandler mock, string url, string fixture)
    {
        var sent = new Sent();
        mock.WhenToken();
        mock.When(HttpMethod.Post, url).Respond(async request =>
        {
            sent.Bodies.Enqueue(await request.Content!.ReadAsStringAsync());
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(Api.Fixture(fixture), System.Text.Encoding.UTF8, "application/json") };
        });
        return sent;
    }

    private sealed class Sent
    {
        public ConcurrentQueue<string> Bodies { get; } = new();
    }
}
