using System;
using System.Text.Json.Serialization;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

/// <summary>What a payment did with its billing key (<c>customer_uid_usage</c>).</summary>
/// <remarks>An open set: values I'mport adds later are kept as they are and never throw.</remarks>
[JsonConverter(typeof(CustomerUidUsageJsonConverter))]
public readonly struct CustomerUidUsage : IEquatable<CustomerUidUsage>
{
    private readonly string? _value;

    /// <summary>The payment window issued the key (<c>issue</c>).</summary>
    public static readonly CustomerUidUsage Issue = new("issue");

    /// <summary>A charge of a stored key (<c>payment</c>).</summary>
    public static readonly CustomerUidUsage Payment = new("payment");

    /// <summary>A scheduled charge of a stored key (<c>payment.scheduled</c>).</summary>
    public static readonly CustomerUidUsage ScheduledPayment = new("payment.scheduled");

    /// <summary>Initializes a new instance of the <see cref="CustomerUidUsage"/> struct.</summary>
    /// <param name="value">The value as I'mport spells it.</param>
    public CustomerUidUsage(string value) => _value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>Gets the value as I'mport spells it.</summary>
    public string Value => _value ?? "";

    /// <summary>Determines whether two values are equal (ordinal).</summary>
    public static bool operator ==(CustomerUidUsage left, CustomerUidUsage right) => left.Equals(right);

    /// <summary>Determines whether two values differ (ordinal).</summary>
    public static bool operator !=(CustomerUidUsage left, CustomerUidUsage right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(CustomerUidUsage other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CustomerUidUsage other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}

internal sealed class CustomerUidUsageJsonConverter() : StringValueConverter<CustomerUidUsage>(static v => new CustomerUidUsage(v), static v => v.Value);
