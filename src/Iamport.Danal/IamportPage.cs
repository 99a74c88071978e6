using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;

namespace Iamport.Danal;

/// <summary>One page of a list I'mport returns in pages (<c>{total, previous, next, list}</c>); see <see cref="IamportPageable{T}.AsPages"/>.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>Named <c>IamportPage</c>, not <c>Page</c>: Azure.Core has <c>Azure.Page&lt;T&gt;</c> (and <c>AsyncPageable&lt;T&gt;</c>),
/// and a shop file importing both <c>Azure</c> and <c>Iamport.Danal</c> would not compile (CS0104) with the same names.
/// The shape follows Azure's, so it reads the same: build one in a test with <see cref="FromValues"/>.</remarks>
public sealed class IamportPage<T>
{
    [JsonConstructor]
    internal IamportPage()
    {
    }

    /// <summary>Creates a page for tests, such as a mocked <see cref="IIamportClient"/>'s list (see <see cref="IamportPageable{T}.FromPages"/>).</summary>
    /// <param name="values">The items on the page.</param>
    /// <param name="total">The number of items on all pages; the number of <paramref name="values"/> when <see langword="null"/>.</param>
    /// <param name="previous">The number of the previous page, or 0 on the first page.</param>
    /// <param name="next">The number of the next page, or 0 on the last page.</param>
    /// <returns>The page.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="values"/> is <see langword="null"/>.</exception>
    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "IamportPage<Payment>.FromValues(...) reads as what it builds, as Azure's Page<T>.FromValues.")]
    public static IamportPage<T> FromValues(IReadOnlyList<T> values, int? total = null, int previous = 0, int next = 0)
    {
        Internal.Guard.NotNull(values);
        return new IamportPage<T> { Items = values, Total = total ?? values.Count, Previous = previous, Next = next };
    }

    /// <summary>Gets the number of items on all pages (<c>total</c>).</summary>
    [JsonInclude]
    public int Total { get; internal set; }

    /// <summary>Gets the number of the previous page (<c>previous</c>), or 0 on the first page.</summary>
    [JsonInclude]
    public int Previous { get; internal set; }

    /// <summary>Gets the number of the next page (<c>next</c>), or 0 on the last page.</summary>
    [JsonInclude]
    public int Next { get; internal set; }

    /// <summary>Gets the items on this page (<c>list</c>).</summary>
    [JsonPropertyName("list")]
    [JsonInclude]
    public IReadOnlyList<T> Items { get; internal set; } = [];

    /// <summary>Gets where the next page starts, for <see cref="IamportPageable{T}.AsPages"/>; <see langword="null"/> on the last page.</summary>
    [JsonIgnore]
    public string? ContinuationToken => Next > 0 ? Next.ToString(CultureInfo.InvariantCulture) : null;
}
