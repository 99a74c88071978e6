using System;
using System.Collections.Generic;

namespace Iamport.Danal.Testing.Http;

/// <summary>A transport-neutral request: what both the in-process handler and the Kestrel middleware hand to the core.</summary>
internal sealed class FakeRequest
{
    public FakeRequest(string method, string path, string? query, IReadOnlyDictionary<string, string> headers, byte[] body, string? contentType)
    {
        Method = method.ToUpperInvariant();
        Path = path;
        QueryPairs = QueryString.ParsePairs(query);
        Query = QueryString.Parse(query);
        Headers = headers;
        Body = body;
        ContentType = contentType;
    }

    public string Method { get; }

    /// <summary>The unescaped path without the query, e.g. <c>/payments/find/order-1</c>.</summary>
    public string Path { get; }

    public IReadOnlyDictionary<string, string> Query { get; }

    /// <summary>Every query pair in order, repeated names included (<c>imp_uid[]=a&amp;imp_uid[]=b</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> QueryPairs { get; }

    /// <summary>Headers by case-insensitive name (the first value of each).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    public byte[] Body { get; }

    public string? ContentType { get; }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string? QueryValue(string name) => Query.TryGetValue(name, out var value) ? value : null;

    public IReadOnlyList<string> QueryValues(string name)
    {
        var values = new List<string>();
        foreach (var pair in QueryPairs)
        {
            if (string.Equals(pair.Key, name, StringComparison.Ordinal))
            {
                values.Add(pair.Value);
            }
        }

        return values;
    }

    public static Dictionary<string, string> NewHeaderDictionary() => new(StringComparer.OrdinalIgnoreCase);
}
