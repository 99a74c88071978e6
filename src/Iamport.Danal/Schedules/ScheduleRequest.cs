using System;
using System.Text.Json.Serialization;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

/// <summary>A charge of a stored billing key that I'mport runs at a given time (one entry of <c>schedules</c>).</summary>
/// <remarks>
/// Checked before anything is sent, by the same rules as <see cref="ChargeRequest"/>; <see cref="ScheduleAt"/> must lie in the future.
/// The channel (<c>channel_key</c>) is one per request, not per charge: see <see cref="IamportOptions.SendChannelKeyWithCharges"/>.
/// The outcome arrives by webhook (paid <b>or failed</b>) and through <see cref="IIamportClient.GetScheduleAsync"/>.
/// </remarks>
public sealed class ScheduleRequest
{
    /// <summary>Gets the shop's unique id of this charge (<c>merchant_uid</c>, at most 40 of <c>[A-Za-z0-9_-]</c>).</summary>
    public required string MerchantUid { get; init; }

    /// <summary>Gets when I'mport charges the key (<c>schedule_at</c>).</summary>
    /// <remarks>Sent as unix seconds of the instant: any offset gives the same result (no 9-hour shift on KST hosts).</remarks>
    [JsonConverter(typeof(UnixSecondsConverter))]
    public required DateTimeOffset ScheduleAt { get; init; }

    /// <summary>Gets the amount to charge, a positive whole number of won (<c>amount</c>).</summary>
    public required decimal Amount { get; init; }

    /// <summary>Gets the order name shown to the buyer (<c>name</c>, at most 40 characters; required by Danal).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the tax-free part of <see cref="Amount"/> (<c>tax_free</c>).</summary>
    public decimal? TaxFree { get; init; }

    /// <summary>Gets the currency (<c>currency</c>, required by I'mport): <c>KRW</c>, the only currency of Danal card billing.</summary>
    /// <value><c>KRW</c>.</value>
    public string Currency { get; init; } = "KRW";

    /// <summary>Gets the buyer's name (<c>buyer_name</c>, at most 16 characters).</summary>
    public string? BuyerName { get; init; }

    /// <summary>Gets the buyer's e-mail address (<c>buyer_email</c>, at most 64 characters).</summary>
    public string? BuyerEmail { get; init; }

    /// <summary>Gets the buyer's phone number (<c>buyer_tel</c>, at most 16 characters).</summary>
    [JsonPropertyName("buyer_tel")]
    public string? BuyerPhone { get; init; }

    /// <summary>Gets the buyer's address (<c>buyer_addr</c>, at most 128 characters).</summary>
    [JsonPropertyName("buyer_addr")]
    public string? BuyerAddress { get; init; }

    /// <summary>Gets the buyer's postcode (<c>buyer_postcode</c>, at most 8 characters).</summary>
    public string? BuyerPostcode { get; init; }

    /// <summary>Gets data stored with the payment (<c>custom_data</c>), typically a JSON string.</summary>
    public string? CustomData { get; init; }

    /// <summary>Gets the webhook address for this charge (<c>notice_url</c>), overriding the console setting.</summary>
    public Uri? NoticeUrl { get; init; }

    /// <summary>Gets the installment months (<c>card_quota</c>): 0 for a lump sum; more than 0 only from 50,000 KRW.</summary>
    public int? CardQuota { get; init; }

    /// <summary>Gets the number of products (<c>product_count</c>, at least 1; I'mport's default is 1).</summary>
    public int? ProductCount { get; init; }

    /// <summary>Gets the buyer's browser IP (<c>browser_ip</c>, an IPv4 or IPv6 address).</summary>
    public string? BrowserIp { get; init; }

    /// <summary>Gets PG-specific parameters (<c>bypass</c>), a JSON object written as text that I'mport passes to the PG unchanged.</summary>
    /// <remarks>A raw pass-through, <b>undocumented for Danal</b>, as <see cref="ChargeRequest.Bypass"/> is. Checked only to be a JSON object.</remarks>
    public string? Bypass { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first field that breaks a rule.</summary>
    internal void Validate(string prefix, DateTimeOffset now)
    {
        DanalRules.MerchantUid(MerchantUid, prefix + nameof(MerchantUid));
        if (ScheduleAt <= now)
        {
            throw new ArgumentException("schedule_at must be in the future.", prefix + nameof(ScheduleAt));
        }

        DanalRules.Amount(Amount, prefix + nameof(Amount));
        DanalRules.OrderName(Name, prefix + nameof(Name), required: true);
        DanalRules.TaxFree(TaxFree, Amount, prefix + nameof(TaxFree));
        DanalRules.Currency(Currency, prefix + nameof(Currency), required: true);
        DanalRules.BuyerName(BuyerName, prefix + nameof(BuyerName));
        DanalRules.BuyerEmail(BuyerEmail, prefix + nameof(BuyerEmail));
        DanalRules.BuyerPhone(BuyerPhone, prefix + nameof(BuyerPhone), required: false);
        DanalRules.BuyerAddress(BuyerAddress, prefix + nameof(BuyerAddress));
        DanalRules.BuyerPostcode(BuyerPostcode, prefix + nameof(BuyerPostcode));
        RouteRules.Text(CustomData, prefix + nameof(CustomData), "custom_data");
        RouteRules.HttpUrl(NoticeUrl?.OriginalString, prefix + nameof(NoticeUrl), "notice_url");
        DanalRules.CardQuota(CardQuota, Amount, prefix + nameof(CardQuota));
        DanalRules.ProductCount(ProductCount, prefix + nameof(ProductCount));
        DanalRules.BrowserIp(BrowserIp, prefix + nameof(BrowserIp));
        RouteRules.JsonObjectText(Bypass, prefix + nameof(Bypass), "bypass");
    }
}
