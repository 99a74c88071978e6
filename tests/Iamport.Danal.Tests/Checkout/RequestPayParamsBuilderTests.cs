using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Iamport.Danal.Checkout;

namespace Iamport.Danal.Tests.Checkout;

public class RequestPayParamsBuilderTests
{
    private const string ChannelKey = "channel-key-5f1c2a7e-0b1d-4c3e-9a8f-1234567890ab";

    private static readonly Uri Webhook = new("https://shop.example/iamport/webhook");

    // What an ASP.NET Core endpoint serializes with: camelCase names, nulls kept, reflection metadata.
    private static readonly JsonSerializerOptions WebDefaults = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    [TestCase("danal_tpay.9810030929", null, "issue-key-only.json")]
    [TestCase(null, ChannelKey, "issue-key-only.channel-key.json")]
    public void IssueKeyOnly_EveryField_MatchesGoldenJson(string? pg, string? channelKey, string golden)
    {
        RequestPayParams param = Factory(pg, channelKey).IssueKeyOnly("cust_42_card_1", "정기구독 카드 등록")
            .WithMerchantUid("issue_20261127_0001")
            .WithTaxFree(0)
            .WithBuyerEmail("buyer@example.com")
            .WithBuyerName("홍길동")
            .WithBuyerPhone("010-1234-5678")
            .WithBuyerAddress("서울특별시 강남구 테헤란로 1", "06236")
            .WithPeriod(new DateTime(2026, 12, 1), new DateTime(2026, 12, 31, 23, 59, 0))
            .WithRedirectUrl(new Uri("https://shop.example/checkout/return?order=42"))
            .WithNoticeUrl(Webhook)
            .WithCustomData("{\"plan\":\"monthly\"}")
            .WithAppScheme("myshop://")
            .Build();

        string json = param.ToJson();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(json), Golden(golden)), Is.True, json);
            Assert.That(json, Does.Contain("\"amount\":0,"));
            Assert.That(param.Amount, Is.Zero);
            Assert.That(json.Contains("\"pg\"", StringComparison.Ordinal), Is.Not.EqualTo(json.Contains("\"channelKey\"", StringComparison.Ordinal)), "exactly one of pg and channelKey");
        }
    }

    [TestCase("danal_tpay.9810030929", null, "issue-key-and-charge.json")]
    [TestCase(null, ChannelKey, "issue-key-and-charge.channel-key.json")]
    public void IssueKeyAndCharge_EveryField_MatchesGoldenJson(string? pg, string? channelKey, string golden)
    {
        RequestPayParams param = Factory(pg, channelKey).IssueKeyAndCharge("cust_42_card_2", 120_000.00m, "프리미엄 연간 구독")
            .WithMerchantUid("order_20261127_0002")
            .WithTaxFree(20_000)
            .WithBuyerEmail("buyer@example.com")
            .WithBuyerName("홍길동")
            .WithBuyerPhone("01012345678")
            .WithBuyerAddress("서울특별시 강남구 테헤란로 1", "06236")
            .WithPeriod(new DateTime(2026, 12, 1), new DateTime(2027, 11, 30))
            .WithRedirectUrl(new Uri("https://shop.example/checkout/return"))
            .WithNoticeUrl(Webhook)
            .WithCustomData(new PlanData { Plan = "yearly", Seats = 3 }, PlanJsonContext.Default.PlanData)
            .WithCardQuota(2, 3, 6)
            .WithAppScheme("myshop://")
            .Build();

        string json = param.ToJson();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(json), Golden(golden)), Is.True, json);
            Assert.That(json, Does.Contain("\"amount\":120000,"), "a whole amount is written without decimals");
            Assert.That(json.Contains("\"pg\"", StringComparison.Ordinal), Is.Not.EqualTo(json.Contains("\"channelKey\"", StringComparison.Ordinal)), "exactly one of pg and channelKey");
        }
    }

    [Test]
    public void IssueKeyAndCharge_WindowFields_MatchesGoldenJson()
    {
        RequestPayParams param = Factory(null, ChannelKey).IssueKeyAndCharge("cust_42_card_3", 120_000, "프리미엄 연간 구독")
            .WithMerchantUid("order_20261127_0003")
            .WithBuyerPhone("01012345678")
            .WithNoticeUrls(Webhook, new Uri("https://backup.shop.example/iamport/webhook"))
            .WithCustomData(new PlanData { Plan = "yearly", Seats = 3 }, PlanJsonContext.Default.PlanData)
            .WithCustomerId("member-42")
            .WithWindowColor("blue")
            .Build();

        string json = param.ToJson();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(json), Golden("issue-key-and-charge.window-fields.json")), Is.True, json);
            Assert.That(json, Does.Contain("\"custom_data\":{\"plan\":\"yearly\",\"seats\":3}"), "an object, not a string holding one");
            Assert.That(json, Does.Contain("\"bypass\":{\"danal\":{\"COLOR\":\"blue\"}}"));
            Assert.That(param.NoticeUrls, Has.Count.EqualTo(2));
            Assert.That(param.Bypass?.Danal.Color, Is.EqualTo("blue"));
        }
    }

    [TestCase("{}")]
    [TestCase("{\"plan\":\"monthly\",\"items\":[1,{\"x\":null}],\"note\":\"</script>&\"}")]
    [TestCase(" { \"spaced\" : true } ")]
    public void Build_CustomDataJsonObjectText_WrittenOnceAsTheObject(string customData)
    {
        string json = Minimal().WithCustomData(customData).Build().ToJson();

        JsonNode? written = JsonNode.Parse(json)!["custom_data"];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(written, Is.InstanceOf<JsonObject>());
            Assert.That(JsonNode.DeepEquals(written, JsonNode.Parse(customData)), Is.True, json);
            Assert.That(json, Does.Not.Contain("</").And.Not.Contain("&"), "re-encoded HTML-safe");
        }
    }

    [Test]
    public void Build_NoWindowFields_NoneEmitted()
    {
        string json = Minimal().WithNoticeUrl(Webhook).Build().ToJson();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(json, Does.Contain("\"notice_url\":\"https://shop.example/iamport/webhook\""), "one address is a string");
            Assert.That(json, Does.Not.Contain("bypass").And.Not.Contain("customer_id").And.Not.Contain("custom_data"));
        }
    }

    [Test]
    public void Serialize_WebDefaultsOrTypeInfo_SameAsToJson()
    {
        RequestPayParams param = Factory(null, "channel-key-1").IssueKeyOnly("c1", "카드 등록").WithBuyerPhone("010").WithPeriod(new DateTime(2026, 12, 1), new DateTime(2026, 12, 31))
            .WithNoticeUrls(Webhook, Webhook).WithCustomData("{\"a\":[1]}").WithCustomerId("m1").WithWindowColor("red").Build();

        string web = JsonSerializer.Serialize(param, WebDefaults);
        string typeInfo = JsonSerializer.Serialize(param, RequestPayParams.JsonTypeInfo);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(web, Is.EqualTo(param.ToJson()));
            Assert.That(typeInfo, Is.EqualTo(param.ToJson()));
        }
    }

    [Test]
    public void Build_NoMerchantUid_GeneratesNewSafeIdEachTime()
    {
        RequestPayParamsBuilder builder = Minimal();

        string first = builder.Build().MerchantUid;
        string second = builder.Build().MerchantUid;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Does.Match("^[A-Za-z0-9_-]{1,40}$"));
            Assert.That(second, Is.Not.EqualTo(first));
        }
    }

    [Test]
    public void Build_DefaultOptions_DanalPgCardAndOnlyRequiredFields()
    {
        string json = Factory(null, null).IssueKeyOnly("c1", "Plan").WithMerchantUid("m1").WithBuyerPhone("010").Build().ToJson();

        Assert.That(json, Is.EqualTo("""{"pg":"danal_tpay","pay_method":"card","merchant_uid":"m1","name":"Plan","amount":0,"customer_uid":"c1","buyer_tel":"010"}"""));
    }

    [Test]
    public void Build_ChannelKeyOptions_OnlyChannelKeyEmitted()
    {
        string json = Factory(null, "channel-key-1").IssueKeyOnly("c1", "Plan").WithMerchantUid("m1").WithBuyerPhone("010").Build().ToJson();

        Assert.That(json, Is.EqualTo("""{"channelKey":"channel-key-1","pay_method":"card","merchant_uid":"m1","name":"Plan","amount":0,"customer_uid":"c1","buyer_tel":"010"}"""));
    }

    [TestCase(0)]
    [TestCase(9_900)]
    [TestCase(49_999)]
    [TestCase(50_000)]
    public void Build_EmptyCardQuota_LumpSumOnlyAtAnyAmount(decimal amount)
    {
        RequestPayParamsBuilder builder = amount == 0 ? Minimal() : Charge(amount);

        string json = builder.WithMerchantUid("m1").WithCardQuota().Build().ToJson();

        Assert.That(json, Does.Contain(""","display":{"card_quota":[]}"""));
    }

    [TestCase(0)]
    [TestCase(9_900)]
    public void Build_CardQuotaLumpSumOnlyBelow50000_Emitted(decimal amount)
    {
        RequestPayParamsBuilder builder = amount == 0 ? Minimal() : Charge(amount);

        Assert.That(builder.WithCardQuota(0).Build().Display?.CardQuota, Is.EqualTo((int[])[0]));
    }

    [Test]
    public void Build_TooLongCustomerUid_MessageOmitsValue()
    {
        string secret = "SECRET" + new string('x', 80);

        Assert.That(
            () => Checkout.IssueKeyOnly(secret, "Plan").WithBuyerPhone("010").Build(),
            Throws.ArgumentException.With.Message.Contains("customer_uid").And.Message.Not.Contains("SECRET"));
    }

    public static IEnumerable<TestCaseData> Violations()
    {
        static TestCaseData Case(string field, string rule, Func<RequestPayParamsBuilder> build) =>
            new TestCaseData(build, field, rule).SetArgDisplayNames(field, rule);

        yield return Case("customer_uid", "is required", () => Checkout.IssueKeyOnly(" ", "Plan").WithBuyerPhone("010"));
        yield return Case("customer_uid", "at most 80", () => Checkout.IssueKeyOnly(new string('c', 81), "Plan").WithBuyerPhone("010"));
        yield return Case("customer_uid", "must not contain", () => Checkout.IssueKeyOnly("a/b", "Plan").WithBuyerPhone("010"));
        yield return Case("merchant_uid", "is required", () => Minimal().WithMerchantUid(""));
        yield return Case("merchant_uid", "at most 40", () => Minimal().WithMerchantUid(new string('m', 41)));
        yield return Case("merchant_uid", "may contain only", () => Minimal().WithMerchantUid("order 1"));
        yield return Case("amount", "positive whole KRW", () => Charge(0));
        yield return Case("amount", "positive whole KRW", () => Charge(-1000));
        yield return Case("amount", "positive whole KRW", () => Charge(1000.5m));
        yield return Case("name", "is required", () => Checkout.IssueKeyAndCharge("c1", 1000, "").WithBuyerPhone("010"));
        yield return Case("name", "is required", () => Checkout.IssueKeyOnly("c1", "").WithBuyerPhone("010"));
        yield return Case("name", "is required", () => Checkout.IssueKeyOnly("c1", " ").WithBuyerPhone("010"));
        yield return Case("name", "is required", () => Checkout.IssueKeyOnly("c1", null!).WithBuyerPhone("010"));
        yield return Case("name", "at most 40", () => Minimal().WithName(new string('n', 41)));
        yield return Case("name", "'%'", () => Minimal().WithName("100% 할인"));
        yield return Case("buyer_tel", "is required", () => Checkout.IssueKeyOnly("c1", "Plan"));
        yield return Case("name", "lone surrogate", () => Minimal().WithName("구독\uD83D"));
        yield return Case("name", "lone surrogate", () => Minimal().WithName("\uDE00구독"));
        yield return Case("customer_uid", "lone surrogate", () => Checkout.IssueKeyOnly("c\uD800", "Plan").WithBuyerPhone("010"));
        yield return Case("buyer_name", "lone surrogate", () => Minimal().WithBuyerName("홍\uDC00"));
        yield return Case("buyer_addr", "lone surrogate", () => Minimal().WithBuyerAddress("서울\uD800"));
        yield return Case("custom_data", "lone surrogate", () => Minimal().WithCustomData("{\"a\":\"\uDBFF\"}"));
        yield return Case("app_scheme", "lone surrogate", () => Minimal().WithAppScheme("shop\uD800://"));
        yield return Case("buyer_tel", "at most 16", () => Minimal().WithBuyerPhone(new string('1', 17)));
        yield return Case("buyer_email", "valid e-mail", () => Minimal().WithBuyerEmail("buyer@example"));
        yield return Case("buyer_email", "valid e-mail", () => Minimal().WithBuyerEmail("buyer.example.com"));
        yield return Case("buyer_email", "valid e-mail", () => Minimal().WithBuyerEmail("a b@example.com"));
        yield return Case("buyer_email", "valid e-mail", () => Minimal().WithBuyerEmail("a..b@example.com"));
        yield return Case("buyer_email", "at most 64", () => Minimal().WithBuyerEmail(new string('e', 60) + "@example.com"));
        yield return Case("buyer_name", "at most 16", () => Minimal().WithBuyerName(new string('홍', 17)));
        yield return Case("buyer_addr", "at most 128", () => Minimal().WithBuyerAddress(new string('a', 129)));
        yield return Case("buyer_postcode", "at most 8", () => Minimal().WithBuyerAddress("서울", "123456789"));
        yield return Case("pg", "danal_tpay", () => Factory("kcp_billing", null).IssueKeyOnly("c1", "Plan").WithBuyerPhone("010"));
        yield return Case("pg", "danal_tpay", () => Factory("danal_tpay.", null).IssueKeyOnly("c1", "Plan").WithBuyerPhone("010"));
        yield return Case("pg", "danal_tpay", () => Factory("danal_tpay.CP 1", null).IssueKeyOnly("c1", "Plan").WithBuyerPhone("010"));
        yield return Case("channelKey", "at most 55", () => Factory(null, new string('k', 56)).IssueKeyOnly("c1", "Plan").WithBuyerPhone("010"));
        yield return Case("channelKey", "may contain only", () => Factory(null, "key\"1").IssueKeyOnly("c1", "Plan").WithBuyerPhone("010"));
        yield return Case("period", "from on or before to", () => Minimal().WithPeriod(new DateTime(2026, 12, 2), new DateTime(2026, 12, 1)));
        yield return Case("m_redirect_url", "absolute http or https", () => Minimal().WithRedirectUrl(new Uri("ftp://shop.example/return")));
        yield return Case("m_redirect_url", "absolute http or https", () => Minimal().WithRedirectUrl(new Uri("/return", UriKind.Relative)));
        yield return Case("notice_url", "absolute http or https", () => Minimal().WithNoticeUrl(new Uri("javascript:alert(1)")));
        yield return Case("notice_url", "absolute http or https", () => Minimal().WithNoticeUrls(Webhook, new Uri("ftp://shop.example/hook")));
        yield return Case("notice_url", "at least one", () => Minimal().WithNoticeUrls());
        yield return Case("custom_data", "JSON text of an object", () => Minimal().WithCustomData("plain text"));
        yield return Case("custom_data", "JSON text of an object", () => Minimal().WithCustomData("\"{\\\"plan\\\":1}\""));
        yield return Case("custom_data", "JSON text of an object", () => Minimal().WithCustomData("[1,2]"));
        yield return Case("custom_data", "JSON text of an object", () => Minimal().WithCustomData("{\"a\":1"));
        yield return Case("custom_data", "JSON text of an object", () => Minimal().WithCustomData(""));
        yield return Case("custom_data", "JSON text of an object", () => Minimal().WithCustomData("{\"a\":\"\\uD800\"}"));
        yield return Case("custom_data", "JSON text of an object", () => Minimal().WithCustomData(new PlanData[] { new() }, PlanJsonContext.Default.PlanDataArray));
        yield return Case("customer_id", "must not be empty", () => Minimal().WithCustomerId(" "));
        yield return Case("customer_id", "lone surrogate", () => Minimal().WithCustomerId("m\uD800"));
        yield return Case("bypass.danal.COLOR", "must not be empty", () => Minimal().WithWindowColor(""));
        yield return Case("tax_free", "between 0 and amount", () => Charge(1000).WithTaxFree(1001));
        yield return Case("tax_free", "between 0 and amount", () => Minimal().WithTaxFree(1));
        yield return Case("tax_free", "between 0 and amount", () => Charge(1000).WithTaxFree(-1));
        yield return Case("display.card_quota", "only from 50000", () => Charge(49_999).WithCardQuota(2));
        yield return Case("display.card_quota", "only from 50000", () => Charge(49_999).WithCardQuota(0, 3));
        yield return Case("display.card_quota", "only from 50000", () => Minimal().WithCardQuota(2));
    }

    [TestCaseSource(nameof(Violations))]
    public void Build_RuleViolated_ThrowsNamingFieldAndRule(Func<RequestPayParamsBuilder> build, string field, string rule)
    {
        RequestPayParamsBuilder builder = build();

        Assert.That(
            builder.Build,
            Throws.ArgumentException
                .With.Message.StartsWith(field + " ").And.Message.Contains(rule)
                .And.Property(nameof(ArgumentException.ParamName)).EqualTo(field));
    }

    [Test]
    public void Build_SurrogatePair_KeptIntact()
    {
        RequestPayParams param = Minimal().WithName("구독 \U0001F600").WithCustomData("{\"card\":\"\U0001F4B3\"}").Build();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(param.Name, Is.EqualTo("구독 \U0001F600"));
            Assert.That(JsonDocument.Parse(param.ToJson()).RootElement.GetProperty("custom_data").GetProperty("card").GetString(), Is.EqualTo("\U0001F4B3"));
        }
    }

    [Test]
    public void Build_CardQuotaFrom50000_Emitted()
    {
        RequestPayParams param = Charge(50_000).WithCardQuota(0, 2, 36).Build();

        Assert.That(param.Display?.CardQuota, Is.EqualTo((int[])[0, 2, 36]));
    }

    /// <summary>A factory on default options: <c>pg</c> <c>danal_tpay</c>.</summary>
    internal static CheckoutFactory Checkout { get; } = Factory(null, null);

    internal static RequestPayParamsBuilder Minimal() => Checkout.IssueKeyOnly("c1", "카드 등록").WithBuyerPhone("01012345678");

    /// <summary>A factory as <c>AddIamport</c> would create it from these options (<see langword="null"/> leaves the default).</summary>
    internal static CheckoutFactory Factory(string? pg, string? channelKey)
    {
        var options = new IamportOptions { MerchantCode = "imp12345678", ChannelKey = channelKey };
        if (pg is not null)
        {
            options.Pg = pg;
        }

        return new CheckoutFactory(options);
    }

    private static RequestPayParamsBuilder Charge(decimal amount) =>
        Checkout.IssueKeyAndCharge("c1", amount, "Plan").WithBuyerPhone("01012345678");

    private static JsonNode? Golden(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "Checkout", name)));
}

internal sealed class PlanData
{
    public string Plan { get; set; } = "";

    public int Seats { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PlanData))]
[JsonSerializable(typeof(PlanData[]))]
internal sealed partial class PlanJsonContext : JsonSerializerContext
{
}
