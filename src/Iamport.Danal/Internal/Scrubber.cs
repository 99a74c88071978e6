using System;
using System.Text;

namespace Iamport.Danal.Internal;

/// <summary>
/// The one place that removes secrets from text leaving the library (exception messages, excerpts, log arguments,
/// activity tags): the current and previous access token, <c>imp_key</c>, <c>imp_secret</c>, the request's
/// customer_uid raw and URL-encoded, any <c>Bearer</c>/<c>Authorization</c> value and JSON secret fields.
/// </summary>
/// <remarks>Plain scans, no regular expression: callers pass short, bounded text (an excerpt is cut before it gets here).</remarks>
internal readonly struct Scrubber
{
    /// <summary>Keys and secrets shorter than this are not treated as secrets: replacing "k" everywhere would garble every message.</summary>
    private const int MinSecretLength = 4;
    private const string Mask = "***";
    private static readonly string[] SecretFields = ["access_token", "imp_secret", "imp_key", "customer_uid", "card_number"];

    private readonly IamportOptions? _options;
    private readonly AccessTokenCache? _tokens;
    private readonly string? _token;
    private readonly string? _sensitive;

    public Scrubber(IamportOptions? options, AccessTokenCache? tokens, string? token, string? sensitive)
    {
        _options = options;
        _tokens = tokens;
        _token = token;
        _sensitive = sensitive;
    }

    public string? Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        // The customer_uid is replaced whatever its length (it is the caller's own identifier, echoed in paths).
        if (!string.IsNullOrEmpty(_sensitive))
        {
            text = text!.Replace(_sensitive, Mask).Replace(Uri.EscapeDataString(_sensitive), Mask).Replace(System.Net.WebUtility.UrlEncode(_sensitive), Mask);
        }

        text = Replace(text!, _token);
        text = Replace(text, _tokens?.CurrentToken);
        text = Replace(text, _tokens?.PreviousToken);
        text = Replace(text, _options?.ImpKey);
        text = Replace(text, _options?.ImpSecret);
        text = MaskAfter(text, "bearer", requireSeparator: false);
        text = MaskAfter(text, "authorization", requireSeparator: true);
        foreach (string field in SecretFields)
        {
            text = MaskAfter(text, "\"" + field + "\"", requireSeparator: true);
        }

        return text;
    }

    private static string Replace(string text, string? secret) =>
        secret is null || secret.Length < MinSecretLength ? text : text.Replace(secret, Mask);

    /// <summary>Masks the value that follows <paramref name="keyword"/> (case-insensitive): <c>Bearer abc</c>,
    /// <c>Authorization: abc</c>, <c>"imp_secret":"abc"</c>.</summary>
    private static string MaskAfter(string text, string keyword, bool requireSeparator)
    {
        int at = text.IndexOf(keyword, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        int copied = 0;
        while (at >= 0)
        {
            int i = at + keyword.Length;
            int separatorEnd = SkipSeparator(text, i, requireSeparator);
            if (separatorEnd < 0)
            {
                at = text.IndexOf(keyword, i, StringComparison.OrdinalIgnoreCase);
                continue;
            }

            int end = separatorEnd;
            while (end < text.Length && !IsValueEnd(text[end]))
            {
                end++;
            }

            if (end > separatorEnd && !string.Equals(text.Substring(separatorEnd, end - separatorEnd), Mask, StringComparison.Ordinal)
                && !text.Substring(separatorEnd, end - separatorEnd).Equals("bearer", StringComparison.OrdinalIgnoreCase))
            {
                result.Append(text, copied, separatorEnd - copied).Append(Mask);
                copied = end;
            }

            at = end < text.Length ? text.IndexOf(keyword, end, StringComparison.OrdinalIgnoreCase) : -1;
        }

        return copied == 0 ? text : result.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>The index after the blanks, quotes and one <c>:</c> or <c>=</c> that follow a keyword, or -1 when there is no value.</summary>
    private static int SkipSeparator(string text, int i, bool requireSeparator)
    {
        bool separated = false;
        int start = i;
        while (i < text.Length)
        {
            char c = text[i];
            if (c is ':' or '=' && !separated)
            {
                separated = true;
            }
            else if (c is not (' ' or '\t' or '"' or '\''))
            {
                break;
            }

            i++;
        }

        return (requireSeparator && !separated) || i == start ? -1 : i;
    }

    private static bool IsValueEnd(char c) => char.IsWhiteSpace(c) || c is '"' or '\'' or '<' or '>' or ',' or ';' or '&' or '}' or ']' or ')';
}
