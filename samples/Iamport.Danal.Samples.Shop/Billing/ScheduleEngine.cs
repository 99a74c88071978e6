using Iamport.Danal.Samples.Shop.Data;
using Microsoft.Extensions.Options;

namespace Iamport.Danal.Samples.Shop.Billing;

/// <summary>What one reconciliation pass repaired.</summary>
/// <param name="Recorded">Periods I'mport ran whose outcome the shop had not recorded (a lost webhook).</param>
/// <param name="Registered">Periods with no schedule that were registered (a lost registration, a new period, an engine switch).</param>
/// <param name="Revoked">Schedules taken off a key the subscription no longer bills (or, on the job engine, handed back to the job).</param>
public sealed record ScheduleReport(int Recorded, int Registered, int Revoked)
{
    public override string ToString() => $"recorded {Recorded}, registered {Registered}, revoked {Revoked}";
}

/// <summary>Renewals through I'mport's scheduler (<c>Shop:RenewalEngine=Scheduler</c>): each period is registered once,
/// I'mport charges it, its webhook is verified through the library's outcome call and recorded, then the next period is
/// registered. A daily <see cref="RunOnceAsync"/> repairs what webhooks missed.</summary>
/// <remarks>
/// <para>A period is one charge row, UNIQUE(subscription, period), as with the job: registering inserts it in status
/// <c>scheduled</c> (a compare-and-set: nobody else registers that period) with the key it is registered on, and only
/// then asks I'mport, with the job's merchant_uid <c>sub{id}_{yyyyMM}</c>, so a second registration is refused there
/// too; until its registrar has I'mport's answer the row is <see cref="ScheduledCharge.Registering"/>, and nobody else
/// moves it. The row leaves <c>scheduled</c> only by the guarded transitions of the job (paid, declined, mismatched),
/// or by being dropped once I'mport says the schedule is revoked or was never made; so a period is charged by I'mport
/// or by the job, never both.</para>
/// <para>A decline makes the subscription past due and follows <see cref="Dunning"/> (charged again now, at each
/// retry time, by the job's path). A card change or an ended subscription retires the old key: before it is deleted,
/// its pending schedules are revoked (<see cref="RevokeKeyAsync"/>), and the period is registered again on the new key.
/// A schedule I'mport runs meanwhile is recorded from its webhook on the key it ran on.</para>
/// </remarks>
public sealed class ScheduleEngine(IIamportClient client, IShopStore store, RenewalJob renewals, IOptions<ShopOptions> options, TimeProvider time, ILogger<ScheduleEngine> logger)
{
    /// <summary>How far ahead a period already due is scheduled (I'mport takes only future times).</summary>
    private static readonly TimeSpan Lead = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan Kst = TimeSpan.FromHours(9);

    public bool Enabled => options.Value.RenewalEngine == RenewalEngine.Scheduler;

    /// <summary>When a period due on <paramref name="dueOn"/> is charged: 09:00 in Korea that day, or a minute from now
    /// when that has passed.</summary>
    public DateTimeOffset ScheduleAtFor(DateOnly dueOn)
    {
        var at = new DateTimeOffset(dueOn.ToDateTime(new TimeOnly(9, 0)), Kst);
        var soonest = time.GetUtcNow() + Lead;
        return at > soonest ? at : soonest;
    }

    /// <summary>Registers the subscription's next period at I'mport, once (nothing when it is scheduled or charged
    /// already, or the subscription does not bill). <see langword="true"/>: this call registered it.</summary>
    public async Task<bool> ScheduleNextAsync(long subscriptionId, CancellationToken cancellationToken = default)
    {
        if (await store.FindSubscriptionAsync(subscriptionId, cancellationToken) is not
            { Status: SubscriptionStatus.Active, CustomerUid: { } key, NextChargeOn: { } due } subscription)
        {
            return false;
        }

        string merchantUid = renewals.MerchantUidFor(subscription.Id, ShopClock.Period(due));
        if (!await store.AddScheduledChargeAsync(subscription.Id, due, merchantUid, key, cancellationToken))
        {
            return false; // scheduled (or charged) by someone else, or the card changed meanwhile
        }

        bool? atIamport;
        try
        {
            atIamport = await RegisterAsync(subscription, merchantUid, key);
        }
        finally
        {
            // Done asking I'mport, before looking at the subscription again below: a card change that retires the key
            // after this either sees the row (and moves it) or is seen here.
            await store.EndRegistrationAsync(merchantUid, CancellationToken.None);
        }

        if (atIamport is null)
        {
            return true; // the row stays scheduled; the reconciliation asks I'mport
        }

        if (atIamport == false)
        {
            // Refused and free again. Refused because the card changed meanwhile (the old key deleted): the period belongs on the new key.
            return await store.FindSubscriptionAsync(subscriptionId, CancellationToken.None) is { CustomerUid: { } current } && current != key
                && await ScheduleNextAsync(subscriptionId, cancellationToken);
        }

        // The card may have changed (or the subscription ended) while this registered: then the new schedule is moved off the old key.
        if (await store.FindSubscriptionAsync(subscriptionId, CancellationToken.None) is not { Status: SubscriptionStatus.Active } now || now.CustomerUid != key)
        {
            await RevokeAsync(new ScheduledCharge(subscriptionId, merchantUid, due, subscription.Amount, key, null), CancellationToken.None);
        }

        return true;
    }

    /// <summary>Asks I'mport to schedule the period registered in the store. <see langword="true"/>: pending at I'mport
    /// (by this call, or an earlier try whose answer was lost); <see langword="false"/>: refused and nothing pending or
    /// run, so the row is dropped (the period is free again); <see langword="null"/>: unknown.</summary>
    private async Task<bool?> RegisterAsync(Subscription subscription, string merchantUid, string key)
    {
        var at = ScheduleAtFor(subscription.NextChargeOn!.Value);
        try
        {
            await client.ScheduleAsync(key, [new ScheduleRequest
            {
                MerchantUid = merchantUid,
                ScheduleAt = at,
                Amount = subscription.Amount,
                Name = subscription.PlanName,
                BuyerName = options.Value.BuyerName,
                BuyerPhone = options.Value.BuyerPhone,
                NoticeUrl = options.Value.NoticeUrl,
            }], CancellationToken.None);
            logger.ScheduleRegistered(merchantUid, at);
            return true;
        }
        catch (IamportOutcomeUnknownException)
        {
            logger.ScheduleUnknown(merchantUid);
            return null;
        }
        catch (IamportException ex)
        {
            // Refused. Registered already (an earlier try whose answer was lost) or run already: the row stands. Only when
            // I'mport says there is nothing pending or run is the period free again; a failed look-up leaves it to the reconciliation.
            Schedule? found;
            try
            {
                found = await client.GetScheduleAsync(merchantUid, CancellationToken.None);
            }
            catch (IamportException)
            {
                return null;
            }

            if (found is not null && found.ScheduleStatus != ScheduleStatus.Revoked)
            {
                return true;
            }

            logger.ScheduleRefused(merchantUid, ex.Code?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await store.DropScheduledChargeAsync(merchantUid, key, CancellationToken.None);
            return false;
        }
    }

    /// <summary>What follows a scheduled period's recorded outcome: paid, the next period is registered; declined, the
    /// period's dunning opens now (so the customer's page shows the next retry at once, not after the next pass).</summary>
    public async Task AfterSettledAsync(long subscriptionId, RenewalOutcome? outcome, CancellationToken cancellationToken = default)
    {
        if (outcome == RenewalOutcome.Declined)
        {
            await store.OpenDunningAsync(cancellationToken);
            return;
        }

        await ScheduleNextAsync(subscriptionId, cancellationToken);
    }

    /// <summary>Revokes every pending schedule of a key about to be deleted, and registers its periods again on the
    /// subscription's key of now (if it still bills). <see langword="false"/>: I'mport's answer is unknown; do not delete the key yet.</summary>
    public async Task<bool> RevokeKeyAsync(string customerUid, CancellationToken cancellationToken = default)
    {
        bool done = true;
        // A period still being registered on the key is left to its registrar: once I'mport answers, it sees the key
        // retired and moves the schedule itself (revoking now could find nothing yet, and drop a row I'mport then takes).
        foreach (var scheduled in (await store.ListScheduledChargesAsync(null, cancellationToken)).Where(s => s.CustomerUid == customerUid && !s.Registering))
        {
            done &= await RevokeAsync(scheduled, cancellationToken) is not null;
        }

        return done;
    }

    /// <summary>Takes one schedule off its key: revoked at I'mport, then the row dropped and the period registered again
    /// where it now belongs. A schedule that ran meanwhile stays, for its webhook. <see langword="null"/>: unknown (ask again later).</summary>
    private async Task<bool?> RevokeAsync(ScheduledCharge scheduled, CancellationToken cancellationToken)
    {
        try
        {
            await client.UnscheduleAsync(scheduled.CustomerUid, [scheduled.MerchantUid], CancellationToken.None);
        }
        catch (IamportException ex) when (ex is not IamportOutcomeUnknownException)
        {
            // Refused: nothing pending under that merchant_uid (run, revoked already, or never made). The look-up says which.
        }
        catch (IamportOutcomeUnknownException)
        {
            return null;
        }

        Schedule? found;
        try
        {
            found = await client.GetScheduleAsync(scheduled.MerchantUid, CancellationToken.None);
        }
        catch (IamportException)
        {
            return null;
        }

        if (found?.ScheduleStatus == ScheduleStatus.Executed)
        {
            if (await store.FindChargeAsync(scheduled.MerchantUid, cancellationToken) is { } charge)
            {
                await renewals.SettleFromWebhookAsync(charge, cancellationToken);
            }

            return false;
        }

        if (found?.ScheduleStatus == ScheduleStatus.Scheduled && found.CustomerUid == scheduled.CustomerUid)
        {
            return null; // still pending on the old key: try again
        }

        // Revoked, or never made: the period is free again, and registered where it now belongs.
        if (await store.DropScheduledChargeAsync(scheduled.MerchantUid, scheduled.CustomerUid, CancellationToken.None))
        {
            logger.ScheduleRevoked(scheduled.MerchantUid);
            if (Enabled)
            {
                await ScheduleNextAsync(scheduled.SubscriptionId, cancellationToken);
            }
        }

        return true;
    }

    /// <summary>The daily reconciliation. On the scheduler: lists I'mport's schedules of the period (merchant-wide, by
    /// status), records what ran without a recorded outcome, moves schedules off keys no longer billed, registers
    /// periods with no schedule. On the job: hands every period still scheduled at I'mport back to the job (revoked
    /// first, so nothing is charged by both).</summary>
    public async Task<ScheduleReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        int recorded = 0, registered = 0, revoked = 0;
        var rows = await store.ListScheduledChargesAsync(null, cancellationToken);
        var atIamport = Enabled && rows.Count > 0 ? await ListAtIamportAsync(rows, cancellationToken) : [];

        // Side by side, as the job charges: after a day of lost webhooks each repair waits on I'mport, one at a time would take hours.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.RenewalConcurrency) };
        await Parallel.ForEachAsync(rows, parallel, async (row, _) =>
        {
            if (cancellationToken.IsCancellationRequested || row.Registering)
            {
                return; // a registration on its way to I'mport is its registrar's (one that died is repaired once its lease runs out)
            }

            var subscription = await store.FindSubscriptionAsync(row.SubscriptionId, cancellationToken);
            bool billsThisKey = subscription is { Status: SubscriptionStatus.Active or SubscriptionStatus.PastDue } && subscription.CustomerUid == row.CustomerUid;
            if (!atIamport.TryGetValue(row.MerchantUid, out var schedule))
            {
                try
                {
                    schedule = await client.GetScheduleAsync(row.MerchantUid, CancellationToken.None);
                }
                catch (IamportException)
                {
                    return; // I'mport did not answer: the next pass asks again
                }
            }

            if (schedule?.ScheduleStatus == ScheduleStatus.Executed)
            {
                // Ran, and its webhook never reached us: the outcome call decides, exactly as for the webhook.
                var charge = await store.FindChargeAsync(row.MerchantUid, cancellationToken);
                if (charge is not null && await renewals.SettleFromWebhookAsync(charge, cancellationToken) is not null)
                {
                    Interlocked.Increment(ref recorded);
                }
            }
            else if (!Enabled || !billsThisKey || schedule is null || schedule.ScheduleStatus == ScheduleStatus.Revoked)
            {
                if (await RevokeAsync(row, cancellationToken) == true)
                {
                    Interlocked.Increment(ref revoked);
                }
            }
        });

        if (Enabled)
        {
            await Parallel.ForEachAsync(await store.ListUnscheduledAsync(cancellationToken), parallel, async (subscription, _) =>
            {
                if (!cancellationToken.IsCancellationRequested && await ScheduleNextAsync(subscription.Id, cancellationToken))
                {
                    Interlocked.Increment(ref registered);
                }
            });
        }

        var report = new ScheduleReport(recorded, registered, revoked);
        if (report != new ScheduleReport(0, 0, 0))
        {
            logger.ScheduleReconciled(report);
            await store.RecordScheduleRepairAsync(recorded, registered, revoked, CancellationToken.None); // shown on the operator page
        }

        return report;
    }

    /// <summary>I'mport's schedules around the periods the shop holds as scheduled, merchant-wide, newest state by merchant_uid.</summary>
    private async Task<Dictionary<string, Schedule>> ListAtIamportAsync(IReadOnlyList<ScheduledCharge> rows, CancellationToken cancellationToken)
    {
        var from = new DateTimeOffset(rows.Min(r => r.DueOn).ToDateTime(TimeOnly.MinValue), Kst);
        var until = new DateTimeOffset(rows.Max(r => r.DueOn).AddDays(1).ToDateTime(TimeOnly.MinValue), Kst);
        var latest = time.GetUtcNow() + Lead + TimeSpan.FromMinutes(1);
        until = until > latest ? until : latest;
        var found = new Dictionary<string, Schedule>(StringComparer.Ordinal);
        try
        {
            for (var start = from; start < until; start = start.AddMonths(2))
            {
                var end = start.AddMonths(2) < until ? start.AddMonths(2) : until;
                await foreach (var page in client.GetSchedulesAsync(start, end, cancellationToken: cancellationToken).AsPages(pageSizeHint: 1000))
                {
                    foreach (var schedule in page.Items)
                    {
                        found.TryAdd(schedule.MerchantUid, schedule);
                    }
                }
            }
        }
        catch (IamportException)
        {
            found.Clear(); // each row is looked up on its own instead
        }

        return found;
    }
}
