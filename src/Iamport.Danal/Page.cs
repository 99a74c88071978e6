using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Serialization;

namespace Iamport.Danal;

/// <summary>One page of a list I'mport returns in pages (<c>{total, previous, next, list}</c>); see <see cref="AsyncPageable{T}.AsPages"/>.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class Page<T>
{
    /// <summary>Gets or sets the number of items on all pages (<c>total</c>).</summary>
    public int Total { get; set; }

    /// <summary>Gets or sets the number of the previous page (<c>previous</c>), or 0 on the first page.</summary>
    public int Previous { get; set; }

    /// <summary>Gets or sets the number of the next page (<c>next</c>), or 0 on the last page.</summary>
    public int Next { get; set; }

    /// <summary>Gets or sets the items on this page (<c>list</c>).</summary>
    [JsonPropertyName("list")]
    public IReadOnlyList<T> Items { get; set; } = [];

    /// <summary>Gets where the next page starts, for <see cref="AsyncPageable{T}.AsPages"/>; <see langword="null"/> on the last page.</summary>
    [JsonIgnore]
    public string? ContinuationToken => Next > 0 ? Next.ToString(CultureInfo.InvariantCulture) : null;
}
