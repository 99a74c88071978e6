using System.Net.Http;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace Iamport.Danal.Tests.Payments;

/// <summary>The schema's newer fields (<c>promotion</c>, card issuer and publisher, a schedule's routing and promotion) read from recorded shapes.</summary>
public class ModelFieldsTests
{
    [Test]
    public async Task GetPaymentAsync_Promotion_Read()
    {
        Payment? payment = await Get(c => c.GetPaymentAsync("imp_223456789012"), "/payments/imp_223456789012", "payment-promotion.json");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(payment!.Promotion?.Id, Is.EqualTo("promotion-id-66025395-5b2c-4dcc-bc11-c883398a28fb"));
            Assert.That(payment.Promotion?.Discount, Is.EqualTo(1000m));
        }
    }

    [Test]
    public async Task GetPaymentAsync_NullPromotion_Null()
    {
        Payment? payment = await Get(c => c.GetPaymentAsync("imp_223456789012"), "/payments/imp_223456789012", "payment-charge.json");

        Assert.That(payment!.Promotion, Is.Null);
    }

    [Test]
    public async Task GetBillingKeyAsync_CardIssuerAndPublisher_Read()
    {
        BillingKey? key = await Get(c => c.GetBillingKeyAsync("cust_0001"), "/subscribe/customers/cust_0001", "billing-key-card-issuer.json");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(key!.CardIssuerCode, Is.EqualTo("381"));
            Assert.That(key.CardIssuerName, Is.EqualTo("KB국민카드"));
            Assert.That(key.CardPublisherCode, Is.EqualTo("361"));
            Assert.That(key.CardPublisherName, Is.EqualTo("BC카드"));
            Assert.That(key.CustomerId, Is.EqualTo("buyer_42"));
        }
    }

    [Test]
    public async Task GetBillingKeyAsync_DanalShapeWithNulls_NullIssuer()
    {
        BillingKey? key = await Get(c => c.GetBillingKeyAsync("cust_0001"), "/subscribe/customers/cust_0001", "billing-key.json");

        Assert.That(new[] { key!.CardIssuerCode, key.CardIssuerName, key.CardPublisherCode, key.CardPublisherName }, Is.All.Null);
    }

    [Test]
    public async Task GetScheduleAsync_RoutingCustomerAndPromotion_Read()
    {
        Schedule? schedule = await Get(c => c.GetScheduleAsync("order_sched_0001"), "/subscribe/payments/schedule/order_sched_0001", "schedule-promotion.json");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(schedule!.PgProvider, Is.EqualTo(PgProvider.DanalTpay));
            Assert.That(schedule.PgId, Is.EqualTo("A010002002"));
            Assert.That(schedule.CustomerId, Is.EqualTo("buyer_42"));
            Assert.That(schedule.PromotionId, Is.EqualTo("promotion-id-66025395-5b2c-4dcc-bc11-c883398a28fb"));
        }
    }

    private static async Task<T?> Get<T>(System.Func<IamportClient, Task<T?>> call, string path, string fixture)
        where T : class
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        MockedRequest answer = mock.When(HttpMethod.Get, Api.Base + path).Respond("application/json", Api.Fixture(fixture));

        T? result = await call(Api.Client(mock));

        Assert.That(mock.GetMatchCount(answer), Is.EqualTo(1));
        return result;
    }
}
