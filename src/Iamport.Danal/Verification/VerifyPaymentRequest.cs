using System;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

/// <summary>What the shop's own records say a payment must look like: the yardstick for what the browser or a webhook reported (see <see cref="IamportVerificationExtensions"/>).</summary>
/// <remarks>Build it from the shop's order (found by the reported merchant_uid), never from values the browser sent.</remarks>
public sealed class VerifyPaymentRequest
{
    /// <summary>Gets the shop's order id the payment must carry (<c>merchant_uid</c>).</summary>
    public required string MerchantUid { get; init; }

    /// <summary>Gets the amount the payment must have (<c>amount</c>): 0 for a key-only issuance.</summary>
    public required decimal Amount { get; init; }

    /// <summary>Gets the billing key the payment must use (<c>customer_uid</c>); <see langword="null"/> skips the check unless <see cref="IsIssuance"/> is set.</summary>
    public string? CustomerUid { get; init; }

    /// <summary>Gets whether this payment came from the first window that issues the billing key.</summary>
    /// <remarks>
    /// When set, <see cref="CustomerUid"/> is required, <c>customer_uid_usage</c> must be <c>issue</c>, and the key must
    /// exist at <c>GET /subscribe/customers/{customer_uid}</c> with PG <c>danal_tpay</c>.
    /// </remarks>
    public bool IsIssuance { get; init; }

    internal void Validate()
    {
        const string P = "expected.";
        DanalRules.MerchantUidToFind(MerchantUid, P + nameof(MerchantUid));
        DanalRules.WholeAmount(Amount, P + nameof(Amount), "amount");
        if (IsIssuance || CustomerUid is not null)
        {
            DanalRules.CustomerUid(CustomerUid, P + nameof(CustomerUid));
        }
    }
}
