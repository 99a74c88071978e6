using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Iamport.Danal.Internal;

/// <summary>Reads and writes an open string value type (status, PG code, …) as a plain JSON string.</summary>
/// <remarks>Unknown values are kept as they are: I'mport may add new ones at any time.</remarks>
internal abstract class StringValueConverter<T> : JsonConverter<T>
    where T : struct
{
    private readonly Func<string, T> _create;
    private readonly Func<T, string?> _value;

    protected StringValueConverter(Func<string, T> create, Func<T, string?> value)
    {
        _create = create;
        _value = value;
    }

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? _create(reader.GetString()!) : throw new JsonException($"Expected a string for {typeof(T).Name}.");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(_value(value));
}
