using System;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Iamport.Danal.Tests.Payments;

/// <summary><c>channel_key</c> and Danal's <c>bypass</c> as they leave the library, byte for byte.</summary>
public class ChannelKeyAndBypassTests
{
    private const string ChannelKey = "channel-key-5f1c2a7e-0b1d-4c3e-9a8f-1234567890ab";

    // System.Text.Json escapes the quotes inside the bypass string as \u0022; I'mport reads the same string either way.
    private const string BypassString = """{"COLOR":"10","ISCASHRECEIPTUI":"Y"}""";
    private const string BypassJson = "\"{\\u0022COLOR\\u0022:\\u002210\\u0022,\\u0022ISCASHRECEIPTUI\\u0022:\\u0022Y\\u0022}\"";

    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task ChargeBillingKeyAsync_ChannelKeyOptionAndBypass_ExactBody()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        Sent sent = Capture(mock, Api.AgainUrl, "again-paid.json");

        await Api.Client(mock, options: Options(ChannelKey)).ChargeBillingKeyAsync(Charge(new DanalBypass { Color = "10", ShowCashReceiptUi = true }));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent.Body, Is.EqualTo(
                """{"customer_uid":"cust_0001","merchant_uid":"sub_42_2026_12","amount":9900,"name":"Monthly","channel_key":""" + "\"" + ChannelKey + "\",\"bypass\":" + BypassJson + "}"));
            Assert.That((string?)JsonNode.Parse(sent.Body!)!["bypass"], Is.EqualTo(BypassString), "bypass is a JSON string holding Danal's fields");
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_RequestChannelKey_WinsOverOptions()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        Sent sent = Capture(mock, Api.AgainUrl, "again-paid.json");
        ChargeRequest request = new() { CustomerUid = "cust_0001", MerchantUid = "sub_42_2026_12", Amount = 9900m, Name = "Monthly", ChannelKey = "channel-key-other" };

        await Api.Client(mock, options: Options(ChannelKey)).ChargeBillingKeyAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent.Body, Is.EqualTo("""{"customer_uid":"cust_0001","merchant_uid":"sub_42_2026_12","amount":9900,"name":"Monthly","channel_key":"channel-key-other"}"""));
            Assert.That(request.ChannelKey, Is.EqualTo("channel-key-other"), "the caller's request is not changed");
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_PgOptionsNoBypass_NeitherSent()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        Sent sent = Capture(mock, Api.AgainUrl, "again-paid.json");
        ChargeRequest request = Charge(null);

        await Api.Client(mock, options: Options(null)).ChargeBillingKeyAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent.Body, Is.EqualTo("""{"customer_uid":"cust_0001","merchant_uid":"sub_42_2026_12","amount":9900,"name":"Monthly"}"""));
            Assert.That(request.ChannelKey, Is.Null);
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_BypassOneOption_OnlyThatFieldAndNoProductType()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        Sent sent = Capture(mock, Api.AgainUrl, "again-paid.json");

        await Api.Client(mock).ChargeBillingKeyAsync(Charge(new DanalBypass { ShowCashReceiptUi = false }));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)JsonNode.Parse(sent.Body!)!["bypass"], Is.EqualTo("""{"ISCASHRECEIPTUI":"N"}"""));
            Assert.That(sent.Body, Does.Not.Contain("product_type"));
            Assert.That(typeof(ChargeRequest).GetProperty("ProductType"), Is.Null, "product_type is for KSNET and PayPal only");
        }
    }

    [Test]
    public async Task ScheduleChargesAsync_ChannelKeyOptionAndBypass_ExactBody()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        Sent sent = Capture(mock, Api.Base + "/subscribe/payments/schedule", "schedules.json");
        var charge = new ScheduleRequest
        {
            MerchantUid = "s_1",
            ScheduleAt = new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero),
            Amount = 9900m,
            Name = "Monthly",
            Bypass = new DanalBypass { Color = "10", ShowCashReceiptUi = true },
        };

        await Api.Client(mock, new FakeTimeProvider(Now), Options(ChannelKey)).ScheduleAsync("cust_0001", [charge]);

        Assert.That(sent.Body, Is.EqualTo(
            """{"customer_uid":"cust_0001","schedules":[{"merchant_uid":"s_1","schedule_at":1795856400,"amount":9900,"name":"Monthly","currency":"KRW","bypass":""" + BypassJson + "}],\"channel_key\":\"" + ChannelKey + "\"}"));
    }

    [Test]
    public async Task ScheduleChargesAsync_PgOptions_NoChannelKey()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        Sent sent = Capture(mock, Api.Base + "/subscribe/payments/schedule", "schedules.json");
        var charge = new ScheduleRequest { MerchantUid = "s_1", ScheduleAt = Now.AddDays(1), Amount = 9900m, Name = "Monthly" };

        await Api.Client(mock, new FakeTimeProvider(Now), Options(null)).ScheduleAsync("cust_0001", [charge]);

        Assert.That(sent.Body, Does.Not.Contain("channel_key").And.Not.Contain("bypass"));
    }

    [Test]
    public void ScheduleChargesAsync_BadBypassColor_ThrowsNamingFieldAndSendsNothing()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        MockedRequest anything = mock.When("*").Respond(System.Net.HttpStatusCode.MethodNotAllowed);
        var charge = new ScheduleRequest { MerchantUid = "s_1", ScheduleAt = Now.AddDays(1), Amount = 9900m, Name = "Monthly", Bypass = new DanalBypass { Color = "red\"}" } };

        var ex = Assert.ThrowsAsync<ArgumentException>(() => Api.Client(mock, new FakeTimeProvider(Now)).ScheduleAsync("cust_0001", [charge]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.ParamName, Is.EqualTo("schedules[0].Bypass.Color"));
            Assert.That(ex.Message, Does.Contain("bypass.COLOR"));
            Assert.That(mock.GetMatchCount(anything), Is.Zero);
        }
    }

    private static IamportOptions Options(string? channelKey) => new() { ImpKey = "test_key", ImpSecret = Api.Secret, ChannelKey = channelKey };

    private static ChargeRequest Charge(DanalBypass? bypass) =>
        new() { CustomerUid = "cust_0001", MerchantUid = "sub_42_2026_12", Amount = 9900m, Name = "Monthly", Bypass = bypass };

    private static Sent Capture(MockHttpMessageHandler mock, string url, string fixture)
    {
        var sent = new Sent();
        mock.WhenToken();
        mock.When(HttpMethod.Post, url).Respond(async request =>
        {
            sent.Body = await request.Content!.ReadAsStringAsync();
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(Api.Fixture(fixture), System.Text.Encoding.UTF8, "application/json") };
        });
        return sent;
    }

    private sealed class Sent
    {
        public string? Body { get; set; }
    }
}
