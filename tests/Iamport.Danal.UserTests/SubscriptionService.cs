using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal;

namespace Shop.Tests;

/// <summary>The code under test: a shop's own subscription logic on top of <see cref="IIamportClient"/>.</summary>
internal sealed class SubscriptionService(IIamportClient iamport)
{
    public HashSet<string> ActiveCustomers { get; } = new(StringComparer.Ordinal);

    public List<string> DunningMails { get; } = [];

    /// <summary>The browser reported a first payment that issued the key: activate only when verification passes.</summary>
    public async Task<VerificationResult> ActivateAsync(string impUid, string orderId, string customerUid, decimal price, CancellationToken cancellationToken = default)
    {
        var expected = new VerifyPaymentRequest { MerchantUid = orderId, Amount = price, CustomerUid = customerUid, IsIssuance = true };
        VerificationResult result = await iamport.VerifyPaymentAsync(impUid, expected, cancellationToken);
        if (result.IsVerified)
        {
            ActiveCustomers.Add(customerUid);
        }

        return result;
    }

    /// <summary>Charges one month; a decline sends a dunning mail and keeps the customer active until the retry.</summary>
    public async Task<bool> RenewAsync(string customerUid, string month, decimal price, CancellationToken cancellationToken = default)
    {
        ChargeResult result = await iamport.ChargeBillingKeyAsync(
            new ChargeRequest { CustomerUid = customerUid, MerchantUid = $"renew-{month}-{customerUid}", Amount = price, Name = "월간 구독 " + month },
            cancellationToken);
        switch (result.Outcome)
        {
            case ChargeOutcome.Approved:
                return true;
            case ChargeOutcome.Declined:
                DunningMails.Add($"{customerUid}: {result.FailReason}");
                return false;
            default:
                return false;
        }
    }

    /// <summary>Sums the day's paid payments, however many pages I'mport splits them into.</summary>
    public async Task<decimal> PaidTotalAsync(DateTimeOffset day, CancellationToken cancellationToken = default)
    {
        decimal total = 0;
        await foreach (Payment payment in iamport.GetPaymentsByStatusAsync(PaymentStatus.Paid, day, day.AddDays(1), cancellationToken: cancellationToken))
        {
            total += payment.Amount - payment.CancelAmount;
        }

        return total;
    }
}
