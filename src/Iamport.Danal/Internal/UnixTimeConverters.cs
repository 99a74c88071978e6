using System;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Iamport.Danal.Internal;

/// <summary>Reads I'mport unix-seconds times; 0 means "did not happen" and becomes <see langword="null"/>.</summary>
internal sealed class NullableUnixSecondsConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        long seconds = UnixSecondsConverter.ReadSeconds(ref reader);
        return seconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } time)
        {
            writer.WriteNumberValue(time.ToUnixTimeSeconds());
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>Writes a <see cref="DateTimeOffset"/> as unix seconds; the offset is irrelevant, the instant is kept.</summary>
internal sealed class UnixSecondsConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.FromUnixTimeSeconds(ReadSeconds(ref reader));

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value.ToUnixTimeSeconds());

    // DateTimeOffset's range in unix seconds (0001-01-01 to 9999-12-31): anything outside is not a time but a broken
    // reply, reported as a JsonException so the envelope counts as unusable (never an ArgumentOutOfRangeException).
    private const long MinSeconds = -62_135_596_800;
    private const long MaxSeconds = 253_402_300_799;

    internal static long ReadSeconds(ref Utf8JsonReader reader)
    {
        long seconds = reader.TokenType switch
        {
            JsonTokenType.Null => 0,
            JsonTokenType.Number when reader.TryGetInt64(out long whole) => whole,
            JsonTokenType.Number when reader.TryGetDouble(out double real) && real >= MinSeconds && real <= MaxSeconds => (long)real,
            JsonTokenType.String when long.TryParse(reader.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out long parsed) => parsed,
            _ => throw new JsonException("Expected unix seconds."),
        };
        return seconds is >= MinSeconds and <= MaxSeconds ? seconds : throw new JsonException("Unix seconds out of range.");
    }
}
