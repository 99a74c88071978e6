using System;
using System.Collections.Generic;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

/// <summary>What the classifier made of a charge's reply or of a look-up.</summary>
internal enum ChargeVerdictKind
{
    /// <summary>The outcome is known (<see cref="ChargeVerdict.Outcome"/>, <see cref="ChargeVerdict.Payment"/>).</summary>
    Decided,

    /// <summary>A decline found by a look-up for one attempt: the server's clock is known to the second only, so it may
    /// be an earlier attempt's record while this attempt's is not visible yet; believed once the settle period has passed.</summary>
    DecidedOnceSettled,

    /// <summary>I'mport refused the charge before approval, in a shape I'mport itself answers with: nothing was charged.</summary>
    Refused,

    /// <summary>The charge certainly never left (or I'mport processed nothing: 401, 429): nothing was charged.</summary>
    NotSent,

    /// <summary>The caller cancelled; <see cref="ApiResult{T}.MayHaveLeft"/> says whether the charge may have been sent.</summary>
    Cancelled,

    /// <summary>The charge may have been applied and the reply does not say how: look it up.</summary>
    LookUp,

    /// <summary>A look-up found no record that can be this attempt's (404, or an empty list): the settle rule applies.</summary>
    NotFound,
}

/// <summary>The classifier's verdict.</summary>
internal readonly record struct ChargeVerdict(ChargeVerdictKind Kind, ChargeOutcome Outcome = default, Payment? Payment = null, string? Reason = null);

/// <summary>
/// The one place where a charge is classified: it turns what the transport reported (<see cref="ApiResult{T}"/>) for
/// the charge itself and for every look-up after a lost reply into an outcome. <see cref="IamportClient"/>'s charge,
/// its reconciliation loop and <see cref="IIamportClient.GetChargeOutcomeAsync"/> all decide through it.
/// </summary>
/// <remarks>
/// <para>A reply: a payment that is paid and ours is <see cref="ChargeOutcome.Approved"/>, paid but not as asked
/// (another merchant_uid, amount or customer_uid) <see cref="ChargeOutcome.Mismatched"/>, failed and ours
/// <see cref="ChargeOutcome.Declined"/>. A refusal (<c>code != 0</c>) is believed only in the shapes I'mport answers
/// with, HTTP 200 or a 4xx other than 408; a refusal in a 3xx or 5xx (a gateway's envelope) is looked up first. No
/// usable answer after the charge may have left is looked up; before it left, nothing was charged.</para>
/// <para>A look-up (<c>GET /payments/findAll/{merchant_uid}</c>, every record of the order) decides only from records
/// that can belong to this attempt: a paid record of the merchant_uid, whatever its time (I'mport charges a merchant_uid
/// once, so a paid record means the order's money moved: never "not charged"); a failed record only when it started, on
/// the server's clock, no earlier than this attempt left (<c>getToken</c>'s <c>now</c> gives the server's clock), and
/// even then only once the settle period has passed, since a record of an earlier attempt in the same second cannot be
/// told apart. An earlier attempt's failed record is not this attempt's outcome: until this attempt's record is seen,
/// the settle rule applies as for "not found". Not found is recognised
/// positively, a 404 or an empty list; any other refusal of a look-up is no usable answer.</para>
/// </remarks>
internal static class ChargeClassifier
{
    /// <summary>Classifies the charge's own reply.</summary>
    public static ChargeVerdict OfReply(in ApiResult<Payment> reply, ChargeRequest request)
    {
        switch (reply.Kind)
        {
            case ApiResultKind.Answer:
                return OfRecord(reply.Value!, request) is { } outcome
                    ? new ChargeVerdict(ChargeVerdictKind.Decided, outcome, reply.Value)
                    : new ChargeVerdict(ChargeVerdictKind.LookUp, Reason: "a reply that is neither paid nor failed for this charge");
            case ApiResultKind.Refusal:
                return IsImportRefusal(reply.Status)
                    ? new ChargeVerdict(ChargeVerdictKind.Refused)
                    : new ChargeVerdict(ChargeVerdictKind.LookUp, Reason: $"HTTP {reply.Status} with an error envelope");
            default:
                return reply.Cancelled ? new ChargeVerdict(ChargeVerdictKind.Cancelled)
                    : !reply.MayHaveLeft || reply.Status is 401 or 429 ? new ChargeVerdict(ChargeVerdictKind.NotSent)
                    : new ChargeVerdict(ChargeVerdictKind.LookUp, Reason: reply.Status == 0 ? "no response" : $"HTTP {reply.Status} without a usable envelope");
        }
    }

    /// <summary>Classifies a look-up: <paramref name="last"/> is the last page's result, <paramref name="records"/>
    /// every record the pages before it (and it, when an answer) listed.</summary>
    /// <param name="last">The transport's report of the last page asked for.</param>
    /// <param name="records">The records found.</param>
    /// <param name="request">The charge.</param>
    /// <param name="attemptOnServer">When the attempt left, on the server's clock; <see langword="null"/> for any record of the merchant_uid.</param>
    public static ChargeVerdict OfLookup(in ApiResult<IamportPage<Payment>> last, IReadOnlyList<Payment> records, ChargeRequest request, DateTimeOffset? attemptOnServer)
    {
        if (last.Kind != ApiResultKind.Answer)
        {
            return last.Cancelled ? new ChargeVerdict(ChargeVerdictKind.Cancelled)
                : last.Kind == ApiResultKind.Refusal && last.Status == 404 && records.Count == 0 ? new ChargeVerdict(ChargeVerdictKind.NotFound)
                : new ChargeVerdict(ChargeVerdictKind.LookUp, Reason: "the look-up gave no usable answer");
        }

        Payment? mismatched = null;
        Payment? declined = null;
        bool unsettled = false;
        long attemptSecond = attemptOnServer?.ToUnixTimeSeconds() ?? long.MinValue;
        foreach (Payment record in records)
        {
            if (record.Status == PaymentStatus.Paid)
            {
                if (IsOurs(record, request))
                {
                    return new ChargeVerdict(ChargeVerdictKind.Decided, ChargeOutcome.Approved, record);
                }

                mismatched ??= record;
                continue;
            }

            // Records without any time cannot be shown to be earlier: they may be this attempt's.
            bool mayBeThisAttempt = (record.StartedAt ?? record.FailedAt ?? record.CancelledAt) is not { } at || at.ToUnixTimeSeconds() >= attemptSecond;
            if (!mayBeThisAttempt || !IsOurs(record, request))
            {
                continue;
            }

            if (record.Status == PaymentStatus.Failed)
            {
                declined ??= record;
            }
            else
            {
                // ready (still in flight), cancelled (money moved and came back), or a status yet unknown: not an outcome.
                unsettled = true;
            }
        }

        return mismatched is not null ? new ChargeVerdict(ChargeVerdictKind.Decided, ChargeOutcome.Mismatched, mismatched)
            : unsettled ? new ChargeVerdict(ChargeVerdictKind.LookUp, Reason: "a record neither paid nor failed")
            : declined is not null ? new ChargeVerdict(attemptOnServer is null ? ChargeVerdictKind.Decided : ChargeVerdictKind.DecidedOnceSettled, ChargeOutcome.Declined, declined)
            : new ChargeVerdict(ChargeVerdictKind.NotFound);
    }

    /// <summary>Whether a refusal's status is one I'mport itself answers with: 200, or a 4xx other than 408 (a proxy's).</summary>
    private static bool IsImportRefusal(int status) => status == 200 || (status is >= 400 and < 500 && status != 408);

    private static ChargeOutcome? OfRecord(Payment payment, ChargeRequest request)
    {
        bool ours = IsOurs(payment, request);
        return payment.Status == PaymentStatus.Paid ? (ours ? ChargeOutcome.Approved : ChargeOutcome.Mismatched)
            : payment.Status == PaymentStatus.Failed && ours ? ChargeOutcome.Declined
            : null;
    }

    private static bool IsOurs(Payment payment, ChargeRequest request) =>
        string.Equals(payment.MerchantUid, request.MerchantUid, StringComparison.Ordinal)
        && payment.Amount == request.Amount
        && string.Equals(payment.CustomerUid, request.CustomerUid, StringComparison.Ordinal);
}
