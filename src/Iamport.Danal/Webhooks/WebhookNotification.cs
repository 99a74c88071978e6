
namespace Iamport.Danal;

/// <summary>The body of an I'mport webhook: a hint about which payment changed, never proof of anything.</summary>
/// <remarks>
/// Webhooks carry no signature. Pass the notification to <see cref="IamportVerificationExtensions.VerifyWebhookAsync"/>, which
/// re-fetches the payment and compares it with the shop's order. Parse one with <see cref="IamportWebhook.Parse"/>.
/// </remarks>
public sealed class WebhookNotification
{
    internal WebhookNotification()
    {
    }

    /// <summary>Gets I'mport's id of the payment (<c>imp_uid</c>).</summary>
    public string ImpUid { get; internal init; } = "";

    /// <summary>Gets the shop's order id as the body claims it (<c>merchant_uid</c>).</summary>
    public string MerchantUid { get; internal init; } = "";

    /// <summary>Gets the status as the body claims it (<c>status</c>): paid, failed, cancelled, ready, ….</summary>
    public PaymentStatus Status { get; internal init; }

    /// <summary>Gets the id of the cancellation that caused the webhook (<c>cancellation_id</c>), or <see langword="null"/>.</summary>
    public string? CancellationId { get; internal init; }
}
