namespace Iamport.Danal.Internal;

/// <summary>The envelope of every I'mport response: <c>{code, message, response}</c>.</summary>
internal sealed class IamportResponse<T>
{
    /// <summary>Gets <c>code</c>; <see langword="null"/> when the body had none (not an envelope).</summary>
    public int? Code { get; init; }

    public string? Message { get; init; }

    public T? Response { get; init; }
}

internal sealed class TokenRequest
{
    public required string ImpKey { get; init; }

    public required string ImpSecret { get; init; }
}

internal sealed class TokenResponse
{
    public required string AccessToken { get; init; }

    /// <summary>Gets the server's clock, unix seconds.</summary>
    public long Now { get; init; }

    /// <summary>Gets the server-clock expiry, unix seconds.</summary>
    public long ExpiredAt { get; init; }
}
