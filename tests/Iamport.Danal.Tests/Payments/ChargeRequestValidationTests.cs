using System;
using System.Collections.Generic;
using System.Net.Http;
using Iamport.Danal.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace Iamport.Danal.Tests.Payments;

public class ChargeRequestValidationTests
{
    private static IEnumerable<TestCaseData> BadRequests()
    {
        static TestCaseData Case(string param, string rule, Func<ChargeRequest, ChargeRequest> mutate) =>
            new TestCaseData(mutate, param, rule).SetArgDisplayNames(param + ": " + rule);

        yield return Case("request.CustomerUid", "required", r => With(r, customerUid: ""));
        yield return Case("request.CustomerUid", "at most 80", r => With(r, customerUid: new string('c', 81)));
        yield return Case("request.CustomerUid", "must not contain", r => With(r, customerUid: "cust/../admin"));
        yield return Case("request.MerchantUid", "required", r => With(r, merchantUid: " "));
        yield return Case("request.MerchantUid", "at most 40", r => With(r, merchantUid: new string('m', 41)));
        yield return Case("request.MerchantUid", "A-Z, a-z, 0-9", r => With(r, merchantUid: "order#1"));
        yield return Case("request.MerchantUid", "A-Z, a-z, 0-9", r => With(r, merchantUid: "주문1"));
        yield return Case("request.Amount", "positive whole KRW", r => With(r, amount: 0m));
        yield return Case("request.Amount", "positive whole KRW", r => With(r, amount: -100m));
        yield return Case("request.Amount", "positive whole KRW", r => With(r, amount: 99.5m));
        yield return Case("request.Name", "required", r => With(r, name: ""));
        yield return Case("request.Name", "at most 40", r => With(r, name: new string('가', 41)));
        yield return Case("request.TaxFree", "between 0 and amount", r => With(r, taxFree: 10_000m));
        yield return Case("request.TaxFree", "between 0 and amount", r => With(r, taxFree: -1m));
        yield return Case("request.CardQuota", "only from 50000", r => With(r, cardQuota: 3));
        yield return Case("request.BuyerName", "at most 16", r => With(r, buyerName: new string('n', 17)));
        yield return Case("request.Name", "must not contain '%'", r => With(r, name: "100% 할인"));
        yield return Case("request.BuyerEmail", "valid e-mail address", r => With(r, buyerEmail: "buyer@@example"));
        yield return Case("request.BuyerEmail", "at most 64", r => With(r, buyerEmail: new string('e', 60) + "@x.kr"));
        yield return Case("request.BuyerPhone", "at most 16", r => With(r, buyerPhone: "010-1234-5678-9999"));
        yield return Case("request.BuyerAddress", "at most 128", r => With(r, buyerAddress: new string('a', 129)));
        yield return Case("request.BuyerPostcode", "at most 8", r => With(r, buyerPostcode: "123456789"));
        yield return Case("request.NoticeUrl", "absolute http or https", r => With(r, noticeUrl: "/webhook"));
        yield return Case("request.NoticeUrl", "absolute http or https", r => With(r, noticeUrl: "ftp://shop.example/hook"));
        yield return Case("request.ChannelKey", "at most 55", r => With(r, channelKey: new string('k', 56)));
        yield return Case("request.ChannelKey", "may contain only", r => With(r, channelKey: "channel key"));
        yield return Case("request.CardQuota", "must not be negative", r => With(r, amount: 50_000m, cardQuota: -2));
        foreach (string currency in new[] { "USD", "krw", "KRW ", "", "JPY", "원" })
        {
            yield return Case("request.Currency", "must be \"KRW\"", r => With(r, currency: currency));
        }

        foreach (int count in new[] { 0, -1, int.MinValue })
        {
            yield return Case("request.ProductCount", "at least 1", r => With(r, productCount: count));
        }

        foreach (string ip in new[] { "1", "256.1.1.1", "10.0.0", "localhost", "203.0.113.7:8080", "::g", "", "1.2.3.4 " })
        {
            yield return Case("request.BrowserIp", "IPv4 address", r => With(r, browserIp: ip));
        }

        foreach (string bypass in new[] { "", "null", "[]", "\"COLOR\"", "{", "{\"COLOR\":\"10\"", "COLOR=10", "1" })
        {
            yield return Case("request.Bypass", "JSON object", r => With(r, bypass: bypass));
        }
    }

    [TestCaseSource(nameof(BadRequests))]
    public void ChargeBillingKeyAsync_RuleBroken_ThrowsNamingFieldAndSendsNothing(Func<ChargeRequest, ChargeRequest> mutate, string param, string rule)
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        MockedRequest anything = mock.When("*").Respond(System.Net.HttpStatusCode.MethodNotAllowed);
        ChargeRequest request = mutate(Api.Charge());

        var ex = Assert.ThrowsAsync(Is.InstanceOf<ArgumentException>(), () => Api.Client(mock).ChargeBillingKeyAsync(request)) as ArgumentException;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.ParamName, Is.EqualTo(param));
            Assert.That(ex.Message, Does.Contain(rule));
            if (!string.IsNullOrWhiteSpace(request.CustomerUid))
            {
                Assert.That(ex.Message, Does.Not.Contain(request.CustomerUid), "a customer_uid never reaches an exception message");
            }

            Assert.That(mock.GetMatchCount(anything), Is.Zero, "nothing is sent to I'mport");
        }
    }

    [Test]
    public void ChargeBillingKeyAsync_NullRequest_ThrowsArgumentNull()
    {
        using var mock = new MockHttpMessageHandler();

        var ex = Assert.ThrowsAsync<ArgumentNullException>(() => Api.Client(mock).ChargeBillingKeyAsync(null!));

        Assert.That(ex!.ParamName, Is.EqualTo("request"));
    }

    [Test]
    public void ChargeBillingKeyAsync_InstallmentsFrom50000_Accepted()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        mock.When(HttpMethod.Post, Api.AgainUrl).WithPartialContent("\"card_quota\":3").Respond("application/json", Api.Fixture("again-paid.json"));

        Assert.DoesNotThrowAsync(() => Api.Client(mock).ChargeBillingKeyAsync(With(Api.Charge(), amount: 50_000m, cardQuota: 3, taxFree: 50_000m)));
    }


    [TestCase(null)]
    [TestCase("KRW")]
    public void ChargeBillingKeyAsync_CurrencyKrwOrNone_Accepted(string? currency)
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        mock.When(HttpMethod.Post, Api.AgainUrl).Respond("application/json", Api.Fixture("again-paid.json"));

        Assert.DoesNotThrowAsync(() => Api.Client(mock).ChargeBillingKeyAsync(With(Api.Charge(), currency: currency)));
    }

    [TestCase("203.0.113.7")]
    [TestCase("2001:db8::7")]
    [TestCase("::ffff:203.0.113.7")]
    public void ChargeBillingKeyAsync_BrowserIpAnAddress_Accepted(string ip)
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        mock.When(HttpMethod.Post, Api.AgainUrl).WithPartialContent("\"browser_ip\":\"" + ip + "\"").Respond("application/json", Api.Fixture("again-paid.json"));

        Assert.DoesNotThrowAsync(() => Api.Client(mock).ChargeBillingKeyAsync(With(Api.Charge(), browserIp: ip)));
    }

    private static ChargeRequest With(
        ChargeRequest r,
        string? customerUid = null,
        string? merchantUid = null,
        decimal? amount = null,
        string? name = null,
        decimal? taxFree = null,
        int? cardQuota = null,
        string? buyerName = null,
        string? buyerEmail = null,
        string? buyerPhone = null,
        string? buyerAddress = null,
        string? buyerPostcode = null,
        string? noticeUrl = null,
        string? channelKey = null,
        string? bypass = null,
        int? productCount = null,
        string? currency = null,
        string? browserIp = null) => new()
        {
            CustomerUid = customerUid ?? r.CustomerUid,
            MerchantUid = merchantUid ?? r.MerchantUid,
            Amount = amount ?? r.Amount,
            Name = name ?? r.Name,
            TaxFree = taxFree ?? r.TaxFree,
            CardQuota = cardQuota ?? r.CardQuota,
            BuyerName = buyerName ?? r.BuyerName,
            BuyerEmail = buyerEmail ?? r.BuyerEmail,
            BuyerPhone = buyerPhone ?? r.BuyerPhone,
            BuyerAddress = buyerAddress ?? r.BuyerAddress,
            BuyerPostcode = buyerPostcode ?? r.BuyerPostcode,
            NoticeUrl = noticeUrl is null ? r.NoticeUrl : new Uri(noticeUrl, UriKind.RelativeOrAbsolute),
            ChannelKey = channelKey ?? r.ChannelKey,
            Bypass = bypass ?? r.Bypass,
            ProductCount = productCount ?? r.ProductCount,
            Currency = currency ?? r.Currency,
            BrowserIp = browserIp ?? r.BrowserIp,
        };
}
