using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Checkout;
using Iamport.Danal.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace Iamport.Danal.Tests.Internal;

/// <summary>The rulebook: one rule, one message, wherever it is enforced; no unpaired surrogate in anything sent.</summary>
public class DanalRulesTests
{
    private const string Lone = "\ud800";

    private static CheckoutFactory Factory() => new(new IamportOptions { ImpKey = "k", ImpSecret = "s", MerchantCode = "imp12345678" });

    /// <summary>The same field rule broken in a checkout and in a billing-key charge: (field, how the builder breaks it, how the charge breaks it).</summary>
    private static IEnumerable<TestCaseData> SameRuleCases()
    {
        static TestCaseData Case(string field, string builderParam, Func<CheckoutFactory, RequestPayParamsBuilder> builder, string chargeParam, Func<ChargeRequest> charge) =>
            new TestCaseData(builder, builderParam, charge, chargeParam).SetArgDisplayNames(field);

        ChargeRequest Base(string? customerUid = null, string? merchantUid = null, decimal? amount = null, string? name = null) => new()
        {
            CustomerUid = customerUid ?? "cust_1",
            MerchantUid = merchantUid ?? "m_1",
            Amount = amount ?? 60_000m,
            Name = name ?? "구독",
        };

        yield return Case("customer_uid route", "customer_uid", f => f.IssueKeyOnly("..", "구독").WithBuyerPhone("010"), "request.CustomerUid", () => Base(customerUid: ".."));
        yield return Case("customer_uid encoded", "customer_uid", f => f.IssueKeyOnly("%2e%2e", "구독").WithBuyerPhone("010"), "request.CustomerUid", () => Base(customerUid: "%2e%2e"));
        yield return Case("customer_uid surrogate", "customer_uid", f => f.IssueKeyOnly("c" + Lone, "구독").WithBuyerPhone("010"), "request.CustomerUid", () => Base(customerUid: "c" + Lone));
        yield return Case("merchant_uid charset", "merchant_uid", f => f.IssueKeyOnly("c", "구독").WithBuyerPhone("010").WithMerchantUid("a.b"), "request.MerchantUid", () => Base(merchantUid: "a.b"));
        yield return Case("amount whole won", "amount", f => f.IssueKeyAndCharge("c", 99.5m, "n").WithBuyerPhone("010"), "request.Amount", () => Base(amount: 99.5m));
        yield return Case("name %", "name", f => f.IssueKeyAndCharge("c", 1000m, "100%").WithBuyerPhone("010"), "request.Name", () => Base(name: "100%"));
        yield return Case("name length", "name", f => f.IssueKeyAndCharge("c", 1000m, new string('가', 41)).WithBuyerPhone("010"), "request.Name", () => Base(name: new string('가', 41)));
        yield return Case("name surrogate", "name", f => f.IssueKeyAndCharge("c", 1000m, "n" + Lone).WithBuyerPhone("010"), "request.Name", () => Base(name: "n" + Lone));
        yield return Case("tax_free", "tax_free", f => f.IssueKeyAndCharge("c", 1000m, "n").WithBuyerPhone("010").WithTaxFree(2000m), "request.TaxFree", () => new ChargeRequest
        {
            CustomerUid = "c", MerchantUid = "m", Amount = 1000m, Name = "n", TaxFree = 2000m,
        });
        yield return Case("buyer_email", "buyer_email", f => f.IssueKeyOnly("c", "구독").WithBuyerPhone("010").WithBuyerEmail("a@@b"), "request.BuyerEmail", () => new ChargeRequest
        {
            CustomerUid = "c", MerchantUid = "m", Amount = 1000m, Name = "n", BuyerEmail = "a@@b",
        });
        yield return Case("buyer_name", "buyer_name", f => f.IssueKeyOnly("c", "구독").WithBuyerPhone("010").WithBuyerName(new string('n', 17)), "request.BuyerName", () => new ChargeRequest
        {
            CustomerUid = "c", MerchantUid = "m", Amount = 1000m, Name = "n", BuyerName = new string('n', 17),
        });
        yield return Case("buyer_tel", "buyer_tel", f => f.IssueKeyOnly("c", "구독").WithBuyerPhone("010-1234-5678-9999"), "request.BuyerPhone", () => new ChargeRequest
        {
            CustomerUid = "c", MerchantUid = "m", Amount = 1000m, Name = "n", BuyerPhone = "010-1234-5678-9999",
        });
        yield return Case("custom_data surrogate", "custom_data", f => f.IssueKeyOnly("c", "구독").WithBuyerPhone("010").WithCustomData("{\"x\":\"" + Lone + "\"}"), "request.CustomData", () => new ChargeRequest
        {
            CustomerUid = "c", MerchantUid = "m", Amount = 1000m, Name = "n", CustomData = "{\"x\":\"" + Lone + "\"}",
        });
        yield return Case("notice_url", "notice_url", f => f.IssueKeyOnly("c", "구독").WithBuyerPhone("010").WithNoticeUrl(new Uri("/hook", UriKind.Relative)), "request.NoticeUrl", () => new ChargeRequest
        {
            CustomerUid = "c", MerchantUid = "m", Amount = 1000m, Name = "n", NoticeUrl = new Uri("/hook", UriKind.Relative),
        });
    }

    [TestCaseSource(nameof(SameRuleCases))]
    public void BuilderAndCharge_SameRuleBroken_SameMessage(Func<CheckoutFactory, RequestPayParamsBuilder> builder, string builderParam, Func<ChargeRequest> charge, string chargeParam)
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        MockedRequest anything = mock.When("*").Respond(HttpStatusCode.MethodNotAllowed);

        var fromBuilder = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => builder(Factory()).Build()) as ArgumentException;
        var fromCharge = Assert.ThrowsAsync(Is.InstanceOf<ArgumentException>(), () => Api.Client(mock).ChargeBillingKeyAsync(charge())) as ArgumentException;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fromBuilder!.ParamName, Is.EqualTo(builderParam));
            Assert.That(fromCharge!.ParamName, Is.EqualTo(chargeParam));
            Assert.That(Rule(fromCharge), Is.EqualTo(Rule(fromBuilder)), "one rule, one message");
            Assert.That(mock.GetMatchCount(anything), Is.Zero);
        }
    }

    /// <summary>Every text the client sends, with an unpaired surrogate: the call names the field and sends nothing.</summary>
    private static IEnumerable<TestCaseData> LoneSurrogateInputs()
    {
        static TestCaseData Case(string param, Func<IamportClient, Task> call) => new TestCaseData(call, param).SetArgDisplayNames(param);
        ChargeRequest With(string? name = null, string? buyerName = null, string? buyerEmail = null, string? buyerPhone = null, string? buyerAddress = null,
            string? buyerPostcode = null, string? customData = null, string? noticeUrl = null, string? browserIp = null, string? currency = null, string? merchantUid = null) => new()
        {
            CustomerUid = "c", MerchantUid = merchantUid ?? "m", Amount = 1000m, Name = name ?? "n", BuyerName = buyerName, BuyerEmail = buyerEmail, BuyerPhone = buyerPhone,
            BuyerAddress = buyerAddress, BuyerPostcode = buyerPostcode, CustomData = customData, NoticeUrl = noticeUrl is null ? null : new Uri(noticeUrl, UriKind.RelativeOrAbsolute), BrowserIp = browserIp, Currency = currency,
        };

        yield return Case("request.MerchantUid", c => c.ChargeBillingKeyAsync(With(merchantUid: "m" + Lone)));
        yield return Case("request.Name", c => c.ChargeBillingKeyAsync(With(name: "n" + Lone)));
        yield return Case("request.BuyerName", c => c.ChargeBillingKeyAsync(With(buyerName: Lone)));
        yield return Case("request.BuyerEmail", c => c.ChargeBillingKeyAsync(With(buyerEmail: "a" + Lone + "@b.kr")));
        yield return Case("request.BuyerPhone", c => c.ChargeBillingKeyAsync(With(buyerPhone: "010" + Lone)));
        yield return Case("request.BuyerAddress", c => c.ChargeBillingKeyAsync(With(buyerAddress: "서울" + Lone)));
        yield return Case("request.BuyerPostcode", c => c.ChargeBillingKeyAsync(With(buyerPostcode: Lone)));
        yield return Case("request.CustomData", c => c.ChargeBillingKeyAsync(With(customData: "\udc00")));
        yield return Case("request.NoticeUrl", c => c.ChargeBillingKeyAsync(With(noticeUrl: "https://shop.example/" + Lone)));
        yield return Case("request.BrowserIp", c => c.ChargeBillingKeyAsync(With(browserIp: Lone)));
        yield return Case("request.Bypass", c => c.ChargeBillingKeyAsync(new ChargeRequest { CustomerUid = "c", MerchantUid = "m", Amount = 1000m, Name = "n", Bypass = "{\"K\":\"" + Lone + "\"}" }));
        yield return Case("request.ImpUid", c => c.CancelPaymentAsync(new CancelPaymentRequest { ImpUid = "imp" + Lone }));
        yield return Case("request.MerchantUid", c => c.CancelPaymentAsync(new CancelPaymentRequest { MerchantUid = "m" + Lone }));
        yield return Case("request.Reason", c => c.CancelPaymentAsync(new CancelPaymentRequest { ImpUid = "imp_1", Reason = "환불" + Lone }));
        yield return Case("reason", c => c.DeleteBillingKeyAsync("cust_1", "탈퇴" + Lone));

        var at = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);
        ScheduleRequest S(string? name = null, string? buyerName = null, string? customData = null) => new()
        {
            MerchantUid = "m", ScheduleAt = at, Amount = 1000m, Name = name ?? "n", BuyerName = buyerName, CustomData = customData,
        };

        yield return Case("schedules[0].Name", c => c.ScheduleAsync("cust_1", [S(name: Lone)]));
        yield return Case("schedules[0].BuyerName", c => c.ScheduleAsync("cust_1", [S(buyerName: Lone)]));
        yield return Case("schedules[0].CustomData", c => c.ScheduleAsync("cust_1", [S(customData: Lone)]));
    }

    [TestCaseSource(nameof(LoneSurrogateInputs))]
    public void Call_TextHasLoneSurrogate_ThrowsNamingFieldAndSendsNothing(Func<IamportClient, Task> call, string param)
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        MockedRequest anything = mock.When("*").Respond(HttpStatusCode.MethodNotAllowed);

        var ex = Assert.ThrowsAsync(Is.InstanceOf<ArgumentException>(), () => call(Api.Client(mock))) as ArgumentException;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.ParamName, Is.EqualTo(param));
            Assert.That(ex.Message, Does.Contain("unpaired UTF-16 surrogate"));
            Assert.That(mock.GetMatchCount(anything), Is.Zero);
        }
    }

    [TestCase("name")]
    [TestCase("buyer_name")]
    [TestCase("custom_data")]
    [TestCase("app_scheme")]
    public void Build_TextHasLoneSurrogate_ThrowsNamingField(string field)
    {
        RequestPayParamsBuilder builder = Factory().IssueKeyAndCharge("c", 1000m, field == "name" ? "n" + Lone : "n").WithBuyerPhone("010");
        builder = field switch
        {
            "buyer_name" => builder.WithBuyerName(Lone),
            "custom_data" => builder.WithCustomData(Lone),
            "app_scheme" => builder.WithAppScheme("shop" + Lone),
            _ => builder,
        };

        var ex = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => builder.Build()) as ArgumentException;

        Assert.That(ex!.Message, Does.StartWith(field + " must not contain a lone surrogate"));
    }

    [Test]
    public async Task Charge_PairedSurrogates_AreSentIntact()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        string? sentName = null;
        mock.When(HttpMethod.Post, Api.AgainUrl).Respond(async request =>
        {
            sentName = JsonNode.Parse(await request.Content!.ReadAsStringAsync())!["name"]!.GetValue<string>();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Api.Fixture("again-paid.json"), Encoding.UTF8, "application/json") };
        });

        try
        {
            await Api.Client(mock).ChargeBillingKeyAsync(Api.Charge() is var c ? new ChargeRequest
            {
                CustomerUid = c.CustomerUid, MerchantUid = c.MerchantUid, Amount = c.Amount, Name = "구독 😀",
            } : null!);
        }
        catch (IamportException)
        {
            // How the reply is judged is not this test's concern.
        }

        Assert.That(sentName, Is.EqualTo("구독 😀"), "a valid surrogate pair is not a lone surrogate");
    }

    private static string Rule(ArgumentException ex) =>
        ex.Message.Replace($" (Parameter '{ex.ParamName}')", "").Trim();
}
