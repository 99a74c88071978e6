using System.Text.Json.Serialization;
using Iamport.Danal.Checkout;
using Iamport.Danal.Payments;

namespace Iamport.Danal.Internal;

/// <summary>The one source-generated JSON context: snake_case names, nulls omitted when writing, unix-seconds times.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(NullableUnixSecondsConverter), typeof(UnixSecondsConverter)])]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(IamportResponse<TokenResponse>))]
[JsonSerializable(typeof(ChargeRequest))]
[JsonSerializable(typeof(IamportResponse<Payment>))]
[JsonSerializable(typeof(RequestPayParams))]
internal sealed partial class IamportJsonContext : JsonSerializerContext
{
}
