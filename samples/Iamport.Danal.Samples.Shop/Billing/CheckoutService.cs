using System.Security.Cryptography;
using Iamport.Danal.Checkout;
using Iamport.Danal.Samples.Shop.Data;
using Microsoft.Extensions.Options;

namespace Iamport.Danal.Samples.Shop.Billing;

public enum CheckoutKind
{
    /// <summary>Issue the billing key only (amount 0); the renewal job charges the first month.</summary>
    RegisterCard,

    /// <summary>Issue the billing key and charge the first month in the same window.</summary>
    SubscribeAndPay,
}

/// <param name="Notice">The page notice to show after a redirect: <c>activated</c>, <c>paid</c> or <c>card-changed</c>.</param>
public sealed record CheckoutVerdict(bool Activated, string Message, string? Notice = null);

/// <summary>Checkout: opens checkouts (this file); confirms them (<c>CheckoutService.Verify.cs</c>) and changes cards
/// (<c>CheckoutService.CardChange.cs</c>). The browser only ever tells us <em>which</em> checkout it finished;
/// what it must look like comes from our own record, and whether it happened comes from I'mport.</summary>
public sealed partial class CheckoutService(
    IIamportClient client,
    CheckoutFactory checkoutFactory,
    IShopStore store,
    ScheduleEngine schedules,
    IOptions<ShopOptions> shopOptions,
    TimeProvider time,
    ILogger<CheckoutService> logger)
{
    private readonly ShopOptions _shop = shopOptions.Value;

    /// <summary>Records a pending checkout and builds the <c>IMP.request_pay</c> object for it.</summary>
    /// <param name="redirectUrl">The shop's <c>m_redirect_url</c> route (absolute), where a mobile window given no callback returns.</param>
    public async Task<RequestPayParams> StartAsync(string owner, CheckoutKind kind, Uri redirectUrl, CancellationToken cancellationToken)
    {
        string customerUid = NewCustomerUid();
        var builder = kind == CheckoutKind.SubscribeAndPay
            ? checkoutFactory.IssueKeyAndCharge(customerUid, _shop.MonthlyPrice, _shop.ProductName)
            : checkoutFactory.IssueKeyOnly(customerUid, _shop.ProductName);

        // Build() checks every Danal rule and generates a unique, time-ordered merchant_uid.
        RequestPayParams param = Complete(builder, redirectUrl).Build();
        await store.CreateCheckoutAsync(owner, _shop.ProductName, _shop.MonthlyPrice, param.MerchantUid, customerUid, (long)param.Amount, cancellationToken);
        logger.CheckoutOpened(param.MerchantUid, kind.ToString(), (long)param.Amount);
        return param;
    }

    private static string NewCustomerUid() => "cu_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private RequestPayParamsBuilder Complete(RequestPayParamsBuilder builder, Uri redirectUrl)
    {
        builder.WithBuyerName(_shop.BuyerName).WithBuyerPhone(_shop.BuyerPhone).WithRedirectUrl(redirectUrl);
        if (_shop.NoticeUrl is { } noticeUrl)
        {
            builder.WithNoticeUrl(noticeUrl);
        }

        return builder;
    }
}