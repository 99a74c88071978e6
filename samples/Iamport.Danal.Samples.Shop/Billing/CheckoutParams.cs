using System.Text.Json.Serialization;

namespace Iamport.Danal.Samples.Shop.Billing;

/// <summary>The <c>IMP.request_pay</c> object for a Danal billing-key window, served from a JSON endpoint.</summary>
/// <remarks>
/// A stand-in with the same property names as <c>Iamport.Danal.Checkout.RequestPayParamsBuilder</c>'s output, kept until
/// that builder is merged here. It is only ever serialized by System.Text.Json with the default (HTML-safe) encoder.
/// </remarks>
public sealed record CheckoutParams(
    [property: JsonPropertyName("pg")] string Pg,
    [property: JsonPropertyName("merchant_uid")] string MerchantUid,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("customer_uid")] string CustomerUid,
    [property: JsonPropertyName("buyer_name")] string BuyerName,
    [property: JsonPropertyName("buyer_tel")] string BuyerTel,
    [property: JsonPropertyName("notice_url")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NoticeUrl)
{
    [JsonPropertyName("pay_method")]
    public string PayMethod => "card";
}
