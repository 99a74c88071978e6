using System.Security.Cryptography;
using Iamport.Danal;
using Iamport.Danal.Checkout;
using Iamport.Danal.Samples.Shop.Data;
using Microsoft.Extensions.Options;

namespace Iamport.Danal.Samples.Shop.Billing;

/// <summary>Verify: what the browser, the mobile return, the webhook and the sweep report about a checkout is checked
/// with I'mport and applied once.</summary>
public sealed partial class CheckoutService
{
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

    /// <summary>The one path that applies a checkout, shared by the browser callback, the mobile redirect, the webhook
    /// and the sweep. Any number of them may run at once: the store's transition lets exactly one apply it, and the
    /// others answer as it decided.</summary>
    public async Task<CheckoutVerdict> ConfirmAsync(CheckoutRecord checkout, string? impUid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkout);
        if (checkout.Status == CheckoutRecord.Verified)
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
        if (!result.IsVerified || checkout.Status == CheckoutRecord.Closed)
        {
            return await RefuseAsync(checkout, result, cancellationToken);
        }

        var today = ShopClock.Today(time);
        var nextCharge = checkout.Amount > 0 ? today.AddMonths(1) : today;
        var activation = await store.ActivateCheckoutAsync(checkout, result.Payment!.ImpUid, result.BillingKey?.CardName, today, nextCharge, cancellationToken);
        if (activation.RetiredKey is { } retired)
        {
            // Recorded first, deleted second: the old key goes only once the new one is in place, and only here.
            await DeleteRetiredKeyAsync(retired, cancellationToken);
        }

        if (activation.Status == CheckoutRecord.Closed)
        {
            // Closed before it could be applied (a card change whose subscription stopped billing, or the sweep gave up on
            // it): whatever it paid goes back.
            return await RefuseAsync(checkout with { Status = CheckoutRecord.Closed }, result, cancellationToken);
        }

        if (activation.Activated)
        {
            if (checkout.Amount > 0 && result.Payment.ReceiptUrl is { Length: > 0 } receipt)
            {
                await store.RecordReceiptAsync(checkout.MerchantUid, receipt, cancellationToken);
            }

            logger.CheckoutActivated(checkout.MerchantUid, result.Payment.ImpUid, checkout.SubscriptionId);
            if (schedules.Enabled)
            {
                await schedules.ScheduleNextAsync(checkout.SubscriptionId, cancellationToken); // I'mport's scheduler charges the next period
            }
        }

        return Verdict(checkout);
    }

    /// <summary>Looks up a checkout still pending long after it was opened (its callback, redirect and webhook never
    /// came, or failed): activates it when it was paid, otherwise closes it and retires any key it issued.</summary>
    /// <returns><see langword="true"/> when it is settled (activated or closed); <see langword="false"/> when the look-up failed.</returns>
    public async Task<bool> SweepAsync(CheckoutRecord checkout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkout);
        try
        {
            if ((await ConfirmAsync(checkout, null, cancellationToken)).Activated)
            {
                return true;
            }

            // Not paid as asked (no payment, declined, closed window, or a mismatch already refunded): nothing to wait for.
            await store.CloseCheckoutAsync(checkout.MerchantUid, cancellationToken);
            await DeleteRetiredKeyAsync(checkout.CustomerUid, cancellationToken);
            return true;
        }
        catch (IamportException ex)
        {
            logger.SweepLookupFailed(checkout.MerchantUid, ex.Code);
            return false;
        }
    }

    /// <summary>A checkout whose payment is not verified. Its own paid payment that does not match (say, the amount was
    /// changed in the browser), or that came after the checkout was closed, is refunded and its key retired, once.</summary>
    private async Task<CheckoutVerdict> RefuseAsync(CheckoutRecord checkout, VerificationResult result, CancellationToken cancellationToken)
    {
        logger.CheckoutRefused(checkout.MerchantUid, result.FailedCheck);

        // Only this order's own payment: a forged imp_uid may name somebody else's genuine payment.
        if (result.Payment is { } payment && payment.MerchantUid == checkout.MerchantUid && payment.Status == PaymentStatus.Paid
            && (await store.CloseCheckoutAsync(checkout.MerchantUid, cancellationToken) || checkout.Status == CheckoutRecord.Closed))
        {
            await RefundAsync(payment, result.FailedCheck);
            await store.RetireKeyAsync(checkout.CustomerUid, cancellationToken);
            await DeleteRetiredKeyAsync(checkout.CustomerUid, cancellationToken);
        }

        if (checkout.Status == CheckoutRecord.Closed)
        {
            return new CheckoutVerdict(false, checkout.Purpose == CheckoutPurpose.CardChange
                ? "이 구독은 더 이상 카드를 변경할 수 없습니다."
                : "이미 닫힌 주문입니다. 결제했다면 취소됩니다.");
        }

        // The browser posts whenever the window created a payment; a declined one of this very order is reported with
        // the card company's reason (the customer's own card, which Danal's window showed already). Anything else gets
        // one answer that names no check: the log above keeps which one failed.
        return new CheckoutVerdict(false, result.Payment is { FailReason: { Length: > 0 } reason } failed && failed.Status == PaymentStatus.Failed && failed.MerchantUid == checkout.MerchantUid
            ? "결제가 승인되지 않았습니다: " + reason
            : NotVerified);
    }

    private async Task RefundAsync(Payment payment, VerificationCheck failedCheck)
    {
        if (payment.RefundableAmount <= 0)
        {
            return;
        }

        try
        {
            // The checksum is the balance seen: a second refund of the same payment is refused, never doubled.
            await client.CancelPaymentAsync(new CancelPaymentRequest
            {
                ImpUid = payment.ImpUid,
                Checksum = payment.RefundableAmount,
                Reason = "결제 정보 불일치: " + failedCheck,
            }, CancellationToken.None); // decided: a closed tab must not leave it half done
            logger.MismatchRefunded(payment.ImpUid, payment.MerchantUid);
        }
        catch (IamportException ex)
        {
            logger.RefundRefused(payment.MerchantUid, ex.Code);
        }
    }

    /// <summary>What the browser hears about any checkout that was not verified (unknown order, another customer's,
    /// any failed check): one message, so forged requests learn nothing about which check stopped them.</summary>
    public const string NotVerified = "결제를 확인할 수 없습니다.";

    private static CheckoutVerdict Verdict(CheckoutRecord checkout) =>
        checkout.Purpose == CheckoutPurpose.CardChange ? new(true, "카드를 변경했습니다.", "card-changed")
        : checkout.Amount > 0 ? new(true, "구독하고 첫 달을 결제했습니다.", "paid")
        : new(true, "카드를 등록했습니다.", "activated");

    // One customer_uid per customer and card, made by the server and never rendered: whoever knows it can charge the card.
}
