using System;
using System.Text.Json.Serialization;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

/// <summary>The payment method (<c>pay_method</c>).</summary>
/// <remarks>An open set: values I'mport adds later are kept as they are and never throw.</remarks>
[JsonConverter(typeof(PayMethodJsonConverter))]
public readonly struct PayMethod : IEquatable<PayMethod>
{
    private readonly string? _value;

    /// <summary>Credit or check card (<c>card</c>), the only method Danal billing supports.</summary>
    public static readonly PayMethod Card = new("card");

    /// <summary>Initializes a new instance of the <see cref="PayMethod"/> struct.</summary>
    /// <param name="value">The value as I'mport spells it.</param>
    public PayMethod(string value) => _value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>Gets the value as I'mport spells it.</summary>
    public string Value => _value ?? "";

    /// <summary>Determines whether two values are equal (ordinal).</summary>
    public static bool operator ==(PayMethod left, PayMethod right) => left.Equals(right);

    /// <summary>Determines whether two values differ (ordinal).</summary>
    public static bool operator !=(PayMethod left, PayMethod right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(PayMethod other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PayMethod other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}

internal sealed class PayMethodJsonConverter() : StringValueConverter<PayMethod>(static v => new PayMethod(v), static v => v.Value);
