using System;
using System.Threading.Tasks;
using Iamport.Danal.Checkout;
using Iamport.Danal.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Iamport.Danal.Net8Tests;

/// <summary>A net8.0 shop's test from C# only: the checkout builder, the fake's window completed by a call, the
/// library's verification and a charge of the key, against the fake's records.</summary>
public class CheckoutFlowTests
{
    private static (FakeIamport Fake, ServiceProvider Provider) Start()
    {
        var fake = new FakeIamport(new FakeIamportOptions { MerchantCode = "imp12345678" });
        var services = new ServiceCollection();
        services.AddIamport(o =>
        {
            o.ImpKey = fake.Options.ImpKey;
            o.ImpSecret = fake.Options.ImpSecret;
            o.MerchantCode = "imp12345678";
        }).UseFakeIamport(fake);
        return (fake, services.BuildServiceProvider());
    }

    // A card and a first amount: key only (0) or key and first charge; then next month's charge of the key.
    [TestCase(TestCards.Approve, 0, ChargeOutcome.Approved, null)]
    [TestCase(TestCards.ApproveCheckCard, 9_900, ChargeOutcome.Approved, null)]
    [TestCase(TestCards.LimitExceeded, 0, ChargeOutcome.Declined, TestCards.LimitExceededReason)]
    [TestCase(TestCards.InsufficientBalance, 0, ChargeOutcome.Declined, TestCards.InsufficientBalanceReason)]
    public async Task Checkout_ApprovedInTheWindow_VerifiesAndTheKeyCharges(string card, int firstAmount, ChargeOutcome renewal, string? failReason)
    {
        var (fake, provider) = Start();
        await using var _ = fake;
        await using var __ = provider;
        var checkout = provider.GetRequiredService<CheckoutFactory>();
        var iamport = provider.GetRequiredService<IIamportClient>();

        var builder = firstAmount == 0
            ? checkout.IssueKeyOnly("cust_42_card1", "월간 구독 카드 등록")
            : checkout.IssueKeyAndCharge("cust_42_card1", firstAmount, "월간 구독 첫 달");
        RequestPayParams param = builder.WithMerchantUid("sub42_issue").WithBuyerPhone("010-1234-5678").Build();

        FakeCheckoutResult window = await fake.ApproveCheckoutAsync(param.ToJson(), card);
        VerificationResult verified = await iamport.VerifyPaymentAsync(UntrustedPaymentHint.FromCallbackJson(window.CallbackJson), new VerifyPaymentRequest
        {
            MerchantUid = "sub42_issue",
            Amount = firstAmount,
            CustomerUid = "cust_42_card1",
            IsIssuance = true,
        });
        ChargeResult charge = await iamport.ChargeBillingKeyAsync(new ChargeRequest
        {
            CustomerUid = "cust_42_card1",
            MerchantUid = "sub42_202701",
            Amount = 9_900,
            Name = "월간 구독",
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(window.IsSuccess, Is.True, window.ErrorMessage);
            Assert.That(verified.IsVerified, Is.True, verified.ToString());
            Assert.That(verified.Payment?.ImpUid, Is.EqualTo(window.ImpUid));
            Assert.That(verified.BillingKey?.CustomerUid, Is.EqualTo("cust_42_card1"));
            Assert.That(charge.Outcome, Is.EqualTo(renewal));
            Assert.That(charge.FailReason, Is.EqualTo(failReason));
            Assert.That(fake.PaidChargeCount("sub42_issue"), Is.EqualTo(1));
            Assert.That(fake.GetPayments("sub42_issue")[0].Amount, Is.EqualTo(firstAmount));
            Assert.That(fake.PaidChargeCount("sub42_202701"), Is.EqualTo(renewal == ChargeOutcome.Approved ? 1 : 0));
            Assert.That(fake.ChargeAttemptCount("sub42_202701"), Is.EqualTo(1));
            Assert.That(fake.GetPayments("sub42_202701")[0].CustomerUidUsage, Is.EqualTo("payment"));
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Checkout_DeclinedOrClosed_NotVerifiedAndNoKeyToCharge(bool closed)
    {
        var (fake, provider) = Start();
        await using var _ = fake;
        await using var __ = provider;
        var checkout = provider.GetRequiredService<CheckoutFactory>();
        var iamport = provider.GetRequiredService<IIamportClient>();
        RequestPayParams param = checkout.IssueKeyOnly("cust_42_card1", "월간 구독 카드 등록")
            .WithMerchantUid("sub42_issue").WithBuyerPhone("010-1234-5678").Build();

        FakeCheckoutResult window = closed
            ? await fake.CloseCheckoutAsync(param.ToJson())
            : await fake.DeclineCheckoutAsync(param.ToJson());
        VerificationResult verified = await iamport.VerifyPaymentAsync(UntrustedPaymentHint.FromCallbackJson(window.CallbackJson), new VerifyPaymentRequest
        {
            MerchantUid = "sub42_issue",
            Amount = 0,
            CustomerUid = "cust_42_card1",
            IsIssuance = true,
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(window.IsSuccess, Is.False);
            Assert.That(verified.IsVerified, Is.False);
            Assert.That(verified.FailedCheck, Is.EqualTo(VerificationCheck.Status));
            Assert.That(await iamport.GetBillingKeyAsync("cust_42_card1"), Is.Null);
            Assert.That(fake.PaidChargeCount("sub42_issue"), Is.Zero);
        }
    }
}
