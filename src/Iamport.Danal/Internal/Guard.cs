using System;
using System.Runtime.CompilerServices;

namespace Iamport.Danal.Internal;

/// <summary>Argument checks shared by every request model, so a rule reads the same wherever it is enforced.</summary>
/// <remarks>Messages name the property and the I'mport field, never the value: values may be a customer_uid.</remarks>
internal static class Guard
{
    /// <summary>Minimum amount from which Danal allows installments (<c>card_quota</c>).</summary>
    public const decimal InstallmentMinimumAmount = 50_000m;

    /// <summary>The longest channel key the schema allows (<c>channel_key</c>, <c>maxLength 55</c>).</summary>
    public const int ChannelKeyMaxLength = 55;

    /// <summary>Throws <see cref="ArgumentNullException"/> when <paramref name="value"/> is null (ThrowIfNull for netstandard2.0 too).</summary>
    public static T NotNull<T>(T? value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
        where T : class => value ?? throw new ArgumentNullException(paramName);

    public static void Required(string? value, string paramName, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{field} is required.", paramName);
        }

        MaxLength(value, paramName, field, maxLength);
    }

    public static void MaxLength(string? value, string paramName, string field, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            throw new ArgumentException($"{field} must be at most {maxLength} characters (it has {value.Length}).", paramName);
        }
    }

    /// <summary>Checks the buyer fields shared by charges and schedules: lengths from I'mport's schema and the e-mail shape.</summary>
    /// <remarks>Runs on every charge: the parameter names (<paramref name="prefix"/> + property) are only built to throw.</remarks>
    public static void Buyer(string prefix, string? name, string? email, string? tel, string? addr, string? postcode)
    {
        if (name?.Length > 16)
        {
            MaxLength(name, prefix + "BuyerName", "buyer_name", 16);
        }

        if (email is not null && (email.Length > 64 || !IsEmail(email)))
        {
            Email(email, prefix + "BuyerEmail");
        }

        if (tel?.Length > 16)
        {
            MaxLength(tel, prefix + "BuyerTel", "buyer_tel", 16);
        }

        if (addr?.Length > 128)
        {
            MaxLength(addr, prefix + "BuyerAddr", "buyer_addr", 128);
        }

        if (postcode?.Length > 8)
        {
            MaxLength(postcode, prefix + "BuyerPostcode", "buyer_postcode", 8);
        }
    }

    /// <summary>Checks a merchant_uid: required, at most 40 characters of <c>[A-Za-z0-9_-]</c>.</summary>
    public static void MerchantUid(string? value, string paramName, string field = "merchant_uid")
    {
        SafeId(value, paramName, field, 40);
    }

    /// <summary>Checks a customer_uid: required, at most 80 characters, no control characters.</summary>
    public static void CustomerUid(string? value, string paramName, string field = "customer_uid")
    {
        Required(value, paramName, field, 80);
        foreach (char c in value!)
        {
            if (char.IsControl(c) || c == '/' || c == '?' || c == '#')
            {
                throw new ArgumentException($"{field} must not contain control characters, '/', '?' or '#'.", paramName);
            }
        }
    }

    /// <summary>Checks a charge amount: a positive whole number of won.</summary>
    public static void PositiveWholeAmount(decimal value, string paramName, string field = "amount")
    {
        if (value <= 0 || decimal.Truncate(value) != value)
        {
            throw new ArgumentException($"{field} must be a positive whole KRW amount.", paramName);
        }
    }

    /// <summary>Checks an optional amount that may be 0: a whole, non-negative number of won.</summary>
    public static void WholeAmount(decimal? value, string paramName, string field)
    {
        if (value is { } amount && (amount < 0 || decimal.Truncate(amount) != amount))
        {
            throw new ArgumentException($"{field} must be a whole, non-negative KRW amount.", paramName);
        }
    }

    /// <summary>Checks an optional tax-free part: a whole, non-negative amount not above <paramref name="amount"/>.</summary>
    public static void TaxFree(decimal? value, decimal amount, string paramName, string field = "tax_free")
    {
        if (value is { } taxFree && (taxFree < 0 || decimal.Truncate(taxFree) != taxFree || taxFree > amount))
        {
            throw new ArgumentException($"{field} must be a whole KRW amount between 0 and amount.", paramName);
        }
    }

    /// <summary>Checks an installment count: 0 (lump sum) or 2..36 months, and more than 0 only from 50,000 KRW.</summary>
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

    /// <summary>Checks an optional absolute http(s) URL.</summary>
    public static void HttpUrl(string? value, string paramName, string field)
    {
        if (value is null)
        {
            return;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw new ArgumentException($"{field} must be an absolute http or https URL.", paramName);
        }
    }

    /// <summary>Checks a page number: 1 or more.</summary>
    public static void PageNumber(int value, string paramName)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "page must be 1 or more.");
        }
    }

    /// <summary>Checks an order name (<c>name</c>): at most 40 characters and no <c>%</c>, which Danal echoes back undecoded.</summary>
    public static void OrderName(string? value, string paramName, bool required, string field = "name")
    {
        if (required)
        {
            Required(value, paramName, field, 40);
        }

        MaxLength(value, paramName, field, 40);
#if NET
        if (value is not null && value.Contains('%'))
#else
        if (value is not null && value.IndexOf('%') >= 0)
#endif
        {
            throw new ArgumentException($"{field} must not contain '%'.", paramName);
        }
    }

    /// <summary>Checks an optional e-mail address: at most <paramref name="maxLength"/> characters, <c>local@domain.tld</c> in ASCII.</summary>
    /// <remarks>Deliberately stricter than RFC 5321: Danal rejected malformed addresses with error 1102.</remarks>
    public static void Email(string? value, string paramName, string field = "buyer_email", int maxLength = 64)
    {
        if (value is null)
        {
            return;
        }

        MaxLength(value, paramName, field, maxLength);
        bool valid = IsEmail(value);
        if (!valid)
        {
            throw new ArgumentException($"{field} must be a valid e-mail address (local@domain.tld, ASCII).", paramName);
        }
    }

    /// <summary>Whether <paramref name="value"/> is <c>local@domain.tld</c> in ASCII; walks the string without allocating.</summary>
    private static bool IsEmail(string value)
    {
        int at = value.IndexOf('@');
        bool valid = at > 0 && at == value.LastIndexOf('@') && value[0] != '.' && value[at - 1] != '.';
        for (int i = 0; valid && i < at; i++)
        {
            char c = value[i];
            valid = IsSafeIdChar(c) || c is '!' or '#' or '$' or '&' or '*' or '+' or '=' or '^' or '`' or '{' or '|' or '}' or '~' or '/'
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
            else if (!IsSafeIdChar(value[i]) || value[i] == '_')
            {
                return false;
            }
        }

        return labels >= 2;
    }

    /// <summary>Checks a <c>pg</c> value: <c>danal_tpay</c> or <c>danal_tpay.{CPID}</c> with a CPID of <c>[A-Za-z0-9_-]</c>.</summary>
    public static void DanalPg(string? value, string paramName, string field = "pg")
    {
        const string Prefix = IamportOptions.DanalPg + ".";
        bool valid = value == IamportOptions.DanalPg
            || (value is not null && value.Length > Prefix.Length && value.StartsWith(Prefix, StringComparison.Ordinal) && IsSafeId(value.Substring(Prefix.Length)));
        if (!valid)
        {
            throw new ArgumentException($"{field} must be \"danal_tpay\" or \"danal_tpay.{{CPID}}\".", paramName);
        }
    }

    /// <summary>Checks a channel key (<c>channelKey</c> / <c>channel_key</c>): at most 55 characters of <c>[A-Za-z0-9_-]</c>, as the schema allows.</summary>
    public static void ChannelKey(string? value, string paramName, string field = "channel_key") => SafeId(value, paramName, field, ChannelKeyMaxLength);

    /// <summary>Checks a required identifier of <c>[A-Za-z0-9_-]</c> (channel key, merchant code, URL prefix).</summary>
    public static void SafeId(string? value, string paramName, string field, int maxLength)
    {
        Required(value, paramName, field, maxLength);
        if (!IsSafeId(value!))
        {
            throw new ArgumentException($"{field} may contain only A-Z, a-z, 0-9, '_' and '-'.", paramName);
        }
    }

    /// <summary>Returns whether every character of <paramref name="value"/> is in <c>[A-Za-z0-9_-]</c>.</summary>
    public static bool IsSafeId(string value)
    {
        foreach (char c in value)
        {
            if (!IsSafeIdChar(c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsSafeIdChar(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-';
}
