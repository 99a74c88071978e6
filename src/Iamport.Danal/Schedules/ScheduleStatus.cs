using System;
using System.Text.Json.Serialization;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

/// <summary>The state of a scheduled charge (<c>schedule_status</c>): scheduled, executed, revoked, or a value added later.</summary>
/// <remarks>An open set: values I'mport adds later are kept as they are and never throw.</remarks>
[JsonConverter(typeof(ScheduleStatusJsonConverter))]
public readonly struct ScheduleStatus : IEquatable<ScheduleStatus>
{
    private readonly string? _value;

    /// <summary>Waiting for its time (<c>scheduled</c>).</summary>
    public static readonly ScheduleStatus Scheduled = new("scheduled");

    /// <summary>Run; see the schedule's payment status for the outcome (<c>executed</c>).</summary>
    public static readonly ScheduleStatus Executed = new("executed");

    /// <summary>Revoked before it ran (<c>revoked</c>).</summary>
    public static readonly ScheduleStatus Revoked = new("revoked");

    /// <summary>Initializes a new instance of the <see cref="ScheduleStatus"/> struct.</summary>
    /// <param name="value">The value as I'mport spells it.</param>
    public ScheduleStatus(string value) => _value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>Gets the value as I'mport spells it.</summary>
    public string Value => _value ?? "";

    /// <summary>Determines whether two values are equal (ordinal).</summary>
    public static bool operator ==(ScheduleStatus left, ScheduleStatus right) => left.Equals(right);

    /// <summary>Determines whether two values differ (ordinal).</summary>
    public static bool operator !=(ScheduleStatus left, ScheduleStatus right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(ScheduleStatus other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ScheduleStatus other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}

internal sealed class ScheduleStatusJsonConverter() : StringValueConverter<ScheduleStatus>(static v => new ScheduleStatus(v), static v => v.Value);
