using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using Iamport.Danal.Internal;

namespace Iamport.Danal.Checkout;

/// <summary>What the browser claims about a payment window's result: an untrusted hint that only says what to verify.</summary>
/// <remarks>
/// The buyer's browser can send anything. Use <see cref="ImpUid"/> or <see cref="MerchantUid"/> only to look the payment
/// (and the billing key) up with I'mport on the server, and decide from I'mport's answer; never from <see cref="IsSuccess"/>.
/// Parsing checks the shape only: both ids must be <c>[A-Za-z0-9_-]</c> so they are safe in an I'mport URL path.
/// </remarks>
public sealed class UntrustedPaymentHint
{
    private UntrustedPaymentHint(string? impUid, string merchantUid, bool? success, string? errorCode, string? errorMessage)
    {
        ImpUid = impUid;
        MerchantUid = merchantUid;
        IsSuccess = success;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
    }

    /// <summary>Gets the claimed I'mport payment id (<c>imp_uid</c>); <see langword="null"/> when the window never created a payment.</summary>
    public string? ImpUid { get; }

    /// <summary>Gets the claimed shop payment id (<c>merchant_uid</c>).</summary>
    public string MerchantUid { get; }

    /// <summary>Gets the claimed result (<c>imp_success</c>, or the legacy <c>success</c>); <see langword="false"/> if either says so,
    /// <see langword="null"/> when neither is sent (<c>v1/iamport.js</c> no longer sends them).</summary>
    public bool? IsSuccess { get; }

    /// <summary>Gets the claimed error code (<c>error_code</c>); <see langword="null"/> when absent or empty.</summary>
    public string? ErrorCode { get; }

    /// <summary>Gets the claimed error message (<c>error_msg</c>); <see langword="null"/> when absent or empty.</summary>
    public string? ErrorMessage { get; }

    /// <summary>Gets whether the browser reports a failure: an <see cref="ErrorCode"/> is present or <see cref="IsSuccess"/> is <see langword="false"/>.</summary>
    /// <remarks>The claim decides nothing: with an <see cref="ImpUid"/> verify with I'mport whatever this says (PortOne: the
    /// SDK's <c>success</c>/<c>error_code</c> do not tell whether a payment happened); only without one is there nothing to verify.</remarks>
    public bool IsFailure => ErrorCode is not null || IsSuccess == false;

    /// <summary>Gets the largest callback body or redirect query read, in UTF-8 bytes (or characters of a string): 64 KiB.</summary>
    public const int MaxLength = UntrustedFields.MaxLength;

    /// <summary>Reads the callback body that the checkout script POSTs (<c>{"imp_uid": …, "merchant_uid": …}</c>) or a whole <c>rsp</c> object.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The hint.</returns>
    /// <remarks>Any text gives a hint or a <see cref="FormatException"/>; see <see cref="FromCallbackJson(ReadOnlySpan{byte})"/> for the rules.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text has an unpaired surrogate or breaks a rule of <see cref="FromCallbackJson(ReadOnlySpan{byte})"/>.</exception>
    public static UntrustedPaymentHint FromCallbackJson(string json) => FromCallbackJson(UntrustedFields.ToUtf8(Guard.NotNull(json), CallbackSource));

    /// <summary>Reads the callback body that the checkout script POSTs (<c>{"imp_uid": …, "merchant_uid": …}</c>) or a whole <c>rsp</c> object.</summary>
    /// <param name="utf8Json">The JSON as UTF-8.</param>
    /// <returns>The hint.</returns>
    /// <remarks>
    /// Any bytes give a hint or a <see cref="FormatException"/>, never another exception. The body must be at most
    /// <see cref="MaxLength"/> bytes of valid UTF-8 holding one JSON object nested at most 32 deep, with no unpaired
    /// surrogate (raw or escaped as <c>\ud800</c>) in any string. Of its top-level fields only <c>imp_uid</c>,
    /// <c>merchant_uid</c>, <c>imp_success</c>, <c>success</c>, <c>error_code</c> and <c>error_msg</c> are read; each may
    /// appear once (as in <see cref="FromRedirectQuery(string)"/>), the others are ignored.
    /// </remarks>
    /// <exception cref="FormatException">The body is too large, not UTF-8, not one JSON object, has a read field twice or of the wrong type, or an id is missing or malformed.</exception>
    public static UntrustedPaymentHint FromCallbackJson(ReadOnlySpan<byte> utf8Json) =>
        Create(UntrustedFields.ReadJson(utf8Json, CallbackSource, Fields), CallbackSource);

    /// <summary>Reads the query string I'mport appends to <c>m_redirect_url</c>; the shop's own parameters are ignored.</summary>
    /// <param name="query">The query, with or without the leading <c>?</c>, or the whole URL.</param>
    /// <returns>The hint.</returns>
    /// <remarks>
    /// Any text gives a hint or a <see cref="FormatException"/>, never another exception. The text must be at most
    /// <see cref="MaxLength"/> characters with no unpaired surrogate; names, and the values of the fields read (those of
    /// <see cref="FromCallbackJson(ReadOnlySpan{byte})"/>), must percent-decode to valid UTF-8; each read field may appear once.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The query is too large or badly encoded, a field appears twice or has a wrong value, or an id is missing or malformed.</exception>
    public static UntrustedPaymentHint FromRedirectQuery(string query)
    {
        UntrustedFields.CheckText(Guard.NotNull(query), RedirectSource);
        int start = query.IndexOf('?') + 1;
        int end = query.IndexOf('#', start);
        string text = query.Substring(start, (end < 0 ? query.Length : end) - start);
        return Create(UntrustedFields.ReadPairs(text, RedirectSource, Fields, requireEquals: false), RedirectSource);
    }

    /// <summary>Reads the query parameters I'mport appends to <c>m_redirect_url</c>, already decoded; the shop's own parameters are ignored.</summary>
    /// <param name="query">The decoded parameters, such as ASP.NET Core's <c>Request.Query</c> projected to strings.</param>
    /// <returns>The hint.</returns>
    /// <remarks>The rules of <see cref="FromRedirectQuery(string)"/> apply to the fields read.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">A field appears twice or has a wrong value or an unpaired surrogate, or an id is missing or malformed.</exception>
    public static UntrustedPaymentHint FromRedirectQuery(IEnumerable<KeyValuePair<string, string>> query)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> pair in Guard.NotNull(query))
        {
            if (pair.Key is not null)
            {
                UntrustedFields.Add(fields, pair.Key, pair.Value, Fields, RedirectSource);
            }
        }

        return Create(fields, RedirectSource);
    }

    /// <summary>Appends a window result to <c>m_redirect_url</c> the way I'mport's legacy SDK does, keeping its existing query; for fakes and tests.</summary>
    /// <remarks>It writes <c>imp_success</c> too, which the current <c>v1/iamport.js</c> no longer sends (its query is
    /// <c>imp_uid</c>, <c>merchant_uid</c>, and on failure <c>error_code</c> and <c>error_msg</c>).</remarks>
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

    private const string CallbackSource = "payment callback body";
    private const string RedirectSource = "redirect query";

    private static readonly string[] Fields = ["imp_uid", "merchant_uid", "imp_success", "success", "error_code", "error_msg"];

    private static UntrustedPaymentHint Create(Dictionary<string, string?> fields, string source)
    {
        string? impUid = UntrustedFields.Value(fields, "imp_uid");
        string? merchantUid = UntrustedFields.Value(fields, "merchant_uid");
        if (merchantUid is null)
        {
            throw new FormatException($"The {source} has no merchant_uid.");
        }

        Id(merchantUid, "merchant_uid", DanalRules.MerchantUidMaxLength);
        Id(impUid, "imp_uid", DanalRules.ImpUidMaxLength);
        bool? impSuccess = Bool(fields, "imp_success");
        bool? success = Bool(fields, "success");
        return new UntrustedPaymentHint(
            impUid,
            merchantUid,
            impSuccess == false || success == false ? false : impSuccess ?? success,
            UntrustedFields.Value(fields, "error_code"),
            UntrustedFields.Value(fields, "error_msg"));
    }

    private static void Id(string? value, string name, int maxLength)
    {
        if (value is not null && (value.Length > maxLength || !RouteRules.IsIdentifier(value)))
        {
            throw new FormatException($"{name} must be at most {maxLength} characters of A-Z, a-z, 0-9, '_' and '-'.");
        }
    }

    private static bool? Bool(Dictionary<string, string?> fields, string name) =>
        UntrustedFields.Value(fields, name) switch
        {
            null => null,
            string s when string.Equals(s, "true", StringComparison.OrdinalIgnoreCase) => true,
            string s when string.Equals(s, "false", StringComparison.OrdinalIgnoreCase) => false,
            _ => throw new FormatException($"{name} must be true or false."),
        };
}
