using System;
using System.Net.Http;
using System.Threading.Tasks;
using Iamport.Danal.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Iamport.Danal.Tests.Contract;

/// <summary>The contract against the fake I'mport, in-process, on the test's clock.</summary>
[TestFixture]
public sealed class FakeContractTests : ClientContractTests
{
    private FakeIamport _fake = null!;

    protected override HttpMessageHandler CreateBackend(FakeTimeProvider time)
    {
        _fake = new FakeIamport(new FakeIamportOptions { ImpKey = "contract_key", ImpSecret = "contract_secret" }, time);
        return _fake.CreateHandler();
    }

    [TearDown]
    public async Task DisposeFake() => await _fake.DisposeAsync();

    protected override void GivenBillingKey(string customerUid) => _fake.IssueBillingKey(customerUid);

    protected override void GivenNextChargeDeclines(string customerUid, string reason) => _fake.DeclineNext(customerUid, reason);

    protected override void GivenNotFoundStyle(NotFoundStyle style) => _fake.Options.NotFoundStyle = style;

    protected override int? ChargeCount(string merchantUid) => _fake.PaidChargeCount(merchantUid);

    [TestCase(3, 60_000)]
    [TestCase(12, 1_200_000)]
    [TestCase(0, 9_900)]
    public async Task ScheduleAsync_CardQuota_TheScheduledPaymentCarriesIt(int quota, decimal amount)
    {
        var schedule = new ScheduleRequest { MerchantUid = "contract-quota-1", ScheduleAt = Start.AddHours(1), Amount = amount, Name = "월간 구독", CardQuota = quota, ProductCount = 2, BrowserIp = "203.0.113.7" };

        await Client.ScheduleAsync(CustomerUid, [schedule]);
        Time.Advance(TimeSpan.FromHours(1));
        await _fake.RunDueSchedulesAsync();
        Payment? payment = await Client.GetPaymentByMerchantUidAsync("contract-quota-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(payment!.Status, Is.EqualTo(PaymentStatus.Paid));
            Assert.That(payment.CardQuota, Is.EqualTo(quota));
            Assert.That(payment.Amount, Is.EqualTo(amount));
        }
    }
}
