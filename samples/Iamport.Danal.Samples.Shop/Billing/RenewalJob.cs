using System.Data.Common;
using System.Globalization;
using System.Threading.Channels;
using Iamport.Danal.Samples.Shop.Data;
using Microsoft.Extensions.Options;

namespace Iamport.Danal.Samples.Shop.Billing;

/// <summary>What became of one claimed period.</summary>
public enum RenewalOutcome
{
    Approved,
    Declined,
    NotCharged,
    Unknown,
    Failed,

    /// <summary>Found paid by a look-up (an earlier try's charge), not charged again.</summary>
    Reconciled,

    /// <summary>Claimed but never sent because the run was stopping; given back for the next run.</summary>
    Released,

    /// <summary>An unexpected error after the claim; the claim stays and is looked up once it is stale.</summary>
    Error,

    /// <summary>Paid at I'mport, but not as asked (another amount or customer_uid): recorded as not paid and flagged for
    /// the operator; never charged again by itself.</summary>
    Mismatched,
}

public sealed record RenewalReport(int Approved, int Declined, int NotCharged, int Unknown, int Failed, int Reconciled, int Released, int Errors, int Mismatched = 0)
{
    public override string ToString() =>
        $"approved {Approved}, declined {Declined}, not charged {NotCharged}, unknown {Unknown}, failed {Failed}, reconciled {Reconciled}, released {Released}, errors {Errors}, mismatched {Mismatched}";
}

/// <summary>Charges every due subscription once per period, with bounded concurrency, however many shop processes run
/// it at the same time.</summary>
/// <remarks>
/// <para>Due periods are claimed in the store in batches of <see cref="ShopOptions.RenewalConcurrency"/> before they
/// are charged; a claim is a row with UNIQUE(subscription, period), so no other process can claim the period again.
/// The merchant_uid is derived from the subscription and the period (<c>sub42_202611</c>), so a period is one order at
/// I'mport too (whether its REST API refuses a merchant_uid that is already paid is undocumented: not relied on). All
/// charges share the one access token of the process.</para>
/// <para>A charge once sent is awaited to its outcome, even when the run is stopping: cancelling it would leave it
/// unknown. A stopping run sends nothing new and gives its unsent claims back. A reply that was lost is left
/// <c>unknown</c> and looked up by merchant_uid on the next run, never sent again blindly.</para>
/// <para>Claims are leases of <see cref="ShopOptions.RenewalLease"/>, renewed every sixth of it while the run works,
/// and kept on the database's clock. A claim whose lease ran out (its process died, or lost the database for longer)
/// is looked up by the next run of any process, at its start and again at its end, never charged again blindly. A
/// claim is sent only while its lease was confirmed less than two thirds of a lease ago, so no charge leaves on a
/// lease that another process may soon take over.</para>
/// <para>The database may go away mid-run: the store retries transient errors itself, and an outcome learnt from
/// I'mport is kept in memory and written again until the database takes it; the charge is never sent again.</para>
/// <para>A retry of a period (an attempt after not charged, a refusal or a decline) first asks the library's outcome
/// call about the merchant_uid, and charges only when nothing of the period is paid: it never relies on I'mport
/// refusing a merchant_uid that is already paid.</para>
/// </remarks>
public sealed class RenewalJob(
    IIamportClient client,
    IShopStore store,
    IOptions<ShopOptions> options,
    TimeProvider time,
    ILogger<RenewalJob> logger)
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);

    /// <summary>How long an outcome learnt from I'mport is kept in memory while the database does not take it.</summary>
    private static readonly TimeSpan RecordFor = TimeSpan.FromMinutes(10);

    /// <summary>When this run's leases were last confirmed (a timestamp of the job's clock, read before the statement
    /// that confirmed them); 0 until the first claim.</summary>
    private long _leaseConfirmedAt;

    public string MerchantUidFor(long subscriptionId, string period) =>
        options.Value.RenewalPrefix + subscriptionId.ToString(CultureInfo.InvariantCulture) + "_" + period;

    /// <summary>Looks up unresolved charges, then claims and charges due periods until none is left or
    /// <paramref name="stoppingToken"/> is cancelled.</summary>
    public async Task<RenewalReport> RunOnceAsync(CancellationToken stoppingToken = default)
    {
        int concurrency = Math.Max(1, options.Value.RenewalConcurrency);
        var counts = new Counts(time);
        await ReconcileAsync(counts, concurrency, stoppingToken);

        using var runDone = new CancellationTokenSource();
        Task leases = KeepLeasesAsync(runDone.Token);
        try
        {
            // One claimer keeps up to a batch ready while the workers charge, so no worker waits for the store's claim.
            var claimed = Channel.CreateBounded<ClaimedCharge>(new BoundedChannelOptions(concurrency) { SingleWriter = true });
            Task claimer = ClaimAllAsync(claimed.Writer, ShopClock.Today(time), concurrency, counts, stoppingToken);
            await Parallel.ForEachAsync(
                claimed.Reader.ReadAllAsync(CancellationToken.None),
                new ParallelOptions { MaxDegreeOfParallelism = concurrency }, // no token: every claimed period reaches the body
                async (claim, _) => counts.Add(stoppingToken.IsCancellationRequested ? await ReleaseAsync(claim) : await ChargeAsync(claim)));
            await claimer;
        }
        finally
        {
            await runDone.CancelAsync();
            await leases;
        }

        if (!stoppingToken.IsCancellationRequested)
        {
            // Claims of a process that died while this run worked: looked up now rather than by some later run.
            await ReconcileAsync(counts, concurrency, stoppingToken);
        }

        var report = counts.ToReport();
        logger.RenewalRun(report, counts.Elapsed.TotalSeconds, counts.Rate);
        return report;
    }

    /// <summary>Charges one claimed period and records the outcome. Never throws: an unexpected error leaves the claim
    /// for the stale-claim look-up.</summary>
    public async Task<RenewalOutcome> ChargeAsync(ClaimedCharge claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        try
        {
            return await ChargeAndRecordAsync(claim);
        }
        catch (Exception ex)
        {
            logger.RenewalError(claim.MerchantUid, ex);
            return RenewalOutcome.Error;
        }
    }

    private async Task ClaimAllAsync(ChannelWriter<ClaimedCharge> claimed, DateOnly today, int batchSize, Counts counts, CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // As many as can be charged at once: a stopping run then has little to give back. Not cancelled midway:
                // a claim committed but never returned would wait for the stale-claim look-up.
                long confirming = time.GetTimestamp();
                var batch = await store.ClaimDueAsync(today, options.Value.RenewalPrefix, batchSize, CancellationToken.None);
                Interlocked.CompareExchange(ref _leaseConfirmedAt, confirming, 0);
                if (batch.Count == 0)
                {
                    break;
                }

                if (counts.ProgressDue(ProgressEvery))
                {
                    var r = counts.ToReport();
                    logger.RenewalProgress(r.Approved + r.Declined + r.NotCharged + r.Unknown + r.Failed + r.Reconciled, r.Approved, r.Declined, counts.Rate);
                }

                foreach (var claim in batch)
                {
                    await claimed.WriteAsync(claim, CancellationToken.None);
                }
            }

            claimed.Complete();
        }
        catch (Exception ex)
        {
            claimed.Complete(ex); // the workers finish what they hold, then the run fails with this
            throw;
        }
    }

    /// <summary>Renews this process's leases every sixth of a lease until <paramref name="done"/>; a database that is away
    /// is tried again at the next tick (the claims' own lease bridges the gap).</summary>
    private async Task KeepLeasesAsync(CancellationToken done)
    {
        TimeSpan every = options.Value.RenewalLease / 6;
        using var timer = new PeriodicTimer(every > TimeSpan.Zero ? every : TimeSpan.FromMilliseconds(100), time);
        try
        {
            while (await timer.WaitForNextTickAsync(done))
            {
                long confirming = time.GetTimestamp();
                try
                {
                    await store.RenewLeasesAsync(done);
                    Volatile.Write(ref _leaseConfirmedAt, confirming);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Whatever failed, the run goes on: a claim not confirmed in time is given back unsent.
                    logger.RenewalLeaseRetry(ex);
                }
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
            // The run is over: its claims are all settled or given back.
        }
    }

    private async Task<RenewalOutcome> ReleaseAsync(ClaimedCharge claim)
    {
        await store.ReleaseClaimAsync(claim.MerchantUid, CancellationToken.None);
        return RenewalOutcome.Released;
    }

    private async Task<RenewalOutcome> ChargeAndRecordAsync(ClaimedCharge claim)
    {
        ChargeRequest request = RequestFor(claim.MerchantUid, claim.Amount, claim.CustomerUid, claim.PlanName);
        if (claim.Attempt > 1)
        {
            // A retry: an earlier attempt may have been paid after all (its reply lost, its record late). Only when the
            // outcome call finds nothing of the period paid is it charged again.
            switch (await OutcomeAsync(request, claim.PreviousAttemptAt, CancellationToken.None))
            {
                case null:
                    await KeepTryingAsync(claim.MerchantUid, RenewalOutcome.Unknown, () =>
                        store.MarkChargeNotPaidAsync(claim.MerchantUid, claim.Attempt, ChargeStatus.Unknown, null, "결과 확인 중: 다음 실행에서 조회합니다"));
                    return RenewalOutcome.Unknown;
                case { Outcome: ChargeOutcome.Approved or ChargeOutcome.Mismatched } earlier:
                    logger.RenewalRetryFoundPaid(claim.MerchantUid);
                    var (found, _) = await RecordAsync(claim.MerchantUid, claim.Attempt, earlier);
                    return found == RenewalOutcome.Approved ? RenewalOutcome.Reconciled : found;
            }
        }

        // A lease not confirmed for two thirds of its length may be taken over soon: give the claim back rather than send it.
        long confirmed = Volatile.Read(ref _leaseConfirmedAt);
        if (confirmed != 0 && time.GetElapsedTime(confirmed) > options.Value.RenewalLease * 2 / 3)
        {
            logger.RenewalLeaseLost(claim.MerchantUid, time.GetElapsedTime(confirmed).TotalSeconds);
            return await ReleaseAsync(claim);
        }

        ChargeResult result;
        try
        {
            // Sent without the stopping token: once sent, the outcome is awaited (the client has its own timeout).
            result = await client.ChargeBillingKeyAsync(request, CancellationToken.None);
        }
        catch (IamportOutcomeUnknownException)
        {
            // The card may have been charged. Do not resend: the next run looks the merchant_uid up.
            logger.RenewalUnknown(claim.MerchantUid);
            await KeepTryingAsync(claim.MerchantUid, RenewalOutcome.Unknown, () =>
                store.MarkChargeNotPaidAsync(claim.MerchantUid, claim.Attempt, ChargeStatus.Unknown, null, "결과 확인 중: 다음 실행에서 조회합니다"));
            return RenewalOutcome.Unknown;
        }
        catch (IamportException ex)
        {
            // Refused before approval (unknown key, merchant_uid already paid, ...): nothing was charged by this call.
            // An earlier try of the merchant_uid may have been paid: the library's look-up says so (or finds it mismatched).
            if (await OutcomeAsync(request, attemptSentAt: null, CancellationToken.None) is { Outcome: ChargeOutcome.Approved or ChargeOutcome.Mismatched } earlier)
            {
                var (outcome, _) = await RecordAsync(claim.MerchantUid, claim.Attempt, earlier);
                return outcome == RenewalOutcome.Approved ? RenewalOutcome.Reconciled : outcome;
            }

            logger.RenewalRefused(claim.MerchantUid, ex.Code);
            await KeepTryingAsync(claim.MerchantUid, RenewalOutcome.Failed, () =>
                store.MarkChargeRefusedAsync(claim.MerchantUid, ex.ApiMessage ?? "I'mport 가 요청을 거절했습니다", Math.Max(1, options.Value.MaxRefusedTries)));
            return RenewalOutcome.Failed;
        }

        return (await RecordAsync(claim.MerchantUid, claim.Attempt, result)).Outcome;
    }

    /// <summary>Records what the library classified about attempt <paramref name="attempt"/>, from a charge's answer or a
    /// look-up: the one place a charge's outcome becomes the charge's status. Paid is recorded whatever the attempt; any
    /// other outcome only while the period is still on that attempt (a look-up that read the period before a retry claimed
    /// it must not make the retry's claim declined again, or dunning would charge it beside the retry). The outcome is
    /// kept until the database takes it (<see cref="KeepTryingAsync{T}"/>). <c>Recorded</c>: this call changed the
    /// charge (not another path before it).</summary>
    private async Task<(RenewalOutcome Outcome, bool Recorded)> RecordAsync(string merchantUid, int attempt, ChargeResult result, CancellationToken cancellationToken = default)
    {
        switch (result.Outcome)
        {
            case ChargeOutcome.Approved:
                bool paid = await KeepTryingAsync(merchantUid, RenewalOutcome.Approved, () => store.MarkChargePaidAsync(merchantUid, result.Payment!.ImpUid, cancellationToken));
                if (result.Payment!.ReceiptUrl is { Length: > 0 } receipt)
                {
                    await KeepTryingAsync(merchantUid, RenewalOutcome.Approved, () => store.RecordReceiptAsync(merchantUid, receipt, cancellationToken));
                }

                return (RenewalOutcome.Approved, paid);
            case ChargeOutcome.Declined:
                logger.RenewalDeclined(merchantUid);
                return (RenewalOutcome.Declined, await KeepTryingAsync(merchantUid, RenewalOutcome.Declined, () =>
                    store.MarkChargeNotPaidAsync(merchantUid, attempt, ChargeStatus.Declined, result.Payment?.ImpUid, result.FailReason ?? "승인 거절", cancellationToken)));
            case ChargeOutcome.Mismatched:
                // Money moved, but not as asked: neither paid nor chargeable again until the operator looks at it.
                logger.RenewalMismatched(merchantUid, result.Payment!.ImpUid);
                return (RenewalOutcome.Mismatched, await KeepTryingAsync(merchantUid, RenewalOutcome.Mismatched, () =>
                    store.MarkChargeMismatchedAsync(merchantUid, attempt, result.Payment.ImpUid, MismatchReason(result.Payment), cancellationToken)));
            default:
                return (RenewalOutcome.NotCharged, await KeepTryingAsync(merchantUid, RenewalOutcome.NotCharged, () =>
                    store.MarkChargeNotPaidAsync(merchantUid, attempt, ChargeStatus.NotCharged, null, null, cancellationToken)));
        }
    }

    /// <summary>Writes an outcome learnt from I'mport, again and again while the database is away (the store already
    /// retried each time for <see cref="SqlShopStore.RetryFor"/>), for up to <see cref="RecordFor"/>: the outcome
    /// lives in memory meanwhile, and the charge is never sent again. Past that the claim's lease runs out and the
    /// look-up of whoever takes it over records it.</summary>
    private async Task<T> KeepTryingAsync<T>(string merchantUid, RenewalOutcome outcome, Func<Task<T>> write)
    {
        long started = TimeProvider.System.GetTimestamp();
        var pause = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                return await write();
            }
            catch (DbException ex) when (TimeProvider.System.GetElapsedTime(started) < RecordFor)
            {
                logger.RenewalRecordRetry(merchantUid, outcome, ex);
                await Task.Delay(pause, CancellationToken.None);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private Task<bool> KeepTryingAsync(string merchantUid, RenewalOutcome outcome, Func<Task> write) =>
        KeepTryingAsync(merchantUid, outcome, async () =>
        {
            await write();
            return true;
        });

    private static string MismatchReason(Payment payment) =>
        "결제 정보 불일치 (운영자 확인 필요): I'mport 결제 " + payment.Amount.ToString("#,0", CultureInfo.InvariantCulture) + "원";

    private ChargeRequest RequestFor(string merchantUid, long amount, string customerUid, string planName) => new()
    {
        CustomerUid = customerUid,
        MerchantUid = merchantUid,
        Amount = amount,
        Name = planName,
        BuyerName = options.Value.BuyerName,
        BuyerPhone = options.Value.BuyerPhone,
        NoticeUrl = options.Value.NoticeUrl,
    };

    /// <summary>The library's outcome call; <see langword="null"/> while the outcome cannot be learnt (ask again later).</summary>
    private async Task<ChargeResult?> OutcomeAsync(ChargeRequest request, DateTimeOffset? attemptSentAt, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetChargeOutcomeAsync(request, attemptSentAt, cancellationToken);
        }
        catch (IamportException)
        {
            return null; // outcome unknown (IamportOutcomeUnknownException) or refused: a later run asks again
        }
    }

    private async Task ReconcileAsync(Counts counts, int concurrency, CancellationToken stoppingToken)
    {
        var unresolved = await store.ListUnresolvedChargesAsync(stoppingToken);
        try
        {
            await Parallel.ForEachAsync(unresolved, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = stoppingToken }, async (charge, ct) =>
            {
                if (await ReconcileAsync(charge, ct) is { } outcome)
                {
                    counts.Add(outcome == RenewalOutcome.Mismatched ? outcome : RenewalOutcome.Reconciled);
                }
            });
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Look-ups only read: what was not looked up is looked up by the next run.
        }
    }

    /// <summary>Learns what became of a charge whose outcome the shop does not know (unknown, a stale claim, or named
    /// by a webhook) through the library's outcome call, and records it. <see langword="null"/>: still unknown, or
    /// recorded by another path meanwhile (a copy of the webhook, another instance's pass): only the call that recorded
    /// it reports it, so a period is counted once however many paths learn it.</summary>
    /// <remarks>Only a record of this attempt decides: an earlier attempt of the same merchant_uid (a declined month
    /// being paid again) is older than the attempt's claim.</remarks>
    public Task<RenewalOutcome?> ReconcileAsync(Charge charge, CancellationToken cancellationToken) =>
        ReconcileAsync(charge, fromWebhook: false, cancellationToken);

    /// <summary>As <see cref="ReconcileAsync(Charge, CancellationToken)"/>, for a webhook naming the charge's order: a
    /// payment exists, so "not charged" (no record of this attempt, say an earlier attempt's late webhook) is never
    /// concluded from it; the renewal run and the stale-claim look-up decide that.</summary>
    public Task<RenewalOutcome?> SettleFromWebhookAsync(Charge charge, CancellationToken cancellationToken) =>
        ReconcileAsync(charge, fromWebhook: true, cancellationToken);

    private async Task<RenewalOutcome?> ReconcileAsync(Charge charge, bool fromWebhook, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charge);
        // A period I'mport's scheduler charged was charged on the key it was registered on, even if the card changed since,
        // and whether or not another path has recorded it meanwhile; a retry after a declined run (attempt 2 on) is charged
        // on the subscription's key of the time.
        string? scheduledKey = charge.Attempts == 1 ? await store.FindScheduledKeyAsync(charge.MerchantUid, cancellationToken) : null;
        if (await store.FindSubscriptionAsync(charge.SubscriptionId, cancellationToken) is not { } subscription
            || (scheduledKey ?? subscription.CustomerUid) is not { } customerUid)
        {
            return null; // the card was removed meanwhile: nothing to compare the payment with; the operator sees it unknown
        }

        var request = RequestFor(charge.MerchantUid, charge.Amount, customerUid, subscription.PlanName);
        return await OutcomeAsync(request, charge.ClaimedAt, cancellationToken) is { } result
               && !(fromWebhook && result.Outcome == ChargeOutcome.NotCharged)
               && await RecordAsync(charge.MerchantUid, charge.Attempts, result, CancellationToken.None) is (var outcome, Recorded: true)
            ? outcome
            : null;
    }

    /// <summary>The run's counts, updated by every worker at once.</summary>
    private sealed class Counts(TimeProvider time)
    {
        private readonly int[] _byOutcome = new int[Enum.GetValues<RenewalOutcome>().Length];
        private readonly long _started = time.GetTimestamp();
        private long _lastProgress = time.GetTimestamp();

        public TimeSpan Elapsed => time.GetElapsedTime(_started);

        /// <summary>Periods settled per second (charged, declined, refused or found paid).</summary>
        public double Rate
        {
            get
            {
                var r = ToReport();
                double seconds = Elapsed.TotalSeconds;
                return seconds <= 0 ? 0 : (r.Approved + r.Declined + r.NotCharged + r.Unknown + r.Failed + r.Reconciled) / seconds;
            }
        }

        public void Add(RenewalOutcome outcome) => Interlocked.Increment(ref _byOutcome[(int)outcome]);

        public bool ProgressDue(TimeSpan every)
        {
            long last = Interlocked.Read(ref _lastProgress);
            return time.GetElapsedTime(last) >= every && Interlocked.CompareExchange(ref _lastProgress, time.GetTimestamp(), last) == last;
        }

        public RenewalReport ToReport()
        {
            int Of(RenewalOutcome o) => Volatile.Read(ref _byOutcome[(int)o]);
            return new(Of(RenewalOutcome.Approved), Of(RenewalOutcome.Declined), Of(RenewalOutcome.NotCharged), Of(RenewalOutcome.Unknown),
                Of(RenewalOutcome.Failed), Of(RenewalOutcome.Reconciled), Of(RenewalOutcome.Released), Of(RenewalOutcome.Error), Of(RenewalOutcome.Mismatched));
        }
    }
}

/// <summary>Runs the <see cref="Sweep"/>, <see cref="RenewalJob"/> and <see cref="Dunning"/> at start and then every <see cref="ShopOptions.RenewalInterval"/>; on
/// shutdown the running pass finishes the charges it sent and gives back the rest.</summary>
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
                await scope.ServiceProvider.GetRequiredService<Sweep>().RunOnceAsync(stoppingToken);
                await scope.ServiceProvider.GetRequiredService<ScheduleEngine>().RunOnceAsync(stoppingToken);
                await scope.ServiceProvider.GetRequiredService<RenewalJob>().RunOnceAsync(stoppingToken);
                await scope.ServiceProvider.GetRequiredService<Dunning>().RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.RenewalRunFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
