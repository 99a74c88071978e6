using Iamport.Danal.Payments;
using Iamport.Danal.Samples.Shop.Data;

namespace Iamport.Danal.Samples.Shop.Billing;

/// <summary>What a customer can do to a subscription: refund a charge, remove the card.</summary>
public sealed class SubscriptionActions(IIamportClient client, ShopStore store, ILogger<SubscriptionActions> logger)
{
    /// <summary>Refunds a paid charge in full, guarded by the amount we believe refundable (a retry cannot refund twice).</summary>
    public async Task<string> RefundAsync(string owner, long chargeId, CancellationToken cancellationToken)
    {
        if (store.FindCharge(chargeId) is not { ImpUid: { } impUid } charge || store.FindSubscription(charge.SubscriptionId)?.Owner != owner)
        {
            return "not-found";
        }

        if (charge.Status != ChargeStatus.Paid)
        {
            return "not-refundable";
        }

        try
        {
            await client.CancelPaymentAsync(new CancelPaymentRequest
            {
                ImpUid = impUid,
                Checksum = charge.Amount,
                Reason = "고객 요청 환불",
            }, cancellationToken);
        }
        catch (IamportException ex)
        {
            logger.RefundRefused(charge.MerchantUid, ex.Code);
            return "refund-failed";
        }

        store.MarkChargeRefunded(charge.MerchantUid);
        logger.Refunded(charge.MerchantUid, impUid);
        return "refunded";
    }

    /// <summary>Deletes the billing key at I'mport (irreversible) and stops the subscription.</summary>
    public async Task<string> RemoveCardAsync(string owner, long subscriptionId, CancellationToken cancellationToken)
    {
        if (store.FindSubscription(subscriptionId) is not { } subscription || subscription.Owner != owner)
        {
            return "not-found";
        }

        if (subscription.CustomerUid is { } customerUid)
        {
            // Already gone at I'mport (deleted in the console, say): just forget it here too.
            if (await client.GetBillingKeyAsync(customerUid, cancellationToken) is not null)
            {
                await client.DeleteBillingKeyAsync(customerUid, "고객 요청: 카드 삭제", cancellationToken);
            }
        }

        store.RemoveCard(subscriptionId);
        logger.CardRemoved(subscriptionId);
        return "card-removed";
    }
}
