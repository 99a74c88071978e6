using Iamport.Danal.Samples.Shop.Data;

namespace Iamport.Danal.Samples.Shop.Billing;

/// <summary>What a customer can do to a subscription: pay a declined month again, refund a charge, remove the card.
/// Each returns the code of the notice the page shows.</summary>
public sealed class SubscriptionActions(IIamportClient client, IShopStore store, RenewalJob renewals, CheckoutService checkouts, ScheduleEngine schedules, ILogger<SubscriptionActions> logger)
{
    /// <summary>Refunds a paid charge in full, guarded by the amount we believe refundable (a retry cannot refund twice).</summary>
    /// <remarks>The policy of this sample: refunding the <em>latest</em> paid month gives back the month the customer is
    /// in, so the subscription ends now (cancelled, card deleted, nothing charged again). Refunding an older month
    /// is a goodwill refund: the subscription goes on. The page says which before the customer confirms.</remarks>
    public async Task<string> RefundAsync(string owner, long chargeId, CancellationToken cancellationToken)
    {
        if (await store.FindChargeAsync(chargeId, cancellationToken) is not { ImpUid: { } impUid } charge
            || await store.FindSubscriptionAsync(charge.SubscriptionId, cancellationToken) is not { } subscription
            || subscription.Owner != owner)
        {
            return "not-found";
        }

        if (charge.Status != ChargeStatus.Paid)
        {
            return "not-refundable";
        }

        bool endsSubscription = IsLatestPaid(charge, await store.ListChargesAsync(subscription.Id, cancellationToken));
        try
        {
            await client.CancelPaymentAsync(new CancelPaymentRequest
            {
                ImpUid = impUid,
                Checksum = charge.Amount,
                Reason = "고객 요청 환불",
            }, CancellationToken.None); // once asked, finished even if the tab closes: a cancelled refund's outcome is unknown
        }
        catch (IamportException ex)
        {
            logger.RefundRefused(charge.MerchantUid, ex.Code);
            await store.MarkRefundFailedAsync(charge.MerchantUid, ex.ApiMessage ?? ex.Message, cancellationToken);
            return "refund-failed";
        }

        await store.MarkChargeRefundedAsync(charge.MerchantUid, cancellationToken);
        logger.Refunded(charge.MerchantUid, impUid);
        if (!endsSubscription)
        {
            return "refunded";
        }

        await RemoveCardAsync(owner, subscription.Id, cancellationToken);
        return "refunded-cancelled";
    }

    /// <summary>Whether refunding <paramref name="charge"/> ends its subscription (see <see cref="RefundAsync"/>).</summary>
    public static bool IsLatestPaid(Charge charge, IReadOnlyList<Charge> charges)
    {
        ArgumentNullException.ThrowIfNull(charge);
        ArgumentNullException.ThrowIfNull(charges);
        return !charges.Any(c => c.Status == ChargeStatus.Paid && string.CompareOrdinal(c.Period, charge.Period) > 0);
    }

    /// <summary>Charges the declined month of a past-due subscription now, with the card it has (changed or not).</summary>
    public async Task<string> RetryAsync(string owner, long subscriptionId, CancellationToken cancellationToken)
    {
        if (await store.FindSubscriptionAsync(subscriptionId, cancellationToken) is not { } subscription || subscription.Owner != owner)
        {
            return "not-found";
        }

        return await RetryNowAsync(subscriptionId, cancellationToken);
    }

    /// <summary>Charges the declined month of a past-due subscription now, for its owner (<see cref="RetryAsync"/>) or the
    /// operator (지금 재시도); paid, the subscription is back on I'mport's scheduler when the shop renews there.</summary>
    public async Task<string> RetryNowAsync(long subscriptionId, CancellationToken cancellationToken)
    {
        if (await store.ClaimRetryAsync(subscriptionId, cancellationToken) is not { } claim)
        {
            return "retry-nothing"; // not past due (any more), or already being charged
        }

        var outcome = await renewals.ChargeAsync(claim);
        if (outcome is RenewalOutcome.Approved or RenewalOutcome.Reconciled && schedules.Enabled)
        {
            await schedules.ScheduleNextAsync(subscriptionId, CancellationToken.None); // back on I'mport's scheduler
        }

        return outcome switch
        {
            RenewalOutcome.Approved or RenewalOutcome.Reconciled => "retry-paid",
            RenewalOutcome.Declined => "retry-declined",
            RenewalOutcome.Unknown => "retry-unknown",
            _ => "retry-failed",
        };
    }

    /// <summary>Deletes the billing key at I'mport (irreversible) and stops the subscription.</summary>
    public async Task<string> RemoveCardAsync(string owner, long subscriptionId, CancellationToken cancellationToken)
    {
        if (await store.FindSubscriptionAsync(subscriptionId, cancellationToken) is not { } subscription || subscription.Owner != owner)
        {
            return "not-found";
        }

        // Stopped and its key retired in one step (so no renewal claims it any more), then the key is deleted at I'mport;
        // a deletion that fails is retried by the sweep.
        if (await store.CancelSubscriptionAsync(subscriptionId, cancellationToken) is { } customerUid)
        {
            await checkouts.DeleteRetiredKeyAsync(customerUid, cancellationToken);
        }

        logger.CardRemoved(subscriptionId);
        return "card-removed";
    }
}
