using System;

namespace Iamport.Danal.Testing;

/// <summary>One attempt of the fake to send a webhook: the first try, a resend (<see cref="Attempt"/> above 1) or a
/// duplicated copy (<see cref="Copy"/> above 0).</summary>
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

    /// <summary>Gets which try this was: 1 for the first, 2 to 6 for the resends of <see cref="FakeIamportOptions.ResendWebhooks"/>.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>Gets which copy this was: 0 for the webhook itself, 1 and up for the copies of a <see cref="Fault.DuplicateWebhook"/> fault.</summary>
    public int Copy { get; init; }

    /// <summary>Gets when the attempt started, on the fake's clock.</summary>
    public DateTimeOffset SentAt { get; init; }
}
