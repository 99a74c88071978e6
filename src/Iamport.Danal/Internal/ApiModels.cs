using System.Text.Json.Serialization;

namespace Iamport.Danal.Internal;

/// <summary>The envelope of every I'mport response: <c>{code, message, response}</c>.</summary>
internal sealed class IamportResponse<T>
{
    /// <summary>Gets or sets <c>code</c>; <see langword="null"/> when the body had none (not an envelope).</summary>
    public int? Code { get; set; }

    public string? Message { get; set; }

    public T? Response { get; set; }
}

internal sealed class TokenRequest
{
    public required string ImpKey { get; init; }

    public required string ImpSecret { get; init; }
}

internal sealed class TokenResponse
{
    [JsonRequired]
    public string AccessToken { get; set; } = "";

    /// <summary>Gets or sets the server's clock, unix seconds.</summary>
    public long Now { get; set; }

    /// <summary>Gets or sets the server-clock expiry, unix seconds.</summary>
    public long ExpiredAt { get; set; }
}
