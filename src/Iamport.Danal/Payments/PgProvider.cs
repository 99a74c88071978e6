using System;
using System.Text.Json.Serialization;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

/// <summary>The PG that processed a payment or holds a billing key (<c>pg_provider</c>).</summary>
/// <remarks>An open set: values I'mport adds later are kept as they are and never throw.</remarks>
[JsonConverter(typeof(PgProviderJsonConverter))]
public readonly struct PgProvider : IEquatable<PgProvider>
{
    private readonly string? _value;

    /// <summary>Danal credit card (<c>danal_tpay</c>).</summary>
    public static readonly PgProvider DanalTpay = new("danal_tpay");

    /// <summary>Initializes a new instance of the <see cref="PgProvider"/> struct.</summary>
    /// <param name="value">The value as I'mport spells it.</param>
    public PgProvider(string value) => _value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>Gets the value as I'mport spells it.</summary>
    public string Value => _value ?? "";

    /// <summary>Determines whether two values are equal (ordinal).</summary>
    public static bool operator ==(PgProvider left, PgProvider right) => left.Equals(right);

    /// <summary>Determines whether two values differ (ordinal).</summary>
    public static bool operator !=(PgProvider left, PgProvider right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(PgProvider other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PgProvider other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}

internal sealed class PgProviderJsonConverter() : StringValueConverter<PgProvider>(static v => new PgProvider(v), static v => v.Value);
