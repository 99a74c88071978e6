using System;
using System.Text.Json.Serialization;
using Iamport.Danal.Internal;
using Iamport.Danal.Payments;

namespace Iamport.Danal.BillingKeys;

/// <summary>A billing key as I'mport stores it for a customer_uid (<c>CustomerAnnotation</c>).</summary>
/// <remarks>The card number is masked by I'mport; the key itself stays with the PG and is never returned.</remarks>
/// <seealso href="https://developers.portone.io/api/rest-v1/billingKey"/>
public sealed class BillingKey
{
    /// <summary>Gets or sets the shop's id of the key (<c>customer_uid</c>).</summary>
    [JsonRequired]
    public string CustomerUid { get; set; } = "";

    /// <summary>Gets or sets the PG holding the key (<c>pg_provider</c>), <see cref="PgProvider.DanalTpay"/> for Danal.</summary>
    public PgProvider? PgProvider { get; set; }

    /// <summary>Gets or sets the PG merchant id (MID) holding the key (<c>pg_id</c>).</summary>
    public string? PgId { get; set; }

    /// <summary>Gets or sets whether the key was issued through a test channel (<c>sandbox</c>).</summary>
    public bool Sandbox { get; set; }

    /// <summary>Gets or sets the shop's buyer id (<c>customer_id</c>).</summary>
    public string? CustomerId { get; set; }

    /// <summary>Gets or sets the card company name (<c>card_name</c>).</summary>
    public string? CardName { get; set; }

    /// <summary>Gets or sets the card company code (<c>card_code</c>).</summary>
    public string? CardCode { get; set; }

    /// <summary>Gets or sets the card issuer's code (<c>card_issuer_code</c>); only some PGs send it.</summary>
    public string? CardIssuerCode { get; set; }

    /// <summary>Gets or sets the card issuer's name (<c>card_issuer_name</c>); only some PGs send it.</summary>
    public string? CardIssuerName { get; set; }

    /// <summary>Gets or sets the card publisher's code (<c>card_publisher_code</c>); only some PGs send it.</summary>
    public string? CardPublisherCode { get; set; }

    /// <summary>Gets or sets the card publisher's name (<c>card_publisher_name</c>); only some PGs send it.</summary>
    public string? CardPublisherName { get; set; }

    /// <summary>Gets or sets the masked card number (<c>card_number</c>).</summary>
    public string? CardNumber { get; set; }

    /// <summary>Gets or sets the card type (<c>card_type</c>): 0 credit, 1 check, or <see langword="null"/> when the PG does not say.</summary>
    public int? CardType { get; set; }

    /// <summary>Gets or sets the card holder's name (<c>customer_name</c>).</summary>
    public string? CustomerName { get; set; }

    /// <summary>Gets or sets the card holder's phone number (<c>customer_tel</c>).</summary>
    public string? CustomerTel { get; set; }

    /// <summary>Gets or sets the card holder's e-mail address (<c>customer_email</c>).</summary>
    public string? CustomerEmail { get; set; }

    /// <summary>Gets or sets the card holder's address (<c>customer_addr</c>).</summary>
    public string? CustomerAddr { get; set; }

    /// <summary>Gets or sets the card holder's postcode (<c>customer_postcode</c>).</summary>
    public string? CustomerPostcode { get; set; }

    /// <summary>Gets or sets when the key was issued (<c>inserted</c>).</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    public DateTimeOffset? Inserted { get; set; }

    /// <summary>Gets or sets when the key was last changed (<c>updated</c>).</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    public DateTimeOffset? Updated { get; set; }
}
