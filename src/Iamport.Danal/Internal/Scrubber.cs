using System;
using System.Collections.Generic;
using System.Text;

namespace Iamport.Danal.Internal;

/// <summary>
/// The one place that removes secrets from text leaving the library (exception messages, excerpts, log arguments,
/// activity tags): the current and previous access token, <c>imp_key</c>, <c>imp_secret</c>, the request's
/// customer_uid(s), any <c>Bearer</c>/<c>Authorization</c> value and JSON secret fields.
/// </summary>
/// <remarks>
/// <para>A secret is found in every form a server may echo it in, not only as sent: percent-encoded (either case of hex,
/// <c>+</c> or <c>%20</c> for a space), as JSON escapes (<c>\u0041</c>, <c>\"</c>), as HTML entities (<c>&amp;amp;</c>,
/// <c>&amp;#38;</c>, <c>&amp;#x26;</c>), nested one in another, in any letter case, and with its whitespace collapsed,
/// changed or dropped. The text is decoded into a canonical form that remembers where each character came from, the
/// canonical secrets are searched in it, and what they came from is masked whole.</para>
/// <para>A text that ends in the first characters of a secret (an excerpt cut in the middle of one) loses its whole tail
/// from there: no prefix longer than <see cref="MaxPrefix"/> characters survives.</para>
/// <para>Plain scans, no regular expression; the work is linear in the text's length times the number of secrets
/// (a handful), plus a bounded look at the text's end.</para>
/// </remarks>
internal readonly struct Scrubber
{
    /// <summary>Keys and secrets shorter than this are not treated as secrets: replacing "k" everywhere would garble every message.</summary>
    private const int MinSecretLength = 4;

    /// <summary>The longest beginning of a secret that may stand at the end of a text (shorter ones are too common to mean anything).</summary>
    private const int MaxPrefix = 4;

    /// <summary>How many characters may follow a secret's cut beginning at the end of a text (the remains of a cut escape, an ellipsis).</summary>
    private const int TailSlack = 12;

    /// <summary>How often escapes are decoded inside decoded text (<c>%2526</c> is <c>%26</c> is <c>&amp;</c>).</summary>
    private const int DecodePasses = 3;

    private const string Mask = "***";
    private static readonly char[] EscapeStarts = ['%', '\\', '&'];
    private static readonly string[] SecretFields = ["access_token", "imp_secret", "imp_key", "customer_uid", "card_number"];

    private readonly IamportSettings? _options;
    private readonly AccessTokenCache? _tokens;
    private readonly string? _token;
    private readonly string? _sensitive;

    /// <param name="options">The settings, for <c>imp_key</c> and <c>imp_secret</c>.</param>
    /// <param name="tokens">The token cache, for the current and previous token.</param>
    /// <param name="token">The token the request was sent with.</param>
    /// <param name="sensitive">The request's customer_uid, or several separated by line feeds (a customer_uid holds no control character).</param>
    public Scrubber(IamportSettings? options, AccessTokenCache? tokens, string? token, string? sensitive)
    {
        _options = options;
        _tokens = tokens;
        _token = token;
        _sensitive = sensitive;
    }

    /// <summary>Joins several customer_uids into the one <c>sensitive</c> value the constructor takes.</summary>
    public static string? Sensitive(IReadOnlyList<string> customerUids) => customerUids.Count == 0 ? null : string.Join("\n", customerUids);

    public string? Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var secrets = new List<string>(8);
        if (!string.IsNullOrEmpty(_sensitive))
        {
            // A customer_uid is masked whatever its length: it is the caller's own identifier, echoed in paths.
            secrets.AddRange(_sensitive!.Split('\n'));
        }

        AddSecret(secrets, _token);
        AddSecret(secrets, _tokens?.CurrentToken);
        AddSecret(secrets, _tokens?.PreviousToken);
        AddSecret(secrets, _options?.ImpKey);
        AddSecret(secrets, _options?.ImpSecret);

        text = MaskEchoes(text!, secrets);
        text = MaskAfter(text, "bearer", requireSeparator: false);
        text = MaskAfter(text, "authorization", requireSeparator: true);
        foreach (string field in SecretFields)
        {
            text = MaskAfter(text, "\"" + field + "\"", requireSeparator: true);
        }

        return text;
    }

    private static void AddSecret(List<string> secrets, string? secret)
    {
        if (secret is not null && secret.Length >= MinSecretLength)
        {
            secrets.Add(secret);
        }
    }

    /// <summary>Masks every echo of each secret, and a tail that begins one.</summary>
    private static string MaskEchoes(string text, List<string> secrets)
    {
        Canonical canonical = Canonical.Of(Units.Of(text));
        var ranges = new List<(int Start, int End)>();
        foreach (string secret in secrets)
        {
            // The secret as sent, and decoded (a secret holding "%41" is echoed raw as "%41" and decoded as "A").
            foreach (Canonical secretForm in new[] { Canonical.Of(Units.Of(secret)), Canonical.Of(Units.Raw(secret)) })
            {
                string form = secretForm.Text;
                if (form.Length == 0)
                {
                    continue;
                }

                for (int at = canonical.Text.IndexOf(form, StringComparison.Ordinal); at >= 0; at = canonical.Text.IndexOf(form, at + 1, StringComparison.Ordinal))
                {
                    ranges.Add((canonical.Start[at], canonical.End[at + form.Length - 1]));
                }

                if (secret.Length > MaxPrefix && CutPrefixAt(canonical, secretForm, text) is { } cut)
                {
                    ranges.Add((cut, text.Length));
                }
            }
        }

        if (ranges.Count == 0)
        {
            return text;
        }

        ranges.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        var result = new StringBuilder(text.Length);
        int copied = 0;
        foreach ((int start, int end) in ranges)
        {
            if (end <= copied)
            {
                continue;
            }

            if (start >= copied)
            {
                result.Append(text, copied, start - copied).Append(Mask);
            }

            copied = end;
        }

        return result.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>Where a beginning of <paramref name="secret"/> longer than <see cref="MaxPrefix"/> of its characters starts, if the text
    /// ends there: right after it, or after what looks like the remains of a cut escape (<c>%E</c>, <c>\u00</c>, <c>&amp;#x</c>)
    /// or a cut character; else <see langword="null"/>.</summary>
    private static int? CutPrefixAt(Canonical canonical, Canonical secret, string text)
    {
        string c = canonical.Text;
        string form = secret.Text;
        for (int p = Math.Max(0, c.Length - form.Length - TailSlack); p < c.Length; p++)
        {
            int matched = 0;
            while (p + matched < c.Length && matched < form.Length && c[p + matched] == form[matched])
            {
                matched++;
            }

            // Counted in the secret's own characters, up to the next one compared: "ab c" is four, although its canonical
            // form "abc" is three; "abcd+" is five (a "+" is not compared). The
            // match may run on into the remains of a cut escape ("&a" of "&amp;" matching a secret's "&a"): shorter ones are tried too.
            for (int m = matched == form.Length ? matched - 1 : matched; m > 0 && secret.Start[m] > MaxPrefix; m--)
            {
                if (LooksCut(text, canonical.End[p + m - 1]))
                {
                    return canonical.Start[p];
                }
            }
        }

        return null;
    }

    /// <summary>Whether the text from <paramref name="from"/> on is nothing, or only the start of an escape, a broken
    /// character, blanks or an ellipsis: what an excerpt's edge leaves when it cuts through a value.</summary>
    private static bool LooksCut(string text, int from)
    {
        if (text.Length - from > TailSlack)
        {
            return false;
        }

        bool started = false;
        for (int i = from; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c) || c is '+' or '.' or '\u2026' or '\uFFFD')
            {
                continue;
            }

            if (!started)
            {
                if (c is not ('%' or '\\' or '&'))
                {
                    return false;
                }

                started = true;
            }
            else if (c is not ('#' or ';' or (>= '0' and <= '9') or (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '%' or '\\' or '&'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Decoded characters, each with the range of the original text it came from.</summary>
    private readonly struct Units
    {
        private Units(char[] chars, int[] start, int[] end, int count)
        {
            Chars = chars;
            Start = start;
            End = end;
            Count = count;
        }

        public char[] Chars { get; }

        public int[] Start { get; }

        public int[] End { get; }

        public int Count { get; }

        /// <summary>The text's characters, not decoded.</summary>
        public static Units Raw(string text)
        {
            int[] start = new int[text.Length];
            int[] end = new int[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                start[i] = i;
                end[i] = i + 1;
            }

            return new Units(text.ToCharArray(), start, end, text.Length);
        }

        /// <summary>The text with its escapes decoded, escapes inside decoded escapes too.</summary>
        public static Units Of(string text)
        {
            Units units = Raw(text);
            if (text.IndexOfAny(EscapeStarts) < 0)
            {
                return units;
            }

            for (int pass = 0; pass < DecodePasses; pass++)
            {
                Units decoded = units.DecodeOnce();
                if (decoded.Count == units.Count)
                {
                    break; // nothing was decoded: every escape is shorter than what it stands for
                }

                units = decoded;
            }

            return units;
        }

        private Units DecodeOnce()
        {
            char[] chars = new char[Count];
            int[] start = new int[Count];
            int[] end = new int[Count];
            int n = 0;
            Span<char> decoded = stackalloc char[2];
            for (int i = 0; i < Count;)
            {
                int consumed = Decode(i, decoded, out int length);
                if (consumed == 0)
                {
                    decoded[0] = Chars[i];
                    length = 1;
                    consumed = 1;
                }

                for (int k = 0; k < length; k++)
                {
                    chars[n] = decoded[k];
                    start[n] = Start[i];
                    end[n] = End[i + consumed - 1];
                    n++;
                }

                i += consumed;
            }

            return new Units(chars, start, end, n);
        }

        /// <summary>Decodes the escape at <paramref name="i"/> into one or two characters; returns the units it takes, or 0 when there is none.</summary>
        private int Decode(int i, Span<char> decoded, out int length)
        {
            length = 0;
            switch (Chars[i])
            {
                case '%':
                    return Percent(i, decoded, out length);
                case '\\' when i + 1 < Count:
                    char next = Chars[i + 1];
                    if ((next == 'u' || next == 'U') && Hex(i + 2, 4) is { } code)
                    {
                        decoded[0] = (char)code;
                        length = 1;
                        return 6;
                    }

                    char? simple = next switch
                    {
                        '"' or '\\' or '/' or '\'' => next,
                        'n' or 'r' or 't' or 'b' or 'f' => ' ',
                        _ => null,
                    };
                    if (simple is { } c)
                    {
                        decoded[0] = c;
                        length = 1;
                        return 2;
                    }

                    return 0;
                case '&':
                    return Entity(i, decoded, out length);
                default:
                    return 0;
            }
        }

        /// <summary>A run of <c>%XX</c> that is one UTF-8 character.</summary>
        private int Percent(int i, Span<char> decoded, out int length)
        {
            length = 0;
            if (Hex(i + 1, 2) is not { } lead)
            {
                return 0;
            }

            int bytes = lead < 0x80 ? 1 : lead is >= 0xC2 and <= 0xDF ? 2 : lead is >= 0xE0 and <= 0xEF ? 3 : lead is >= 0xF0 and <= 0xF4 ? 4 : 0;
            if (bytes == 0)
            {
                return 0;
            }

            byte[] utf8 = new byte[bytes];
            utf8[0] = (byte)lead;
            for (int b = 1; b < bytes; b++)
            {
                int at = i + 3 * b;
                if (at >= Count || Chars[at] != '%' || Hex(at + 1, 2) is not { } more || more is < 0x80 or > 0xBF)
                {
                    return 0;
                }

                utf8[b] = (byte)more;
            }

            string text = Encoding.UTF8.GetString(utf8);
            if (text.Length is 0 or > 2 || text[0] == '\uFFFD')
            {
                return 0;
            }

            text.AsSpan().CopyTo(decoded);
            length = text.Length;
            return 3 * bytes;
        }

        /// <summary>An HTML character reference: <c>&amp;#38;</c>, <c>&amp;#x26;</c> or a named one; the <c>;</c> may be missing, as browsers allow.</summary>
        private int Entity(int i, Span<char> decoded, out int length)
        {
            length = 0;
            int j = i + 1;
            int code;
            if (j < Count && Chars[j] == '#')
            {
                j++;
                bool hex = j < Count && Chars[j] is 'x' or 'X';
                if (hex)
                {
                    j++;
                }

                int digits = j;
                code = 0;
                while (j < Count && j - digits < 7 && (hex ? HexValue(Chars[j]) : Chars[j] is >= '0' and <= '9' ? Chars[j] - '0' : -1) is >= 0 and var digit)
                {
                    code = code * (hex ? 16 : 10) + digit;
                    j++;
                }

                if (j == digits || code > 0x10FFFF)
                {
                    return 0;
                }
            }
            else
            {
                int name = j;
                while (j < Count && j - name < 6 && char.IsLetter(Chars[j]))
                {
                    j++;
                }

                code = new string(Chars, name, j - name).ToLowerInvariant() switch
                {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    "nbsp" => ' ',
                    _ => -1,
                };
                if (code < 0)
                {
                    return 0;
                }
            }

            if (j < Count && Chars[j] == ';')
            {
                j++;
            }

            if (code > 0xFFFF)
            {
                code -= 0x10000;
                decoded[0] = (char)(0xD800 + (code >> 10));
                decoded[1] = (char)(0xDC00 + (code & 0x3FF));
                length = 2;
            }
            else
            {
                decoded[0] = (char)code;
                length = 1;
            }

            return j - i;
        }

        private int? Hex(int at, int digits)
        {
            if (at + digits > Count)
            {
                return null;
            }

            int value = 0;
            for (int k = 0; k < digits; k++)
            {
                int digit = HexValue(Chars[at + k]);
                if (digit < 0)
                {
                    return null;
                }

                value = (value * 16) + digit;
            }

            return value;
        }

        private static int HexValue(char c) => c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'a' and <= 'f' => c - 'a' + 10,
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => -1,
        };
    }

    /// <summary>Decoded text in the form secrets are compared in: lower case, without whitespace or <c>+</c> (a space
    /// in a form), each character with the range of the original text it came from.</summary>
    private readonly struct Canonical
    {
        private Canonical(string text, int[] start, int[] end)
        {
            Text = text;
            Start = start;
            End = end;
        }

        public string Text { get; }

        public int[] Start { get; }

        public int[] End { get; }

        public static Canonical Of(Units units)
        {
            var text = new StringBuilder(units.Count);
            int[] start = new int[units.Count];
            int[] end = new int[units.Count];
            for (int i = 0; i < units.Count; i++)
            {
                char c = units.Chars[i];
                if (char.IsWhiteSpace(c) || char.IsControl(c) || c == '+')
                {
                    continue;
                }

                start[text.Length] = units.Start[i];
                end[text.Length] = units.End[i];
                text.Append(char.ToLowerInvariant(c));
            }

            return new Canonical(text.ToString(), start, end);
        }
    }

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
