using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.BillingKeys;
using Iamport.Danal.Payments;
using Iamport.Danal.Schedules;
using Iamport.Danal.Verification;
using Iamport.Danal.Webhooks;

namespace Iamport.Danal;

/// <summary>The I'mport (PortOne V1) REST API for Danal card billing keys; mock it in your own tests.</summary>
/// <remarks>
/// Key issuance from raw card data (<c>POST /subscribe/customers/{customer_uid}</c>) and <c>/subscribe/payments/onetime</c>
/// are deliberately absent: Danal accepts card data only in its own payment window (see <c>RequestPayParamsBuilder</c>).
/// </remarks>
public interface IIamportClient
{
    /// <summary>Charges a stored billing key (<c>POST /subscribe/payments/again</c>) and reports what really happened.</summary>
    /// <param name="request">The charge.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>
    /// <see cref="ChargeOutcome.Approved"/> or <see cref="ChargeOutcome.Declined"/> from I'mport's reply; when the reply was
    /// lost, the outcome found by looking the merchant_uid up (<see cref="ChargeOutcome.NotCharged"/> when there is no payment).
    /// The charge is never sent twice by one call.
    /// </returns>
    /// <exception cref="System.ArgumentException">A field of <paramref name="request"/> breaks a rule; nothing was sent.</exception>
    /// <exception cref="IamportOutcomeUnknownException">The reply was lost and the look-ups failed for the whole <see cref="IamportOptions.ReconciliationWindow"/> too: the card may have been charged.</exception>
    /// <exception cref="IamportException">I'mport refused the charge before approval (<c>code != 0</c>: unknown customer_uid, merchant_uid already paid, …).</exception>
    /// <seealso href="https://developers.portone.io/api/rest-v1/nonAuthPayment"/>
    Task<ChargeResult> ChargeBillingKeyAsync(ChargeRequest request, CancellationToken cancellationToken = default);

    /// <summary>Gets a payment by I'mport's id (<c>GET /payments/{imp_uid}</c>).</summary>
    /// <param name="impUid">I'mport's payment id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The payment, or <see langword="null"/> when I'mport has none (404 or <c>code != 0</c>).</returns>
    /// <exception cref="System.ArgumentException"><paramref name="impUid"/> is empty.</exception>
    /// <exception cref="IamportException">I'mport failed or gave no usable answer.</exception>
    Task<Payment?> GetPaymentAsync(string impUid, CancellationToken cancellationToken = default);

    /// <summary>Finds the latest payment of an order (<c>GET /payments/find/{merchant_uid}</c>).</summary>
    /// <param name="merchantUid">The shop's order id.</param>
    /// <param name="status">Only a payment in this status, or any when <see langword="null"/>.</param>
    /// <param name="sorting">Which payment counts as first; <see langword="null"/> means <see cref="PaymentSorting.StartedDescending"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The first matching payment in <paramref name="sorting"/> order, or <see langword="null"/> when there is none (404 or <c>code != 0</c>).</returns>
    /// <exception cref="System.ArgumentException"><paramref name="merchantUid"/> is empty or too long.</exception>
    /// <exception cref="IamportException">I'mport failed or gave no usable answer.</exception>
    Task<Payment?> FindPaymentAsync(string merchantUid, PaymentStatus? status = null, PaymentSorting? sorting = null, CancellationToken cancellationToken = default);

    /// <summary>Lists every payment of an order, a failed try and its retry alike (<c>GET /payments/findAll/{merchant_uid}</c>), page by page.</summary>
    /// <param name="merchantUid">The shop's order id.</param>
    /// <param name="status">Only payments in this status, or all when <see langword="null"/>.</param>
    /// <param name="sorting">The order; <see langword="null"/> means <see cref="PaymentSorting.StartedDescending"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests; also honoured through <c>WithCancellation</c>.</param>
    /// <returns>The payments, fetched a page at a time as the enumeration proceeds until a page says <c>next</c> 0; empty when the order has none.</returns>
    /// <exception cref="System.ArgumentException"><paramref name="merchantUid"/> is empty or too long (thrown at the call, before enumeration).</exception>
    /// <exception cref="IamportException">While enumerating: I'mport failed or gave no usable answer.</exception>
    /// <exception cref="System.OperationCanceledException">While enumerating: the enumeration was cancelled; no further page is requested.</exception>
    IAsyncEnumerable<Payment> FindAllPaymentsAsync(string merchantUid, PaymentStatus? status = null, PaymentSorting? sorting = null, CancellationToken cancellationToken = default);

    /// <summary>Refunds a payment in full or in part (<c>POST /payments/cancel</c>).</summary>
    /// <param name="request">The refund; a partial refund must carry <see cref="CancelPaymentRequest.Checksum"/>, which stops double refunds.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The payment after the refund (<see cref="Payment.CancelAmount"/> and <see cref="Payment.CancelHistory"/> updated).</returns>
    /// <remarks>A lost reply leaves the outcome unknown: look the payment up, or resend the same request, which I'mport refuses
    /// when the refund already happened (the checksum, or the balance of a full refund, no longer matches).</remarks>
    /// <exception cref="System.ArgumentException">A field of <paramref name="request"/> breaks a rule; nothing was sent.</exception>
    /// <exception cref="IamportException">I'mport refused the refund (for example HTTP 200 with <c>code 1</c> "취소할 결제건이 존재하지 않습니다.", or a checksum mismatch); <see cref="IamportException.ApiMessage"/> has I'mport's message.</exception>
    Task<Payment> CancelPaymentAsync(CancelPaymentRequest request, CancellationToken cancellationToken = default);

    /// <summary>Registers the amount of an order before the payment window opens (<c>POST /payments/prepare</c>).</summary>
    /// <param name="merchantUid">The order id the window will use (at most 40 of <c>[A-Za-z0-9_-]</c>).</param>
    /// <param name="amount">The amount the window must show, a whole number of won (0 for a key-only issuance).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The registered amount.</returns>
    /// <remarks>The window then refuses any other amount. This is a convenience: <see cref="VerifyPaymentAsync"/> is still required.</remarks>
    /// <exception cref="System.ArgumentException"><paramref name="merchantUid"/> or <paramref name="amount"/> breaks a rule; nothing was sent.</exception>
    /// <exception cref="IamportException">I'mport refused the registration (for example, the merchant_uid is already registered).</exception>
    Task<PreparedPayment> PreparePaymentAsync(string merchantUid, decimal amount, CancellationToken cancellationToken = default);

    /// <summary>Gets the amount registered for an order (<c>GET /payments/prepare/{merchant_uid}</c>).</summary>
    /// <param name="merchantUid">The shop's order id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The registration, or <see langword="null"/> when there is none (404 or <c>code != 0</c>).</returns>
    /// <exception cref="System.ArgumentException"><paramref name="merchantUid"/> is empty or too long.</exception>
    /// <exception cref="IamportException">I'mport failed or gave no usable answer.</exception>
    Task<PreparedPayment?> GetPreparedPaymentAsync(string merchantUid, CancellationToken cancellationToken = default);

    /// <summary>Gets a billing key (<c>GET /subscribe/customers/{customer_uid}</c>).</summary>
    /// <param name="customerUid">The shop's id of the key.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The key, or <see langword="null"/> when I'mport has none (404 or <c>code != 0</c>).</returns>
    /// <exception cref="System.ArgumentException"><paramref name="customerUid"/> breaks a rule.</exception>
    /// <exception cref="IamportException">I'mport failed or gave no usable answer.</exception>
    Task<BillingKey?> GetBillingKeyAsync(string customerUid, CancellationToken cancellationToken = default);

    /// <summary>Deletes a billing key (<c>DELETE /subscribe/customers/{customer_uid}</c>). <b>Irreversible.</b></summary>
    /// <param name="customerUid">The shop's id of the key.</param>
    /// <param name="reason">Why the key is deleted (<c>reason</c>), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The deleted key.</returns>
    /// <remarks>
    /// The buyer must open the Danal window again to get a new key: there is no undo. Revoke the key's pending schedules
    /// first (<see cref="UnscheduleAsync"/>); check <see cref="GetSchedulesAsync"/> for any left.
    /// </remarks>
    /// <exception cref="System.ArgumentException"><paramref name="customerUid"/> breaks a rule.</exception>
    /// <exception cref="IamportException">I'mport refused (an unknown key gives a 404 or <c>code != 0</c>).</exception>
    Task<BillingKey> DeleteBillingKeyAsync(string customerUid, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Gets one page of the payments made with a billing key (<c>GET /subscribe/customers/{customer_uid}/payments</c>).</summary>
    /// <param name="customerUid">The shop's id of the key.</param>
    /// <param name="page">The page number, from 1; follow <see cref="Page{T}.Next"/> until it is 0.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The page, or <see langword="null"/> when I'mport knows no such key (404 or <c>code != 0</c>).</returns>
    /// <exception cref="System.ArgumentException"><paramref name="customerUid"/> breaks a rule or <paramref name="page"/> is below 1.</exception>
    /// <exception cref="IamportException">I'mport failed or gave no usable answer.</exception>
    Task<Page<Payment>?> GetBillingKeyPaymentsAsync(string customerUid, int page = 1, CancellationToken cancellationToken = default);

    /// <summary>Schedules charges of a stored billing key (<c>POST /subscribe/payments/schedule</c>).</summary>
    /// <param name="customerUid">The existing billing key to charge; scheduling never issues a Danal key.</param>
    /// <param name="charges">The charges; each <see cref="ScheduledCharge.ScheduleAt"/> must lie in the future.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The registered schedules.</returns>
    /// <remarks>Outcomes arrive by webhook, paid <b>or failed</b>.</remarks>
    /// <exception cref="System.ArgumentException">An argument breaks a rule (a past time, a repeated merchant_uid, …); the parameter name says which charge; nothing was sent.</exception>
    /// <exception cref="IamportException">I'mport refused the schedules.</exception>
    Task<IReadOnlyList<Schedule>> ScheduleChargesAsync(string customerUid, IReadOnlyList<ScheduledCharge> charges, CancellationToken cancellationToken = default);

    /// <summary>Revokes scheduled charges of a billing key (<c>POST /subscribe/payments/unschedule</c>).</summary>
    /// <param name="customerUid">The billing key.</param>
    /// <param name="merchantUids">The charges to revoke; <see langword="null"/> or empty revokes <b>all</b> pending charges of the key.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The revoked schedules.</returns>
    /// <exception cref="System.ArgumentException">An argument breaks a rule; nothing was sent.</exception>
    /// <exception cref="IamportException">I'mport refused (for example, <c>code != 0</c> when there is nothing to revoke).</exception>
    Task<IReadOnlyList<Schedule>> UnscheduleAsync(string customerUid, IReadOnlyList<string>? merchantUids = null, CancellationToken cancellationToken = default);

    /// <summary>Gets a scheduled charge (<c>GET /subscribe/payments/schedule/{merchant_uid}</c>).</summary>
    /// <param name="merchantUid">The charge's merchant_uid.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The schedule, or <see langword="null"/> when there is none (404 or <c>code != 0</c>).</returns>
    /// <exception cref="System.ArgumentException"><paramref name="merchantUid"/> is empty or too long.</exception>
    /// <exception cref="IamportException">I'mport failed or gave no usable answer.</exception>
    Task<Schedule?> GetScheduleAsync(string merchantUid, CancellationToken cancellationToken = default);

    /// <summary>Gets one page of a billing key's scheduled charges due in a period (<c>GET /subscribe/payments/schedule/customers/{customer_uid}</c>).</summary>
    /// <param name="customerUid">The billing key.</param>
    /// <param name="since">The start of the period (<c>from</c>, sent as unix seconds).</param>
    /// <param name="until">The end of the period (<c>to</c>); later than <paramref name="since"/>.</param>
    /// <param name="status">Only schedules in this state, or all when <see langword="null"/>.</param>
    /// <param name="page">The page number, from 1; follow <see cref="Page{T}.Next"/> until it is 0.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The page; an empty page when I'mport has none (404 or <c>code != 0</c>).</returns>
    /// <exception cref="System.ArgumentException">An argument breaks a rule; nothing was sent.</exception>
    /// <exception cref="IamportException">I'mport failed or gave no usable answer.</exception>
    Task<Page<Schedule>> GetSchedulesAsync(string customerUid, DateTimeOffset since, DateTimeOffset until, ScheduleStatus? status = null, int page = 1, CancellationToken cancellationToken = default);

    /// <summary>Checks a payment the browser (callback or redirect) reported against the shop's own order: the step that stops forged payments.</summary>
    /// <param name="impUid">The reported <c>imp_uid</c>, or <see langword="null"/> to look the payment up by <see cref="PaymentExpectation.MerchantUid"/>.</param>
    /// <param name="expected">What the shop's order says; never values from the browser.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>
    /// The result, naming the first failed <see cref="VerificationCheck"/>: payment found, <c>merchant_uid</c>, <c>status</c> paid,
    /// <c>amount</c>, <c>pg_provider</c> <c>danal_tpay</c>, <c>customer_uid</c>, and for an issuance <c>customer_uid_usage</c>
    /// <c>issue</c> and the billing key itself (<c>GET /subscribe/customers/{customer_uid}</c>, PG <c>danal_tpay</c>).
    /// </returns>
    /// <remarks>
    /// The payment is fetched with <c>include_sandbox</c> as set in <see cref="IamportOptions.IncludeSandbox"/>. When a real charge
    /// does not match (see <see cref="VerificationResult"/> for the refund call), refund it with <see cref="CancelPaymentAsync"/>.
    /// </remarks>
    /// <exception cref="System.ArgumentException"><paramref name="expected"/> breaks a rule (an issuance needs a customer_uid), or <paramref name="impUid"/> is longer than I'mport allows (32).</exception>
    /// <exception cref="IamportException">I'mport failed or gave no usable answer; nothing is verified.</exception>
    Task<VerificationResult> VerifyPaymentAsync(string? impUid, PaymentExpectation expected, CancellationToken cancellationToken = default);

    /// <summary>Re-fetches the payment a webhook names and checks it against the shop's order; the body itself is never trusted.</summary>
    /// <param name="notification">The parsed webhook (<see cref="IamportWebhook.Parse"/>); only its <c>imp_uid</c> is used.</param>
    /// <param name="expected">What the shop's order (found by the notification's merchant_uid) says.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The same result as <see cref="VerifyPaymentAsync"/>, with the re-fetched payment.</returns>
    /// <remarks>Handle webhooks idempotently: see <see cref="IamportWebhook"/>.</remarks>
    /// <exception cref="System.ArgumentException"><paramref name="expected"/> breaks a rule.</exception>
    /// <exception cref="IamportException">I'mport failed or gave no usable answer; answer the webhook with an error so I'mport may retry.</exception>
    Task<VerificationResult> VerifyWebhookAsync(WebhookNotification notification, PaymentExpectation expected, CancellationToken cancellationToken = default);
}
