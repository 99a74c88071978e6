using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace Iamport.Danal.Internal;

/// <summary>Reads the flat fields of a body from outside (a browser callback, a redirect query, a webhook) with one set of rules.</summary>
/// <remarks>
/// <para>Any input gives the fields or a <see cref="FormatException"/>: never another exception type.</para>
/// <list type="bullet">
/// <item>Size: at most <see cref="MaxLength"/> UTF-8 bytes (or characters of a string).</item>
/// <item>Text: valid UTF-8 and UTF-16; no unpaired surrogate, raw or escaped (<c>\ud800</c>), in any JSON string; a form
/// name, and every value that is read, must percent-decode to valid UTF-8.</item>
/// <item>JSON: one object; nesting at most <see cref="MaxDepth"/>; values of read fields are strings, numbers, booleans or
/// null (objects and arrays read as null).</item>
/// <item>Duplicates, alike in JSON and form: a field that is read may appear once; fields that are not read are ignored.</item>
/// </list>
/// </remarks>
internal static class UntrustedFields
{
    /// <summary>Largest body read: 64 KiB, far above a full <c>rsp</c> object or a webhook.</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>Deepest JSON nesting read.</summary>
    public const int MaxDepth = 32;

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Checks size and UTF-16 of a string body and returns it as UTF-8.</summary>
    public static byte[] ToUtf8(string text, string source)
    {
        CheckText(text, source);
        return Strict.GetBytes(text); // cannot throw: no lone surrogate
    }

    /// <summary>Checks the size of a string body and that it has no unpaired surrogate.</summary>
    public static void CheckText(string text, string source)
    {
        if (text.Length > MaxLength)
        {
            throw TooLarge(source);
        }

        if (RouteRules.HasLoneSurrogate(text))
        {
            throw new FormatException($"The {source} has an unpaired UTF-16 surrogate.");
        }
    }

    /// <summary>Reads the top-level fields named in <paramref name="read"/> of a JSON object.</summary>
    public static Dictionary<string, string?> ReadJson(ReadOnlySpan<byte> utf8Json, string source, string[] read)
    {
        if (utf8Json.Length > MaxLength)
        {
            throw TooLarge(source);
        }

        CheckUtf8(utf8Json, source);
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException($"The {source} must be a JSON object (it is not an object).");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                string? value = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.True or JsonTokenType.False or JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan.ToArray()),
                    _ => null,
                };
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    SkipChecked(ref reader);
                }

                Add(fields, name, value, read, source);
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw new FormatException($"The {source} must be a single JSON object.");
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The {source} is not valid JSON.", ex);
        }
        catch (InvalidOperationException ex)
        {
            // GetString: an escaped unpaired surrogate (\ud800) cannot become a .NET string.
            throw new FormatException($"The {source} has a JSON string that is not valid UTF-16 (an unpaired surrogate).", ex);
        }

        return fields;
    }

    /// <summary>Reads the fields named in <paramref name="read"/> of <c>name=value&amp;…</c> text (a query or a form body).</summary>
    /// <param name="text">The text, already checked by <see cref="CheckText"/>.</param>
    /// <param name="source">What the text is, for messages.</param>
    /// <param name="read">The field names to keep.</param>
    /// <param name="requireEquals">Whether every pair must be <c>name=value</c> with a name (a form), or may be a bare name (a query).</param>
    public static Dictionary<string, string?> ReadPairs(string text, string source, string[] read, bool requireEquals)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string pair in text.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            int equals = pair.IndexOf('=');
            if (requireEquals && equals <= 0)
            {
                throw new FormatException($"The {source} is neither a JSON object nor form-urlencoded data (a field has no name or no '=').");
            }

            string name = Unescape(equals < 0 ? pair : pair.Substring(0, equals), source);
            if (Array.IndexOf(read, name) >= 0)
            {
                Add(fields, name, equals < 0 ? "" : Unescape(pair.Substring(equals + 1), source), read, source);
            }
        }

        return fields;
    }

    /// <summary>Adds a field that is read, refusing a second occurrence; ignores fields that are not read.</summary>
    public static void Add(Dictionary<string, string?> fields, string name, string? value, string[] read, string source)
    {
        if (Array.IndexOf(read, name) < 0)
        {
            return;
        }

        if (fields.ContainsKey(name))
        {
            throw new FormatException($"{name} appears more than once in the {source}.");
        }

        if (value is not null && RouteRules.HasLoneSurrogate(value))
        {
            throw new FormatException($"{name} in the {source} has an unpaired UTF-16 surrogate.");
        }

        fields.Add(name, value);
    }

    /// <summary>Returns the field's value, or <see langword="null"/> when it is absent, empty or white space.</summary>
    public static string? Value(Dictionary<string, string?> fields, string name) =>
        fields.TryGetValue(name, out string? value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    private static FormatException TooLarge(string source) =>
        new($"The {source} is larger than {MaxLength} bytes.");

    private static void CheckUtf8(ReadOnlySpan<byte> utf8, string source)
    {
#if NET
        bool valid = System.Text.Unicode.Utf8.IsValid(utf8);
#else
        bool valid = true;
        try
        {
            Strict.GetCharCount(utf8.ToArray());
        }
        catch (DecoderFallbackException)
        {
            valid = false;
        }
#endif
        if (!valid)
        {
            throw new FormatException($"The {source} is not valid UTF-8.");
        }
    }

    /// <summary>Skips the object or array the reader is on, checking that every string in it can be read.</summary>
    private static void SkipChecked(ref Utf8JsonReader reader)
    {
        int depth = reader.CurrentDepth;
        do
        {
            if (!reader.Read())
            {
                throw new JsonException("The JSON ends inside an object or array.");
            }

            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
            {
                _ = reader.GetString();
            }
        }
        while (reader.CurrentDepth > depth);
    }

    /// <summary>Decodes <c>+</c> and <c>%XX</c> (a <c>%</c> without two hex digits stays, as in ASP.NET Core); the bytes must form valid UTF-8.</summary>
    private static string Unescape(string value, string source)
    {
        if (value.IndexOf('%') < 0)
        {
            return value.Replace('+', ' ');
        }

        var bytes = new List<byte>(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '%' && i + 2 < value.Length && Hex(value[i + 1]) is { } high && Hex(value[i + 2]) is { } low)
            {
                bytes.Add((byte)((high << 4) | low));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes.Add(c == '+' ? (byte)' ' : (byte)c);
            }
            else
            {
                int length = char.IsHighSurrogate(c) ? 2 : 1; // the text has no unpaired surrogate
                bytes.AddRange(Strict.GetBytes(value.Substring(i, length)));
                i += length - 1;
            }
        }

        try
        {
            return Strict.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException ex)
        {
            throw new FormatException($"The {source} has a percent-encoded value that is not valid UTF-8.", ex);
        }
    }

    private static int? Hex(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => null,
    };
}
