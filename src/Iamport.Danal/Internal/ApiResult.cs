using System;

namespace Iamport.Danal.Internal;

/// <summary>What one exchange with I'mport came to, as the transport saw it; deciding what it means is the caller's job.</summary>
internal enum ApiResultKind
{
    /// <summary>A 2xx with <c>code 0</c> and a <c>response</c> that fits the models.</summary>
    Answer,

    /// <summary>An envelope with <c>code != 0</c>: I'mport's (or something claiming to be I'mport's) refusal, with its status.</summary>
    Refusal,

    /// <summary>No usable answer: no response, a body that is not a complete envelope (HTML, truncated, duplicate keys,
    /// values out of range), <c>code 0</c> without a response or outside 2xx, or the caller's cancellation.</summary>
    NoAnswer,
}

/// <summary>
/// The transport's report of one exchange: an answer, a refusal or no usable answer, each with whether the request may
/// have left (reached the network, so I'mport may have applied it). A value, not an exception: the charge classifier
/// (<c>Payments/ChargeClassifier.cs</c>) and the client's public methods decide what it means, and only the public
/// methods make exceptions of it (<see cref="IamportException.From{T}(in ApiResult{T})"/>).
/// </summary>
/// <typeparam name="T">The type of <c>response</c>.</typeparam>
internal readonly struct ApiResult<T>
{
    public ApiResult(ApiResultKind kind, in ApiRequest call, int status, bool mayHaveLeft)
    {
        Kind = kind;
        Method = call.Method.Method;
        Route = call.Route;
        Status = status;
        MayHaveLeft = mayHaveLeft;
    }

    public ApiResultKind Kind { get; }

    /// <summary>Gets the request's method.</summary>
    public string Method { get; }

    /// <summary>Gets the request's route template.</summary>
    public string Route { get; }

    /// <summary>Gets the HTTP status, or 0 when no response arrived.</summary>
    public int Status { get; }

    /// <summary>Gets whether the request may have reached I'mport: only ever for a request that changes state (any
    /// non-GET but getToken), and then unless it certainly never went past the one-send guard.</summary>
    public bool MayHaveLeft { get; }

    /// <summary>Gets <c>response</c> of an <see cref="ApiResultKind.Answer"/>.</summary>
    public T? Value { get; init; }

    /// <summary>Gets I'mport's <c>code</c> of a refusal.</summary>
    public int? Code { get; init; }

    /// <summary>Gets I'mport's <c>message</c>, secrets scrubbed.</summary>
    public string? Message { get; init; }

    /// <summary>Gets a short, secret-free excerpt of a body that was not a usable envelope.</summary>
    public string? Excerpt { get; init; }

    /// <summary>Gets why no response arrived (a timeout, a reset, a handler's exception), secrets scrubbed; for the
    /// caller's cancellation, its <see cref="OperationCanceledException"/>.</summary>
    public Exception? Cause { get; init; }

    /// <summary>Gets whether the exchange ended because the caller cancelled.</summary>
    public bool Cancelled { get; init; }

    /// <summary>Gets the delay <c>Retry-After</c> asked for.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
