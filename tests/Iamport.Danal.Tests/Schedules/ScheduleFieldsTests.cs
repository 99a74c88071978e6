using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using static Iamport.Danal.Tests.TestSupport.Api;

namespace Iamport.Danal.Tests.Schedules;

/// <summary>A schedule's <c>card_quota</c>, <c>product_count</c>, <c>browser_ip</c> and <c>currency</c>: sent as the
/// schema names them, checked by the same rules as a charge's before anything is sent.</summary>
public class ScheduleFieldsTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1795856400);

    [TestCase(3, 50_000, 2, "203.0.113.7")]
    [TestCase(12, 1_200_000, 1, "2001:db8::7")]
    [TestCase(0, 9_900, 5, "10.0.0.1")]
    public async Task ScheduleAsync_QuotaCountAndIp_SentInTheSchedule(int quota, decimal amount, int count, string ip)
    {
        using var api = new ApiFixture();
        SentBody sent = api.Expect(HttpMethod.Post, "/subscribe/payments/schedule", Fixture("schedules.json"));
        var schedule = new ScheduleRequest { MerchantUid = "s_1", ScheduleAt = At, Amount = amount, Name = "Monthly", CardQuota = quota, ProductCount = count, BrowserIp = ip };

        await api.Client.ScheduleAsync("cust_0001", [schedule]);

        Assert.That(sent.Json?.ToJsonString(), Is.EqualTo(
            $$"""{"customer_uid":"cust_0001","schedules":[{"merchant_uid":"s_1","schedule_at":1795856400,"amount":{{amount}},"name":"Monthly","currency":"KRW","card_quota":{{quota}},"product_count":{{count}},"browser_ip":"{{ip}}"}]}"""));
        api.Mock.VerifyNoOutstandingExpectation();
    }

    private static IEnumerable<TestCaseData> BadSchedules()
    {
        static TestCaseData Case(string param, string rule, Func<ScheduleRequest, ScheduleRequest> change) =>
            new TestCaseData(change, param, rule).SetArgDisplayNames(param + ": " + rule);

        foreach (int quota in new[] { 2, 3, 12 })
        {
            yield return Case("schedules[1].CardQuota", "only from 50000", s => Copy(s, cardQuota: quota, amount: 49_999m));
        }

        yield return Case("schedules[1].CardQuota", "must not be negative", s => Copy(s, cardQuota: -3, amount: 60_000m));
        foreach (int count in new[] { 0, -1 })
        {
            yield return Case("schedules[1].ProductCount", "at least 1", s => Copy(s, productCount: count));
        }

        foreach (string ip in new[] { "1", "203.0.113", "example.com", "203.0.113.7/24" })
        {
            yield return Case("schedules[1].BrowserIp", "IPv4 address", s => Copy(s, browserIp: ip));
        }

        foreach (string currency in new[] { "USD", "krw", "" })
        {
            yield return Case("schedules[1].Currency", "must be \"KRW\"", s => Copy(s, currency: currency));
        }

        yield return Case("schedules[1].Currency", "must be \"KRW\"", s => Copy(s, currency: null, nullCurrency: true));
    }

    [TestCaseSource(nameof(BadSchedules))]
    public void ScheduleAsync_FieldBreaksItsRule_ThrowsNamingTheScheduleAndFieldAndSendsNothing(Func<ScheduleRequest, ScheduleRequest> change, string param, string rule)
    {
        using var api = new ApiFixture();
        var good = new ScheduleRequest { MerchantUid = "s_1", ScheduleAt = At, Amount = 9900m, Name = "Monthly" };

        var ex = Assert.ThrowsAsync<ArgumentException>(() => api.Client.ScheduleAsync("cust_0001", [good, change(good)]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.ParamName, Is.EqualTo(param));
            Assert.That(ex.Message, Does.Contain(rule));
            Assert.That(api.RequestsSent, Is.Zero);
        }
    }

    private static ScheduleRequest Copy(ScheduleRequest s, int? cardQuota = null, decimal? amount = null, int? productCount = null, string? browserIp = null, string? currency = null, bool nullCurrency = false) => new()
    {
        MerchantUid = "s_2",
        ScheduleAt = s.ScheduleAt,
        Amount = amount ?? s.Amount,
        Name = s.Name,
        CardQuota = cardQuota ?? s.CardQuota,
        ProductCount = productCount ?? s.ProductCount,
        BrowserIp = browserIp ?? s.BrowserIp,
        Currency = nullCurrency ? null! : currency ?? s.Currency,
    };
}
