using System.Security.Cryptography;
using Iamport.Danal;
using Iamport.Danal.Checkout;
using Iamport.Danal.Samples.Shop.Data;
using Microsoft.Extensions.Options;

namespace Iamport.Danal.Samples.Shop.Billing;

/// <summary>Card change: a key-only checkout for a new card; the old key is deleted only after the new one is verified.</summary>
public sealed partial class CheckoutService
{
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

    /// <summary>Deletes a retired key at I'mport, if this caller takes it: exactly one caller deletes a key, and never
    /// one a subscription points at. A failure leaves it queued for the sweep.</summary>
    public async Task DeleteRetiredKeyAsync(string customerUid, CancellationToken cancellationToken)
    {
        if (!await store.TakeRetiredKeyAsync(customerUid, _shop.RenewalStaleClaimAfter, cancellationToken))
        {
            return;
        }

        bool deleted = false;
        try
        {
            // Its pending schedules at I'mport go first (and their periods move to the subscription's new key); while
            // I'mport's answer is unknown the key stays, queued for the sweep.
            if (!await schedules.RevokeKeyAsync(customerUid, CancellationToken.None))
            {
                return;
            }

            // Already gone (deleted in the console, or never issued because the window was closed): nothing to do.
            if (await client.GetBillingKeyAsync(customerUid, CancellationToken.None) is not null)
            {
                await client.DeleteBillingKeyAsync(customerUid, "사용하지 않는 카드 삭제", CancellationToken.None);
            }

            deleted = true;
            logger.RetiredKeyDeleted();
        }
        catch (IamportException ex)
        {
            logger.RetiredKeyNotDeleted(ex.Code);
        }
        finally
        {
            await store.FinishRetiredKeyAsync(customerUid, deleted, CancellationToken.None);
        }
    }
}
