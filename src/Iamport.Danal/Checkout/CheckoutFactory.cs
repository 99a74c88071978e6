using System;
using Iamport.Danal.Internal;

namespace Iamport.Danal.Checkout;

/// <summary>The one way to start a checkout: builders and snippets with the channel key (or <c>pg</c>) and merchant code of an <see cref="IamportOptions"/>.</summary>
/// <remarks>Registered as a singleton by <c>AddIamport</c>; inject it into the page or endpoint that starts a checkout.
/// Tests and tools without DI create one from options: <c>new CheckoutFactory(new IamportOptions { ChannelKey = …, MerchantCode = … })</c>.</remarks>
public sealed class CheckoutFactory
{
    private readonly string? _channelKey;
    private readonly string? _pg;
    private readonly string? _tier;
    private readonly MerchantUidGenerator _merchantUids;

    /// <summary>Initializes a new instance of the <see cref="CheckoutFactory"/> class.</summary>
    /// <param name="options">The options that supply <see cref="IamportOptions.ChannelKey"/> (or <see cref="IamportOptions.Pg"/>) and <see cref="IamportOptions.MerchantCode"/>.</param>
    /// <param name="timeProvider">The clock for generated <c>merchant_uid</c> values; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Both or neither of <see cref="IamportOptions.ChannelKey"/> and <see cref="IamportOptions.Pg"/> are set.</exception>
    public CheckoutFactory(IamportOptions options, TimeProvider? timeProvider = null)
        : this(Checked(options), timeProvider)
    {
    }

    /// <summary>Builds the factory of one merchant from its settings, already validated at start.</summary>
    internal CheckoutFactory(IamportSettings settings, TimeProvider? timeProvider)
    {
        _channelKey = settings.ChannelKey;
        _pg = settings.Pg;
        _tier = settings.Tier;
        MerchantCode = settings.MerchantCode;
        _merchantUids = new MerchantUidGenerator(null, timeProvider);
    }

    private static IamportSettings Checked(IamportOptions options)
    {
        IamportSettings settings = IamportSettings.From(Guard.NotNull(options));
        return (settings.ChannelKey is null) == (settings.Pg is null)
            ? throw new ArgumentException($"Set exactly one of {nameof(IamportOptions.ChannelKey)} and {nameof(IamportOptions.Pg)}.", nameof(options))
            : settings;
    }

    /// <summary>Gets the merchant code passed to <c>IMP.init</c>, from <see cref="IamportOptions.MerchantCode"/>.</summary>
    public string? MerchantCode { get; }

    /// <summary>Starts parameters that only issue a billing key (<c>amount</c> 0).</summary>
    /// <remarks>Danal verifies the card by charging 10 KRW and cancels that charge about 30 minutes later; nothing else
    /// is charged. Charge the key afterwards on the server with <see cref="IIamportClient"/>.</remarks>
    /// <param name="customerUid">The billing key to issue (<c>customer_uid</c>, at most 80 characters): one per customer and card.</param>
    /// <param name="name">The order name shown in the Danal window (<c>name</c>, at most 40 characters, no <c>%</c>): Danal requires it for a key-only issuance too.</param>
    /// <returns>A builder; call <see cref="RequestPayParamsBuilder.WithBuyerPhone"/> before <see cref="RequestPayParamsBuilder.Build"/>.</returns>
    public RequestPayParamsBuilder IssueKeyOnly(string customerUid, string name) =>
        new(_channelKey, _pg, _merchantUids, customerUid, 0m, charge: false, name);

    /// <summary>Starts parameters that issue a billing key and charge <paramref name="amount"/> with it at once.</summary>
    /// <remarks>No 10 KRW verification charge is made: the first payment is the verification.</remarks>
    /// <param name="customerUid">The billing key to issue (<c>customer_uid</c>, at most 80 characters): one per customer and card.</param>
    /// <param name="amount">The amount to charge now (<c>amount</c>), a positive whole number of won.</param>
    /// <param name="name">The order name shown to the buyer (<c>name</c>, at most 40 characters, no <c>%</c>).</param>
    /// <returns>A builder; call <see cref="RequestPayParamsBuilder.WithBuyerPhone"/> before <see cref="RequestPayParamsBuilder.Build"/>.</returns>
    public RequestPayParamsBuilder IssueKeyAndCharge(string customerUid, decimal amount, string name) =>
        new(_channelKey, _pg, _merchantUids, customerUid, amount, charge: true, name);

    /// <summary>Renders the HTML that loads <c>iamport.js</c>, opens the Danal window and posts its result to <paramref name="verifyUrl"/>; see <see cref="CheckoutScript"/>.</summary>
    /// <remarks>With <see cref="IamportOptions.Tier"/> set the page calls <c>IMP.agency(merchantCode, tier)</c> instead of
    /// <c>IMP.init(merchantCode)</c>, as PortOne requires for a sub-merchant.</remarks>
    /// <param name="param">The parameters from <see cref="RequestPayParamsBuilder.Build"/>.</param>
    /// <param name="verifyUrl">Where the callback POSTs <c>{imp_uid, merchant_uid}</c>: a same-origin path starting with a single
    /// <c>/</c> (<c>/checkout/verify</c>) or an absolute http(s) URL, with no control character, whitespace or backslash.</param>
    /// <param name="nonce">The page's CSP nonce, put on both elements; <see langword="null"/> for none.</param>
    /// <param name="sdkUrl">The <c>iamport.js</c> address, absolute http(s); <see langword="null"/> for <see cref="CheckoutScript.DefaultSdkUrl"/>. A fake I'mport serves its own.</param>
    /// <returns>HTML to place in the page body.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="param"/> or <paramref name="verifyUrl"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><see cref="IamportOptions.MerchantCode"/> is not set.</exception>
    /// <exception cref="ArgumentException">The merchant code is not <c>[A-Za-z0-9_-]</c>, <see cref="IamportOptions.Tier"/> is
    /// not 3 of <c>[A-Z0-9]</c>, or a URL breaks its rule (the message names the parameter and the rule).</exception>
    public string RenderScript(RequestPayParams param, string verifyUrl, string? nonce = null, Uri? sdkUrl = null) =>
        CheckoutScript.Render(
            param,
            MerchantCode ?? throw new InvalidOperationException($"{IamportOptions.SectionName}:{nameof(IamportOptions.MerchantCode)} is required for the checkout script."),
            _tier,
            verifyUrl,
            nonce,
            sdkUrl);
}
