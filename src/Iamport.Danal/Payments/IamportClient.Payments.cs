using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

public sealed partial class IamportClient
{
    /// <inheritdoc />
    public Task<ChargeResult> ChargeBillingKeyAsync(ChargeRequest request, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(request);

        request.Validate();
        request = request.WithDefaultChannelKey(ChannelKeyOrNull);
        var call = ApiRequest.Post(ChargeRoute, request, Json.ChargeRequest, sensitive: request.CustomerUid);
        return ChargeAsync(call, request, cancellationToken);
    }

    /// <summary>Sends a call that charges a card (the charge itself, a schedule's retry) and classifies its reply as the
    /// charge <paramref name="request"/> describes; a lost reply is looked up, never resent.</summary>
    private async Task<ChargeResult> ChargeAsync(ApiRequest call, ChargeRequest request, CancellationToken cancellationToken)
    {
        using Activity? activity = Telemetry.StartCharge(request.MerchantUid);

        // When this attempt left, on this app's clock: a look-up believes only records that can be this attempt's.
        DateTimeOffset sentAt = _time.GetUtcNow();
        ApiResult<Payment> reply = await _sender.SendAsync(call, Json.IamportResponsePayment, cancellationToken).ConfigureAwait(false);
        ChargeVerdict verdict = ChargeClassifier.OfReply(reply, request);
        switch (verdict.Kind)
        {
            case ChargeVerdictKind.Decided:
                return Report(new ChargeResult(verdict.Outcome, request.MerchantUid, verdict.Payment, reconciled: false));
            case ChargeVerdictKind.LookUp:
                // The charge may have been processed: resending could charge twice (V1 has no idempotency key). Look it up.
                Log.Reconciling(_logger, request.MerchantUid, verdict.Reason!);
                return await ReconcileAsync(request, sentAt, TimeSpan.Zero, reply, afterCharge: true, cancellationToken).ConfigureAwait(false);
            default:
                // Refused in I'mport's own shape, never sent, or cancelled (before it left: OperationCanceledException).
                if (reply.Cancelled && reply.MayHaveLeft)
                {
                    Log.OutcomeUnknown(_logger, request.MerchantUid);
                    Telemetry.RecordCharge(null, reconciled: false);
                }

                throw Failure(reply, request.MerchantUid);
        }
    }

    /// <inheritdoc />
    public Task<ChargeResult> GetChargeOutcomeAsync(ChargeRequest request, DateTimeOffset? attemptSentAt = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(request);

        request.Validate();
        TimeSpan sinceSent = attemptSentAt is { } sent && _time.GetUtcNow() - sent is { Ticks: > 0 } ago ? ago : TimeSpan.Zero;
        return ReconcileAsync(request, attemptSentAt, sinceSent, default, afterCharge: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Payment?> GetPaymentAsync(string impUid, CancellationToken cancellationToken = default)
    {
        DanalRules.ImpUid(impUid, nameof(impUid));
        string path = "/payments/" + ApiRequest.Segment(impUid, nameof(impUid)) + SandboxQuery('?');
        return SendLookupAsync(ApiRequest.Get("/payments/{imp_uid}", path), Json.IamportResponsePayment, cancellationToken, notFoundAt200: false);
    }

    /// <inheritdoc />
    public Task<Payment?> GetPaymentByMerchantUidAsync(string merchantUid, PaymentStatus? status = null, PaymentSorting? sorting = null, CancellationToken cancellationToken = default)
    {
        DanalRules.MerchantUidToFind(merchantUid, nameof(merchantUid));
        return FindAsync(merchantUid, status, sorting, _options.IncludeSandbox, cancellationToken);
    }

    private Task<Payment?> FindAsync(string merchantUid, PaymentStatus? status, PaymentSorting? sorting, bool includeSandbox, CancellationToken cancellationToken)
    {
        string path = "/payments/find/" + ApiRequest.Segment(merchantUid, nameof(merchantUid)) + StatusSegment(status) + SortingQuery(sorting, includeSandbox);
        return SendLookupAsync(ApiRequest.Get("/payments/find/{merchant_uid}", path), Json.IamportResponsePayment, cancellationToken, notFoundAt200: false);
    }

    /// <inheritdoc />
    public Task<Payment> CancelPaymentAsync(CancelPaymentRequest request, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(request);

        request.Validate();
        string subject = string.IsNullOrEmpty(request.MerchantUid) ? request.ImpUid! : request.MerchantUid!;
        return SendMovingAsync(ApiRequest.Post("/payments/cancel", request, Json.CancelPaymentRequest), Json.IamportResponsePayment, subject, cancellationToken);
    }

    /// <inheritdoc />
    public Task<PreparedPayment> PreparePaymentAsync(string merchantUid, decimal amount, CancellationToken cancellationToken = default)
    {
        DanalRules.MerchantUid(merchantUid, nameof(merchantUid));
        DanalRules.WholeAmount(amount, nameof(amount), "amount");
        var body = new PrepareRequest { MerchantUid = merchantUid, Amount = amount };
        return SendAsync(ApiRequest.Post(PrepareRoute, body, Json.PrepareRequest), Json.IamportResponsePreparedPayment, cancellationToken);
    }

    /// <inheritdoc />
    public Task<PreparedPayment> UpdatePreparedPaymentAsync(string merchantUid, decimal amount, CancellationToken cancellationToken = default)
    {
        DanalRules.MerchantUid(merchantUid, nameof(merchantUid));
        DanalRules.WholeAmount(amount, nameof(amount), "amount");
        var body = new PrepareRequest { MerchantUid = merchantUid, Amount = amount };
        return SendAsync(ApiRequest.Put(PrepareRoute, PrepareRoute, body, Json.PrepareRequest), Json.IamportResponsePreparedPayment, cancellationToken);
    }

    /// <inheritdoc />
    public Task<PreparedPayment?> GetPreparedPaymentAsync(string merchantUid, CancellationToken cancellationToken = default)
    {
        DanalRules.MerchantUidToFind(merchantUid, nameof(merchantUid));
        var call = ApiRequest.Get("/payments/prepare/{merchant_uid}", "/payments/prepare/" + ApiRequest.Segment(merchantUid, nameof(merchantUid)));
        return SendLookupAsync(call, Json.IamportResponsePreparedPayment, cancellationToken);
    }

    private static string StatusSegment(PaymentStatus? status) => status is { } s ? "/" + ApiRequest.Segment(s.Value, nameof(status)) : "";

    private static string SortingQuery(PaymentSorting? sorting, bool includeSandbox) =>
        "?sorting=" + ApiRequest.Query((sorting ?? PaymentSorting.StartedDescending).Value, nameof(sorting)) + (includeSandbox ? "&include_sandbox=true" : "");

    private const string ChargeRoute = "/subscribe/payments/again";
    private const string PrepareRoute = "/payments/prepare";
    private const string FindAllRoute = "/payments/findAll/{merchant_uid}";
    private const int MaxLookupPages = 10;
    private static readonly TimeSpan MaxLookupPause = TimeSpan.FromSeconds(2);

    /// <summary>Learns a charge's outcome from look-ups, classified by <see cref="ChargeClassifier"/>; never sends the charge.</summary>
    /// <param name="request">The charge.</param>
    /// <param name="sentAt">When the attempt left, on this app's clock; <see langword="null"/>: any record of the merchant_uid counts.</param>
    /// <param name="sinceSent">How long ago the attempt left when the look-ups start: the settle period runs from then.</param>
    /// <param name="reply">The charge's own reply (a refusal in a gateway's shape is reported once the look-ups found nothing), or default.</param>
    /// <param name="afterCharge">Whether a charge of this call may have left: then the caller's cancellation is an unknown outcome.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    private async Task<ChargeResult> ReconcileAsync(ChargeRequest request, DateTimeOffset? sentAt, TimeSpan sinceSent, ApiResult<Payment> reply, bool afterCharge, CancellationToken cancellationToken)
    {
        // A look-up is a GET: safe to repeat. It is repeated with growing pauses for the reconciliation window, so an
        // outage of a few seconds, or a token expiring under it, still ends in a known outcome. "Not found" is only
        // believed once the settle period has passed: before that it may be a charge still on its way to the card company.
        string merchantUid = request.MerchantUid;
        long started = _time.GetTimestamp();
        TimeSpan settle = _options.NotChargedSettlePeriod < _options.ReconciliationWindow ? _options.NotChargedSettlePeriod : _options.ReconciliationWindow;
        TimeSpan pause = TimeSpan.FromMilliseconds(100);
        Exception? last = reply.Kind == ApiResultKind.Answer ? null : IamportException.From(reply);
        var records = new List<Payment>();
        try
        {
            while (true)
            {
                ApiResult<IamportPage<Payment>> page;
                try
                {
                    page = await LookUpAsync(merchantUid, request.CustomerUid, records, cancellationToken).ConfigureAwait(false);
                }
                catch (IamportException ex)
                {
                    // No token for now (getToken failing too): the look-up is tried again like any other.
                    page = default;
                    last = ex;
                }

                // The server's clock as the token exchange showed it: read now, once a token surely exists.
                DateTimeOffset? attemptOnServer = sentAt + _sender.Tokens.ServerClockOffset;
                ChargeVerdict verdict = page.Route is null ? new ChargeVerdict(ChargeVerdictKind.LookUp) : ChargeClassifier.OfLookup(page, records, request, attemptOnServer);
                bool settled = sinceSent + _time.GetElapsedTime(started) >= settle;
                switch (verdict.Kind)
                {
                    case ChargeVerdictKind.Decided:
                    case ChargeVerdictKind.DecidedOnceSettled when settled:
                        return Report(new ChargeResult(verdict.Outcome, merchantUid, verdict.Payment, reconciled: true), afterCharge);
                    case ChargeVerdictKind.NotFound when settled:
                        // Nothing was charged. A refusal in a gateway's shape is now believed, and reported as it came.
                        return reply.Kind == ApiResultKind.Refusal
                            ? throw IamportException.From(reply)
                            : Report(new ChargeResult(ChargeOutcome.NotCharged, merchantUid, null, reconciled: true), afterCharge);
                    case ChargeVerdictKind.Cancelled:
                        throw (OperationCanceledException)page.Cause!;
                    case ChargeVerdictKind.LookUp when page.Kind != ApiResultKind.Answer:
                        last = IamportException.From(page);
                        break;
                }

                TimeSpan left = _options.ReconciliationWindow - _time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                await DelayAsync(pause < left ? pause : left, cancellationToken).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxLookupPause.Ticks));
            }
        }
        catch (OperationCanceledException ex) when (afterCharge && cancellationToken.IsCancellationRequested)
        {
            // The charge may have left: a bare cancellation would read as "nothing happened".
            Log.OutcomeUnknown(_logger, merchantUid);
            Telemetry.RecordCharge(null, reconciled: true);
            throw new IamportOutcomeUnknownException(merchantUid, ex);
        }

        Log.OutcomeUnknown(_logger, merchantUid);
        if (afterCharge)
        {
            Telemetry.RecordCharge(null, reconciled: true);
        }

        throw new IamportOutcomeUnknownException(merchantUid, "POST", ChargeRoute, last ?? new IamportException(200, null, null, "GET", FindAllRoute, "(no record of this attempt that is paid or failed)"));
    }

    /// <summary>Lists every record of the merchant_uid into <paramref name="records"/> (cleared first), page by page;
    /// returns the last page's result. Sandbox payments are always included: on a test channel, missing our own charge
    /// would report "not charged" for a charge that happened, inviting a second one. The charge's customer_uid is
    /// scrubbed from anything the reply echoes.</summary>
    private async Task<ApiResult<IamportPage<Payment>>> LookUpAsync(string merchantUid, string customerUid, List<Payment> records, CancellationToken cancellationToken)
    {
        records.Clear();
        string path = "/payments/findAll/" + ApiRequest.Segment(merchantUid, nameof(merchantUid)) + SortingQuery(null, includeSandbox: true) + "&limit=100&page=";
        ApiResult<IamportPage<Payment>> result = default;
        for (int page = 1; page <= MaxLookupPages; page++)
        {
            result = await _sender.SendAsync(ApiRequest.Get(FindAllRoute, path + Number(page), customerUid), Json.IamportResponseIamportPagePayment, cancellationToken).ConfigureAwait(false);
            if (result.Kind != ApiResultKind.Answer)
            {
                return result;
            }

            records.AddRange(result.Value!.Items);
            if (result.Value.Next <= page)
            {
                return result;
            }
        }

        return result;
    }

#if NET
    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, _time, cancellationToken);
#else
    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => _time.Delay(delay, cancellationToken);
#endif

    /// <summary>Logs and counts a charge's outcome; an answer to <see cref="GetChargeOutcomeAsync"/> (<paramref name="charged"/>
    /// <see langword="false"/>) is logged but not counted as a charge.</summary>
    private ChargeResult Report(ChargeResult result, bool charged = true)
    {
        if (result.IsReconciled)
        {
            Log.Reconciled(_logger, result.MerchantUid, result.Outcome.ToString());
        }

        if (charged)
        {
            Telemetry.RecordCharge(result.Outcome, result.IsReconciled);
        }

        return result;
    }
}
