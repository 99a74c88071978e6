using System;
using static Iamport.Danal.Internal.RouteRules;

namespace Iamport.Danal.Internal;

/// <summary>Danal's business limits: what I'mport and Danal document a value must be, checked before anything is sent.</summary>
/// <remarks>
/// <para>Each limit names its source: "schema" is I'mport's published OpenAPI schema (<c>maxLength</c>, <c>required</c>),
/// "reference §N" the project's API reference (IAMPORT-V1.md), which records what Danal documents or was seen doing. A
/// limit is kept here when breaking it would otherwise fail only after the customer acted (in the Danal window, or on a
/// charge the customer was promised), so a shop learns it from an <see cref="ArgumentException"/> instead.</para>
/// <para>Charges, schedules, refunds, look-ups and the checkout builder all call these, so one rule reads the same
/// wherever it is broken. Each rule throws an <see cref="ArgumentException"/> naming the parameter and, in the message,
/// the I'mport field and the rule; never the value, which may be a customer_uid. Route and text safety (path segments,
/// surrogates, URLs) is <see cref="RouteRules"/>; null checks of arguments are <see cref="Guard"/>.</para>
/// </remarks>
internal static class DanalRules
{
    // ---- Lengths (I'mport's schema) ----

    /// <summary>Longest <c>imp_uid</c> (schema).</summary>
    public const int ImpUidMaxLength = 32;

    /// <summary>Longest <c>merchant_uid</c> (schema; reference §11: ≤ 40, <c>[A-Za-z0-9_-]</c> the safe set).</summary>
    public const int MerchantUidMaxLength = 40;

    /// <summary>Longest <c>customer_uid</c> (schema; reference §11: ≤ 80).</summary>
    public const int CustomerUidMaxLength = 80;

    /// <summary>Longest channel key (schema: <c>channel_key</c>, <c>maxLength 55</c>).</summary>
    public const int ChannelKeyMaxLength = 55;

    /// <summary>Longest order name (schema; reference §11: ≤ 40 characters since June 2024).</summary>
    public const int NameMaxLength = 40;

    // ---- Money ----

    /// <summary>Minimum amount from which Danal allows installments (<c>card_quota</c>; reference §5: installments only for amount ≥ 50,000).</summary>
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

    /// <summary>A channel key (<c>channelKey</c> / <c>channel_key</c>): at most 55 characters of <c>[A-Za-z0-9_-]</c>, as the schema allows.</summary>
    public static void ChannelKey(string? value, string paramName, string field = "channel_key") =>
        Identifier(value, paramName, field, ChannelKeyMaxLength);

    /// <summary>A <c>pg</c> value: <c>danal_tpay</c> or <c>danal_tpay.{CPID}</c> with a CPID of <c>[A-Za-z0-9_-]</c> (reference §11, <c>pg</c>).</summary>
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

    /// <summary>A charge amount: a positive whole number of won (reference §6: KRW has no minor unit).</summary>
    public static void Amount(decimal value, string paramName, string field = "amount")
    {
        if (value <= 0 || decimal.Truncate(value) != value)
        {
            throw new ArgumentException($"{field} must be a positive whole KRW amount.", paramName);
        }
    }

    /// <summary>An optional amount that may be 0 (a prepare, a checksum, an expectation): a whole, non-negative number of won (reference §6).</summary>
    public static void WholeAmount(decimal? value, string paramName, string field)
    {
        if (value is { } amount && (amount < 0 || decimal.Truncate(amount) != amount))
        {
            throw new ArgumentException($"{field} must be a whole, non-negative KRW amount.", paramName);
        }
    }

    /// <summary>An optional tax-free part: a whole, non-negative amount (reference §6) not above <paramref name="amount"/> (schema: the tax-free part of <c>amount</c>).</summary>
    public static void TaxFree(decimal? value, decimal amount, string paramName, string field = "tax_free")
    {
        if (value is { } taxFree && (taxFree < 0 || decimal.Truncate(taxFree) != taxFree || taxFree > amount))
        {
            throw new ArgumentException($"{field} must be a whole KRW amount between 0 and amount.", paramName);
        }
    }

    /// <summary>An installment count: more than 0 only from 50,000 KRW (reference §5). The range of months is not
    /// documented for Danal and is left to I'mport, which refuses it before any card is charged.</summary>
    public static void CardQuota(int? value, decimal amount, string paramName, string field = "card_quota")
    {
        if (value is not { } quota || quota == 0)
        {
            return;
        }

        if (quota < 0)
        {
            throw new ArgumentException($"{field} (installment months) must not be negative; 0 is a lump sum.", paramName);
        }

        if (amount < InstallmentMinimumAmount)
        {
            throw new ArgumentException($"{field} (installments) is allowed only from {InstallmentMinimumAmount:0} KRW.", paramName);
        }
    }

    /// <summary>A currency (<c>currency</c>): KRW, the only currency of Danal card billing (reference §13: <c>currency</c>
    /// on <c>again</c> is for Paymentwall only; a schedule requires one, KRW by default). Optional on a charge, where
    /// <see langword="null"/> sends none and I'mport takes KRW.</summary>
    public static void Currency(string? value, string paramName, bool required, string field = "currency")
    {
        if (value is null ? required : value != "KRW")
        {
            throw new ArgumentException($"{field} must be \"KRW\": Danal card billing is in won only.", paramName);
        }
    }

    // ---- Order and buyer ----

    /// <summary>A product count (<c>product_count</c>): at least 1 (schema: an integer, 1 by default).</summary>
    public static void ProductCount(int? value, string paramName, string field = "product_count")
    {
        if (value is < 1)
        {
            throw new ArgumentException($"{field} must be at least 1.", paramName);
        }
    }

    /// <summary>The buyer's browser IP (<c>browser_ip</c>): an IPv4 address in dotted form (<c>203.0.113.7</c>) or an
    /// IPv6 address (schema: 구매자 브라우져의 IP), hex digits, dots and colons only. Parsers also read <c>"1"</c> or
    /// <c>" 1.2.3.4"</c> as an address; the PG might not.</summary>
    public static void BrowserIp(string? value, string paramName, string field = "browser_ip")
    {
        if (value is null)
        {
            return;
        }

        MaxLength(value, paramName, field, 45);
        int dots = 0;
        bool colon = false;
        bool plain = value.Length > 0;
        foreach (char c in value)
        {
            dots += c == '.' ? 1 : 0;
            colon |= c == ':';
            plain &= Uri.IsHexDigit(c) || c is '.' or ':';
        }

        if (!plain || !System.Net.IPAddress.TryParse(value, out System.Net.IPAddress? address)
            || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? dots != 3 || colon : !colon))
        {
            throw new ArgumentException($"{field} must be an IPv4 address (such as 203.0.113.7) or an IPv6 address.", paramName);
        }
    }

    /// <summary>An order name (<c>name</c>): required for Danal when money moves, at most 40 characters, no <c>%</c> (reference §11: Danal echoes it back undecoded).</summary>
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

    /// <summary>The buyer's name (<c>buyer_name</c>): at most 16 characters (schema; reference §11).</summary>
    public static void BuyerName(string? value, string paramName, string field = "buyer_name") => MaxLength(value, paramName, field, 16);

    /// <summary>The buyer's phone (<c>buyer_tel</c>): at most 16 characters (schema); the Danal window requires it (reference §11), a billing-key charge does not.</summary>
    public static void BuyerPhone(string? value, string paramName, bool required, string field = "buyer_tel")
    {
        if (required)
        {
            Required(value, paramName, field, 16);
        }

        MaxLength(value, paramName, field, 16);
    }

    /// <summary>The buyer's address (<c>buyer_addr</c>): at most 128 characters (schema; reference §11).</summary>
    public static void BuyerAddress(string? value, string paramName, string field = "buyer_addr") => MaxLength(value, paramName, field, 128);

    /// <summary>The buyer's postcode (<c>buyer_postcode</c>): at most 8 characters (schema; reference §11).</summary>
    public static void BuyerPostcode(string? value, string paramName, string field = "buyer_postcode") => MaxLength(value, paramName, field, 8);

    /// <summary>The buyer's e-mail (<c>buyer_email</c>): at most 64 characters, <c>local@domain.tld</c> in ASCII.</summary>
    /// <remarks>Reference §12: a malformed address made Danal fail in its window (error 1102), after the buyer acted;
    /// deliberately stricter than RFC 5321. Length: schema.</remarks>
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
