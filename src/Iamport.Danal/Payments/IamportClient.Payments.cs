using System;
using System.Collections.Generic;
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
        var call = ApiRequest.Post("/subscribe/payments/again", request, Json.ChargeRequest, sensitive: request.CustomerUid);
        Payment payment;
        try
        {
            payment = await SendAsync(call, Json.IamportResponsePayment, cancellationToken).ConfigureAwait(false);
        }
        catch (IamportException ex) when (!ex.HasApiAnswer && ex.StatusCode is not 401 and not 429)
        {
            // The request may have been processed: resending could charge twice (V1 has no idempotency key). Look it up.
            Log.Reconciling(_logger, request.MerchantUid, ex.StatusCode == 0 ? "no response" : $"HTTP {ex.StatusCode} without an envelope");
            return await ReconcileAsync(request.MerchantUid, ex, cancellationToken).ConfigureAwait(false);
        }

        if (Classify(payment) is { } outcome)
        {
            return Report(new ChargeResult(outcome, request.MerchantUid, payment, reconciled: false));
        }

        Log.Reconciling(_logger, request.MerchantUid, $"status {payment.Status}");
        return await ReconcileAsync(request.MerchantUid, null, cancellationToken).ConfigureAwait(false);
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

    private static ChargeOutcome? Classify(Payment payment) =>
        payment.Status == PaymentStatus.Paid ? ChargeOutcome.Approved
        : payment.Status == PaymentStatus.Failed ? ChargeOutcome.Declined
        : null;

    private static readonly TimeSpan MaxLookupPause = TimeSpan.FromSeconds(2);

    /// <summary>Learns a charge's outcome from <c>/payments/find</c> after its reply was lost. Never resends the charge.</summary>
    private async Task<ChargeResult> ReconcileAsync(string merchantUid, IamportException? cause, CancellationToken cancellationToken)
    {
        // A look-up is a GET: safe to repeat. It is repeated with growing pauses for the reconciliation window, so an
        // outage of a few seconds, or a token expiring under it, still ends in a known outcome.
        long started = _time.GetTimestamp();
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
                    return Report(new ChargeResult(ChargeOutcome.NotCharged, merchantUid, null, reconciled: true));
                }

                if (Classify(found) is { } outcome)
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
        Telemetry.Charges.Add(1, new KeyValuePair<string, object?>("outcome", "unknown"));
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

        Telemetry.Charges.Add(1, new KeyValuePair<string, object?>("outcome", result.Outcome.ToString()));
        return result;
    }
}
