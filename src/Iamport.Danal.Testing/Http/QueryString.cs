using System;
using System.Collections.Generic;

namespace Iamport.Danal.Testing.Http;

/// <summary>Parses <c>a=1&amp;b=2</c> (a query string or a form body) into ordered pairs.</summary>
internal static class QueryString
{
    public static List<KeyValuePair<string, string>> ParsePairs(string? text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(text))
        {
            return pairs;
        }

        foreach (var part in text.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? "" : part[(equals + 1)..];
            pairs.Add(new(Decode(name), Decode(value)));
        }

        return pairs;
    }

    public static Dictionary<string, string> Parse(string? text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in ParsePairs(text))
        {
            result.TryAdd(pair.Key, pair.Value);
        }

        return result;
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
