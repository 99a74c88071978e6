using System;

namespace Iamport.Danal.Internal;

/// <summary>The rulebook: every rule a value must meet before the library sends it to I'mport for Danal, in one place.</summary>
/// <remarks>
/// <para>Lengths come from I'mport's schema; the rest from Danal's behaviour (see the reference's assumptions). Charges,
/// schedules, refunds, look-ups and the checkout builder all call these, so one rule reads the same wherever it is broken.
/// Each rule throws an <see cref="ArgumentException"/> naming the parameter and, in the message, the I'mport field and the
/// rule; never the value, which may be a customer_uid. Null checks of arguments live in <see cref="Guard"/>.</para>
/// <para>Every text rule refuses an unpaired UTF-16 surrogate: it cannot be written as UTF-8, and the JSON writer would
/// silently send U+FFFD instead.</para>
/// </remarks>
internal static class DanalRules
{
    // ---- Lengths (I'mport's schema) ----

    /// <summary>Longest <c>imp_uid</c>.</summary>
    public const int ImpUidMaxLength = 32;

    /// <summary>Longest <c>merchant_uid</c>.</summary>
    public const int MerchantUidMaxLength = 40;

    /// <summary>Longest <c>customer_uid</c>.</summary>
    public const int CustomerUidMaxLength = 80;

    /// <summary>Longest channel key (<c>channel_key</c>, <c>maxLength 55</c>).</summary>
    public const int ChannelKeyMaxLength = 55;

    /// <summary>Longest order name (<c>name</c>).</summary>
    public const int NameMaxLength = 40;

    // ---- Money ----

    /// <summary>Minimum amount from which Danal allows installments (<c>card_quota</c>).</summary>
    public const decimal InstallmentMinimumAmount = 50_000m;

    // ---- Identifiers ----

    /// <summary>A new merchant_uid (a charge, a schedule, a checkout, a prepare): required, at most 40 of <c>[A-Za-z0-9_-]</c>.</summary>
    public static void MerchantUid(string? value, string paramName, string field = "merchant_uid") =>
        Identifier(value, paramName, field, MerchantUidMaxLength);

    /// <summary>The merchant_uid of a payment or schedule to look up: required, at most 40 characters, safe as a path segment.</summary>
    /// <remarks>Looser than <see cref="MerchantUid"/>: payments made outside this library may use other characters.</remarks>
    public static void MerchantUidToFind(string? value, string paramName, string field = "merchant_uid") =>
        PathId(value, paramName, field, MerchantUidMaxLength);

    /// <summary>An imp_uid: required, at most 32 characters, safe as a path segment.</summary>
    public static void ImpUid(string? value, string paramName, string field = "imp_uid") =>
        PathId(value, paramName, field, ImpUidMaxLength);

    /// <summary>A customer_uid (the billing key's name): required, at most 80 characters, safe as a path segment.</summary>
    public static void CustomerUid(string? value, string paramName, string field = "customer_uid") =>
        PathId(value, paramName, field, CustomerUidMaxLength);

    /// <summary>A required identifier of <c>[A-Za-z0-9_-]</c> (merchant_uid, channel key, merchant code, URL prefix).</summary>
    public static void Identifier(string? value, string paramName, string field, int maxLength)
    {
        Required(value, paramName, field, maxLength);
        if (!IsIdentifier(value!))
        {
            throw new ArgumentException($"{field} may contain only A-Z, a-z, 0-9, '_' and '-'.", paramName);
        }
    }

    /// <summary>A channel key (<c>channelKey</c> / <c>channel_key</c>): at most 55 characters of <c>[A-Za-z0-9_-]</c>, as the schema allows.</summary>
    public static void ChannelKey(string? value, string paramName, string field = "channel_key") =>
        Identifier(value, paramName, field, ChannelKeyMaxLength);

    /// <summary>A <c>pg</c> value: <c>danal_tpay</c> or <c>danal_tpay.{CPID}</c> with a CPID of <c>[A-Za-z0-9_-]</c>.</summary>
    public static void Pg(string? value, string paramName, string field = "pg")
    {
        if (!IsDanalPg(value))
        {
            throw new ArgumentException($"{field} must be \"danal_tpay\" or \"danal_tpay.{{CPID}}\".", paramName);
        }
    }

    /// <summary>Returns whether <paramref name="value"/> is <c>danal_tpay</c> or <c>danal_tpay.{CPID}</c>.</summary>
    public static bool IsDanalPg(string? value)
    {
        const string Prefix = IamportOptions.DanalPg + ".";
        return value == IamportOptions.DanalPg
            || (value is not null && value.Length > Prefix.Length && value.StartsWith(Prefix, StringComparison.Ordinal) && IsIdentifier(value.Substring(Prefix.Length)));
    }

    // ---- Amounts: whole won, no minor unit ----

    /// <summary>A charge amount: a positive whole number of won.</summary>
    public static void Amount(decimal value, string paramName, string field = "amount")
    {
        if (value <= 0 || decimal.Truncate(value) != value)
        {
            throw new ArgumentException($"{field} must be a positive whole KRW amount.", paramName);
        }
    }

    /// <summary>An optional amount that may be 0 (a prepare, a checksum, an expectation): a whole, non-negative number of won.</summary>
    public static void WholeAmount(decimal? value, string paramName, string field)
    {
        if (value is { } amount && (amount < 0 || decimal.Truncate(amount) != amount))
        {
            throw new ArgumentException($"{field} must be a whole, non-negative KRW amount.", paramName);
        }
    }

    /// <summary>An optional tax-free part: a whole, non-negative amount not above <paramref name="amount"/>.</summary>
    public static void TaxFree(decimal? value, decimal amount, string paramName, string field = "tax_free")
    {
        if (value is { } taxFree && (taxFree < 0 || decimal.Truncate(taxFree) != taxFree || taxFree > amount))
        {
            throw new ArgumentException($"{field} must be a whole KRW amount between 0 and amount.", paramName);
        }
    }

    /// <summary>An installment count: 0 (lump sum) or 2..36 months, and more than 0 only from 50,000 KRW.</summary>
    public static void CardQuota(int? value, decimal amount, string paramName, string field = "card_quota")
    {
        if (value is not { } quota || quota == 0)
        {
            return;
        }

        if (quota < 2 || quota > 36)
        {
            throw new ArgumentException($"{field} must be 0 (lump sum) or between 2 and 36 months.", paramName);
        }

        if (amount < InstallmentMinimumAmount)
        {
            throw new ArgumentException($"{field} (installments) is allowed only from {InstallmentMinimumAmount:0} KRW.", paramName);
        }
    }

    // ---- Order and buyer ----

    /// <summary>An order name (<c>name</c>): required for Danal when money moves, at most 40 characters, no <c>%</c> (Danal echoes it back undecoded).</summary>
    public static void OrderName(string? value, string paramName, bool required, string field = "name")
    {
        if (required)
        {
            Required(value, paramName, field, NameMaxLength);
        }

        MaxLength(value, paramName, field, NameMaxLength);
#if NET
        if (value is not null && value.Contains('%'))
#else
        if (value is not null && value.IndexOf('%') >= 0)
#endif
        {
            throw new ArgumentException($"{field} must not contain '%'.", paramName);
        }
    }

    /// <summary>The buyer's name (<c>buyer_name</c>): at most 16 characters.</summary>
    public static void BuyerName(string? value, string paramName, string field = "buyer_name") => MaxLength(value, paramName, field, 16);

    /// <summary>The buyer's phone (<c>buyer_tel</c>): at most 16 characters; the Danal window requires it, a billing-key charge does not.</summary>
    public static void BuyerPhone(string? value, string paramName, bool required, string field = "buyer_tel")
    {
        if (required)
        {
            Required(value, paramName, field, 16);
        }

        MaxLength(value, paramName, field, 16);
    }

    /// <summary>The buyer's address (<c>buyer_addr</c>): at most 128 characters.</summary>
    public static void BuyerAddress(string? value, string paramName, string field = "buyer_addr") => MaxLength(value, paramName, field, 128);

    /// <summary>The buyer's postcode (<c>buyer_postcode</c>): at most 8 characters.</summary>
    public static void BuyerPostcode(string? value, string paramName, string field = "buyer_postcode") => MaxLength(value, paramName, field, 8);

    /// <summary>The buyer's e-mail (<c>buyer_email</c>): at most 64 characters, <c>local@domain.tld</c> in ASCII.</summary>
    /// <remarks>Deliberately stricter than RFC 5321: Danal rejected malformed addresses with error 1102.</remarks>
    public static void BuyerEmail(string? value, string paramName, string field = "buyer_email")
    {
        if (value is null)
        {
            return;
        }

        MaxLength(value, paramName, field, 64);
        if (!IsEmail(value))
        {
            throw new ArgumentException($"{field} must be a valid e-mail address (local@domain.tld, ASCII).", paramName);
        }
    }

    /// <summary>The number of products of a charge (<c>product_count</c>): at least 1.</summary>
    public static void ProductCount(int? value, string paramName, string field = "product_count")
    {
        if (value is < 1)
        {
            throw new ArgumentException($"{field} must be at least 1.", paramName);
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
        if (!KeepsRoute(value!))
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

    private static bool IsIdentifierChar(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-';

    /// <summary>Whether <paramref name="value"/> is <c>local@domain.tld</c> in ASCII; walks the string without allocating.</summary>
    private static bool IsEmail(string value)
    {
        int at = value.IndexOf('@');
        bool valid = at > 0 && at == value.LastIndexOf('@') && value[0] != '.' && value[at - 1] != '.';
        for (int i = 0; valid && i < at; i++)
        {
            char c = value[i];
            valid = IsIdentifierChar(c) || c is '!' or '#' or '$' or '&' or '*' or '+' or '=' or '^' or '`' or '{' or '|' or '}' or '~' or '/'
                || (c == '.' && value[i + 1] != '.');
        }

        if (!valid)
        {
            return false;
        }

        // The domain: at least two dot-separated labels of [A-Za-z0-9-], none empty, none starting or ending with '-'.
        int labels = 0;
        int start = at + 1;
        for (int i = start; i <= value.Length; i++)
        {
            if (i == value.Length || value[i] == '.')
            {
                if (i == start || value[start] == '-' || value[i - 1] == '-')
                {
                    return false;
                }

                labels++;
                start = i + 1;
            }
            else if (!IsIdentifierChar(value[i]) || value[i] == '_')
            {
                return false;
            }
        }

        return labels >= 2;
    }
}
