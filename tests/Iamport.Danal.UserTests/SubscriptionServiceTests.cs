// Expected values are written inline, where the reader compares them; each test builds them once.
#pragma warning disable CA1861

using System;
using System.Threading.Tasks;
using Iamport.Danal;

namespace Shop.Tests;

/// <summary>A shop's tests: the library's verification runs for real over the stubbed REST calls.</summary>
public class SubscriptionServiceTests
{
    private const string CustomerUid = "cust_42";

    private static Payment IssuancePayment(decimal amount = 0m) => IamportModelFactory.Payment(
        impUid: "imp_1",
        merchantUid: "order-1",
        amount: amount,
        status: PaymentStatus.Paid,
        pgProvider: PgProvider.DanalTpay,
        customerUid: CustomerUid,
        customerUidUsage: CustomerUidUsage.Issue);

    [Test]
    public async Task ActivateAsync_GenuineIssuance_VerifiesAndActivates()
    {
        var iamport = new StubIamportClient();
        iamport.PaymentsByImpUid["imp_1"] = IssuancePayment();
        iamport.BillingKeys[CustomerUid] = IamportModelFactory.BillingKey(customerUid: CustomerUid, pgProvider: PgProvider.DanalTpay);
        var shop = new SubscriptionService(iamport.Client);

        VerificationResult result = await shop.ActivateAsync("imp_1", "order-1", CustomerUid, 0m);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsVerified, Is.True, result.ToString());
            Assert.That(shop.ActiveCustomers, Does.Contain(CustomerUid));
            Assert.That(iamport.Calls, Is.EqualTo(new[] { "get imp_1", "key " + CustomerUid }), "verification asked the stub, not a network");
        }
    }

    [Test]
    public async Task ActivateAsync_AmountTamperedInTheBrowser_FailsTheAmountCheck()
    {
        var iamport = new StubIamportClient();
        iamport.PaymentsByImpUid["imp_1"] = IssuancePayment(amount: 100m);
        var shop = new SubscriptionService(iamport.Client);

        VerificationResult result = await shop.ActivateAsync("imp_1", "order-1", CustomerUid, 9900m);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.FailedCheck, Is.EqualTo(VerificationCheck.Amount));
            Assert.That(result.Expected, Is.EqualTo("9900"));
            Assert.That(result.Actual, Is.EqualTo("100"));
            Assert.That(shop.ActiveCustomers, Is.Empty);
        }
    }

    [Test]
    public async Task ActivateAsync_KeyNotAtIamport_FailsTheBillingKeyCheck()
    {
        var iamport = new StubIamportClient();
        iamport.PaymentsByImpUid["imp_1"] = IssuancePayment();
        var shop = new SubscriptionService(iamport.Client);

        VerificationResult result = await shop.ActivateAsync("imp_1", "order-1", CustomerUid, 0m);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.FailedCheck, Is.EqualTo(VerificationCheck.BillingKey));
            Assert.That(shop.ActiveCustomers, Is.Empty);
        }
    }

    [Test]
    public async Task VerifyPaymentAsync_NoImpUidReported_LooksTheOrderUp()
    {
        var iamport = new StubIamportClient();
        iamport.PaymentsByMerchantUid["order-2"] = IamportModelFactory.Payment(
            impUid: "imp_2", merchantUid: "order-2", amount: 9900m, status: PaymentStatus.Failed, pgProvider: PgProvider.DanalTpay);

        VerificationResult result = await iamport.Client.VerifyPaymentAsync(new VerifyPaymentRequest { MerchantUid = "order-2", Amount = 9900m });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.FailedCheck, Is.EqualTo(VerificationCheck.Status));
            Assert.That(iamport.Calls, Is.EqualTo(new[] { "find order-2" }));
        }
    }

    [Test]
    public async Task RenewAsync_Declined_SendsDunningMailWithTheCardCompanysReason()
    {
        var iamport = new StubIamportClient
        {
            Charge = request => IamportModelFactory.ChargeResult(
                ChargeOutcome.Declined,
                request.MerchantUid,
                IamportModelFactory.Payment(impUid: "imp_9", merchantUid: request.MerchantUid, amount: request.Amount, status: PaymentStatus.Failed, failReason: "한도초과")),
        };
        var shop = new SubscriptionService(iamport.Client);

        bool renewed = await shop.RenewAsync(CustomerUid, "2026-12", 9900m);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(renewed, Is.False);
            Assert.That(shop.DunningMails, Is.EqualTo(new[] { CustomerUid + ": 한도초과" }));
            Assert.That(iamport.Calls, Is.EqualTo(new[] { "charge renew-2026-12-" + CustomerUid }));
        }
    }

    [Test]
    public async Task RenewAsync_Approved_Renews()
    {
        var iamport = new StubIamportClient
        {
            Charge = request => IamportModelFactory.ChargeResult(
                ChargeOutcome.Approved,
                request.MerchantUid,
                IamportModelFactory.Payment(impUid: "imp_8", merchantUid: request.MerchantUid, amount: request.Amount, status: PaymentStatus.Paid)),
        };
        var shop = new SubscriptionService(iamport.Client);

        Assert.That(await shop.RenewAsync(CustomerUid, "2026-12", 9900m), Is.True);
        Assert.That(shop.DunningMails, Is.Empty);
    }

    [Test]
    public async Task PaidTotalAsync_TwoPages_SumsEveryPaymentNetOfRefunds()
    {
        var iamport = new StubIamportClient
        {
            PaymentsByStatus = status => status == PaymentStatus.Paid
                ? IamportPageable<Payment>.FromPages(
                [
                    IamportPage<Payment>.FromValues([IamportModelFactory.Payment(amount: 9900m), IamportModelFactory.Payment(amount: 9900m, cancelAmount: 3000m)], total: 3, next: 2),
                    IamportPage<Payment>.FromValues([IamportModelFactory.Payment(amount: 19900m)], total: 3, previous: 1),
                ])
                : throw new AssertionException("only paid payments are summed"),
        };
        var shop = new SubscriptionService(iamport.Client);

        decimal total = await shop.PaidTotalAsync(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(9)));

        Assert.That(total, Is.EqualTo(9900m + 6900m + 19900m));
    }
}
