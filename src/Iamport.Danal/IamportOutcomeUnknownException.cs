using System;

namespace Iamport.Danal;

/// <summary>
/// The exception thrown when a call that moves money may have been applied and it is not known whether it was: a charge
/// whose reply was lost and whose look-ups said nothing usable for the whole reconciliation window, or a charge, refund
/// or schedule retry the caller cancelled after it may have left. The card may have been charged (or the refund made):
/// do not charge again with a new merchant_uid; ask later (<see cref="IIamportClient.GetChargeOutcomeAsync"/>,
/// <see cref="IIamportClient.GetPaymentByMerchantUidAsync"/>) or wait for the webhook.
/// </summary>
/// <remarks>When the caller cancelled, <see cref="Exception.InnerException"/> is the <see cref="OperationCanceledException"/>;
/// otherwise it is the failure of the look-up (or of the charge when the look-up was inconclusive).
/// <see cref="IamportException.MayHaveBeenApplied"/> is always <see langword="true"/>.</remarks>
public sealed class IamportOutcomeUnknownException : IamportException
{
    private const string ChargeRoute = "/subscribe/payments/again";

    /// <summary>Initializes a new instance of the <see cref="IamportOutcomeUnknownException"/> class.</summary>
    /// <param name="merchantUid">The merchant_uid whose outcome is unknown.</param>
    /// <param name="innerException">The failure of the look-up (or of the charge when the look-up was inconclusive).</param>
    public IamportOutcomeUnknownException(string merchantUid, IamportException innerException)
        : this(merchantUid, "POST", ChargeRoute, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="IamportOutcomeUnknownException"/> class for a call the caller cancelled.</summary>
    /// <param name="merchantUid">The merchant_uid whose outcome is unknown.</param>
    /// <param name="innerException">The caller's cancellation.</param>
    public IamportOutcomeUnknownException(string merchantUid, OperationCanceledException innerException)
        : this(merchantUid, "POST", ChargeRoute, (Exception)innerException)
    {
    }

    internal IamportOutcomeUnknownException(string merchantUid, string method, string path, Exception innerException)
        : base(
            (innerException as IamportException)?.StatusCode ?? 0,
            (innerException as IamportException)?.Code,
            (innerException as IamportException)?.ApiMessage,
            method,
            path,
            (innerException as IamportException)?.ResponseExcerpt,
            innerException)
    {
        MerchantUid = merchantUid;
        MayHaveBeenApplied = true;
    }

    /// <summary>Gets the merchant_uid to reconcile later: the charge's or the schedule's; for a refund, the request's
    /// merchant_uid, or its imp_uid when it named only that.</summary>
    public string MerchantUid { get; }

    /// <summary>Gets whether the caller cancelled after the call may have left (<see cref="Exception.InnerException"/> is the <see cref="OperationCanceledException"/>).</summary>
    public bool WasCancelled => InnerException is OperationCanceledException;

    /// <inheritdoc />
    public override string Message => string.Equals(Path, ChargeRoute, StringComparison.Ordinal)
        ? $"The outcome of charge {MerchantUid} is unknown: the card may have been charged. Look the order up before trying again. ({InnerException?.Message})"
        : $"The outcome of {Method} {Path} for {MerchantUid} is unknown: it may have been applied. Look it up before trying again. ({InnerException?.Message})";
}
