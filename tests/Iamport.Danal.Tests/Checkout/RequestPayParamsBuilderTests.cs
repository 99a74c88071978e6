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
    private static readonly Uri Webhook = new("https://shop.example/iamport/webhook");

    // What an ASP.NET Core endpoint serializes with: camelCase names, nulls kept, reflection metadata.
    private static readonly JsonSerializerOptions WebDefaults = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    [Test]
    public void IssueKeyOnly_EveryField_MatchesGoldenJson()
    {
        RequestPayParams param = RequestPayParamsBuilder.IssueKeyOnly("cust_42_card_1")
            .WithPg("danal_tpay.9810030929")
            .WithMerchantUid("issue_20261127_0001")
            .WithName("정기구독 카드 등록")
            .WithTaxFree(0)
            .WithBuyerEmail("buyer@example.com")
            .WithBuyerName("홍길동")
            .WithBuyerTel("010-1234-5678")
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
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(json), Golden("issue-key-only.json")), Is.True, json);
            Assert.That(json, Does.Contain("\"amount\":0,"));
            Assert.That(param.Amount, Is.Zero);
        }
    }

    [Test]
    public void IssueKeyAndCharge_EveryField_MatchesGoldenJson()
    {
        RequestPayParams param = RequestPayParamsBuilder.IssueKeyAndCharge("cust_42_card_2", 120_000.00m, "프리미엄 연간 구독")
            .WithChannelKey("channel-key-5f1c2a7e-0b1d-4c3e-9a8f-1234567890ab")
            .WithMerchantUid("order_20261127_0002")
            .WithTaxFree(20_000)
            .WithBuyerEmail("buyer@example.com")
            .WithBuyerName("홍길동")
            .WithBuyerTel("01012345678")
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
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(json), Golden("issue-key-and-charge.json")), Is.True, json);
            Assert.That(json, Does.Contain("\"amount\":120000,"), "a whole amount is written without decimals");
            Assert.That(json, Does.Not.Contain("\"pg\""), "channelKey replaces pg");
        }
    }

    [Test]
    public void Serialize_WebDefaultsOrTypeInfo_SameAsToJson()
    {
        RequestPayParams param = Minimal().WithChannelKey("channel-key-1").WithPeriod(new DateTime(2026, 12, 1), new DateTime(2026, 12, 31)).Build();

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
    public void Build_Defaults_DanalPgCardAndOnlyRequiredFields()
    {
        string json = RequestPayParamsBuilder.IssueKeyOnly("c1").WithMerchantUid("m1").WithBuyerTel("010").Build().ToJson();

        Assert.That(json, Is.EqualTo("""{"pg":"danal_tpay","pay_method":"card","merchant_uid":"m1","amount":0,"customer_uid":"c1","buyer_tel":"010"}"""));
    }

    [Test]
    public void WithPg_AfterChannelKey_EmitsOnlyPg()
    {
        RequestPayParams param = Minimal().WithChannelKey("channel-key-1").WithPg("danal_tpay.CP1").Build();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(param.Pg, Is.EqualTo("danal_tpay.CP1"));
            Assert.That(param.ChannelKey, Is.Null);
            Assert.That(param.ToJson(), Does.Not.Contain("channelKey"));
        }
    }

    [Test]
    public void Build_TooLongCustomerUid_MessageOmitsValue()
    {
        string secret = "SECRET" + new string('x', 80);

        Assert.That(
            () => RequestPayParamsBuilder.IssueKeyOnly(secret).WithBuyerTel("010").Build(),
            Throws.ArgumentException.With.Message.Contains("customer_uid").And.Message.Not.Contains("SECRET"));
    }

    public static IEnumerable<TestCaseData> Violations()
    {
        static TestCaseData Case(string field, string rule, Func<RequestPayParamsBuilder> build) =>
            new TestCaseData(build, field, rule).SetArgDisplayNames(field, rule);

        yield return Case("customer_uid", "is required", () => RequestPayParamsBuilder.IssueKeyOnly(" ").WithBuyerTel("010"));
        yield return Case("customer_uid", "at most 80", () => RequestPayParamsBuilder.IssueKeyOnly(new string('c', 81)).WithBuyerTel("010"));
        yield return Case("customer_uid", "must not contain", () => RequestPayParamsBuilder.IssueKeyOnly("a/b").WithBuyerTel("010"));
        yield return Case("merchant_uid", "is required", () => Minimal().WithMerchantUid(""));
        yield return Case("merchant_uid", "at most 40", () => Minimal().WithMerchantUid(new string('m', 41)));
        yield return Case("merchant_uid", "may contain only", () => Minimal().WithMerchantUid("order 1"));
        yield return Case("amount", "positive whole KRW", () => Charge(0));
        yield return Case("amount", "positive whole KRW", () => Charge(-1000));
        yield return Case("amount", "positive whole KRW", () => Charge(1000.5m));
        yield return Case("name", "is required", () => RequestPayParamsBuilder.IssueKeyAndCharge("c1", 1000, "").WithBuyerTel("010"));
        yield return Case("name", "at most 40", () => Minimal().WithName(new string('n', 41)));
        yield return Case("name", "'%'", () => Minimal().WithName("100% 할인"));
        yield return Case("buyer_tel", "is required", () => RequestPayParamsBuilder.IssueKeyOnly("c1"));
        yield return Case("buyer_tel", "at most 16", () => Minimal().WithBuyerTel(new string('1', 17)));
        yield return Case("buyer_email", "valid e-mail", () => Minimal().WithBuyerEmail("buyer@example"));
        yield return Case("buyer_email", "valid e-mail", () => Minimal().WithBuyerEmail("buyer.example.com"));
        yield return Case("buyer_email", "valid e-mail", () => Minimal().WithBuyerEmail("a b@example.com"));
        yield return Case("buyer_email", "valid e-mail", () => Minimal().WithBuyerEmail("a..b@example.com"));
        yield return Case("buyer_email", "at most 64", () => Minimal().WithBuyerEmail(new string('e', 60) + "@example.com"));
        yield return Case("buyer_name", "at most 16", () => Minimal().WithBuyerName(new string('홍', 17)));
        yield return Case("buyer_addr", "at most 128", () => Minimal().WithBuyerAddress(new string('a', 129)));
        yield return Case("buyer_postcode", "at most 8", () => Minimal().WithBuyerAddress("서울", "123456789"));
        yield return Case("pg", "danal_tpay", () => Minimal().WithPg("kcp_billing"));
        yield return Case("pg", "danal_tpay", () => Minimal().WithPg("danal_tpay."));
        yield return Case("pg", "danal_tpay", () => Minimal().WithPg("danal_tpay.CP 1"));
        yield return Case("channelKey", "is required", () => Minimal().WithChannelKey(""));
        yield return Case("channelKey", "may contain only", () => Minimal().WithChannelKey("key\"1"));
        yield return Case("period", "from on or before to", () => Minimal().WithPeriod(new DateTime(2026, 12, 2), new DateTime(2026, 12, 1)));
        yield return Case("m_redirect_url", "absolute http or https", () => Minimal().WithRedirectUrl(new Uri("ftp://shop.example/return")));
        yield return Case("m_redirect_url", "absolute http or https", () => Minimal().WithRedirectUrl(new Uri("/return", UriKind.Relative)));
        yield return Case("notice_url", "absolute http or https", () => Minimal().WithNoticeUrl(new Uri("javascript:alert(1)")));
        yield return Case("tax_free", "between 0 and amount", () => Charge(1000).WithTaxFree(1001));
        yield return Case("tax_free", "between 0 and amount", () => Minimal().WithTaxFree(1));
        yield return Case("tax_free", "between 0 and amount", () => Charge(1000).WithTaxFree(-1));
        yield return Case("display.card_quota", "only from 50000", () => Charge(49_999).WithCardQuota(2));
        yield return Case("display.card_quota", "only from 50000", () => Minimal().WithCardQuota());
        yield return Case("display.card_quota", "between 2 and 36", () => Charge(50_000).WithCardQuota(2, 37));
        yield return Case("display.card_quota", "between 2 and 36", () => Charge(50_000).WithCardQuota(1));
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
    public void Build_CardQuotaFrom50000_Emitted()
    {
        RequestPayParams param = Charge(50_000).WithCardQuota(0, 2, 36).Build();

        Assert.That(param.Display?.CardQuota, Is.EqualTo((int[])[0, 2, 36]));
    }

    internal static RequestPayParamsBuilder Minimal() => RequestPayParamsBuilder.IssueKeyOnly("c1").WithBuyerTel("01012345678");

    private static RequestPayParamsBuilder Charge(decimal amount) =>
        RequestPayParamsBuilder.IssueKeyAndCharge("c1", amount, "Plan").WithBuyerTel("01012345678");

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
internal sealed partial class PlanJsonContext : JsonSerializerContext
{
}
