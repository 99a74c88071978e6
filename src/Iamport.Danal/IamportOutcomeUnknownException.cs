using System;

namespace Iamport.Danal;

/// <summary>
/// The exception thrown when a charge was sent but neither its reply nor a look-up of its merchant_uid said whether
/// the card was charged. The card may have been charged: do not charge again with a new merchant_uid; look the order up
/// later (<see cref="IIamportClient.FindPaymentAsync"/>) or wait for the webhook.
/// </summary>
public sealed class IamportOutcomeUnknownException : IamportException
{
    /// <summary>Initializes a new instance of the <see cref="IamportOutcomeUnknownException"/> class.</summary>
    /// <param name="merchantUid">The merchant_uid whose outcome is unknown.</param>
    /// <param name="innerException">The failure of the look-up (or of the charge when the look-up was inconclusive).</param>
    public IamportOutcomeUnknownException(string merchantUid, IamportException innerException)
        : base(innerException?.StatusCode ?? 0, innerException?.Code, innerException?.ApiMessage, "POST", "/subscribe/payments/again", innerException?.ResponseExcerpt, innerException)
    {
        MerchantUid = merchantUid;
    }

    /// <summary>Gets the merchant_uid to reconcile later.</summary>
    public string MerchantUid { get; }

    /// <inheritdoc />
    public override string Message => $"The outcome of charge {MerchantUid} is unknown: the card may have been charged. Look the order up before trying again. ({InnerException?.Message})";
}
