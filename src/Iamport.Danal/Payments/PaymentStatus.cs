using System;
using System.Text.Json.Serialization;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

/// <summary>The status of a payment (<c>status</c>): ready, paid, cancelled, failed, or a value added later.</summary>
/// <remarks>An open set: values I'mport adds later are kept as they are and never throw.</remarks>
[JsonConverter(typeof(PaymentStatusJsonConverter))]
public readonly struct PaymentStatus : IEquatable<PaymentStatus>
{
    private readonly string? _value;

    /// <summary>Not paid yet (<c>ready</c>).</summary>
    public static readonly PaymentStatus Ready = new("ready");

    /// <summary>Approved (<c>paid</c>).</summary>
    public static readonly PaymentStatus Paid = new("paid");

    /// <summary>Fully cancelled (<c>cancelled</c>).</summary>
    public static readonly PaymentStatus Cancelled = new("cancelled");

    /// <summary>Declined or failed (<c>failed</c>).</summary>
    public static readonly PaymentStatus Failed = new("failed");

    /// <summary>Initializes a new instance of the <see cref="PaymentStatus"/> struct.</summary>
    /// <param name="value">The value as I'mport spells it.</param>
    public PaymentStatus(string value) => _value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>Gets the value as I'mport spells it.</summary>
    public string Value => _value ?? "";

    /// <summary>Determines whether two values are equal (ordinal).</summary>
    public static bool operator ==(PaymentStatus left, PaymentStatus right) => left.Equals(right);

    /// <summary>Determines whether two values differ (ordinal).</summary>
    public static bool operator !=(PaymentStatus left, PaymentStatus right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(PaymentStatus other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PaymentStatus other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}

internal sealed class PaymentStatusJsonConverter() : StringValueConverter<PaymentStatus>(static v => new PaymentStatus(v), static v => v.Value);
