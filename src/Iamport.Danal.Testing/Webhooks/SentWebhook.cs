using System;

namespace Iamport.Danal.Testing;

/// <summary>A webhook the fake sent (or tried to send).</summary>
/// <param name="Url">The address it was POSTed to.</param>
/// <param name="ContentType">The body's media type: <c>application/json</c> or <c>application/x-www-form-urlencoded</c>.</param>
/// <param name="Body">The body as sent.</param>
/// <param name="ImpUid">The <c>imp_uid</c> it carried.</param>
/// <param name="MerchantUid">The <c>merchant_uid</c> it carried.</param>
/// <param name="Status">The <c>status</c> it carried.</param>
/// <param name="CancellationId">The <c>cancellation_id</c> of a cancel webhook, otherwise <see langword="null"/>.</param>
/// <param name="ResponseStatusCode">The receiver's HTTP status, or <see langword="null"/> when sending failed.</param>
/// <param name="Error">Why sending failed, or <see langword="null"/>.</param>
public sealed record SentWebhook(
    Uri Url,
    string ContentType,
    string Body,
    string ImpUid,
    string MerchantUid,
    string Status,
    string? CancellationId,
    int? ResponseStatusCode,
    string? Error);
