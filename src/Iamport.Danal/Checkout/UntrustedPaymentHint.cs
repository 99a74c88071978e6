using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using Iamport.Danal.Internal;

namespace Iamport.Danal.Checkout;

/// <summary>What the browser claims about a payment window's result: an untrusted hint that only says what to verify.</summary>
/// <remarks>
/// The buyer's browser can send anything. Use <see cref="ImpUid"/> or <see cref="MerchantUid"/> only to look the payment
/// (and the billing key) up with I'mport on the server, and decide from I'mport's answer; never from <see cref="Success"/>.
/// Parsing checks the shape only: both ids must be <c>[A-Za-z0-9_-]</c> so they are safe in an I'mport URL path.
/// </remarks>
public sealed class UntrustedPaymentHint
{
    private UntrustedPaymentHint(string? impUid, string merchantUid, bool? success, string? errorCode, string? errorMessage)
    {
        ImpUid = impUid;
        MerchantUid = merchantUid;
        Success = success;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
    }

    /// <summary>Gets the claimed I'mport payment id (<c>imp_uid</c>); <see langword="null"/> when the window never created a payment.</summary>
    public string? ImpUid { get; }

    /// <summary>Gets the claimed shop payment id (<c>merchant_uid</c>).</summary>
    public string MerchantUid { get; }

    /// <summary>Gets the claimed result (<c>imp_success</c>, or the legacy <c>success</c>); <see langword="false"/> if either says so,
    /// <see langword="null"/> when neither is sent (<c>v1/iamport.js</c> no longer sends them).</summary>
    public bool? Success { get; }

    /// <summary>Gets the claimed error code (<c>error_code</c>); <see langword="null"/> when absent or empty.</summary>
    public string? ErrorCode { get; }

    /// <summary>Gets the claimed error message (<c>error_msg</c>); <see langword="null"/> when absent or empty.</summary>
    public string? ErrorMessage { get; }

    /// <summary>Gets whether the browser reports a failure: an <see cref="ErrorCode"/> is present or <see cref="Success"/> is <see langword="false"/>.</summary>
    /// <remarks>The claim decides nothing: with an <see cref="ImpUid"/> verify with I'mport whatever this says (PortOne: the
    /// SDK's <c>success</c>/<c>error_code</c> do not tell whether a payment happened); only without one is there nothing to verify.</remarks>
    public bool IsFailure => ErrorCode is not null || Success == false;

    /// <summary>Reads the callback body that the checkout script POSTs (<c>{"imp_uid": …, "merchant_uid": …}</c>) or a whole <c>rsp</c> object.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The hint.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The body is not a JSON object, a field has the wrong type, or an id is missing or malformed.</exception>
    public static UntrustedPaymentHint FromCallbackJson(string json) => FromCallbackJson(Encoding.UTF8.GetBytes(Guard.NotNull(json)));

    /// <summary>Reads the callback body that the checkout script POSTs (<c>{"imp_uid": …, "merchant_uid": …}</c>) or a whole <c>rsp</c> object.</summary>
    /// <param name="utf8Json">The JSON as UTF-8.</param>
    /// <returns>The hint.</returns>
    /// <exception cref="FormatException">The body is not a JSON object, a field has the wrong type, or an id is missing or malformed.</exception>
    public static UntrustedPaymentHint FromCallbackJson(ReadOnlySpan<byte> utf8Json)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("The payment callback body must be a JSON object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        Add(fields, name, reader.GetString());
                        break;
                    case JsonTokenType.True or JsonTokenType.False or JsonTokenType.Number:
                        Add(fields, name, Encoding.UTF8.GetString(reader.ValueSpan.ToArray()));
                        break;
                    case JsonTokenType.Null:
                        Add(fields, name, null);
                        break;
                    default:
                        reader.Skip(); // objects and arrays of a full rsp (e.g. custom_data) are not needed
                        Add(fields, name, null);
                        break;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw new FormatException("The payment callback body must be a single JSON object.");
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException("The payment callback body is not valid JSON.", ex);
        }

        return Create(fields, "payment callback body");
    }

    /// <summary>Reads the query string I'mport appends to <c>m_redirect_url</c>; the shop's own parameters are ignored.</summary>
    /// <param name="query">The query, with or without the leading <c>?</c>, or the whole URL.</param>
    /// <returns>The hint.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">A field appears twice or has a wrong value, or an id is missing or malformed.</exception>
    public static UntrustedPaymentHint FromRedirectQuery(string query)
    {
        Guard.NotNull(query);
        int start = query.IndexOf('?') + 1;
        int end = query.IndexOf('#', start);
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (string pair in query.Substring(start, (end < 0 ? query.Length : end) - start).Split('&'))
        {
            if (pair.Length > 0)
            {
                int equals = pair.IndexOf('=');
                pairs.Add(new KeyValuePair<string, string>(
                    Unescape(equals < 0 ? pair : pair.Substring(0, equals)),
                    equals < 0 ? "" : Unescape(pair.Substring(equals + 1))));
            }
        }

        return FromRedirectQuery(pairs);
    }

    /// <summary>Reads the query parameters I'mport appends to <c>m_redirect_url</c>, already decoded; the shop's own parameters are ignored.</summary>
    /// <param name="query">The decoded parameters, such as ASP.NET Core's <c>Request.Query</c> projected to strings.</param>
    /// <returns>The hint.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">A field appears twice or has a wrong value, or an id is missing or malformed.</exception>
    public static UntrustedPaymentHint FromRedirectQuery(IEnumerable<KeyValuePair<string, string>> query)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> pair in Guard.NotNull(query))
        {
            Add(fields, pair.Key, pair.Value);
        }

        return Create(fields, "redirect query");
    }

    /// <summary>Appends a window result to <c>m_redirect_url</c> the way I'mport does, keeping its existing query; for fakes and tests.</summary>
    /// <param name="redirectUrl">The absolute <c>m_redirect_url</c>.</param>
    /// <param name="impUid">The I'mport payment id, or <see langword="null"/>.</param>
    /// <param name="merchantUid">The shop payment id.</param>
    /// <param name="success">The value of <c>imp_success</c>.</param>
    /// <param name="errorCode">The error code, or <see langword="null"/>.</param>
    /// <param name="errorMessage">The error message, or <see langword="null"/>.</param>
    /// <returns>The address the buyer is sent to.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="redirectUrl"/> or <paramref name="merchantUid"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="redirectUrl"/> is not absolute.</exception>
    public static Uri AppendToRedirectUrl(Uri redirectUrl, string? impUid, string merchantUid, bool success, string? errorCode = null, string? errorMessage = null)
    {
        if (!Guard.NotNull(redirectUrl).IsAbsoluteUri)
        {
            throw new ArgumentException("m_redirect_url must be absolute.", nameof(redirectUrl));
        }

        var query = new StringBuilder(redirectUrl.Query.TrimStart('?'));
        void Append(string name, string? value)
        {
            if (value is not null)
            {
                query.Append(query.Length == 0 ? "" : "&").Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        Append("imp_uid", impUid);
        Append("merchant_uid", Guard.NotNull(merchantUid));
        Append("imp_success", success ? "true" : "false");
        Append("error_code", errorCode);
        Append("error_msg", errorMessage);
        return new UriBuilder(redirectUrl) { Query = query.ToString() }.Uri;
    }

    private static void Add(Dictionary<string, string?> fields, string name, string? value)
    {
        if (name is not ("imp_uid" or "merchant_uid" or "imp_success" or "success" or "error_code" or "error_msg"))
        {
            return;
        }

        if (fields.ContainsKey(name))
        {
            throw new FormatException($"{name} appears more than once.");
        }

        fields.Add(name, value);
    }

    private static UntrustedPaymentHint Create(Dictionary<string, string?> fields, string source)
    {
        string? impUid = Empty(fields, "imp_uid");
        string? merchantUid = Empty(fields, "merchant_uid");
        if (merchantUid is null)
        {
            throw new FormatException($"The {source} has no merchant_uid.");
        }

        Id(merchantUid, "merchant_uid", 40);
        Id(impUid, "imp_uid", 64);
        bool? impSuccess = Bool(fields, "imp_success");
        bool? success = Bool(fields, "success");
        return new UntrustedPaymentHint(
            impUid,
            merchantUid,
            impSuccess == false || success == false ? false : impSuccess ?? success,
            Empty(fields, "error_code"),
            Empty(fields, "error_msg"));
    }

    private static string? Empty(Dictionary<string, string?> fields, string name) =>
        fields.TryGetValue(name, out string? value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    private static void Id(string? value, string name, int maxLength)
    {
        if (value is not null && (value.Length > maxLength || !Guard.IsSafeId(value)))
        {
            throw new FormatException($"{name} must be at most {maxLength} characters of A-Z, a-z, 0-9, '_' and '-'.");
        }
    }

    private static bool? Bool(Dictionary<string, string?> fields, string name) =>
        Empty(fields, name) switch
        {
            null => null,
            string s when string.Equals(s, "true", StringComparison.OrdinalIgnoreCase) => true,
            string s when string.Equals(s, "false", StringComparison.OrdinalIgnoreCase) => false,
            _ => throw new FormatException($"{name} must be true or false."),
        };

    private static string Unescape(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        catch (UriFormatException ex)
        {
            throw new FormatException("The redirect query is not a valid URL query.", ex);
        }
    }
}
