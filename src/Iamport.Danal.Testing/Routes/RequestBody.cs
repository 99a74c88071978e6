using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Iamport.Danal.Testing.Routes;

/// <summary>
/// A request body read as JSON or as <c>application/x-www-form-urlencoded</c> (the I'mport schema accepts both). Form
/// keys in PHP style (<c>merchant_uid[]=a</c>, <c>schedules[0][amount]=1000</c>) become arrays and objects, so the
/// routes read one shape whatever the encoding.
/// </summary>
internal sealed class RequestBody
{
    private RequestBody(JsonObject root) => Root = root;

    public JsonObject Root { get; }

    /// <summary>No body, or one of a type the real service does not read: every parameter is missing.</summary>
    public static RequestBody Empty() => new(new JsonObject());

    /// <summary>A JSON body; <see langword="null"/> when it is not a JSON object (a 400).</summary>
    public static RequestBody? FromJson(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject json ? new RequestBody(json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Wraps an object already parsed, e.g. one item of an array.</summary>
    public static RequestBody FromObject(JsonObject root) => new(root);

    /// <summary>A form body, its PHP-style keys nested.</summary>
    public static RequestBody FromForm(IFormCollection form)
    {
        var root = new JsonObject();
        foreach (var (key, values) in form)
        {
            foreach (var value in values)
            {
                Add(root, key, value ?? "");
            }
        }

        return new RequestBody(root);
    }

    private static void Add(JsonObject root, string key, string value)
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
