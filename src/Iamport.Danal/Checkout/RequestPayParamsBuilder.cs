using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Iamport.Danal.Internal;

namespace Iamport.Danal.Checkout;

/// <summary>Builds the <c>IMP.request_pay</c> parameters that issue a Danal billing key, enforcing Danal's rules.</summary>
/// <remarks>
/// <para>Get one from <see cref="CheckoutFactory.IssueKeyOnly"/> or <see cref="CheckoutFactory.IssueKeyAndCharge"/>, which
/// fill in the channel key or <c>pg</c> of the registered <see cref="IamportOptions"/>; set what the page needs and call
/// <see cref="Build"/>, which checks every rule and throws an <see cref="ArgumentException"/> naming the I'mport field and
/// the rule (never a customer_uid value). <c>pay_method</c> is always <c>card</c> and cannot be changed.</para>
/// <para>A builder is not thread-safe; create one per page view.</para>
/// </remarks>
public sealed class RequestPayParamsBuilder
{
    private readonly string? _pg;
    private readonly string? _channelKey;
    private readonly MerchantUidGenerator _merchantUids;
    private readonly string _customerUid;
    private readonly decimal _amount;
    private readonly bool _charge;
    private string? _merchantUid;
    private string _name;
    private decimal? _taxFree;
    private string? _buyerTel;
    private string? _buyerEmail;
    private string? _buyerName;
    private string? _buyerAddr;
    private string? _buyerPostcode;
    private DateTime? _periodFrom;
    private DateTime? _periodTo;
    private string? _redirectUrl;
    private string[]? _noticeUrls;
    private string? _customData;
    private string? _customerId;
    private string? _windowColor;
    private int[]? _cardQuota;
    private string? _appScheme;

    internal RequestPayParamsBuilder(string? channelKey, string? pg, MerchantUidGenerator merchantUids, string customerUid, decimal amount, bool charge, string name)
    {
        (_channelKey, _pg) = (channelKey, channelKey is null ? pg : null);
        _merchantUids = merchantUids;
        _customerUid = customerUid;
        _amount = amount;
        _charge = charge;
        _name = name;
    }

    /// <summary>Sets the shop's unique id of this attempt (<c>merchant_uid</c>, at most 40 of <c>[A-Za-z0-9_-]</c>).</summary>
    /// <remarks>Without it, <see cref="Build"/> takes a new id from <see cref="MerchantUidGenerator"/> on each call.
    /// Never reuse the issuance id for a later charge.</remarks>
    /// <param name="merchantUid">The id.</param>
    /// <returns>This builder.</returns>
    public RequestPayParamsBuilder WithMerchantUid(string merchantUid)
    {
        _merchantUid = merchantUid;
        return this;
    }

    /// <summary>Sets the order name shown in the Danal window (<c>name</c>, at most 40 characters, no <c>%</c>).</summary>
    /// <param name="name">The name.</param>
    /// <returns>This builder.</returns>
    public RequestPayParamsBuilder WithName(string name)
    {
        _name = name;
        return this;
    }

    /// <summary>Sets the tax-free part of the amount (<c>tax_free</c>), a whole number of won not above the amount.</summary>
    /// <param name="taxFree">The tax-free amount.</param>
    /// <returns>This builder.</returns>
    public RequestPayParamsBuilder WithTaxFree(decimal taxFree)
    {
        _taxFree = taxFree;
        return this;
    }

    /// <summary>Sets the buyer's phone number (<c>buyer_tel</c>, at most 16 characters), required: Danal's window may fail without it.</summary>
    /// <param name="buyerPhone">The phone number.</param>
    /// <returns>This builder.</returns>
    public RequestPayParamsBuilder WithBuyerPhone(string buyerPhone)
    {
        _buyerTel = buyerPhone;
        return this;
    }

    /// <summary>Sets the buyer's e-mail address (<c>buyer_email</c>, at most 64 characters); Danal rejects malformed ones.</summary>
    /// <param name="buyerEmail">The address.</param>
    /// <returns>This builder.</returns>
    public RequestPayParamsBuilder WithBuyerEmail(string buyerEmail)
    {
        _buyerEmail = buyerEmail;
        return this;
    }

    /// <summary>Sets the buyer's name (<c>buyer_name</c>, at most 16 characters).</summary>
    /// <param name="buyerName">The name.</param>
    /// <returns>This builder.</returns>
    public RequestPayParamsBuilder WithBuyerName(string buyerName)
    {
        _buyerName = buyerName;
        return this;
    }

    /// <summary>Sets the buyer's address (<c>buyer_addr</c>, at most 128 characters) and postcode (<c>buyer_postcode</c>, at most 8).</summary>
    /// <param name="buyerAddress">The address.</param>
    /// <param name="buyerPostcode">The postcode, or <see langword="null"/>.</param>
    /// <returns>This builder.</returns>
    public RequestPayParamsBuilder WithBuyerAddress(string buyerAddress, string? buyerPostcode = null)
    {
        (_buyerAddr, _buyerPostcode) = (buyerAddress, buyerPostcode);
        return this;
    }

    /// <summary>Sets the service period shown in the Danal window (<c>period</c>); only the dates are used.</summary>
    /// <param name="from">The first day.</param>
    /// <param name="to">The last day, not before <paramref name="from"/>.</param>
    /// <returns>This builder.</returns>
    public RequestPayParamsBuilder WithPeriod(DateTime from, DateTime to)
    {
        (_periodFrom, _periodTo) = (from.Date, to.Date);
        return this;
    }

    /// <summary>Sets the address the buyer returns to after a redirect-style payment (<c>m_redirect_url</c>), absolute http(s).</summary>
    /// <remarks>Danal answers through the callback on PC and mobile; the SDK navigates here instead only on mobile and only
    /// when <c>IMP.request_pay</c> was given no callback (the snippet of <see cref="CheckoutFactory.RenderScript"/> always
    /// gives one), so this is a safety net. I'mport appends <c>imp_uid</c> and <c>merchant_uid</c>, and on failure
    /// <c>error_code</c> and <c>error_msg</c>, to its query (older SDKs also <c>imp_success</c>); read them with
    /// <see cref="UntrustedPaymentHint.FromRedirectQuery(string)"/>.</remarks>
    /// <param name="redirectUrl">The address; an existing query string is kept.</param>
    /// <returns>This builder.</returns>
    public RequestPayParamsBuilder WithRedirectUrl(Uri redirectUrl)
    {
        _redirectUrl = Guard.NotNull(redirectUrl).IsAbsoluteUri ? redirectUrl.AbsoluteUri : redirectUrl.OriginalString;
        return this;
    }

    /// <summary>Sets the webhook address for this payment (<c>notice_url</c>), absolute http(s).</summary>
    /// <param name="noticeUrl">The address.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="noticeUrl"/> is <see langword="null"/>.</exception>
    public RequestPayParamsBuilder WithNoticeUrl(Uri noticeUrl) => WithNoticeUrls(Guard.NotNull(noticeUrl));

    /// <summary>Sets the webhook addresses for this payment (<c>notice_url</c>, a string or an array of strings), each absolute http(s).</summary>
    /// <remarks>One address is written as a string, several as an array: I'mport notifies each of them.</remarks>
    /// <param name="noticeUrls">The addresses, at least one.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="noticeUrls"/> or one of its items is <see langword="null"/>.</exception>
    public RequestPayParamsBuilder WithNoticeUrls(params Uri[] noticeUrls)
    {
        _noticeUrls = Array.ConvertAll(Guard.NotNull(noticeUrls), url => Guard.NotNull(url).IsAbsoluteUri ? url.AbsoluteUri : url.OriginalString);
        return this;
    }

    /// <summary>Sets data stored with the payment (<c>custom_data</c>, a JSON object) from its JSON text.</summary>
    /// <remarks>The window gets the object itself, not a string holding it, so it is stored once encoded: I'mport
    /// returns it as this JSON text in <see cref="Payment.CustomData"/>.</remarks>
    /// <param name="customData">A JSON object, such as <c>{"plan":"monthly"}</c>. It is untrusted when read back: the browser can change it.</param>
    /// <returns>This builder.</returns>
    public RequestPayParamsBuilder WithCustomData(string customData)
    {
        _customData = customData;
        return this;
    }

    /// <summary>Sets data stored with the payment (<c>custom_data</c>, a JSON object) to <paramref name="value"/> serialized as JSON.</summary>
    /// <typeparam name="T">The type of the data, serialized as a JSON object.</typeparam>
    /// <param name="value">The data. It is untrusted when read back: the browser can change it.</param>
    /// <param name="typeInfo">The (source-generated) JSON metadata of <typeparamref name="T"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="typeInfo"/> is <see langword="null"/>.</exception>
    public RequestPayParamsBuilder WithCustomData<T>(T value, JsonTypeInfo<T> typeInfo) =>
        WithCustomData(JsonSerializer.Serialize(value, Guard.NotNull(typeInfo)));

    /// <summary>Sets the shop's id of the buyer (<c>customer_id</c>).</summary>
    /// <param name="customerId">The id.</param>
    /// <returns>This builder.</returns>
    public RequestPayParamsBuilder WithCustomerId(string customerId)
    {
        _customerId = customerId;
        return this;
    }

    /// <summary>Sets the colour of the Danal window (<c>bypass.danal.COLOR</c>), a Danal-specific window parameter.</summary>
    /// <remarks>PortOne documents it as a string and lists no values: the value is passed to Danal as it is.</remarks>
    /// <param name="color">The colour, as Danal names it.</param>
    /// <returns>This builder.</returns>
    public RequestPayParamsBuilder WithWindowColor(string color)
    {
        _windowColor = color;
        return this;
    }

    /// <summary>Sets the installment months offered in the window (<c>display.card_quota</c>).</summary>
    /// <param name="months">Each 0 (lump sum) or a number of months, installments only from 50,000 KRW; none (<c>[]</c>) offers lump sum only, at any amount.</param>
    /// <returns>This builder.</returns>
    public RequestPayParamsBuilder WithCardQuota(params int[] months)
    {
        _cardQuota = (int[])Guard.NotNull(months).Clone();
        return this;
    }

    /// <summary>Sets the URL scheme of the shop's app (<c>app_scheme</c>), to return to it from a card app.</summary>
    /// <param name="appScheme">The scheme, such as <c>myshop://</c>.</param>
    /// <returns>This builder.</returns>
    public RequestPayParamsBuilder WithAppScheme(string appScheme)
    {
        _appScheme = appScheme;
        return this;
    }

    /// <summary>Checks every rule and creates the parameters.</summary>
    /// <returns>The parameters; without <see cref="WithMerchantUid"/>, each call has a new <c>merchant_uid</c>.</returns>
    /// <exception cref="ArgumentException">A value breaks a Danal rule; the message names the I'mport field and the rule.</exception>
    public RequestPayParams Build()
    {
        DanalRules.CustomerUid(_customerUid, "customer_uid");
        if (_charge)
        {
            DanalRules.Amount(_amount, "amount");
        }

        DanalRules.OrderName(_name, "name", required: true);
        if (_channelKey is not null)
        {
            DanalRules.ChannelKey(_channelKey, "channelKey", "channelKey");
        }
        else
        {
            DanalRules.Pg(_pg, "pg");
        }

        if (_merchantUid is not null)
        {
            DanalRules.MerchantUid(_merchantUid, "merchant_uid");
        }

        DanalRules.TaxFree(_taxFree, _amount, "tax_free");
        DanalRules.BuyerPhone(_buyerTel, "buyer_tel", required: true);
        DanalRules.BuyerEmail(_buyerEmail, "buyer_email");
        DanalRules.BuyerName(_buyerName, "buyer_name");
        DanalRules.BuyerAddress(_buyerAddr, "buyer_addr");
        DanalRules.BuyerPostcode(_buyerPostcode, "buyer_postcode");
        CustomDataObject(_customData, "custom_data");
        Optional(_customerId, "customer_id");
        Optional(_windowColor, "bypass.danal.COLOR");
        RouteRules.Text(_appScheme, "app_scheme", "app_scheme");
        if (_periodFrom > _periodTo)
        {
            throw new ArgumentException("period must have from on or before to.", "period");
        }

        RouteRules.HttpUrl(_redirectUrl, "m_redirect_url", "m_redirect_url");
        if (_noticeUrls is { Length: 0 })
        {
            throw new ArgumentException("notice_url needs at least one address.", "notice_url");
        }

        foreach (string url in _noticeUrls ?? [])
        {
            RouteRules.HttpUrl(url, "notice_url", "notice_url");
        }

        foreach (int months in _cardQuota ?? [])
        {
            DanalRules.CardQuota(months, _amount, "display.card_quota", "display.card_quota");
        }

        return new RequestPayParams
        {
            Pg = _pg,
            ChannelKey = _channelKey,
            MerchantUid = _merchantUid ?? _merchantUids.Next(),
            Name = _name,
            Amount = decimal.Truncate(_amount), // drops a trailing ".0" so JSON has a plain integer
            TaxFree = _taxFree is { } taxFree ? decimal.Truncate(taxFree) : null,
            CustomerUid = _customerUid,
            BuyerEmail = _buyerEmail,
            BuyerName = _buyerName,
            BuyerPhone = _buyerTel!,
            BuyerAddress = _buyerAddr,
            BuyerPostcode = _buyerPostcode,
            Period = _periodFrom is { } from && _periodTo is { } to ? new RequestPayPeriod { From = Day(from), To = Day(to) } : null,
            RedirectUrl = _redirectUrl,
            NoticeUrls = _noticeUrls is null ? null : Array.AsReadOnly(_noticeUrls),
            CustomData = _customData,
            CustomerId = _customerId,
            Bypass = _windowColor is null ? null : new RequestPayBypass { Danal = new RequestPayDanalBypass { Color = _windowColor } },
            Display = _cardQuota is null ? null : new RequestPayDisplay { CardQuota = Array.AsReadOnly(_cardQuota) },
            AppScheme = _appScheme,
        };
    }

    /// <summary>An optional text that, when set, is not blank (nothing to send) and has no lone surrogate.</summary>
    private static void Optional(string? value, string field)
    {
        if (value is not null && value.Trim().Length == 0)
        {
            throw new ArgumentException($"{field} must not be empty or white space when set.", field);
        }

        RouteRules.Text(value, field, field);
    }

    /// <summary><c>custom_data</c> is an object on the window (PortOne's Danal guide): JSON text of anything else is refused.</summary>
    private static void CustomDataObject(string? customData, string field)
    {
        if (customData is null)
        {
            return;
        }

        RouteRules.Text(customData, field, field);
        bool isObject;
        try
        {
            using JsonDocument document = JsonDocument.Parse(customData);
            isObject = document.RootElement.ValueKind == JsonValueKind.Object;

            // What ToJson will do: an escaped lone surrogate in a string parses but cannot be written.
            using var writer = new Utf8JsonWriter(System.IO.Stream.Null);
            document.RootElement.WriteTo(writer);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            isObject = false;
        }

        if (!isObject)
        {
            throw new ArgumentException("custom_data must be the JSON text of an object, such as {\"plan\":\"monthly\"}: the window takes an object.", field);
        }
    }

    private static string Day(DateTime date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
