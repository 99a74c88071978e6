using System.Security.Cryptography;
using Iamport.Danal.Checkout;
using Iamport.Danal.Payments;
using Iamport.Danal.Samples.Shop.Data;
using Iamport.Danal.Verification;
using Microsoft.Extensions.Options;

namespace Iamport.Danal.Samples.Shop.Billing;

public enum CheckoutKind
{
    /// <summary>Issue the billing key only (amount 0); the renewal job charges the first month.</summary>
    RegisterCard,

    /// <summary>Issue the billing key and charge the first month in the same window.</summary>
    SubscribeAndPay,
}

/// <param name="Notice">The page notice to show after a redirect: <c>activated</c> or <c>paid</c>.</param>
public sealed record CheckoutVerdict(bool Activated, string Message, string? Notice = null);

/// <summary>Opens checkouts and confirms them. The browser only ever tells us <em>which</em> checkout it finished;
/// what it must look like comes from our own record, and whether it happened comes from I'mport.</summary>
public sealed class CheckoutService(
    IIamportClient client,
    CheckoutFactory checkoutFactory,
    ShopStore store,
    IOptions<ShopOptions> shopOptions,
    TimeProvider time,
    ILogger<CheckoutService> logger)
{
    private readonly ShopOptions _shop = shopOptions.Value;

    /// <summary>Records a pending checkout and builds the <c>IMP.request_pay</c> object for it.</summary>
    public RequestPayParams Start(string owner, CheckoutKind kind)
    {
        // One customer_uid per customer and card, made by the server and never rendered: whoever knows it can charge the card.
        string customerUid = "cu_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var builder = kind == CheckoutKind.SubscribeAndPay
            ? checkoutFactory.IssueKeyAndCharge(customerUid, _shop.MonthlyPrice, _shop.ProductName)
            : checkoutFactory.IssueKeyOnly(customerUid, _shop.ProductName);
        builder.WithBuyerName(_shop.BuyerName).WithBuyerTel(_shop.BuyerTel);
        if (_shop.NoticeUrl is { } noticeUrl)
        {
            builder.WithNoticeUrl(noticeUrl);
        }

        // Build() checks every Danal rule and generates a unique, time-ordered merchant_uid.
        RequestPayParams param = builder.Build();
        store.CreateCheckout(owner, _shop.ProductName, _shop.MonthlyPrice, param.MerchantUid, customerUid, (long)param.Amount);
        logger.CheckoutOpened(param.MerchantUid, kind, (long)param.Amount);
        return param;
    }

    /// <summary>Handles what the browser's callback posted: <c>{imp_uid, merchant_uid}</c>, both untrusted.</summary>
    public async Task<CheckoutVerdict> VerifyAsync(string owner, string? impUid, string? merchantUid, CancellationToken cancellationToken)
    {
        var checkout = string.IsNullOrEmpty(merchantUid) ? null : store.FindCheckout(merchantUid);
        if (checkout is null || checkout.Owner != owner)
        {
            logger.UnknownCheckout();
            return new CheckoutVerdict(false, "Unknown order.");
        }

        return await ConfirmAsync(checkout, impUid, cancellationToken);
    }

    /// <summary>The one path that activates a subscription, shared by the browser callback and the webhook.</summary>
    public async Task<CheckoutVerdict> ConfirmAsync(CheckoutRecord checkout, string? impUid, CancellationToken cancellationToken)
    {
        if (checkout.Status == "verified")
        {
            return new CheckoutVerdict(true, "Already active.", checkout.Amount > 0 ? "paid" : "activated");
        }

        var expected = new VerifyPaymentRequest
        {
            MerchantUid = checkout.MerchantUid,
            Amount = checkout.Amount,
            CustomerUid = checkout.CustomerUid,
            IsIssuance = true,
        };
        VerificationResult result = impUid is null
            ? await client.VerifyPaymentAsync(expected, cancellationToken)
            : await client.VerifyPaymentAsync(impUid, expected, cancellationToken);
        if (!result.IsVerified)
        {
            logger.CheckoutRefused(checkout.MerchantUid, result.FailedCheck);
            await UndoMismatchAsync(checkout, result, cancellationToken);
            // The browser posts whenever the window created a payment; a declined one is reported with the card company's reason.
            return new CheckoutVerdict(false, result.Payment is { FailReason: { Length: > 0 } reason } failed && failed.Status == PaymentStatus.Failed && failed.MerchantUid == checkout.MerchantUid
                ? reason
                : "Payment could not be verified (" + result.FailedCheck + ").");
        }

        var today = ShopClock.Today(time);
        var nextCharge = checkout.Amount > 0 ? today.AddMonths(1) : today;
        bool activated = store.ActivateCheckout(checkout, result.Payment!.ImpUid, result.BillingKey?.CardName, today, nextCharge);
        if (activated)
        {
            logger.CheckoutActivated(checkout.MerchantUid, result.Payment.ImpUid, checkout.SubscriptionId);
        }

        return checkout.Amount > 0
            ? new CheckoutVerdict(true, "Subscribed and paid.", "paid")
            : new CheckoutVerdict(true, "Card registered.", "activated");
    }

    /// <summary>A real payment of this order that does not match (say, the amount was changed in the browser) is
    /// refunded, and the key it issued is deleted: nothing of it is kept.</summary>
    private async Task UndoMismatchAsync(CheckoutRecord checkout, VerificationResult result, CancellationToken cancellationToken)
    {
        // Only this order's own payment: a forged imp_uid may name somebody else's genuine payment.
        if (result.Payment is not { } payment || payment.MerchantUid != checkout.MerchantUid || payment.Status != PaymentStatus.Paid)
        {
            return;
        }

        if (payment.RefundableAmount > 0)
        {
            await client.CancelPaymentAsync(new CancelPaymentRequest
            {
                ImpUid = payment.ImpUid,
                Checksum = payment.RefundableAmount,
                Reason = "결제 정보 불일치: " + result.FailedCheck,
            }, cancellationToken);
            logger.MismatchRefunded(payment.ImpUid, checkout.MerchantUid);
        }

        if (await client.GetBillingKeyAsync(checkout.CustomerUid, cancellationToken) is not null)
        {
            await client.DeleteBillingKeyAsync(checkout.CustomerUid, "결제 정보 불일치", cancellationToken);
        }
    }
}
