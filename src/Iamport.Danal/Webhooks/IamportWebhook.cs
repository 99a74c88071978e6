using System;
using System.Collections.Generic;
using System.Net;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

/// <summary>Helpers for the webhook endpoint that I'mport POSTs to (<c>notice_url</c> or the console setting).</summary>
/// <remarks>
/// <para>A handler should: parse the body with <see cref="Parse"/>; find the order by <see cref="WebhookNotification.MerchantUid"/>;
/// call <see cref="IamportVerificationExtensions.VerifyWebhookAsync"/> with the order's expectation; act on the re-fetched payment only;
/// answer 200 quickly (I'mport gives up after 10 s to connect and 30 s to read).</para>
/// <para><b>Idempotency.</b> The same webhook can arrive more than once (retries), and it can arrive <i>before</i> the
/// browser callback reaches the shop. Make the handler and the callback share one code path keyed by merchant_uid
/// that records the outcome once (for example, an update guarded by the order's current state), so whichever arrives
/// second finds the work done and does nothing. A failed immediate payment sends no webhook; a failed scheduled charge does.</para>
/// </remarks>
/// <example>
/// An ASP.NET Core endpoint (<c>orders</c> is the shop's own store):
/// <code>
/// app.MapPost("/iamport/webhook", async (HttpRequest http, IIamportClient iamport, OrderStore orders) =>
/// {
///     using var reader = new StreamReader(http.Body);
///     WebhookNotification notice = IamportWebhook.Parse(await reader.ReadToEndAsync(), http.ContentType);
///     Order? order = await orders.FindAsync(notice.MerchantUid);
///     if (order is null)
///     {
///         return Results.Ok(); // not ours: acknowledge so I'mport stops, change nothing
///     }
///
///     VerificationResult result = await iamport.VerifyWebhookAsync(notice, order.ToExpectation());
///     await orders.RecordOnceAsync(order, result); // idempotent: a no-op when the callback got there first
///     return Results.Ok();
/// });
/// </code>
/// </example>
/// <seealso href="https://developers.portone.io/opi/ko/integration/webhook/readme-v1"/>
public static class IamportWebhook
{
    private static readonly IPAddress[] Sources = [IPAddress.Parse("52.78.100.19"), IPAddress.Parse("52.78.48.223"), IPAddress.Parse("52.78.5.241")];

    /// <summary>Gets the addresses I'mport publishes as the sources of its webhooks.</summary>
    public static IReadOnlyList<IPAddress> SourceAddresses { get; } = Array.AsReadOnly(Sources);

    /// <summary>Determines whether an address is one of I'mport's published webhook sources (an optional, extra filter).</summary>
    /// <param name="address">The remote address of the request; IPv4-mapped IPv6 addresses are understood.</param>
    /// <returns><see langword="true"/> when the address is in <see cref="SourceAddresses"/>.</returns>
    /// <remarks>Behind a proxy, pass the client address the proxy reports. Even an allowed source proves nothing about the body: always verify.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is <see langword="null"/>.</exception>
    public static bool IsFromIamport(IPAddress address)
    {
        Guard.NotNull(address);
        IPAddress v4 = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return Array.IndexOf(Sources, v4) >= 0;
    }

    /// <summary>Gets the largest webhook body read, in characters: 64 KiB (a webhook is a few dozen bytes).</summary>
    public const int MaxLength = UntrustedFields.MaxLength;

    /// <summary>Parses a webhook body, JSON or form-urlencoded (a console setting decides which I'mport sends).</summary>
    /// <param name="body">The request body.</param>
    /// <param name="contentType">The request's <c>Content-Type</c> (any value), or <see langword="null"/> to tell the format from the body.</param>
    /// <returns>The notification. Both formats of the same webhook give equal values.</returns>
    /// <remarks>
    /// <para>Any body and content type give a notification or a <see cref="FormatException"/>, never another exception, so an
    /// endpoint can answer 400 to every <see cref="FormatException"/>. A type that mentions <c>json</c> is read as JSON, one
    /// that mentions <c>x-www-form-urlencoded</c> as a form; otherwise a body starting with <c>{</c> is JSON.</para>
    /// <para>The rules, alike for both formats: at most <see cref="MaxLength"/> characters; no unpaired surrogate, raw or
    /// (in JSON) escaped; JSON is one object nested at most 32 deep; a form is <c>name=value</c> pairs whose names, and
    /// the values read, percent-decode to valid UTF-8. Only <c>imp_uid</c>, <c>merchant_uid</c>, <c>status</c> and
    /// <c>cancellation_id</c> are read; each may appear once, other fields are ignored. <c>imp_uid</c> (at most 32) and
    /// <c>merchant_uid</c> (at most 40) must be usable as path segments of a look-up (no <c>.</c>, <c>..</c>, <c>/</c>, …),
    /// so <see cref="IamportVerificationExtensions.VerifyWebhookAsync"/> never refuses a parsed notification as an argument.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The body is not a webhook: too large, badly encoded, not JSON or form data, a field twice, or <c>imp_uid</c>, <c>merchant_uid</c> or <c>status</c> missing, empty or malformed.</exception>
    public static WebhookNotification Parse(string body, string? contentType = null)
    {
        UntrustedFields.CheckText(Guard.NotNull(body), Source);

        // Trust a declared type; otherwise a JSON body starts with '{', which form data cannot (it would be "%7B").
        bool json = Mentions(contentType, "json")
            || (!Mentions(contentType, "x-www-form-urlencoded") && body.TrimStart() is ['{', ..]);
        Dictionary<string, string?> fields = json
            ? UntrustedFields.ReadJson(UntrustedFields.ToUtf8(body, Source), Source, Fields)
            : UntrustedFields.ReadPairs(body, Source, Fields, requireEquals: true);
        return new WebhookNotification
        {
            ImpUid = PathId(fields, "imp_uid", DanalRules.ImpUidMaxLength),
            MerchantUid = PathId(fields, "merchant_uid", DanalRules.MerchantUidMaxLength),
            Status = new PaymentStatus(Require(fields, "status")),
            CancellationId = UntrustedFields.Value(fields, "cancellation_id"),
        };
    }

    private const string Source = "webhook body";

    private static readonly string[] Fields = ["imp_uid", "merchant_uid", "status", "cancellation_id"];

    private static string PathId(Dictionary<string, string?> fields, string name, int maxLength)
    {
        string value = Require(fields, name);
        if (value.Length > maxLength || !RouteRules.KeepsRoute(value))
        {
            throw new FormatException($"The webhook body's {name} is not an id: at most {maxLength} characters, not '.' or '..', no '/', '\\', '?', '#' or control characters.");
        }

        return value;
    }

    private static bool Mentions(string? contentType, string value) =>
#if NET
        contentType is not null && contentType.Contains(value, StringComparison.OrdinalIgnoreCase);
#else
        contentType is not null && contentType.IndexOf(value, StringComparison.OrdinalIgnoreCase) >= 0;
#endif

    private static string Require(Dictionary<string, string?> fields, string name) =>
        UntrustedFields.Value(fields, name) ?? throw new FormatException($"The webhook body has no {name}.");
}
