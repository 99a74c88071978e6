using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Iamport.Danal.Testing.Http;

/// <summary>
/// A request body read as JSON or as <c>application/x-www-form-urlencoded</c>, as its <c>Content-Type</c> says (the
/// I'mport schema accepts both). Form keys in PHP style (<c>merchant_uid[]=a</c>, <c>schedules[0][amount]=1000</c>)
/// become arrays and objects, so the routes read one shape whatever the encoding.
/// </summary>
internal sealed class RequestBody
{
    private RequestBody(JsonObject root) => Root = root;

    public JsonObject Root { get; }

    /// <summary>Reads the body as its <c>Content-Type</c> says, like the real service's body parsers: JSON for
    /// <c>application/json</c> (<see langword="null"/> when it is not a JSON object: a 400), a form for
    /// <c>application/x-www-form-urlencoded</c>, and nothing (an empty body, so required parameters are missing) for
    /// no type or any other type. <paramref name="anyAsJson"/> reads every body as JSON (the simulated window's own route).</summary>
    public static RequestBody? Read(FakeRequest request, bool anyAsJson = false)
    {
        var mediaType = MediaType(request.ContentType);
        var isJson = anyAsJson || mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);
        var isForm = mediaType == "application/x-www-form-urlencoded";
        if (request.Body.Length == 0 || !(isJson || isForm))
        {
            return new RequestBody(new JsonObject());
        }

        var text = Encoding.UTF8.GetString(request.Body);
        if (isForm)
        {
            return new RequestBody(FromForm(text));
        }

        try
        {
            return JsonNode.Parse(text) is JsonObject json ? new RequestBody(json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string MediaType(string? contentType)
    {
        var type = contentType ?? "";
        var semicolon = type.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? type : type[..semicolon]).Trim().ToLowerInvariant();
    }

    /// <summary>Wraps an object already parsed, e.g. one item of an array.</summary>
    public static RequestBody FromObject(JsonObject root) => new(root);

    public static JsonObject FromForm(string text)
    {
        var root = new JsonObject();
        foreach (var (key, value) in QueryString.ParsePairs(text))
        {
            var path = SplitKey(key);
            JsonNode container = root;
            for (var i = 0; i < path.Count; i++)
            {
                var last = i == path.Count - 1;
                var segment = path[i];
                var nextIsIndex = !last && (path[i + 1].Length == 0 || int.TryParse(path[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out _));
                container = Step(container, segment, last ? null : nextIsIndex ? new JsonArray() : new JsonObject(), value);
            }
        }

        return root;
    }

    private static JsonNode Step(JsonNode container, string segment, JsonNode? child, string value)
    {
        if (container is JsonArray array)
        {
            if (segment.Length == 0)
            {
                array.Add(child ?? JsonValue.Create(value));
                return child ?? array;
            }

            var index = int.Parse(segment, NumberStyles.None, CultureInfo.InvariantCulture);
            while (array.Count <= index)
            {
                array.Add(null);
            }

            if (child is null)
            {
                array[index] = JsonValue.Create(value);
                return array;
            }

            return array[index] ??= child;
        }

        var obj = (JsonObject)container;
        if (child is null)
        {
            obj[segment] = JsonValue.Create(value);
            return obj;
        }

        if (obj[segment] is { } existing && existing.GetValueKind() == child.GetValueKind())
        {
            return existing;
        }

        obj[segment] = child;
        return child;
    }

    private static List<string> SplitKey(string key)
    {
        var open = key.IndexOf('[', StringComparison.Ordinal);
        if (open <= 0)
        {
            return [key];
        }

        var parts = new List<string> { key[..open] };
        var rest = key[open..];
        while (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                break;
            }

            parts.Add(rest[1..close]);
            rest = rest[(close + 1)..];
        }

        return parts;
    }

    public string? String(string name) => AsString(Root[name]);

    public decimal? Decimal(string name) => AsDecimal(Root[name]);

    public bool Bool(string name) => AsBool(Root[name]);

    public static string? AsString(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => value.GetValueKind() == JsonValueKind.True ? "true" : "false",
        _ => node.ToJsonString(),
    };

    public static decimal? AsDecimal(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.Number => value.GetValue<decimal>(),
            JsonValueKind.String when decimal.TryParse(value.GetValue<string>(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    public static bool AsBool(JsonNode? node) => AsString(node) is { } text
        && (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text == "1");

    /// <summary>A string list from an array, a single string, or nothing.</summary>
    public IReadOnlyList<string>? StringList(string name) => Root[name] switch
    {
        null => null,
        JsonArray array => array.Select(AsString).OfType<string>().ToList(),
        var single => AsString(single) is { } text ? [text] : [],
    };
}
