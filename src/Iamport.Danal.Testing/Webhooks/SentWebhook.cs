using System;

namespace Iamport.Danal.Testing;

/// <summary>A webhook the fake sent (or tried to send).</summary>
public sealed class SentWebhook
{
    /// <summary>Gets the address it was POSTed to.</summary>
    public required Uri Url { get; init; }

    /// <summary>Gets the body's media type: <c>application/json</c> or <c>application/x-www-form-urlencoded</c>.</summary>
    public required string ContentType { get; init; }

    /// <summary>Gets the body as sent.</summary>
    public required string Body { get; init; }

    /// <summary>Gets the <c>imp_uid</c> it carried.</summary>
    public required string ImpUid { get; init; }

    /// <summary>Gets the <c>merchant_uid</c> it carried.</summary>
    public required string MerchantUid { get; init; }

    /// <summary>Gets the <c>status</c> it carried.</summary>
    public required string Status { get; init; }

    /// <summary>Gets the <c>cancellation_id</c> of a cancel webhook, otherwise <see langword="null"/>.</summary>
    public string? CancellationId { get; init; }

    /// <summary>Gets the receiver's HTTP status, or <see langword="null"/> when sending failed.</summary>
    public int? ResponseStatusCode { get; init; }

    /// <summary>Gets why sending failed, or <see langword="null"/>.</summary>
    public string? Error { get; init; }
}
