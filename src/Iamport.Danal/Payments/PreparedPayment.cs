using System.Text.Json.Serialization;

namespace Iamport.Danal.Payments;

/// <summary>An amount registered in advance for an order (<c>PaymentPrepareAnnotation</c>).</summary>
/// <remarks>Once registered, I'mport's payment window refuses to open the order with any other amount.</remarks>
public sealed class PreparedPayment
{
    /// <summary>Gets or sets the shop's order id (<c>merchant_uid</c>).</summary>
    [JsonRequired]
    public string MerchantUid { get; set; } = "";

    /// <summary>Gets or sets the registered amount (<c>amount</c>).</summary>
    public decimal Amount { get; set; }

    /// <summary>Gets or sets the registered currency (<c>currency</c>).</summary>
    public string? Currency { get; set; }
}

/// <summary>The body of <c>POST /payments/prepare</c>.</summary>
internal sealed class PrepareRequest
{
    public required string MerchantUid { get; init; }

    public required decimal Amount { get; init; }
}
