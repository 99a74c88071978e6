using System.Collections.Generic;
using System.Text.Json.Serialization;
using Iamport.Danal.Checkout;

namespace Iamport.Danal.Internal;

/// <summary>The one source-generated JSON context: snake_case names, nulls omitted when writing.</summary>
/// <remarks>
/// <para>A reply that names a property twice (<c>"status":"failed","status":"paid"</c>, at any depth) is not an answer:
/// which of the two a reader keeps is a guess, so deserializing it throws and the transport reports no usable answer.</para>
/// <para>No options-wide converters or number handling: either one turns off the serializer's fast paths for every type
/// (measured by tests/Iamport.Danal.Benchmarks). Unix-seconds times name their converter on the property instead.</para>
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(IamportResponse<TokenResponse>))]
[JsonSerializable(typeof(ChargeRequest))]
[JsonSerializable(typeof(IamportResponse<Payment>))]
[JsonSerializable(typeof(IamportResponse<IamportPage<Payment>>))]
[JsonSerializable(typeof(CancelPaymentRequest))]
[JsonSerializable(typeof(PrepareRequest))]
[JsonSerializable(typeof(IamportResponse<PreparedPayment>))]
[JsonSerializable(typeof(IamportResponse<BillingKey>))]
[JsonSerializable(typeof(IamportResponse<IReadOnlyList<Payment>>))]
[JsonSerializable(typeof(IamportResponse<IReadOnlyList<BillingKey>>))]
[JsonSerializable(typeof(ScheduleBody))]
[JsonSerializable(typeof(UnscheduleBody))]
[JsonSerializable(typeof(ScheduleAtBody))]
[JsonSerializable(typeof(IamportResponse<Schedule>))]
[JsonSerializable(typeof(IamportResponse<IReadOnlyList<Schedule>>))]
[JsonSerializable(typeof(IamportPage<Schedule>))]
[JsonSerializable(typeof(IamportResponse<ScheduleList>))]
[JsonSerializable(typeof(RequestPayParams))]
internal sealed partial class IamportJsonContext : JsonSerializerContext
{
}
