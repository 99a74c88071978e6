using Iamport.Danal.Samples.Shop.Data;
using Microsoft.Extensions.Options;

namespace Iamport.Danal.Samples.Shop.Billing;

/// <summary>What one sweep settled.</summary>
public sealed record SweepReport(int CheckoutsSettled, int RefundsRecorded, int KeysDeleted)
{
    public override string ToString() => $"checkouts settled {CheckoutsSettled}, refunds recorded {RefundsRecorded}, retired keys handled {KeysDeleted}";
}

/// <summary>Settles what the everyday paths left behind, before every renewal run: a checkout paid while its tab was
/// closed and whose webhook never came, a refund made in the console whose webhook was lost, a retired key whose
/// deletion failed. Charges left unknown (or claimed by a process that died) are looked up by the renewal run itself
/// (<see cref="RenewalJob"/>), through the same outcome call.</summary>
/// <remarks>Everything here only looks up and then takes the same guarded transitions as the callback and the webhook,
/// so a sweep racing them (or another process's sweep) changes nothing twice.</remarks>
public sealed class Sweep(IIamportClient client, IShopStore store, CheckoutService checkouts, IOptions<ShopOptions> options, TimeProvider time, ILogger<Sweep> logger)
{
    public async Task<SweepReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var shop = options.Value;
        int settled = 0;
        foreach (var checkout in await store.ListStaleCheckoutsAsync(shop.SweepAfter, cancellationToken))
        {
            if (await checkouts.SweepAsync(checkout, cancellationToken))
            {
                settled++;
            }
        }

        int refunds = await RecordConsoleRefundsAsync(shop, cancellationToken);

        var keys = await store.ListRetiredKeysAsync(shop.RenewalStaleClaimAfter, cancellationToken);
        foreach (string customerUid in keys)
        {
            await checkouts.DeleteRetiredKeyAsync(customerUid, cancellationToken);
        }

        var report = new SweepReport(settled, refunds, keys.Count);
        logger.SweepRun(report);
        return report;
    }

    /// <summary>Payments cancelled at I'mport over the last <see cref="ShopOptions.SweepRefundsWithin"/> that the shop
    /// still has as paid: refunded in the console, and the webhook was lost.</summary>
    private async Task<int> RecordConsoleRefundsAsync(ShopOptions shop, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        int recorded = 0;
        try
        {
            await foreach (var payment in client.GetPaymentsByStatusAsync(PaymentStatus.Cancelled, now - shop.SweepRefundsWithin, now, cancellationToken: cancellationToken))
            {
                if (await store.FindChargeAsync(payment.MerchantUid, cancellationToken) is { Status: ChargeStatus.Paid } charge
                    && charge.ImpUid == payment.ImpUid
                    && await store.MarkChargeRefundedAsync(charge.MerchantUid, cancellationToken))
                {
                    recorded++;
                }
            }
        }
        catch (IamportException ex)
        {
            logger.SweepRefundsFailed(ex.Code); // the next sweep looks again: its period overlaps this one
        }

        return recorded;
    }
}
