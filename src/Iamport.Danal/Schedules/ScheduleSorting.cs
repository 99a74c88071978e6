using System;

namespace Iamport.Danal;

/// <summary>The order of the merchant-wide schedule list (<c>sorting</c>); not set, I'mport lists the latest <c>schedule_at</c> first.</summary>
/// <remarks>An open set: a value I'mport adds later can be given with the constructor.</remarks>
public readonly struct ScheduleSorting : IEquatable<ScheduleSorting>
{
    private readonly string? _value;

    /// <summary>The earliest <c>schedule_at</c> first (<c>scheduled</c>).</summary>
    public static readonly ScheduleSorting Scheduled = new("scheduled");

    /// <summary>Initializes a new instance of the <see cref="ScheduleSorting"/> struct.</summary>
    /// <param name="value">The value as I'mport spells it.</param>
    public ScheduleSorting(string value) => _value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>Gets the value as I'mport spells it.</summary>
    public string Value => _value ?? Scheduled.Value;

    /// <summary>Determines whether two values are equal (ordinal).</summary>
    public static bool operator ==(ScheduleSorting left, ScheduleSorting right) => left.Equals(right);

    /// <summary>Determines whether two values differ (ordinal).</summary>
    public static bool operator !=(ScheduleSorting left, ScheduleSorting right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(ScheduleSorting other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ScheduleSorting other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
