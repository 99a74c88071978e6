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

/// <param name="Notice">The page notice to show after a redirect: <c>activated</c>, <c>paid</c> or <c>card-changed</c>.</param>
public sealed record CheckoutVerdict(bool Activated, string Message, string? Notice = null);

/// <summary>Opens checkouts and confirms them. The browser only ever tells us <em>which</em> checkout it finished;
/// what it must look like comes from our own record, and whether it happened comes from I'mport.</summary>
public sealed class CheckoutService(
    IIamportClient client,
    CheckoutFactory checkoutFactory,
    IShopStore store,
    IOptions<ShopOptions> shopOptions,
    TimeProvider time,
    ILogger<CheckoutService> logger)
{
    private readonly ShopOptions _shop = shopOptions.Value;

    /// <summary>Records a pending checkout and builds the <c>IMP.request_pay</c> object for it.</summary>
    /// <param name="redirectUrl">The shop's <c>m_redirect_url</c> route (absolute), where mobile windows return.</param>
    public async Task<RequestPayParams> StartAsync(string owner, CheckoutKind kind, Uri redirectUrl, CancellationToken cancellationToken)
    {
        string customerUid = NewCustomerUid();
        var builder = kind == CheckoutKind.SubscribeAndPay
            ? checkoutFactory.IssueKeyAndCharge(customerUid, _shop.MonthlyPrice, _shop.ProductName)
            : checkoutFactory.IssueKeyOnly(customerUid, _shop.ProductName);

        // Build() checks every Danal rule and generates a unique, time-ordered merchant_uid.
        RequestPayParams param = Complete(builder, redirectUrl).Build();
        await store.CreateCheckoutAsync(owner, _shop.ProductName, _shop.MonthlyPrice, param.MerchantUid, customerUid, (long)param.Amount, cancellationToken);
        logger.CheckoutOpened(param.MerchantUid, kind.ToString(), (long)param.Amount);
        return param;
    }

    /// <summary>Opens a key-only checkout for a new card on an existing subscription; the old key stays until the
    /// new one is verified. <see langword="null"/> when the subscription is not the owner's or no longer bills.</summary>
    public async Task<RequestPayParams?> StartCardChangeAsync(string owner, long subscriptionId, Uri redirectUrl, CancellationToken cancellationToken)
    {
        if (await store.FindSubscriptionAsync(subscriptionId, cancellationToken) is not { CustomerUid: not null } subscription
            || subscription.Owner != owner
            || subscription.Status is not (SubscriptionStatus.Active or SubscriptionStatus.PastDue))
        {
            return null;
        }

        string customerUid = NewCustomerUid();
        RequestPayParams param = Complete(checkoutFactory.IssueKeyOnly(customerUid, subscription.PlanName), redirectUrl).Build();
        await store.CreateCardChangeAsync(subscriptionId, param.MerchantUid, customerUid, cancellationToken);
        logger.CheckoutOpened(param.MerchantUid, CheckoutPurpose.CardChange, 0);
        return param;
    }

    /// <summary>Handles what the browser reported (the callback's body or the <c>m_redirect_url</c> query):
    /// <c>imp_uid</c> and <c>merchant_uid</c>, both untrusted. Both paths come here.</summary>
    public async Task<CheckoutVerdict> VerifyAsync(string owner, string? impUid, string? merchantUid, CancellationToken cancellationToken)
    {
        var checkout = string.IsNullOrEmpty(merchantUid) ? null : await store.FindCheckoutAsync(merchantUid, cancellationToken);
        if (checkout is null || checkout.Owner != owner)
        {
            logger.UnknownCheckout();
            return new CheckoutVerdict(false, NotVerified);
        }

        return await ConfirmAsync(checkout, impUid, cancellationToken);
    }

    /// <summary>The one path that applies a checkout, shared by the browser callback, the mobile redirect and the webhook.</summary>
    public async Task<CheckoutVerdict> ConfirmAsync(CheckoutRecord checkout, string? impUid, CancellationToken cancellationToken)
    {
        if (checkout.Status == "verified")
        {
            return Verdict(checkout);
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
            // The browser posts whenever the window created a payment; a declined one of this very order is reported with
            // the card company's reason (the customer's own card, which Danal's window showed already). Anything else
            // gets one answer that names no check: the log above keeps which one failed.
            return new CheckoutVerdict(false, result.Payment is { FailReason: { Length: > 0 } reason } failed && failed.Status == PaymentStatus.Failed && failed.MerchantUid == checkout.MerchantUid
                ? "결제가 승인되지 않았습니다: " + reason
                : NotVerified);
        }

        var today = ShopClock.Today(time);
        var nextCharge = checkout.Amount > 0 ? today.AddMonths(1) : today;
        var activation = await store.ActivateCheckoutAsync(checkout, result.Payment!.ImpUid, result.BillingKey?.CardName, today, nextCharge, cancellationToken);
        if (checkout.Purpose == CheckoutPurpose.CardChange)
        {
            return await FinishCardChangeAsync(checkout, activation, cancellationToken);
        }

        if (activation.Activated)
        {
            logger.CheckoutActivated(checkout.MerchantUid, result.Payment.ImpUid, checkout.SubscriptionId);
        }

        return Verdict(checkout);
    }

    /// <summary>The new key is verified and in place: only now is the old one deleted at I'mport.</summary>
    private async Task<CheckoutVerdict> FinishCardChangeAsync(CheckoutRecord checkout, Activation activation, CancellationToken cancellationToken)
    {
        if (!activation.Activated)
        {
            // The subscription stopped billing while the window was open: the new key is not needed.
            await DeleteKeyIfPresentAsync(checkout.CustomerUid, "구독 해지 후 등록된 카드", cancellationToken);
            return new CheckoutVerdict(false, "이 구독은 더 이상 카드를 변경할 수 없습니다.");
        }

        logger.CardReplaced(checkout.SubscriptionId);
        try
        {
            await DeleteKeyIfPresentAsync(activation.ReplacedCustomerUid!, "카드 변경: 이전 카드 삭제", cancellationToken);
        }
        catch (IamportException ex)
        {
            // The subscription already bills the new card; the old key is orphaned at I'mport. Delete it in the console.
            logger.OldKeyNotDeleted(checkout.SubscriptionId, ex.Code);
        }

        return Verdict(checkout);
    }

    /// <summary>What the browser hears about any checkout that was not verified (unknown order, another customer's,
    /// any failed check): one message, so forged requests learn nothing about which check stopped them.</summary>
    public const string NotVerified = "결제를 확인할 수 없습니다.";

    private static CheckoutVerdict Verdict(CheckoutRecord checkout) =>
        checkout.Purpose == CheckoutPurpose.CardChange ? new(true, "카드를 변경했습니다.", "card-changed")
        : checkout.Amount > 0 ? new(true, "구독하고 첫 달을 결제했습니다.", "paid")
        : new(true, "카드를 등록했습니다.", "activated");

    // One customer_uid per customer and card, made by the server and never rendered: whoever knows it can charge the card.
    private static string NewCustomerUid() => "cu_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private RequestPayParamsBuilder Complete(RequestPayParamsBuilder builder, Uri redirectUrl)
    {
        builder.WithBuyerName(_shop.BuyerName).WithBuyerTel(_shop.BuyerTel).WithRedirectUrl(redirectUrl);
        if (_shop.NoticeUrl is { } noticeUrl)
        {
            builder.WithNoticeUrl(noticeUrl);
        }

        return builder;
    }

    private async Task DeleteKeyIfPresentAsync(string customerUid, string reason, CancellationToken cancellationToken)
    {
        if (await client.GetBillingKeyAsync(customerUid, cancellationToken) is not null)
        {
            await client.DeleteBillingKeyAsync(customerUid, reason, cancellationToken);
        }
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

        await DeleteKeyIfPresentAsync(checkout.CustomerUid, "결제 정보 불일치", cancellationToken);
    }
}
