using Iamport.Danal.Payments;
using Iamport.Danal.Samples.Shop.Data;
using Iamport.Danal.Verification;
using Iamport.Danal.Webhooks;

namespace Iamport.Danal.Samples.Shop.Billing;

/// <summary>Handles I'mport's webhook: the body only says which payment to re-fetch; every decision uses the re-fetched payment.</summary>
/// <remarks>Idempotent: a (imp_uid, status) pair already handled is answered at once, and every state change is guarded
/// by the record's current state, so a webhook that races the browser callback (or arrives twice) changes nothing twice.</remarks>
public sealed class WebhookHandler(IIamportClient client, IShopStore store, CheckoutService checkouts, ILogger<WebhookHandler> logger)
{
    public async Task<string> HandleAsync(WebhookNotification notification, CancellationToken cancellationToken)
    {
        string status = notification.Status.Value;
        if (await store.WebhookSeenAsync(notification.ImpUid, status, cancellationToken))
        {
            return "duplicate";
        }

        string result = await ProcessAsync(notification, cancellationToken);
        await store.RecordWebhookAsync(notification.ImpUid, status, notification.MerchantUid, result, cancellationToken);
        logger.Webhook(notification.ImpUid, status, notification.MerchantUid, result);
        return result;
    }

    private async Task<string> ProcessAsync(WebhookNotification notification, CancellationToken cancellationToken)
    {
        if (await store.FindCheckoutAsync(notification.MerchantUid, cancellationToken) is { Status: "pending" } checkout)
        {
            // The webhook often arrives before the browser's callback: activate through the same verified path.
            var verdict = await checkouts.ConfirmAsync(checkout, notification.ImpUid, cancellationToken);
            return verdict.Activated ? "checkout verified" : "checkout refused";
        }

        if (await store.FindChargeAsync(notification.MerchantUid, cancellationToken) is not { } charge)
        {
            return "unknown order";
        }

        var subscription = await store.FindSubscriptionAsync(charge.SubscriptionId, cancellationToken);
        var expected = new VerifyPaymentRequest
        {
            MerchantUid = charge.MerchantUid,
            Amount = charge.Amount,
            CustomerUid = subscription?.CustomerUid,
        };
        VerificationResult verified = await client.VerifyWebhookAsync(notification, expected, cancellationToken);
        if (verified.IsVerified)
        {
            await store.MarkChargePaidAsync(charge.MerchantUid, verified.Payment!.ImpUid, cancellationToken);
            return "charge paid";
        }

        if (verified.Payment is { } payment && payment.MerchantUid == charge.MerchantUid)
        {
            if (payment.Status == PaymentStatus.Cancelled)
            {
                await store.MarkChargeRefundedAsync(charge.MerchantUid, cancellationToken);
                return "charge refunded";
            }

            if (payment.Status == PaymentStatus.Failed)
            {
                await store.MarkChargeNotPaidAsync(charge.MerchantUid, ChargeStatus.Declined, payment.ImpUid, payment.FailReason, cancellationToken);
                return "charge declined";
            }
        }

        return "not verified: " + verified.FailedCheck;
    }
}
