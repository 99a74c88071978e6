using System;

namespace Iamport.Danal;

/// <summary>The order of payments returned by <c>/payments/find</c> and <c>/payments/findAll</c> (<c>sorting</c>).</summary>
public readonly struct PaymentSorting : IEquatable<PaymentSorting>
{
    private readonly string? _value;

    /// <summary>Most recently started first (<c>-started</c>), I'mport's default.</summary>
    public static readonly PaymentSorting StartedDescending = new("-started");

    /// <summary>Earliest started first (<c>started</c>).</summary>
    public static readonly PaymentSorting Started = new("started");

    /// <summary>Most recently paid first (<c>-paid</c>).</summary>
    public static readonly PaymentSorting PaidDescending = new("-paid");

    /// <summary>Earliest paid first (<c>paid</c>).</summary>
    public static readonly PaymentSorting Paid = new("paid");

    /// <summary>Most recently updated first (<c>-updated</c>).</summary>
    public static readonly PaymentSorting UpdatedDescending = new("-updated");

    /// <summary>Least recently updated first (<c>updated</c>).</summary>
    public static readonly PaymentSorting Updated = new("updated");

    /// <summary>Initializes a new instance of the <see cref="PaymentSorting"/> struct.</summary>
    /// <param name="value">The value as I'mport spells it.</param>
    public PaymentSorting(string value) => _value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>Gets the value as I'mport spells it.</summary>
    public string Value => _value ?? StartedDescending.Value;

    /// <summary>Determines whether two values are equal (ordinal).</summary>
    public static bool operator ==(PaymentSorting left, PaymentSorting right) => left.Equals(right);

    /// <summary>Determines whether two values differ (ordinal).</summary>
    public static bool operator !=(PaymentSorting left, PaymentSorting right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(PaymentSorting other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PaymentSorting other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
