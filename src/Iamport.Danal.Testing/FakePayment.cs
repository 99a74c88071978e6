namespace Iamport.Danal.Testing;

/// <summary>A payment the fake recorded, for inspection by a test.</summary>
public sealed class FakePayment
{
    /// <summary>Gets the <c>imp_uid</c>.</summary>
    public required string ImpUid { get; init; }

    /// <summary>Gets the <c>merchant_uid</c>.</summary>
    public required string MerchantUid { get; init; }

    /// <summary>Gets the billing key's <c>customer_uid</c>.</summary>
    public string? CustomerUid { get; init; }

    /// <summary>Gets the <c>customer_uid_usage</c>: <c>issue</c>, <c>payment</c> or <c>payment.scheduled</c>.</summary>
    public string? CustomerUidUsage { get; init; }

    /// <summary>Gets the charged amount in KRW.</summary>
    public decimal Amount { get; init; }

    /// <summary>Gets the cancelled (refunded) amount in KRW.</summary>
    public decimal CancelAmount { get; init; }

    /// <summary>Gets the <c>currency</c>.</summary>
    public string Currency { get; init; } = "KRW";

    /// <summary>Gets the <c>status</c>: <c>ready</c>, <c>paid</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Gets why a failed payment failed, otherwise <see langword="null"/>.</summary>
    public string? FailReason { get; init; }

    /// <summary>Gets whether it was made on a test channel.</summary>
    public bool IsSandbox { get; init; }

    /// <summary>Gets the sub-merchant's tier code the checkout page gave <c>IMP.agency</c>, or <see langword="null"/> after <c>IMP.init</c> or a REST charge.</summary>
    public string? Tier { get; init; }
}
