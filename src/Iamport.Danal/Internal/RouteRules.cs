using System;

namespace Iamport.Danal.Internal;

/// <summary>Route and text safety: what any value must be to go into a request path, a query or a JSON body at all,
/// whatever Danal's business limits are (those live in <see cref="DanalRules"/>).</summary>
/// <remarks>
/// <para>Every text rule refuses an unpaired UTF-16 surrogate: it cannot be written as UTF-8, and the JSON writer would
/// silently send U+FFFD instead. An id that goes into a path must stay one segment of the route it was meant for
/// (<see cref="PathSegment"/>, the one check, which <see cref="ApiRequest.Segment"/> applies to every path).</para>
/// <para>Each rule throws an <see cref="ArgumentException"/> naming the parameter and, in the message, the I'mport field
/// and the rule; never the value, which may be a customer_uid.</para>
/// </remarks>
internal static class RouteRules
{
    /// <summary>A required identifier of <c>[A-Za-z0-9_-]</c> (merchant_uid, channel key, merchant code, URL prefix).</summary>
    public static void Identifier(string? value, string paramName, string field, int maxLength)
    {
        Required(value, paramName, field, maxLength);
        if (!IsIdentifier(value!))
        {
            throw new ArgumentException($"{field} may contain only A-Z, a-z, 0-9, '_' and '-'.", paramName);
        }
    }

    // ---- Addresses ----

    /// <summary>An optional absolute http(s) URL (<c>notice_url</c>, <c>m_redirect_url</c>): no whitespace, control character or <c>\</c>, which browsers and servers read differently.</summary>
    public static void HttpUrl(string? value, string paramName, string field)
    {
        if (value is null)
        {
            return;
        }

        Text(value, paramName, field);
        bool valid = Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && (uri.Scheme == "http" || uri.Scheme == "https");
        for (int i = 0; valid && i < value.Length; i++)
        {
            valid = !char.IsWhiteSpace(value[i]) && !char.IsControl(value[i]) && value[i] != '\\';
        }

        if (!valid)
        {
            throw new ArgumentException($"{field} must be an absolute http or https URL (no whitespace, control characters or '\\').", paramName);
        }
    }

    // ---- Text ----

    /// <summary>A required text: not empty or white space, at most <paramref name="maxLength"/> characters, no unpaired surrogate.</summary>
    public static void Required(string? value, string paramName, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{field} is required.", paramName);
        }

        MaxLength(value, paramName, field, maxLength);
    }

    /// <summary>An optional text of at most <paramref name="maxLength"/> characters, no unpaired surrogate.</summary>
    public static void MaxLength(string? value, string paramName, string field, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            throw new ArgumentException($"{field} must be at most {maxLength} characters (it has {value.Length}).", paramName);
        }

        Text(value, paramName, field);
    }

    /// <summary>An optional text of any length (custom_data, reason, …): no unpaired UTF-16 surrogate.</summary>
    public static void Text(string? value, string paramName, string field)
    {
        if (value is not null && HasLoneSurrogate(value))
        {
            throw new ArgumentException($"{field} must not contain a lone surrogate (an unpaired UTF-16 surrogate): it cannot be sent as UTF-8.", paramName);
        }
    }

    /// <summary>An optional JSON object written as text (a <c>bypass</c> I'mport passes on unchanged): it must parse as
    /// one JSON object, or the PG would receive what it cannot read.</summary>
    public static void JsonObjectText(string? value, string paramName, string field)
    {
        if (value is null)
        {
            return;
        }

        Text(value, paramName, field);
        bool valid;
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(value);
            valid = document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            valid = false;
        }

        if (!valid)
        {
            throw new ArgumentException($"{field} must be a JSON object written as text, such as {{\"KEY\":\"value\"}}.", paramName);
        }
    }

    /// <summary>Returns whether <paramref name="value"/> holds a high surrogate without its low one, or a low one alone.</summary>
    public static bool HasLoneSurrogate(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    // ---- Path segments ----

    /// <summary>An id that goes into a request path: required, at most <paramref name="maxLength"/> characters, and one segment that keeps the route.</summary>
    public static void PathId(string? value, string paramName, string field, int maxLength)
    {
        Required(value, paramName, field, maxLength);
        PathSegment(value!, paramName, field);
    }

    /// <summary>The one path-segment check: no unpaired surrogate, and <see cref="KeepsRoute"/>.</summary>
    public static void PathSegment(string value, string paramName, string field)
    {
        Text(value, paramName, field);
        if (!KeepsRoute(value))
        {
            throw new ArgumentException(
                $"{field} goes into the request path: it must not be '.' or '..' and must not contain '/', '\\', '?', '#' or control characters, also once percent-decoded.",
                paramName);
        }
    }

    /// <summary>Returns whether <paramref name="value"/>, escaped as one path segment, addresses the route it was meant for.</summary>
    /// <remarks>
    /// Refuses <c>.</c> and <c>..</c> (also as <c>..;x</c>, which some servers read as <c>..</c>) and <c>/</c>, <c>\</c>,
    /// <c>?</c>, <c>#</c> and control characters; and the same after each round of percent-decoding (<c>%2e%2e</c>,
    /// <c>%252f</c>), because a proxy or server that decodes once more than it should must still see the same route.
    /// </remarks>
    public static bool KeepsRoute(string value)
    {
        string current = value;
        while (true)
        {
            int semicolon = current.IndexOf(';');
            string head = semicolon < 0 ? current : current.Substring(0, semicolon);
            if (head is "." or "..")
            {
                return false;
            }

            foreach (char c in current)
            {
                if (char.IsControl(c) || c is '/' or '\\' or '?' or '#')
                {
                    return false;
                }
            }

            if (current.IndexOf('%') < 0)
            {
                return true;
            }

            string decoded = Uri.UnescapeDataString(current);
            if (decoded.Length == current.Length)
            {
                return true; // nothing decodable left: each round that decodes something gets shorter, so this ends
            }

            current = decoded;
        }
    }

    // ---- Character classes ----

    /// <summary>Returns whether every character of <paramref name="value"/> is in <c>[A-Za-z0-9_-]</c>.</summary>
    public static bool IsIdentifier(string value)
    {
        foreach (char c in value)
        {
            if (!IsIdentifierChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns whether <paramref name="c"/> is in <c>[A-Za-z0-9_-]</c>.</summary>
    public static bool IsIdentifierChar(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-';
}
