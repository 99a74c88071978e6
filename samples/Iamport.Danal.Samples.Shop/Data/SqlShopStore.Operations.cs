using System.Data.Common;

namespace Iamport.Danal.Samples.Shop.Data;

/// <summary>The store's part for operations: dunning, the bound on refused charges, receipts and the operator's lists.</summary>
public abstract partial class SqlShopStore
{
    /// <summary>The tables of dunning and receipts, created after <see cref="Schema"/>: new tables only, so this block
    /// is one step on its own (run at every start, idempotent) for a database made before it.</summary>
    protected static string OperationsSchema(string wholeNumber, string instant) => $"""
        CREATE TABLE IF NOT EXISTS dunning ( -- automatic retries of a past-due period (Shop:DunningSchedule)
            merchant_uid    TEXT PRIMARY KEY, -- the period's charge
            subscription_id {wholeNumber} NOT NULL REFERENCES subscriptions(id),
            failed_at       {instant} NOT NULL, -- when the period went past due: the schedule counts from here
            retries         INTEGER NOT NULL DEFAULT 0, -- automatic retries taken
            status          TEXT NOT NULL,    -- open, closed (paid or ended otherwise), cancelled (dunning ended the subscription)
            updated_at      {instant} NOT NULL);
        CREATE INDEX IF NOT EXISTS dunning_subscription ON dunning (subscription_id);
        CREATE TABLE IF NOT EXISTS receipts ( -- I'mport's receipt_url of a paid charge
            merchant_uid    TEXT PRIMARY KEY,
            receipt_url     TEXT NOT NULL);
        """;

    public Task<int> StopRefusedChargesAsync(int maxTries, CancellationToken cancellationToken = default) =>
        WriteAsync((c, tx) => ExecuteAsync(c, tx, """
            UPDATE subscriptions SET status = 'past_due'
            WHERE status = 'active' AND EXISTS (
                SELECT 1 FROM charges c WHERE c.subscription_id = subscriptions.id AND c.due_on = subscriptions.next_charge_on
                  AND c.status = 'failed' AND c.attempts >= @max);
            """, cancellationToken, ("@max", maxTries)), cancellationToken);

    public Task MarkChargeRefusedAsync(string merchantUid, string reason, int maxTries, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx) =>
        {
            var refused = await QueryAsync(c, tx, """
                UPDATE charges SET status = 'failed', fail_reason = @reason, updated_at = @now
                WHERE merchant_uid = @m AND status IN ('claimed', 'unknown')
                RETURNING subscription_id, due_on, attempts;
                """, r => (SubscriptionId: r.GetInt64(0), DueOn: r.GetFieldValue<DateOnly>(1), Attempts: r.GetInt32(2)), cancellationToken,
                ("@m", merchantUid), ("@reason", reason), ("@now", Now()));
            if (refused.Count == 1 && refused[0].Attempts >= maxTries)
            {
                await ExecuteAsync(c, tx, "UPDATE subscriptions SET status = 'past_due' WHERE id = @sid AND status = 'active' AND next_charge_on = @due;",
                    cancellationToken, ("@sid", refused[0].SubscriptionId), ("@due", refused[0].DueOn));
            }
        }, cancellationToken);

    public async Task<IReadOnlyList<DunningState>> OpenDunningAsync(CancellationToken cancellationToken = default)
    {
        await WriteAsync((c, tx) => ExecuteAsync(c, tx, """
            INSERT INTO dunning (merchant_uid, subscription_id, failed_at, retries, status, updated_at)
            SELECT c.merchant_uid, c.subscription_id, c.updated_at, 0, 'open', @now
            FROM subscriptions s JOIN charges c ON c.subscription_id = s.id AND c.due_on = s.next_charge_on
            WHERE s.status = 'past_due' AND c.status IN ('declined', 'failed')
            ON CONFLICT (merchant_uid) DO NOTHING;
            """, cancellationToken, ("@now", Now())), cancellationToken);
        return await QueryDunningAsync("WHERE d.status = 'open' ORDER BY d.failed_at;", cancellationToken);
    }

    public Task<ClaimedCharge?> TakeDunningRetryAsync(string merchantUid, long subscriptionId, int retriesTaken, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx) => await ExecuteAsync(c, tx,
                "UPDATE dunning SET retries = retries + 1, updated_at = @now WHERE merchant_uid = @m AND status = 'open' AND retries = @r;",
                cancellationToken, ("@m", merchantUid), ("@r", retriesTaken), ("@now", Now())) == 1
            ? await ClaimRetryAsync(c, tx, subscriptionId, cancellationToken)
            : null, cancellationToken);

    public Task CloseDunningAsync(string merchantUid, CancellationToken cancellationToken = default) =>
        WriteAsync((c, tx) => ExecuteAsync(c, tx,
            "UPDATE dunning SET status = 'closed', updated_at = @now WHERE merchant_uid = @m AND status = 'open';",
            cancellationToken, ("@m", merchantUid), ("@now", Now())), cancellationToken);

    public Task<string?> CancelAfterDunningAsync(string merchantUid, CancellationToken cancellationToken = default) =>
        WriteAsync<string?>(async (c, tx) =>
        {
            // The subscription's row first, then the charge's, and only while it is still declined or refused, as a
            // 다시 결제 takes them (ClaimRetryAsync): one that claims at this moment either went first (nothing is
            // cancelled) or waits for this transaction and finds the subscription cancelled.
            long? subscriptionId = (await QueryAsync(c, tx, "SELECT subscription_id FROM charges WHERE merchant_uid = @m;",
                r => r.GetInt64(0), cancellationToken, ("@m", merchantUid))).Cast<long?>().FirstOrDefault();
            if (subscriptionId is not { } sid
                || await LockPastDueSubscriptionAsync(c, tx, sid, cancellationToken) == 0
                || await ExecuteAsync(c, tx, "UPDATE charges SET updated_at = updated_at WHERE merchant_uid = @m AND status IN ('declined', 'failed');",
                    cancellationToken, ("@m", merchantUid)) == 0)
            {
                return null;
            }

            var due = await QueryAsync(c, tx, """
                SELECT s.id, s.customer_uid FROM subscriptions s JOIN charges c ON c.subscription_id = s.id AND c.due_on = s.next_charge_on
                WHERE c.merchant_uid = @m AND s.status = 'past_due' AND s.customer_uid IS NOT NULL;
                """, r => (Id: r.GetInt64(0), Key: r.GetString(1)), cancellationToken, ("@m", merchantUid));
            if (due.Count == 0
                || await ExecuteAsync(c, tx,
                    "UPDATE subscriptions SET status = 'cancelled', customer_uid = NULL, next_charge_on = NULL WHERE id = @id AND customer_uid = @cu AND status = 'past_due';",
                    cancellationToken, ("@id", due[0].Id), ("@cu", due[0].Key)) == 0)
            {
                return null;
            }

            await RetireKeyAsync(c, tx, due[0].Key, cancellationToken);
            await ExecuteAsync(c, tx, "UPDATE dunning SET status = 'cancelled', updated_at = @now WHERE merchant_uid = @m;",
                cancellationToken, ("@m", merchantUid), ("@now", Now()));
            return due[0].Key;
        }, cancellationToken);

    public async Task<DunningState?> FindDunningAsync(long subscriptionId, CancellationToken cancellationToken = default) =>
        FirstOrNull(await QueryDunningAsync("WHERE d.subscription_id = @sid ORDER BY d.failed_at DESC LIMIT 1;", cancellationToken, ("@sid", subscriptionId)));

    public Task RecordReceiptAsync(string merchantUid, string receiptUrl, CancellationToken cancellationToken = default) =>
        WriteAsync((c, tx) => ExecuteAsync(c, tx, """
            INSERT INTO receipts (merchant_uid, receipt_url) VALUES (@m, @url)
            ON CONFLICT (merchant_uid) DO UPDATE SET receipt_url = excluded.receipt_url;
            """, cancellationToken, ("@m", merchantUid), ("@url", receiptUrl)), cancellationToken);

    public async Task<IReadOnlyDictionary<string, string>> ListReceiptsAsync(long subscriptionId, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT r.merchant_uid, r.receipt_url FROM receipts r JOIN charges c ON c.merchant_uid = r.merchant_uid WHERE c.subscription_id = @sid;",
            r => (MerchantUid: r.GetString(0), Url: r.GetString(1)), cancellationToken, ("@sid", subscriptionId)))
        .ToDictionary(r => r.MerchantUid, r => r.Url, StringComparer.Ordinal);

    public Task<IReadOnlyList<Charge>> ListPastDueChargesAsync(CancellationToken cancellationToken = default) =>
        QueryChargesAsync("""
            WHERE EXISTS (SELECT 1 FROM subscriptions s WHERE s.id = charges.subscription_id AND s.status = 'past_due' AND s.next_charge_on = charges.due_on)
            ORDER BY id;
            """, cancellationToken);

    public Task<IReadOnlyList<Charge>> ListChargesForOperatorAsync(CancellationToken cancellationToken = default) =>
        QueryChargesAsync("WHERE status IN ('failed', 'mismatched') OR (status = 'paid' AND refund_error IS NOT NULL) ORDER BY id;", cancellationToken);

    private Task<IReadOnlyList<DunningState>> QueryDunningAsync(string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        QueryAsync("""
            SELECT d.merchant_uid, d.subscription_id, d.failed_at, d.retries, d.status, c.status, s.status, d.updated_at
            FROM dunning d JOIN charges c ON c.merchant_uid = d.merchant_uid JOIN subscriptions s ON s.id = d.subscription_id
            """ + " " + where,
            r => new DunningState(r.GetString(0), r.GetInt64(1), r.GetFieldValue<DateTimeOffset>(2), r.GetInt32(3), r.GetString(4), r.GetString(5), r.GetString(6),
                r.GetFieldValue<DateTimeOffset>(7)),
            cancellationToken, parameters);
}
