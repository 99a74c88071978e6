using System;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Iamport.Danal.Tests.Payments;

/// <summary>The REST <c>bypass</c> of charges and schedules: a raw JSON string passed on unchanged (undocumented for
/// Danal), never rebuilt, and nothing sent when it is not a JSON object.</summary>
public class BypassPassThroughTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] Bypasses =
    [
        """{"COLOR":"10"}""",
        """{ "KEY" : [1, 2.50, {"nested": null}], "한글": "값" }""",
        """{}""",
        """{"quote":"\"","html":"<b>&</b>"}""",
    ];

    [TestCaseSource(nameof(Bypasses))]
    public async Task ChargeBillingKeyAsync_Bypass_SentAsTheSameString(string bypass)
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        string? body = null;
        mock.WhenToken();
        mock.When(HttpMethod.Post, Api.AgainUrl).Respond(async request =>
        {
            body = await request.Content!.ReadAsStringAsync();
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(Api.Fixture("again-paid.json")) };
        });

        await Api.Client(mock).ChargeBillingKeyAsync(new ChargeRequest { CustomerUid = "cust_0001", MerchantUid = "sub_1", Amount = 9900m, Name = "Monthly", Bypass = bypass });

        JsonNode? sent = JsonNode.Parse(body!)!["bypass"];
        Assert.That((string?)sent, Is.EqualTo(bypass), "a JSON string holding exactly the caller's text");
    }

    [TestCaseSource(nameof(Bypasses))]
    public async Task ScheduleAsync_Bypass_SentAsTheSameString(string bypass)
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        string? body = null;
        mock.WhenToken();
        mock.When(HttpMethod.Post, Api.Base + "/subscribe/payments/schedule").Respond(async request =>
        {
            body = await request.Content!.ReadAsStringAsync();
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(Api.Fixture("schedules.json")) };
        });
        var schedule = new ScheduleRequest { MerchantUid = "s_1", ScheduleAt = Now.AddDays(1), Amount = 9900m, Name = "Monthly", Bypass = bypass };

        await Api.Client(mock, new FakeTimeProvider(Now)).ScheduleAsync("cust_0001", [schedule]);

        Assert.That((string?)JsonNode.Parse(body!)!["schedules"]![0]!["bypass"], Is.EqualTo(bypass));
    }

    [TestCase("")]
    [TestCase("[\"COLOR\"]")]
    [TestCase("{\"COLOR\":")]
    [TestCase("red")]
    public void ScheduleAsync_BypassNotAJsonObject_ThrowsNamingFieldAndSendsNothing(string bypass)
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        MockedRequest anything = mock.When("*").Respond(System.Net.HttpStatusCode.MethodNotAllowed);
        var schedule = new ScheduleRequest { MerchantUid = "s_1", ScheduleAt = Now.AddDays(1), Amount = 9900m, Name = "Monthly", Bypass = bypass };

        var ex = Assert.ThrowsAsync<ArgumentException>(() => Api.Client(mock, new FakeTimeProvider(Now)).ScheduleAsync("cust_0001", [schedule]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.ParamName, Is.EqualTo("schedules[0].Bypass"));
            Assert.That(ex.Message, Does.Contain("bypass must be a JSON object"));
            Assert.That(mock.GetMatchCount(anything), Is.Zero);
        }
    }
}
