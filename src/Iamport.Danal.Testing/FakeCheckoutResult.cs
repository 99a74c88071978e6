using System.Text.Json.Nodes;

namespace Iamport.Danal.Testing;

/// <summary>What the page's <c>IMP.request_pay</c> callback receives from the simulated Danal window, as returned by
/// <see cref="FakeIamport.ApproveCheckoutAsync"/>, <see cref="FakeIamport.DeclineCheckoutAsync"/> and
/// <see cref="FakeIamport.CloseCheckoutAsync"/>.</summary>
/// <remarks>Like the real callback it is only a hint: the shop verifies the payment with I'mport by
/// <see cref="ImpUid"/>. Hand <see cref="CallbackJson"/> to the code a page's callback posts to.</remarks>
public sealed class FakeCheckoutResult
{
    internal FakeCheckoutResult(string callbackJson)
    {
        CallbackJson = callbackJson;
        var rsp = JsonNode.Parse(callbackJson)!.AsObject();
        ImpUid = Text(rsp["imp_uid"]);
        MerchantUid = Text(rsp["merchant_uid"]);
        ErrorCode = Text(rsp["error_code"]);
        ErrorMessage = Text(rsp["error_msg"]);
    }

    /// <summary>Gets the <c>imp_uid</c> of the payment the window created; <see langword="null"/> when it refused the
    /// param before creating one.</summary>
    public string? ImpUid { get; }

    /// <summary>Gets the <c>merchant_uid</c>.</summary>
    public string? MerchantUid { get; }

    /// <summary>Gets whether the window reports success: no <c>error_code</c>.</summary>
    public bool IsSuccess => ErrorCode is null;

    /// <summary>Gets the <c>error_code</c>, or <see langword="null"/> on success.</summary>
    public string? ErrorCode { get; }

    /// <summary>Gets the <c>error_msg</c>, or <see langword="null"/> on success.</summary>
    public string? ErrorMessage { get; }

    /// <summary>Gets the callback's <c>rsp</c> object as JSON, exactly as the window answered it.</summary>
    public string CallbackJson { get; }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;
}
