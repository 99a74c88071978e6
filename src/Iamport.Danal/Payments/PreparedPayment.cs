using System.Text.Json.Serialization;

namespace Iamport.Danal;

/// <summary>An amount registered in advance for an order (<c>PaymentPrepareAnnotation</c>).</summary>
/// <remarks>Once registered, I'mport's payment window refuses to open the order with any other amount.</remarks>
public sealed class PreparedPayment
{
    [JsonConstructor]
    internal PreparedPayment()
    {
    }

    /// <summary>Gets the shop's order id (<c>merchant_uid</c>).</summary>
    [JsonRequired]
    [JsonInclude]
    public string MerchantUid { get; internal set; } = "";

    /// <summary>Gets the registered amount (<c>amount</c>).</summary>
    [JsonInclude]
    public decimal Amount { get; internal set; }

    /// <summary>Gets the registered currency (<c>currency</c>).</summary>
    [JsonInclude]
    public string? Currency { get; internal set; }
}

/// <summary>The body of <c>POST /payments/prepare</c> and <c>PUT /payments/prepare</c>.</summary>
internal sealed class PrepareRequest
{
    public required string MerchantUid { get; init; }

    public required decimal Amount { get; init; }
}
