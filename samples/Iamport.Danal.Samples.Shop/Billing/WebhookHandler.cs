using Iamport.Danal.Samples.Shop.Data;

namespace Iamport.Danal.Samples.Shop.Billing;

/// <summary>Handles I'mport's webhook: the body only says which payment to re-fetch; every decision, the duplicate check
/// included, uses the re-fetched payment.</summary>
/// <remarks>A webhook is a duplicate when the payment I'mport holds is in a state already handled: the same imp_uid,
/// status and cancelled amount. Anyone can post a body, so its claims decide nothing: a forged <c>paid</c> sent before
/// the real one, or a forged <c>cancelled</c> sent while the payment is still paid, is handled as what the payment
/// really is, and the genuine webhook that follows is not mistaken for it. Duplicates that slip through (two at once)
/// are harmless: every change is a guarded transition in the store.</remarks>
public sealed class WebhookHandler(IIamportClient client, IShopStore store, CheckoutService checkouts, RenewalJob renewals, ScheduleEngine schedules, ILogger<WebhookHandler> logger)
{
    public async Task<string> HandleAsync(WebhookNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (await client.GetPaymentAsync(notification.ImpUid, cancellationToken) is not { } payment)
        {
            return "unknown payment"; // nothing recorded: the genuine webhook of a payment made later is handled in full
        }

        string status = payment.Status.Value;
        long cancelled = (long)payment.CancelAmount;
        if (await store.WebhookSeenAsync(payment.ImpUid, status, cancelled, cancellationToken))
        {
            return "duplicate";
        }

        // Recorded only once handled: a webhook that failed midway (answered 500) is handled again when I'mport resends it.
        string result = await ProcessAsync(payment, cancellationToken);
        await store.RecordWebhookAsync(payment.ImpUid, status, cancelled, payment.MerchantUid, result, cancellationToken);
        logger.Webhook(payment.ImpUid, status, payment.MerchantUid, result);
        return result;
    }

    private async Task<string> ProcessAsync(Payment payment, CancellationToken cancellationToken)
    {
        // The order is the one I'mport recorded the payment under, never the body's merchant_uid.
        var checkout = await store.FindCheckoutAsync(payment.MerchantUid, cancellationToken);
        if (checkout is not null && !(payment.Status == PaymentStatus.Cancelled && checkout.Status == CheckoutRecord.Verified))
        {
            // The webhook often arrives before the browser's callback, or instead of it (tab closed): the same verified path.
            var verdict = await checkouts.ConfirmAsync(checkout, payment.ImpUid, cancellationToken);
            return verdict.Activated ? "checkout verified" : "checkout refused";
        }

        if (await store.FindChargeAsync(payment.MerchantUid, cancellationToken) is not { } charge)
        {
            return "unknown order";
        }

        if (payment.Status == PaymentStatus.Cancelled)
        {
            // A refund made in the console (or by the shop itself, already recorded): only the payment the charge recorded.
            return charge.ImpUid == payment.ImpUid && await store.MarkChargeRefundedAsync(charge.MerchantUid, cancellationToken)
                ? "charge refunded"
                : "refund already recorded";
        }

        var outcome = await renewals.SettleFromWebhookAsync(charge, cancellationToken);
        if (schedules.Enabled)
        {
            // On I'mport's scheduler: paid, the next period is registered (once, however many copies arrive); declined, dunning starts now.
            await schedules.AfterSettledAsync(charge.SubscriptionId, outcome, cancellationToken);
        }

        return outcome is { } settled ? "charge " + settled.ToString().ToLowerInvariant() : "charge not settled";
    }
}
