using System;
using System.Text.Json.Serialization;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

/// <summary>A billing key as I'mport stores it for a customer_uid (<c>CustomerAnnotation</c>).</summary>
/// <remarks>The card number is masked by I'mport; the key itself stays with the PG and is never returned.</remarks>
/// <seealso href="https://developers.portone.io/api/rest-v1/billingKey"/>
public sealed class BillingKey
{
    [JsonConstructor]
    internal BillingKey()
    {
    }

    /// <summary>Gets the shop's id of the key (<c>customer_uid</c>).</summary>
    [JsonRequired]
    [JsonInclude]
    public string CustomerUid { get; internal set; } = "";

    /// <summary>Gets the PG holding the key (<c>pg_provider</c>), <see cref="PgProvider.DanalTpay"/> for Danal.</summary>
    [JsonInclude]
    public PgProvider? PgProvider { get; internal set; }

    /// <summary>Gets the PG merchant id (MID) holding the key (<c>pg_id</c>).</summary>
    [JsonInclude]
    public string? PgId { get; internal set; }

    /// <summary>Gets whether the key was issued through a test channel (<c>sandbox</c>).</summary>
    [JsonPropertyName("sandbox")]
    [JsonInclude]
    public bool IsSandbox { get; internal set; }

    /// <summary>Gets the shop's buyer id (<c>customer_id</c>).</summary>
    [JsonInclude]
    public string? CustomerId { get; internal set; }

    /// <summary>Gets the card company name (<c>card_name</c>).</summary>
    [JsonInclude]
    public string? CardName { get; internal set; }

    /// <summary>Gets the card company code (<c>card_code</c>).</summary>
    [JsonInclude]
    public string? CardCode { get; internal set; }

    /// <summary>Gets the card issuer's code (<c>card_issuer_code</c>); only some PGs send it.</summary>
    [JsonInclude]
    public string? CardIssuerCode { get; internal set; }

    /// <summary>Gets the card issuer's name (<c>card_issuer_name</c>); only some PGs send it.</summary>
    [JsonInclude]
    public string? CardIssuerName { get; internal set; }

    /// <summary>Gets the card publisher's code (<c>card_publisher_code</c>); only some PGs send it.</summary>
    [JsonInclude]
    public string? CardPublisherCode { get; internal set; }

    /// <summary>Gets the card publisher's name (<c>card_publisher_name</c>); only some PGs send it.</summary>
    [JsonInclude]
    public string? CardPublisherName { get; internal set; }

    /// <summary>Gets the masked card number (<c>card_number</c>).</summary>
    [JsonInclude]
    public string? CardNumber { get; internal set; }

    /// <summary>Gets the card type (<c>card_type</c>): 0 credit, 1 check, or <see langword="null"/> when the PG does not say.</summary>
    [JsonInclude]
    public int? CardType { get; internal set; }

    /// <summary>Gets the card holder's name (<c>customer_name</c>).</summary>
    [JsonInclude]
    public string? CustomerName { get; internal set; }

    /// <summary>Gets the card holder's phone number (<c>customer_tel</c>).</summary>
    [JsonPropertyName("customer_tel")]
    [JsonInclude]
    public string? CustomerPhone { get; internal set; }

    /// <summary>Gets the card holder's e-mail address (<c>customer_email</c>).</summary>
    [JsonInclude]
    public string? CustomerEmail { get; internal set; }

    /// <summary>Gets the card holder's address (<c>customer_addr</c>).</summary>
    [JsonPropertyName("customer_addr")]
    [JsonInclude]
    public string? CustomerAddress { get; internal set; }

    /// <summary>Gets the card holder's postcode (<c>customer_postcode</c>).</summary>
    [JsonInclude]
    public string? CustomerPostcode { get; internal set; }

    /// <summary>Gets when the key was issued (<c>inserted</c>).</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    [JsonPropertyName("inserted")]
    [JsonInclude]
    public DateTimeOffset? InsertedAt { get; internal set; }

    /// <summary>Gets when the key was last changed (<c>updated</c>).</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    [JsonPropertyName("updated")]
    [JsonInclude]
    public DateTimeOffset? UpdatedAt { get; internal set; }
}
