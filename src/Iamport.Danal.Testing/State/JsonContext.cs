using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Iamport.Danal.Testing.State;

/// <summary>Source-generated serialization of the records, snake_case and with nulls written as the real API does.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PaymentRecord))]
[JsonSerializable(typeof(CustomerRecord))]
[JsonSerializable(typeof(ScheduleRecord))]
[JsonSerializable(typeof(PreparedRecord))]
[JsonSerializable(typeof(List<CancelRecord>))]
internal sealed partial class FakeJsonContext : JsonSerializerContext
{
    public static JsonNode ToNode(PaymentRecord record) => JsonSerializer.SerializeToNode(record, Default.PaymentRecord)!;

    public static JsonNode ToNode(CustomerRecord record) => JsonSerializer.SerializeToNode(record, Default.CustomerRecord)!;

    public static JsonNode ToNode(ScheduleRecord record) => JsonSerializer.SerializeToNode(record, Default.ScheduleRecord)!;

    public static JsonNode ToNode(PreparedRecord record) => JsonSerializer.SerializeToNode(record, Default.PreparedRecord)!;
}
