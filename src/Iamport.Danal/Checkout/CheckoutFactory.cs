using System;
using Iamport.Danal.Internal;

namespace Iamport.Danal.Checkout;

/// <summary>Creates checkout builders and snippets with the <c>pg</c> and merchant code of the registered <see cref="IamportOptions"/>.</summary>
/// <remarks>Registered as a singleton by <c>AddIamport</c>; inject it into the page or endpoint that starts a checkout.</remarks>
public sealed class CheckoutFactory
{
    private readonly string _pg;
    private readonly MerchantUidGenerator _merchantUids;

    /// <summary>Initializes a new instance of the <see cref="CheckoutFactory"/> class.</summary>
    /// <param name="options">The options that supply <see cref="IamportOptions.Pg"/> and <see cref="IamportOptions.MerchantCode"/>.</param>
    /// <param name="timeProvider">The clock for generated <c>merchant_uid</c> values; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public CheckoutFactory(IamportOptions options, TimeProvider? timeProvider = null)
    {
        _pg = Guard.NotNull(options).Pg;
        MerchantCode = options.MerchantCode;
        _merchantUids = new MerchantUidGenerator(null, timeProvider);
    }

    /// <summary>Gets the merchant code passed to <c>IMP.init</c>, from <see cref="IamportOptions.MerchantCode"/>.</summary>
    public string? MerchantCode { get; }

    /// <summary>Starts parameters that only issue a billing key (<c>amount</c> 0), with the configured <c>pg</c>.</summary>
    /// <remarks>Danal charges 10 KRW to verify the card and cancels it about 30 minutes later.</remarks>
    /// <param name="customerUid">The billing key to issue (<c>customer_uid</c>, at most 80 characters).</param>
    /// <returns>A builder; see <see cref="RequestPayParamsBuilder.IssueKeyOnly"/>.</returns>
    public RequestPayParamsBuilder IssueKeyOnly(string customerUid) =>
        new(_pg, _merchantUids, customerUid, 0m, charge: false, name: null);

    /// <summary>Starts parameters that issue a billing key and charge <paramref name="amount"/> at once, with the configured <c>pg</c>.</summary>
    /// <param name="customerUid">The billing key to issue (<c>customer_uid</c>, at most 80 characters).</param>
    /// <param name="amount">The amount to charge now, a positive whole number of won.</param>
    /// <param name="name">The order name (<c>name</c>, at most 40 characters, no <c>%</c>).</param>
    /// <returns>A builder; see <see cref="RequestPayParamsBuilder.IssueKeyAndCharge"/>.</returns>
    public RequestPayParamsBuilder IssueKeyAndCharge(string customerUid, decimal amount, string name) =>
        new(_pg, _merchantUids, customerUid, amount, charge: true, name);

    /// <summary>Renders the checkout snippet with the configured merchant code; see <see cref="CheckoutScript.Render"/>.</summary>
    /// <param name="param">The parameters.</param>
    /// <param name="verifyUrl">Where the callback POSTs <c>{imp_uid, merchant_uid}</c>.</param>
    /// <param name="nonce">The page's CSP nonce, or <see langword="null"/>.</param>
    /// <param name="sdkUrl">The <c>iamport.js</c> address, or <see langword="null"/> for the CDN.</param>
    /// <returns>HTML to place in the page body.</returns>
    /// <exception cref="InvalidOperationException"><see cref="IamportOptions.MerchantCode"/> is not set.</exception>
    /// <exception cref="ArgumentException">An argument is not allowed; see <see cref="CheckoutScript.Render"/>.</exception>
    public string RenderScript(RequestPayParams param, string verifyUrl, string? nonce = null, Uri? sdkUrl = null) =>
        CheckoutScript.Render(
            param,
            MerchantCode ?? throw new InvalidOperationException($"{IamportOptions.SectionName}:{nameof(IamportOptions.MerchantCode)} is required for the checkout script."),
            verifyUrl,
            nonce,
            sdkUrl);
}
