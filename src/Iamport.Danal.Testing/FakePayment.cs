namespace Iamport.Danal.Testing;

/// <summary>A payment the fake recorded, for inspection by a test.</summary>
/// <param name="ImpUid">The <c>imp_uid</c>.</param>
/// <param name="MerchantUid">The <c>merchant_uid</c>.</param>
/// <param name="CustomerUid">The billing key's <c>customer_uid</c>.</param>
/// <param name="CustomerUidUsage"><c>issue</c>, <c>payment</c> or <c>payment.scheduled</c>.</param>
/// <param name="Amount">The charged amount in KRW.</param>
/// <param name="CancelAmount">The cancelled (refunded) amount in KRW.</param>
/// <param name="Status"><c>paid</c>, <c>failed</c> or <c>cancelled</c>.</param>
/// <param name="FailReason">Why a failed payment failed, otherwise <see langword="null"/>.</param>
/// <param name="Sandbox">Whether it was made on a test channel.</param>
public sealed record FakePayment(
    string ImpUid,
    string MerchantUid,
    string? CustomerUid,
    string? CustomerUidUsage,
    decimal Amount,
    decimal CancelAmount,
    string Status,
    string? FailReason,
    bool Sandbox);
