using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using Iamport.Danal.Internal;
using Iamport.Danal.Payments;

namespace Iamport.Danal.Webhooks;

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

    /// <summary>Parses a webhook body, JSON or form-urlencoded (a console setting decides which I'mport sends).</summary>
    /// <param name="body">The request body.</param>
    /// <param name="contentType">The request's <c>Content-Type</c>, or <see langword="null"/> to tell the format from the body.</param>
    /// <returns>The notification. Both formats of the same webhook give equal values.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The body is not a webhook: not JSON or form data, or <c>imp_uid</c>, <c>merchant_uid</c> or <c>status</c> is missing or empty.</exception>
    public static WebhookNotification Parse(string body, string? contentType = null)
    {
        Guard.NotNull(body);

        // Trust a declared type; otherwise a JSON body starts with '{', which form data cannot (it would be "%7B").
        bool json = Mentions(contentType, "json")
            || (!Mentions(contentType, "x-www-form-urlencoded") && body.TrimStart() is ['{', ..]);
        Dictionary<string, string?> fields = json ? ReadJson(body) : ReadForm(body);
        return new WebhookNotification
        {
            ImpUid = Require(fields, "imp_uid"),
            MerchantUid = Require(fields, "merchant_uid"),
            Status = new PaymentStatus(Require(fields, "status")),
            CancellationId = fields.TryGetValue("cancellation_id", out string? id) && !string.IsNullOrEmpty(id) ? id : null,
        };
    }

    private static Dictionary<string, string?> ReadJson(string body)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The webhook body is JSON but not an object.");
            }

            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                fields[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Null => null,
                    _ => property.Value.GetRawText(),
                };
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException("The webhook body is not valid JSON: " + ex.Message, ex);
        }

        return fields;
    }

    private static Dictionary<string, string?> ReadForm(string body)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string pair in body.Split(['&'], StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=');
            if (equals <= 0)
            {
                throw new FormatException("The webhook body is neither a JSON object nor form-urlencoded data (a field has no name or no '=').");
            }

            string name = Decode(pair.Substring(0, equals));
            if (fields.ContainsKey(name))
            {
                throw new FormatException($"The webhook body has the field {name} more than once.");
            }

            fields[name] = Decode(pair.Substring(equals + 1));
        }

        return fields;
    }

    private static bool Mentions(string? contentType, string value) =>
#if NET
        contentType is not null && contentType.Contains(value, StringComparison.OrdinalIgnoreCase);
#else
        contentType is not null && contentType.IndexOf(value, StringComparison.OrdinalIgnoreCase) >= 0;
#endif

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    private static string Require(Dictionary<string, string?> fields, string name) =>
        fields.TryGetValue(name, out string? value) && !string.IsNullOrWhiteSpace(value)
            ? value!
            : throw new FormatException($"The webhook body has no {name}.");
}
