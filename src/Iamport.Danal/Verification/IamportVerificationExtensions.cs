using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Checkout;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

/// <summary>Verification of a reported payment against the shop's own order: the step that stops forged payments.</summary>
/// <remarks>
/// These methods use only <see cref="IIamportClient.GetPaymentAsync"/>, <see cref="IIamportClient.GetPaymentByMerchantUidAsync"/> and
/// <see cref="IIamportClient.GetBillingKeyAsync"/>, so they run the same checks over any <see cref="IIamportClient"/>:
/// in a test, mock those calls and verification runs for real. The checks, in order: payment found, <c>merchant_uid</c>,
/// <c>status</c> paid, <c>amount</c>, <c>pg_provider</c> <c>danal_tpay</c>, <c>customer_uid</c>, and for an issuance
/// <c>customer_uid_usage</c> <c>issue</c> and the billing key itself (PG <c>danal_tpay</c>).
/// </remarks>
public static class IamportVerificationExtensions
{
    /// <summary>Checks the payment the browser (callback or redirect) reported by its <c>imp_uid</c>.</summary>
    /// <param name="client">The client.</param>
    /// <param name="impUid">The reported <c>imp_uid</c>.</param>
    /// <param name="expected">What the shop's order says; never values from the browser.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The result, naming the first failed <see cref="VerificationCheck"/>.</returns>
    /// <remarks>
    /// The payment is fetched with <c>include_sandbox</c> as the client is configured. When a real charge does not match
    /// (see <see cref="VerificationResult"/> for the refund call), refund it with <see cref="IIamportClient.CancelPaymentAsync"/>.
    /// </remarks>
    /// <exception cref="System.ArgumentNullException"><paramref name="client"/> or <paramref name="expected"/> is <see langword="null"/>.</exception>
    /// <exception cref="System.ArgumentException"><paramref name="expected"/> breaks a rule (an issuance needs a customer_uid), or <paramref name="impUid"/> is empty or longer than I'mport allows (32).</exception>
    /// <exception cref="IamportException">I'mport failed or gave no usable answer; nothing is verified.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in required parameters; the only optional one is the trailing CancellationToken, as every async .NET API has.")]
    public static async Task<VerificationResult> VerifyPaymentAsync(this IIamportClient client, string impUid, VerifyPaymentRequest expected, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(client);
        Guard.NotNull(expected);
        DanalRules.ImpUid(impUid, nameof(impUid));
        expected.Validate();
        Payment? payment = await client.GetPaymentAsync(impUid, cancellationToken).ConfigureAwait(false);
        return await CheckAsync(client, payment, expected, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks the latest payment of the shop's order, found by <see cref="VerifyPaymentRequest.MerchantUid"/>, when the browser reported no <c>imp_uid</c>.</summary>
    /// <param name="client">The client.</param>
    /// <param name="expected">What the shop's order says.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The result, naming the first failed <see cref="VerificationCheck"/>.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="client"/> or <paramref name="expected"/> is <see langword="null"/>.</exception>
    /// <exception cref="System.ArgumentException"><paramref name="expected"/> breaks a rule.</exception>
    /// <exception cref="IamportException">I'mport failed or gave no usable answer; nothing is verified.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in required parameters; the only optional one is the trailing CancellationToken, as every async .NET API has.")]
    public static async Task<VerificationResult> VerifyPaymentAsync(this IIamportClient client, VerifyPaymentRequest expected, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(client);
        Guard.NotNull(expected);
        expected.Validate();
        Payment? payment = await client.GetPaymentByMerchantUidAsync(expected.MerchantUid, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await CheckAsync(client, payment, expected, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks the payment the browser reported (callback or redirect): by its <c>imp_uid</c> when it sent one, otherwise by the order's merchant_uid.</summary>
    /// <param name="client">The client.</param>
    /// <param name="hint">What the browser reported (<see cref="UntrustedPaymentHint.FromCallbackJson(string)"/>, <see cref="UntrustedPaymentHint.FromRedirectQuery(string)"/>); only its <c>imp_uid</c> is used.</param>
    /// <param name="expected">What the shop's order says; never values from the browser.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The result, naming the first failed <see cref="VerificationCheck"/>.</returns>
    /// <exception cref="System.ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="System.ArgumentException"><paramref name="expected"/> breaks a rule.</exception>
    /// <exception cref="IamportException">I'mport failed or gave no usable answer; nothing is verified.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in required parameters; the only optional one is the trailing CancellationToken, as every async .NET API has.")]
    public static Task<VerificationResult> VerifyPaymentAsync(this IIamportClient client, UntrustedPaymentHint hint, VerifyPaymentRequest expected, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(hint);
        return string.IsNullOrEmpty(hint.ImpUid)
            ? client.VerifyPaymentAsync(expected, cancellationToken)
            : client.VerifyPaymentAsync(hint.ImpUid!, expected, cancellationToken);
    }

    /// <summary>Re-fetches the payment a webhook names and checks it against the shop's order; the body itself is never trusted.</summary>
    /// <param name="client">The client.</param>
    /// <param name="notification">The parsed webhook (<see cref="IamportWebhook.Parse"/>); only its <c>imp_uid</c> is used.</param>
    /// <param name="expected">What the shop's order (found by the notification's merchant_uid) says.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The same result as <see cref="VerifyPaymentAsync(IIamportClient, string, VerifyPaymentRequest, CancellationToken)"/>, with the re-fetched payment.</returns>
    /// <remarks>Handle webhooks idempotently: see <see cref="IamportWebhook"/>.</remarks>
    /// <exception cref="System.ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="System.ArgumentException"><paramref name="expected"/> breaks a rule.</exception>
    /// <exception cref="IamportException">I'mport failed or gave no usable answer; answer the webhook with an error so I'mport may retry.</exception>
    public static Task<VerificationResult> VerifyWebhookAsync(this IIamportClient client, WebhookNotification notification, VerifyPaymentRequest expected, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(notification);

        // Only the imp_uid of the body is used, to fetch the payment; everything checked comes from I'mport and the shop.
        return client.VerifyPaymentAsync(notification.ImpUid, expected, cancellationToken);
    }

    private static async Task<VerificationResult> CheckAsync(IIamportClient client, Payment? payment, VerifyPaymentRequest expected, CancellationToken cancellationToken)
    {
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
        BillingKey? key = await client.GetBillingKeyAsync(expected.CustomerUid!, cancellationToken).ConfigureAwait(false);
        if (key?.PgProvider != PgProvider.DanalTpay)
        {
            return new VerificationResult(VerificationCheck.BillingKey, payment, key, "a danal_tpay billing key", key is null ? "none" : key.PgProvider?.Value);
        }

        return new VerificationResult(VerificationCheck.None, payment, key);
    }

    private static VerificationResult Failed(VerificationCheck check, Payment? payment, string? expected = null, string? actual = null) =>
        new(check, payment, null, expected, actual);

    private static string Won(decimal amount) => amount.ToString("0.##", CultureInfo.InvariantCulture);
}
