using System.Collections.Generic;
using System.Linq;
using Iamport.Danal.Testing.Routes;

namespace Iamport.Danal.Testing.State;

/// <summary>What one charge of a billing key needs, whoever asks for it (again, a schedule, the checkout window).</summary>
internal sealed record ChargeInput
{
    public required string MerchantUid { get; init; }
    public required decimal Amount { get; init; }
    public string Currency { get; init; } = "KRW";
    public string? Name { get; init; }
    public required string Channel { get; init; }
    public required string Usage { get; init; }
    public int CardQuota { get; init; }
    public string? BuyerName { get; init; }
    public string? BuyerEmail { get; init; }
    public string? BuyerTel { get; init; }
    public string? BuyerAddr { get; init; }
    public string? BuyerPostcode { get; init; }
    public string? CustomData { get; init; }
    /// <summary>The <c>notice_url</c>: a string, or on the window an array of strings.</summary>
    public IReadOnlyList<string>? NoticeUrls { get; init; }
    public string? UserAgent { get; init; }

    /// <summary>The sub-merchant's tier code the window was opened with (<c>IMP.agency</c>).</summary>
    public string? Tier { get; init; }

    /// <summary>The optional fields shared by <c>again</c>, schedules and <c>request_pay</c>.</summary>
    public static ChargeInput FromBody(RequestBody body, string merchantUid, decimal amount, string channel, string usage) => new()
    {
        MerchantUid = merchantUid,
        Amount = amount,
        Currency = body.String("currency") is { Length: > 0 } currency ? currency : "KRW",
        Name = body.String("name"),
        Channel = channel,
        Usage = usage,
        CardQuota = (int)(body.Decimal("card_quota") ?? 0),
        BuyerName = body.String("buyer_name"),
        BuyerEmail = body.String("buyer_email"),
        BuyerTel = body.String("buyer_tel"),
        BuyerAddr = body.String("buyer_addr"),
        BuyerPostcode = body.String("buyer_postcode"),
        CustomData = body.String("custom_data"),
        NoticeUrls = body.Root["notice_url"] is System.Text.Json.Nodes.JsonArray urls
            ? [.. urls.Select(RequestBody.AsString).OfType<string>()]
            : body.String("notice_url") is { } url ? [url] : null,
    };
}
