using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Iamport.Danal.Internal;

namespace Iamport.Danal.Checkout;

/// <summary>The <c>param</c> object of <c>IMP.request_pay(param, callback)</c> for a Danal billing key, checked against Danal's rules.</summary>
/// <remarks>
/// Only <see cref="RequestPayParamsBuilder.Build"/> creates one, so every instance obeys the rules. Its attributes fix
/// I'mport's property names (<c>channelKey</c> included), omit what is not set and always write <c>amount</c>, 0 included,
/// whatever naming policy the serializer has. Returning it from a JSON endpoint is the safest way to hand it to a page
/// (under Native AOT, return <see cref="ToJson"/> as <c>application/json</c> content); <see cref="ToJson"/> and <see cref="CheckoutScript"/> put it inline safely. Fields Danal does not support (<c>language</c>, <c>vat_amount</c>,
/// <c>escrow</c>, interest-free flags) do not exist here.
/// </remarks>
/// <seealso href="https://developers.portone.io/opi/ko/integration/start/v1/auth?v=v1"/>
public sealed class RequestPayParams
{
    internal RequestPayParams()
    {
    }

    /// <summary>Gets the PG (<c>pg</c>): <c>danal_tpay</c> or <c>danal_tpay.{CPID}</c>; <see langword="null"/> when <see cref="ChannelKey"/> is set.</summary>
    [JsonPropertyName("pg")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Pg { get; internal init; }

    /// <summary>Gets the channel key (<c>channelKey</c>) used instead of <see cref="Pg"/>; <see langword="null"/> when <see cref="Pg"/> is set.</summary>
    [JsonPropertyName("channelKey")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ChannelKey { get; internal init; }

    /// <summary>Gets the payment method (<c>pay_method</c>), always <c>card</c>: the only one Danal billing supports.</summary>
    [JsonPropertyName("pay_method")]
#pragma warning disable CA1822 // Serialized as a property so that it is always part of the object.
    public string PayMethod => "card";
#pragma warning restore CA1822

    /// <summary>Gets the shop's unique id of this attempt (<c>merchant_uid</c>, at most 40 of <c>[A-Za-z0-9_-]</c>).</summary>
    [JsonPropertyName("merchant_uid")]
    public string MerchantUid { get; internal init; } = "";

    /// <summary>Gets the order name shown in the Danal window (<c>name</c>, at most 40 characters, no <c>%</c>).</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; internal init; }

    /// <summary>Gets the amount (<c>amount</c>) in whole won: 0 issues the key only, more charges it at once.</summary>
    [JsonPropertyName("amount")]
    public decimal Amount { get; internal init; }

    /// <summary>Gets the tax-free part of <see cref="Amount"/> (<c>tax_free</c>).</summary>
    [JsonPropertyName("tax_free")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? TaxFree { get; internal init; }

    /// <summary>Gets the billing key to issue (<c>customer_uid</c>, at most 80 characters).</summary>
    [JsonPropertyName("customer_uid")]
    public string CustomerUid { get; internal init; } = "";

    /// <summary>Gets the buyer's e-mail address (<c>buyer_email</c>, at most 64 characters).</summary>
    [JsonPropertyName("buyer_email")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BuyerEmail { get; internal init; }

    /// <summary>Gets the buyer's name (<c>buyer_name</c>, at most 16 characters).</summary>
    [JsonPropertyName("buyer_name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BuyerName { get; internal init; }

    /// <summary>Gets the buyer's phone number (<c>buyer_tel</c>, at most 16 characters).</summary>
    [JsonPropertyName("buyer_tel")]
    public string BuyerPhone { get; internal init; } = "";

    /// <summary>Gets the buyer's address (<c>buyer_addr</c>, at most 128 characters).</summary>
    [JsonPropertyName("buyer_addr")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BuyerAddress { get; internal init; }

    /// <summary>Gets the buyer's postcode (<c>buyer_postcode</c>, at most 8 characters).</summary>
    [JsonPropertyName("buyer_postcode")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BuyerPostcode { get; internal init; }

    /// <summary>Gets the service period shown in the Danal window (<c>period</c>).</summary>
    [JsonPropertyName("period")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RequestPayPeriod? Period { get; internal init; }

    /// <summary>Gets the address the buyer returns to after a redirect-style payment (<c>m_redirect_url</c>).</summary>
    [JsonPropertyName("m_redirect_url")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RedirectUrl { get; internal init; }

    /// <summary>Gets the webhook addresses for this payment (<c>notice_url</c>), overriding the console setting: written as
    /// a string when there is one, as an array when there are several.</summary>
    [JsonPropertyName("notice_url")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(StringOrArrayConverter))]
    public IReadOnlyList<string>? NoticeUrls { get; internal init; }

    /// <summary>Gets the JSON text of the object stored with the payment (<c>custom_data</c>), written as the object itself.</summary>
    [JsonPropertyName("custom_data")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(JsonObjectTextConverter))]
    public string? CustomData { get; internal init; }

    /// <summary>Gets the shop's id of the buyer (<c>customer_id</c>).</summary>
    [JsonPropertyName("customer_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CustomerId { get; internal init; }

    /// <summary>Gets the PG-specific window parameters (<c>bypass</c>).</summary>
    [JsonPropertyName("bypass")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RequestPayBypass? Bypass { get; internal init; }

    /// <summary>Gets display options of the payment window (<c>display</c>).</summary>
    [JsonPropertyName("display")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RequestPayDisplay? Display { get; internal init; }

    /// <summary>Gets the URL scheme of the shop's app, to return to it from a card app (<c>app_scheme</c>).</summary>
    [JsonPropertyName("app_scheme")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AppScheme { get; internal init; }

    /// <summary>The source-generated JSON metadata: internal, so serializer plumbing never becomes public surface.</summary>
    internal static JsonTypeInfo<RequestPayParams> JsonTypeInfo => IamportJsonContext.Default.RequestPayParams;

    /// <summary>Returns the object as JSON that is safe inline in a <c>&lt;script&gt;</c> element.</summary>
    /// <returns>JSON in which <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, quotes, <c>+</c>, U+2028, U+2029 and every other
    /// non-ASCII character are escaped as <c>\uXXXX</c>, so no value can end the script element.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, IamportJsonContext.Default.RequestPayParams);
}

/// <summary>The service period shown in the Danal window (<c>period</c>), dates as <c>YYYYMMDD</c>.</summary>
public sealed class RequestPayPeriod
{
    internal RequestPayPeriod()
    {
    }

    /// <summary>Gets the first day (<c>from</c>), as <c>YYYYMMDD</c>.</summary>
    [JsonPropertyName("from")]
    public string From { get; internal init; } = "";

    /// <summary>Gets the last day (<c>to</c>), as <c>YYYYMMDD</c>, not before <see cref="From"/>.</summary>
    [JsonPropertyName("to")]
    public string To { get; internal init; } = "";
}

/// <summary>Display options of the payment window (<c>display</c>).</summary>
public sealed class RequestPayDisplay
{
    internal RequestPayDisplay()
    {
    }

    /// <summary>Gets the installment months offered (<c>card_quota</c>); only from 50,000 KRW, an empty list offers lump sum only.</summary>
    [JsonPropertyName("card_quota")]
    public IReadOnlyList<int> CardQuota { get; internal init; } = [];
}

/// <summary>PG-specific window parameters (<c>bypass</c>).</summary>
public sealed class RequestPayBypass
{
    internal RequestPayBypass()
    {
    }

    /// <summary>Gets Danal's window parameters (<c>danal</c>).</summary>
    [JsonPropertyName("danal")]
    public RequestPayDanalBypass Danal { get; internal init; } = new();
}

/// <summary>Danal's window parameters (<c>bypass.danal</c>); only those of a card window.</summary>
public sealed class RequestPayDanalBypass
{
    internal RequestPayDanalBypass()
    {
    }

    /// <summary>Gets the colour of the Danal window (<c>COLOR</c>).</summary>
    [JsonPropertyName("COLOR")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Color { get; internal init; }
}

/// <summary>Writes a list of strings as one string when it has one item, else as an array (<c>notice_url</c>).</summary>
internal sealed class StringOrArrayConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("The checkout parameters are only written.");

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        if (value.Count == 1)
        {
            writer.WriteStringValue(value[0]);
            return;
        }

        writer.WriteStartArray();
        foreach (string item in value)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}

/// <summary>Writes the JSON text of an object as that object, re-encoded by the writer (so HTML-safe escaping applies to
/// every string in it), never as a string holding it: no double encoding.</summary>
internal sealed class JsonObjectTextConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("The checkout parameters are only written.");

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        using JsonDocument document = JsonDocument.Parse(value);
        document.RootElement.WriteTo(writer);
    }
}
