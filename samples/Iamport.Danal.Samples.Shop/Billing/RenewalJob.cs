using System.Globalization;
using Iamport.Danal.Payments;
using Iamport.Danal.Samples.Shop.Data;
using Microsoft.Extensions.Options;

namespace Iamport.Danal.Samples.Shop.Billing;

public sealed record RenewalReport(int Approved, int Declined, int NotCharged, int Unknown, int Failed, int Skipped, int Reconciled)
{
    public override string ToString() =>
        $"approved {Approved}, declined {Declined}, not charged {NotCharged}, unknown {Unknown}, failed {Failed}, skipped {Skipped}, reconciled {Reconciled}";
}

/// <summary>Charges every due subscription once per period, however many shop instances run it at the same time.</summary>
/// <remarks>
/// <para>The merchant_uid is derived from the subscription and the period (<c>sub42_202611</c>), and the period is
/// claimed in SQLite (UNIQUE(subscription, period)) <em>before</em> the charge is sent: a second instance loses the
/// claim and skips. I'mport itself refuses a merchant_uid that is already paid, a second guard.</para>
/// <para>A charge whose reply was lost is left <c>unknown</c> and looked up by merchant_uid on the next run, never sent again blindly.</para>
/// </remarks>
public sealed class RenewalJob(
    IIamportClient client,
    ShopStore store,
    IOptions<ShopOptions> options,
    TimeProvider time,
    ILogger<RenewalJob> logger)
{
    /// <summary>A claim older than this with no outcome belongs to a process that died mid-charge; look it up.</summary>
    public static readonly TimeSpan StaleClaim = TimeSpan.FromMinutes(10);

    public string MerchantUidFor(long subscriptionId, string period) =>
        options.Value.RenewalPrefix + subscriptionId.ToString(CultureInfo.InvariantCulture) + "_" + period;

    public async Task<RenewalReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var report = new Counts();
        await ReconcileAsync(report, cancellationToken);

        foreach (var subscription in store.ListDueSubscriptions(ShopClock.Today(time)))
        {
            var dueOn = subscription.NextChargeOn!.Value;
            string period = ShopStore.Period(dueOn);
            string merchantUid = MerchantUidFor(subscription.Id, period);
            if (!store.TryClaimPeriod(subscription.Id, period, dueOn, merchantUid, subscription.Amount))
            {
                report.Skipped++; // paid, in flight elsewhere, or waiting to be reconciled
                continue;
            }

            await ChargeAsync(subscription, merchantUid, report, cancellationToken);
        }

        var result = report.ToReport();
        logger.RenewalRun(result);
        return result;
    }

    private async Task ChargeAsync(Subscription subscription, string merchantUid, Counts report, CancellationToken cancellationToken)
    {
        ChargeResult result;
        try
        {
            result = await client.ChargeBillingKeyAsync(new ChargeRequest
            {
                CustomerUid = subscription.CustomerUid!,
                MerchantUid = merchantUid,
                Amount = subscription.Amount,
                Name = subscription.PlanName,
                BuyerName = options.Value.BuyerName,
                BuyerTel = options.Value.BuyerTel,
                NoticeUrl = options.Value.NoticeUrl,
            }, cancellationToken);
        }
        catch (IamportOutcomeUnknownException)
        {
            // The card may have been charged. Do not resend: the next run looks the merchant_uid up.
            logger.RenewalUnknown(merchantUid);
            store.MarkChargeNotPaid(merchantUid, ChargeStatus.Unknown, null, "outcome unknown; looked up on the next run");
            report.Unknown++;
            return;
        }
        catch (IamportException ex)
        {
            // Refused before approval (unknown key, merchant_uid already paid, ...): nothing was charged by this call.
            // If the merchant_uid is already paid (an earlier try), record that instead.
            if (await FindPaidAsync(merchantUid, cancellationToken) is { } paid)
            {
                store.MarkChargePaid(merchantUid, paid.ImpUid);
                report.Reconciled++;
                return;
            }

            logger.RenewalRefused(merchantUid, ex.Code);
            store.MarkChargeNotPaid(merchantUid, ChargeStatus.Failed, null, ex.ApiMessage ?? "refused by I'mport");
            report.Failed++;
            return;
        }

        switch (result.Outcome)
        {
            case ChargeOutcome.Approved:
                store.MarkChargePaid(merchantUid, result.Payment!.ImpUid);
                report.Approved++;
                break;
            case ChargeOutcome.Declined:
                logger.RenewalDeclined(merchantUid);
                store.MarkChargeNotPaid(merchantUid, ChargeStatus.Declined, result.Payment?.ImpUid, result.FailReason ?? "declined");
                report.Declined++;
                break;
            default:
                store.MarkChargeNotPaid(merchantUid, ChargeStatus.NotCharged, null, null);
                report.NotCharged++;
                break;
        }
    }

    private async Task<Payment?> FindPaidAsync(string merchantUid, CancellationToken cancellationToken)
    {
        try
        {
            return await client.FindPaymentAsync(merchantUid, PaymentStatus.Paid, cancellationToken: cancellationToken);
        }
        catch (IamportException)
        {
            return null; // a later run tries again: a failed claim may be claimed again
        }
    }

    private async Task ReconcileAsync(Counts report, CancellationToken cancellationToken)
    {
        foreach (var charge in store.ListUnresolvedCharges(StaleClaim))
        {
            Payment? payment;
            try
            {
                payment = await client.FindPaymentAsync(charge.MerchantUid, cancellationToken: cancellationToken);
            }
            catch (IamportException)
            {
                continue; // still unknown; try again next run
            }

            if (payment is null)
            {
                store.MarkChargeNotPaid(charge.MerchantUid, ChargeStatus.NotCharged, null, null);
            }
            else if (payment.Status == PaymentStatus.Paid)
            {
                store.MarkChargePaid(charge.MerchantUid, payment.ImpUid);
            }
            else if (payment.Status == PaymentStatus.Failed)
            {
                store.MarkChargeNotPaid(charge.MerchantUid, ChargeStatus.Declined, payment.ImpUid, payment.FailReason);
            }
            else
            {
                continue;
            }

            report.Reconciled++;
        }
    }

    private sealed class Counts
    {
        public int Approved;
        public int Declined;
        public int NotCharged;
        public int Unknown;
        public int Failed;
        public int Skipped;
        public int Reconciled;

        public RenewalReport ToReport() => new(Approved, Declined, NotCharged, Unknown, Failed, Skipped, Reconciled);
    }
}

/// <summary>Runs <see cref="RenewalJob"/> at start and then every <see cref="ShopOptions.RenewalInterval"/>.</summary>
public sealed class RenewalWorker(IServiceScopeFactory scopes, IOptions<ShopOptions> options, TimeProvider time, ILogger<RenewalWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RenewalWorkerEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.RenewalInterval, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<RenewalJob>().RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.RenewalRunFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
