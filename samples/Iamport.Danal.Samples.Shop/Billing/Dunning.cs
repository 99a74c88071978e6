using System.Globalization;
using Iamport.Danal.Samples.Shop.Data;
using Microsoft.Extensions.Options;

namespace Iamport.Danal.Samples.Shop.Billing;

/// <summary>What one dunning pass did.</summary>
/// <param name="Stopped">Subscriptions made past due because their period was refused <see cref="ShopOptions.MaxRefusedTries"/> times.</param>
/// <param name="Retried">Automatic retries charged.</param>
/// <param name="Paid">Of those, paid (or found paid).</param>
/// <param name="Cancelled">Subscriptions cancelled because the last retry failed too.</param>
public sealed record DunningReport(int Stopped, int Retried, int Paid, int Cancelled)
{
    public override string ToString() => $"stopped {Stopped}, retried {Retried}, paid {Paid}, cancelled {Cancelled}";
}

/// <summary>Dunning: a past-due period is charged again on <see cref="ShopOptions.DunningSchedule"/> (by default 1, 3 and 7
/// days after it went past due); when the last retry fails too, the subscription is cancelled, its card deleted, and
/// the customer's page says so. Runs after every renewal run (the worker, the <c>renew</c> command, 정기결제 지금 실행).</summary>
/// <remarks>
/// <para>Each retry is taken in the store first, together with the claim of its period (one guarded update per retry
/// number, one transaction), so processes running dunning at the same moment never charge one retry twice, and none
/// cancels while another's last retry is on its way. It is charged through the renewal's own path
/// (<see cref="RenewalJob.ChargeAsync"/>), the same as the customer's 다시 결제: same merchant_uid, same recording of the
/// outcome. A customer who pays meanwhile simply leaves nothing to claim.</para>
/// <para>A refusal before approval (an unknown key, say) is claimed again by the next renewal runs, but only
/// <see cref="ShopOptions.MaxRefusedTries"/> times: the try that reaches it makes the subscription past due in the same
/// transaction (<see cref="IShopStore.MarkChargeRefusedAsync"/>), so no concurrent run claims it once more, and it
/// follows this schedule. Each pass also applies the bound to what is already stored (a bound lowered in the settings).</para>
/// </remarks>
public sealed class Dunning(IShopStore store, RenewalJob renewals, CheckoutService checkouts, ScheduleEngine schedules, IOptions<ShopOptions> options, TimeProvider time, ILogger<Dunning> logger)
{
    /// <summary>Applies the bound on refused periods, then takes every automatic retry that is due and cancels what the
    /// last retry did not save.</summary>
    public async Task<DunningReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var schedule = Schedule(options.Value.DunningSchedule);
        int stopped = await store.StopRefusedChargesAsync(Math.Max(1, options.Value.MaxRefusedTries), cancellationToken);
        int retried = 0, paid = 0, cancelled = 0;
        if (schedule.Count == 0)
        {
            return Report(new DunningReport(stopped, 0, 0, 0));
        }

        foreach (var due in await store.OpenDunningAsync(cancellationToken))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            if (due.SubscriptionStatus != SubscriptionStatus.PastDue)
            {
                await store.CloseDunningAsync(due.MerchantUid, cancellationToken); // paid by the customer, or ended otherwise
                continue;
            }

            if (due.ChargeStatus is not (ChargeStatus.Declined or ChargeStatus.Failed))
            {
                continue; // being charged or looked up right now: the next pass sees its outcome
            }

            int retries = due.Retries;
            if (retries < schedule.Count)
            {
                if (time.GetUtcNow() < due.FailedAt + schedule[retries]
                    || await store.TakeDunningRetryAsync(due.MerchantUid, due.SubscriptionId, retries, cancellationToken) is not { } claim)
                {
                    continue; // not yet, another process took this retry, or the customer is paying it right now
                }

                retries++;
                retried++;
                var outcome = await renewals.ChargeAsync(claim);
                logger.DunningRetried(due.MerchantUid, retries, outcome);
                if (outcome is RenewalOutcome.Approved or RenewalOutcome.Reconciled)
                {
                    paid++;
                    await store.CloseDunningAsync(due.MerchantUid, cancellationToken);
                    if (schedules.Enabled)
                    {
                        await schedules.ScheduleNextAsync(due.SubscriptionId, cancellationToken); // back on I'mport's scheduler
                    }

                    continue;
                }

                if (outcome is not (RenewalOutcome.Declined or RenewalOutcome.Failed) || retries < schedule.Count)
                {
                    continue;
                }
            }

            // The last retry failed too: the subscription ends.
            if (await store.CancelAfterDunningAsync(due.MerchantUid, cancellationToken) is { } retiredKey)
            {
                cancelled++;
                logger.DunningCancelled(due.MerchantUid, retries);
                await checkouts.DeleteRetiredKeyAsync(retiredKey, cancellationToken);
            }
        }

        return Report(new DunningReport(stopped, retried, paid, cancelled));
    }

    /// <summary>When the next automatic retry of <paramref name="state"/> is due; <see langword="null"/> when none is left.</summary>
    public static DateTimeOffset? NextRetryAt(DunningState state, IReadOnlyList<TimeSpan> schedule)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(schedule);
        return state.Status == DunningState.Open && state.Retries < schedule.Count ? state.FailedAt + schedule[state.Retries] : null;
    }

    /// <summary>Parses <see cref="ShopOptions.DunningSchedule"/>: increasing positive durations, comma-separated.</summary>
    /// <exception cref="FormatException">A value that is not a positive duration, or not later than the one before it.</exception>
    public static IReadOnlyList<TimeSpan> Schedule(string? setting)
    {
        var schedule = new List<TimeSpan>();
        foreach (string part in (setting ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TimeSpan.TryParse(part, CultureInfo.InvariantCulture, out var after) || after <= TimeSpan.Zero || (schedule.Count > 0 && after <= schedule[^1]))
            {
                throw new FormatException(
                    $"Shop:DunningSchedule must list increasing positive durations (d.hh:mm:ss), comma-separated, such as \"1.00:00:00, 3.00:00:00, 7.00:00:00\"; \"{part}\" is not one.");
            }

            schedule.Add(after);
        }

        return schedule;
    }

    private DunningReport Report(DunningReport report)
    {
        if (report != new DunningReport(0, 0, 0, 0))
        {
            logger.DunningRun(report);
        }

        return report;
    }
}
