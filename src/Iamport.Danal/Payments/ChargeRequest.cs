using System;
using System.Text.Json.Serialization;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

/// <summary>A charge of a stored billing key (<c>POST /subscribe/payments/again</c>).</summary>
/// <remarks>
/// Checked before anything is sent: lengths from I'mport's schema, a positive whole KRW amount, a merchant_uid of
/// <c>[A-Za-z0-9_-]</c>, <see cref="TaxFree"/> not above <see cref="Amount"/>, installments only from 50,000 KRW, KRW as
/// the only currency.
/// Fields I'mport lists without Danal support (<c>vat_amount</c>, <c>interest_free_by_merchant</c>, <c>use_card_point</c>,
/// <c>product_type</c>: the schema lists only KSNET and PayPal for it) are not offered.
/// </remarks>
/// <seealso href="https://developers.portone.io/api/rest-v1/nonAuthPayment"/>
public sealed class ChargeRequest
{
    private string? _channelKey;

    /// <summary>Gets the billing key to charge (<c>customer_uid</c>, at most 80 characters).</summary>
    public required string CustomerUid { get; init; }

    /// <summary>Gets the shop's unique id of this charge attempt (<c>merchant_uid</c>, at most 40 of <c>[A-Za-z0-9_-]</c>).</summary>
    /// <remarks>Use a new one per attempt, derived from what is being paid for, so that two servers can never charge it twice.</remarks>
    public required string MerchantUid { get; init; }

    /// <summary>Gets the amount to charge, a positive whole number of won (<c>amount</c>).</summary>
    public required decimal Amount { get; init; }

    /// <summary>Gets the order name shown to the buyer (<c>name</c>, at most 40 characters, no <c>%</c>; required by Danal).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the tax-free part of <see cref="Amount"/> (<c>tax_free</c>).</summary>
    public decimal? TaxFree { get; init; }

    /// <summary>Gets the buyer's name (<c>buyer_name</c>, at most 16 characters).</summary>
    public string? BuyerName { get; init; }

    /// <summary>Gets the buyer's e-mail address (<c>buyer_email</c>, a valid address of at most 64 characters).</summary>
    public string? BuyerEmail { get; init; }

    /// <summary>Gets the buyer's phone number (<c>buyer_tel</c>, at most 16 characters).</summary>
    [JsonPropertyName("buyer_tel")]
    public string? BuyerPhone { get; init; }

    /// <summary>Gets the buyer's address (<c>buyer_addr</c>, at most 128 characters).</summary>
    [JsonPropertyName("buyer_addr")]
    public string? BuyerAddress { get; init; }

    /// <summary>Gets the buyer's postcode (<c>buyer_postcode</c>, at most 8 characters).</summary>
    public string? BuyerPostcode { get; init; }

    /// <summary>Gets the installment months (<c>card_quota</c>): 0 for a lump sum; more than 0 only from 50,000 KRW.</summary>
    public int? CardQuota { get; init; }

    /// <summary>Gets data stored with the payment (<c>custom_data</c>), typically a JSON string.</summary>
    public string? CustomData { get; init; }

    /// <summary>Gets the webhook address for this charge (<c>notice_url</c>), overriding the console setting.</summary>
    public Uri? NoticeUrl { get; init; }

    /// <summary>Gets the buyer's browser IP (<c>browser_ip</c>, an IPv4 or IPv6 address).</summary>
    public string? BrowserIp { get; init; }

    /// <summary>Gets the number of products (<c>product_count</c>, at least 1; I'mport's default is 1).</summary>
    public int? ProductCount { get; init; }

    /// <summary>Gets the currency (<c>currency</c>): <c>KRW</c>, the only currency of Danal card billing.</summary>
    /// <value><see langword="null"/>: none is sent and I'mport charges in KRW.</value>
    public string? Currency { get; init; }

    /// <summary>Gets the channel of a super billing key to charge through (<c>channel_key</c>, at most 55 of <c>[A-Za-z0-9_-]</c>).</summary>
    /// <value><see langword="null"/>: <see cref="IamportOptions.ChannelKey"/> when <see cref="IamportOptions.SendChannelKeyWithCharges"/>
    /// is set, otherwise none is sent. I'mport documents <c>channel_key</c> here only to pick one channel of a key issued
    /// for several (a super billing key); an ordinary Danal key is charged through the channel that issued it.</value>
    public string? ChannelKey
    {
        get => _channelKey;
        init => _channelKey = value;
    }

    /// <summary>Gets PG-specific parameters (<c>bypass</c>), a JSON object written as text that I'mport passes to the PG unchanged.</summary>
    /// <remarks>A raw pass-through, <b>undocumented for Danal</b>: I'mport's schema defines <c>bypass</c> here only as a
    /// PG-specific JSON string, and Danal documents no REST field for it. Danal's documented <c>bypass</c>
    /// (<c>COLOR</c>) belongs to the payment window, not to a billing-key charge. Checked only to be a JSON object.</remarks>
    public string? Bypass { get; init; }

    /// <summary>This request, or a copy with <paramref name="channelKey"/> when it names no channel of its own.</summary>
    internal ChargeRequest WithDefaultChannelKey(string? channelKey)
    {
        if (_channelKey is not null || string.IsNullOrWhiteSpace(channelKey))
        {
            return this;
        }

        var copy = (ChargeRequest)MemberwiseClone();
        copy._channelKey = channelKey;
        return copy;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first field that breaks a rule.</summary>
    internal void Validate()
    {
        const string P = "request.";
        DanalRules.CustomerUid(CustomerUid, P + nameof(CustomerUid));
        DanalRules.MerchantUid(MerchantUid, P + nameof(MerchantUid));
        DanalRules.Amount(Amount, P + nameof(Amount));
        DanalRules.OrderName(Name, P + nameof(Name), required: true);
        DanalRules.TaxFree(TaxFree, Amount, P + nameof(TaxFree));
        DanalRules.BuyerName(BuyerName, P + nameof(BuyerName));
        DanalRules.BuyerEmail(BuyerEmail, P + nameof(BuyerEmail));
        DanalRules.BuyerPhone(BuyerPhone, P + nameof(BuyerPhone), required: false);
        DanalRules.BuyerAddress(BuyerAddress, P + nameof(BuyerAddress));
        DanalRules.BuyerPostcode(BuyerPostcode, P + nameof(BuyerPostcode));
        DanalRules.CardQuota(CardQuota, Amount, P + nameof(CardQuota));
        RouteRules.Text(CustomData, P + nameof(CustomData), "custom_data");
        RouteRules.HttpUrl(NoticeUrl?.OriginalString, P + nameof(NoticeUrl), "notice_url");
        DanalRules.BrowserIp(BrowserIp, P + nameof(BrowserIp));
        DanalRules.ProductCount(ProductCount, P + nameof(ProductCount));
        DanalRules.Currency(Currency, P + nameof(Currency), required: false);
        if (ChannelKey is not null)
        {
            DanalRules.ChannelKey(ChannelKey, P + nameof(ChannelKey));
        }

        RouteRules.JsonObjectText(Bypass, P + nameof(Bypass), "bypass");
    }
}
