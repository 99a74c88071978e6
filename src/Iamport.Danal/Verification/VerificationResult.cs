using System.Diagnostics.CodeAnalysis;

namespace Iamport.Danal;

/// <summary>A check of <see cref="IamportVerificationExtensions"/>, in the order they run.</summary>
public enum VerificationCheck
{
    /// <summary>No check failed: the payment is verified.</summary>
    None = 0,

    /// <summary>I'mport has a payment for the reported imp_uid (or merchant_uid).</summary>
    PaymentFound,

    /// <summary>The payment's <c>merchant_uid</c> is the expected one (a forged imp_uid of another order fails here).</summary>
    MerchantUid,

    /// <summary>The payment's <c>status</c> is <c>paid</c>.</summary>
    Status,

    /// <summary>The payment's <c>amount</c> is the expected one.</summary>
    Amount,

    /// <summary>The payment's <c>pg_provider</c> is <c>danal_tpay</c>.</summary>
    PgProvider,

    /// <summary>The payment's <c>customer_uid</c> is the expected billing key.</summary>
    CustomerUid,

    /// <summary>The payment's <c>customer_uid_usage</c> is <c>issue</c> (issuance only).</summary>
    CustomerUidUsage,

    /// <summary>The billing key exists at I'mport and is held by <c>danal_tpay</c> (issuance only).</summary>
    BillingKey,
}

/// <summary>The outcome of checking a reported payment against the shop's expectation.</summary>
/// <remarks>
/// <para>In your tests, build one with <see cref="IamportModelFactory.VerificationResult"/>.</para>
/// <para>Only <see cref="IsVerified"/> means "deliver the goods / store the key". On any failed check, do not trust the report.</para>
/// <para>When a real charge does not match the order — the amount was tampered with in the browser, say — refund it in
/// full, guarded by the balance just seen so a retry cannot refund twice, and do not deliver:</para>
/// <code>
/// VerificationResult result = await client.VerifyPaymentAsync(impUid, expected);
/// if (result.FailedCheck == VerificationCheck.Amount &amp;&amp; result.Payment is { RefundableAmount: &gt; 0 } paid)
/// {
///     await client.CancelPaymentAsync(CancelPaymentRequest.Full(paid, "결제 금액 불일치"));
/// }
/// </code>
/// </remarks>
public sealed class VerificationResult
{
    internal VerificationResult(VerificationCheck failedCheck, Payment? payment, BillingKey? billingKey, string? expected = null, string? actual = null)
    {
        FailedCheck = failedCheck;
        Payment = payment;
        BillingKey = billingKey;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>Gets whether every check passed; when they did, <see cref="Payment"/> is the verified payment (never <see langword="null"/>).</summary>
    [MemberNotNullWhen(true, nameof(Payment))]
    public bool IsVerified => FailedCheck == VerificationCheck.None;

    /// <summary>Gets the first check that failed, or <see cref="VerificationCheck.None"/>.</summary>
    public VerificationCheck FailedCheck { get; }

    /// <summary>Gets the expected value of the failed check; <see langword="null"/> when verified or when the value is a customer_uid.</summary>
    public string? Expected { get; }

    /// <summary>Gets the value I'mport reported for the failed check; <see langword="null"/> when verified or when the value is a customer_uid.</summary>
    public string? Actual { get; }

    /// <summary>Gets the payment as I'mport reports it, or <see langword="null"/> when there is none.</summary>
    public Payment? Payment { get; }

    /// <summary>Gets the billing key fetched for an issuance, or <see langword="null"/>.</summary>
    public BillingKey? BillingKey { get; }

    /// <inheritdoc />
    public override string ToString() =>
        IsVerified ? "Verified"
        : Expected is null && Actual is null ? $"{FailedCheck} check failed"
        : $"{FailedCheck} check failed: expected {Expected ?? "(none)"}, got {Actual ?? "(none)"}";
}
