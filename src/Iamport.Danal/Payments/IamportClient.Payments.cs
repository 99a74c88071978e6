using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Internal;
using Iamport.Danal.Payments;

namespace Iamport.Danal;

public sealed partial class IamportClient
{
    /// <inheritdoc />
    public async Task<ChargeResult> ChargeBillingKeyAsync(ChargeRequest request, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(request);

        request.Validate();
        request = request.WithDefaultChannelKey(ChannelKeyOrNull);
        using Activity? activity = Telemetry.StartCharge(request.MerchantUid);
        var call = ApiRequest.Post("/subscribe/payments/again", request, Json.ChargeRequest, sensitive: request.CustomerUid);
        Payment payment;
        try
        {
            payment = await SendAsync(call, Json.IamportResponsePayment, cancellationToken).ConfigureAwait(false);
        }
        catch (IamportException ex) when (ex.MayHaveBeenApplied && !ex.HasApiAnswer && ex.StatusCode is not 401 and not 429)
        {
            // The charge may have been processed: resending could charge twice (V1 has no idempotency key). Look it up.
            // Anything else (no token, a circuit breaker refusing before sending, 401, an error envelope) sent nothing.
            Log.Reconciling(_logger, request.MerchantUid, ex.StatusCode == 0 ? "no response" : $"HTTP {ex.StatusCode} without a usable envelope");
            return await ReconcileAsync(request, ex, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }

        if (Classify(payment, request) is { } outcome)
        {
            return Report(new ChargeResult(outcome, request.MerchantUid, payment, reconciled: false));
        }

        Log.Reconciling(_logger, request.MerchantUid, "a reply that is neither paid nor failed for this charge");
        return await ReconcileAsync(request, null, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<ChargeResult> GetChargeOutcomeAsync(ChargeRequest request, DateTimeOffset? attemptSentAt = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(request);

        request.Validate();
        TimeSpan sinceSent = attemptSentAt is { } sent && _time.GetUtcNow() - sent is { Ticks: > 0 } ago ? ago : TimeSpan.Zero;
        return ReconcileAsync(request, null, sinceSent, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Payment?> GetPaymentAsync(string impUid, CancellationToken cancellationToken = default)
    {
        DanalRules.ImpUid(impUid, nameof(impUid));
        string path = "/payments/" + ApiRequest.Segment(impUid, nameof(impUid)) + SandboxQuery('?');
        return SendLookupAsync(ApiRequest.Get("/payments/{imp_uid}", path), Json.IamportResponsePayment, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Payment?> FindPaymentAsync(string merchantUid, PaymentStatus? status = null, PaymentSorting? sorting = null, CancellationToken cancellationToken = default)
    {
        DanalRules.MerchantUidToFind(merchantUid, nameof(merchantUid));
        return FindAsync(merchantUid, status, sorting, _options.IncludeSandbox, cancellationToken);
    }

    private Task<Payment?> FindAsync(string merchantUid, PaymentStatus? status, PaymentSorting? sorting, bool includeSandbox, CancellationToken cancellationToken)
    {
        string path = "/payments/find/" + ApiRequest.Segment(merchantUid, nameof(merchantUid)) + StatusSegment(status) + SortingQuery(sorting, includeSandbox);
        return SendLookupAsync(ApiRequest.Get("/payments/find/{merchant_uid}", path), Json.IamportResponsePayment, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Payment> CancelPaymentAsync(CancelPaymentRequest request, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(request);

        request.Validate();
        return SendAsync(ApiRequest.Post("/payments/cancel", request, Json.CancelPaymentRequest), Json.IamportResponsePayment, cancellationToken);
    }

    /// <inheritdoc />
    public Task<PreparedPayment> PreparePaymentAsync(string merchantUid, decimal amount, CancellationToken cancellationToken = default)
    {
        DanalRules.MerchantUid(merchantUid, nameof(merchantUid));
        DanalRules.WholeAmount(amount, nameof(amount), "amount");
        var body = new PrepareRequest { MerchantUid = merchantUid, Amount = amount };
        return SendAsync(ApiRequest.Post("/payments/prepare", body, Json.PrepareRequest), Json.IamportResponsePreparedPayment, cancellationToken);
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

    /// <summary>What a payment says about <paramref name="request"/>: paid and ours is approved, paid but not as asked
    /// (another merchant_uid, amount or customer_uid) is a mismatch, failed and ours is declined; anything else
    /// (ready, cancelled, someone else's failure) is no usable answer.</summary>
    private static ChargeOutcome? Classify(Payment payment, ChargeRequest request)
    {
        bool ours = string.Equals(payment.MerchantUid, request.MerchantUid, StringComparison.Ordinal)
            && payment.Amount == request.Amount
            && string.Equals(payment.CustomerUid, request.CustomerUid, StringComparison.Ordinal);
        return payment.Status == PaymentStatus.Paid ? (ours ? ChargeOutcome.Approved : ChargeOutcome.Mismatched)
            : payment.Status == PaymentStatus.Failed && ours ? ChargeOutcome.Declined
            : null;
    }

    private static readonly TimeSpan MaxLookupPause = TimeSpan.FromSeconds(2);

    /// <summary>Learns a charge's outcome from <c>/payments/find</c> after its reply was lost. Never resends the charge.</summary>
    private async Task<ChargeResult> ReconcileAsync(ChargeRequest request, IamportException? cause, TimeSpan sinceSent, CancellationToken cancellationToken)
    {
        // A look-up is a GET: safe to repeat. It is repeated with growing pauses for the reconciliation window, so an
        // outage of a few seconds, or a token expiring under it, still ends in a known outcome. "Not found" is only
        // believed once the settle period has passed: before that it may be a charge still on its way to the card company.
        string merchantUid = request.MerchantUid;
        long started = _time.GetTimestamp();
        TimeSpan settle = _options.NotChargedSettlePeriod < _options.ReconciliationWindow ? _options.NotChargedSettlePeriod : _options.ReconciliationWindow;
        TimeSpan pause = TimeSpan.FromMilliseconds(100);
        IamportException? last = cause;
        while (true)
        {
            try
            {
                // Sandbox payments are always included here: on a test channel, missing our own charge would report
                // "not charged" for a charge that happened, inviting a second one.
                Payment? found = await FindAsync(merchantUid, null, null, includeSandbox: true, cancellationToken).ConfigureAwait(false);
                if (found is null)
                {
                    if (sinceSent + _time.GetElapsedTime(started) >= settle)
                    {
                        return Report(new ChargeResult(ChargeOutcome.NotCharged, merchantUid, null, reconciled: true));
                    }
                }
                else if (Classify(found, request) is { } outcome)
                {
                    return Report(new ChargeResult(outcome, merchantUid, found, reconciled: true));
                }
            }
            catch (IamportException ex)
            {
                last = ex;
            }

            TimeSpan left = _options.ReconciliationWindow - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            await DelayAsync(pause < left ? pause : left, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxLookupPause.Ticks));
        }

        Log.OutcomeUnknown(_logger, merchantUid);
        Telemetry.RecordCharge(null, reconciled: true);
        throw new IamportOutcomeUnknownException(merchantUid, last ?? new IamportException(200, null, null, "GET", "/payments/find/{merchant_uid}", "(payment neither paid nor failed)"));
    }

#if NET
    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, _time, cancellationToken);
#else
    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => _time.Delay(delay, cancellationToken);
#endif

    private ChargeResult Report(ChargeResult result)
    {
        if (result.Reconciled)
        {
            Log.Reconciled(_logger, result.MerchantUid, result.Outcome.ToString());
        }

        Telemetry.RecordCharge(result.Outcome, result.Reconciled);
        return result;
    }
}
