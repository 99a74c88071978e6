using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.BillingKeys;
using Iamport.Danal.Internal;
using Iamport.Danal.Payments;
using Iamport.Danal.Verification;
using Iamport.Danal.Webhooks;

namespace Iamport.Danal;

public sealed partial class IamportClient
{
    /// <inheritdoc />
    public async Task<VerificationResult> VerifyPaymentAsync(string? impUid, PaymentExpectation expected, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(expected);
        expected.Validate();

        Payment? payment = string.IsNullOrWhiteSpace(impUid)
            ? await FindPaymentAsync(expected.MerchantUid, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await GetPaymentAsync(impUid!, cancellationToken).ConfigureAwait(false);
        if (payment is null)
        {
            return Failed(VerificationCheck.PaymentFound, null, "a payment", "none");
        }

        if (payment.MerchantUid != expected.MerchantUid)
        {
            return Failed(VerificationCheck.MerchantUid, payment, expected.MerchantUid, payment.MerchantUid);
        }

        if (payment.Status != PaymentStatus.Paid)
        {
            return Failed(VerificationCheck.Status, payment, PaymentStatus.Paid.Value, payment.Status.Value);
        }

        if (payment.Amount != expected.Amount)
        {
            return Failed(VerificationCheck.Amount, payment, Won(expected.Amount), Won(payment.Amount));
        }

        if (payment.PgProvider != PgProvider.DanalTpay)
        {
            return Failed(VerificationCheck.PgProvider, payment, PgProvider.DanalTpay.Value, payment.PgProvider?.Value);
        }

        if (expected.CustomerUid is not null && payment.CustomerUid != expected.CustomerUid)
        {
            // Expected/actual stay empty: a customer_uid is never put into a message.
            return Failed(VerificationCheck.CustomerUid, payment);
        }

        if (!expected.IsIssuance)
        {
            return new VerificationResult(VerificationCheck.None, payment, null);
        }

        if (payment.CustomerUidUsage != CustomerUidUsage.Issue)
        {
            return Failed(VerificationCheck.CustomerUidUsage, payment, CustomerUidUsage.Issue.Value, payment.CustomerUidUsage?.Value);
        }

        // A key-only issuance (amount 0) leaves no charge to look at: the key itself is the proof.
        BillingKey? key = await GetBillingKeyAsync(expected.CustomerUid!, cancellationToken).ConfigureAwait(false);
        if (key?.PgProvider != PgProvider.DanalTpay)
        {
            return new VerificationResult(VerificationCheck.BillingKey, payment, key, "a danal_tpay billing key", key is null ? "none" : key.PgProvider?.Value);
        }

        return new VerificationResult(VerificationCheck.None, payment, key);
    }

    /// <inheritdoc />
    public Task<VerificationResult> VerifyWebhookAsync(WebhookNotification notification, PaymentExpectation expected, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(notification);

        // Only the imp_uid of the body is used, to fetch the payment; everything checked comes from I'mport and the shop.
        return VerifyPaymentAsync(notification.ImpUid, expected, cancellationToken);
    }

    private static VerificationResult Failed(VerificationCheck check, Payment? payment, string? expected = null, string? actual = null) =>
        new(check, payment, null, expected, actual);

    private static string Won(decimal amount) => amount.ToString("0.##", CultureInfo.InvariantCulture);
}
