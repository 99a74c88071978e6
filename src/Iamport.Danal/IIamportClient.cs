using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Iamport.Danal;

/// <summary>The I'mport (PortOne V1) REST API for Danal card billing keys; mock it in your own tests.</summary>
/// <remarks>
/// <para><b>Mock it, do not implement it.</b> Members will be added to this interface in minor versions (I'mport adds
/// routes), which breaks a class that implements it by hand. A mocking library (NSubstitute, Moq, FakeItEasy) creates its
/// implementation at run time and keeps working; for a whole shop, run the client against the fake I'mport
/// (<c>Iamport.Danal.Testing</c>). It stays an interface rather than an abstract class with virtual members (the Azure
/// SDK's shape) because the client is an <c>IHttpClientFactory</c> typed client registered by its interface, every shop
/// already injects it so, and a mocking library's proxy of an interface needs no half-built client behind it.</para>
/// <para>One read verb: <c>Get…Async</c>. A single <c>Get</c> takes the id I'mport keys the thing by and returns
/// <see langword="null"/> when I'mport has none; a plural <c>Get…sAsync</c> returns a list (<see cref="IamportPageable{T}"/>,
/// empty when I'mport has none); <c>…By…</c> names the key a look-up goes by when it is not the thing's own id
/// (<see cref="GetPaymentByMerchantUidAsync"/>: a merchant_uid can have several payments, a failed try and its retry).</para>
/// <para>Single look-ups return <see langword="null"/> when I'mport has nothing; lists (<see cref="IamportPageable{T}"/>) are
/// then empty. Verification (<see cref="IamportVerificationExtensions"/>) runs over any implementation, a mock included;
/// build results in tests with <see cref="IamportModelFactory"/>.</para>
/// <para>
/// Key issuance from raw card data (<c>POST /subscribe/customers/{customer_uid}</c>) and <c>/subscribe/payments/onetime</c>
/// are deliberately absent: Danal accepts card data only in its own payment window (see <c>RequestPayParamsBuilder</c>).</para>
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
    /// <exception cref="IamportOutcomeUnknownException">The reply was lost and the look-ups failed for the whole
    /// <see cref="IamportOptions.ReconciliationWindow"/> too, or <paramref name="cancellationToken"/> was cancelled after
    /// the charge may have left (then <see cref="IamportOutcomeUnknownException.WasCancelled"/>): the card may have been charged.</exception>
    /// <exception cref="System.OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the charge left; nothing was charged.</exception>
    /// <exception cref="IamportException">I'mport refused the charge before approval (<c>code != 0</c>: unknown customer_uid, bad parameters, …).</exception>
    /// <seealso href="https://developers.portone.io/api/rest-v1/nonAuthPayment"/>
    Task<ChargeResult> ChargeBillingKeyAsync(ChargeRequest request, CancellationToken cancellationToken = default);

    /// <summary>Learns what became of a charge by looking its merchant_uid up, with the same classification and settle rule
    /// as <see cref="ChargeBillingKeyAsync"/> applies after a lost reply; never sends a charge.</summary>
    /// <param name="request">The charge asked about, as it was (or would have been) sent: its merchant_uid, amount and
    /// customer_uid decide between <see cref="ChargeOutcome.Approved"/> and <see cref="ChargeOutcome.Mismatched"/>.</param>
    /// <param name="attemptSentAt">When the attempt asked about left, on this app's clock; only a record that can belong
    /// to it decides, and the settle period runs from it. <see langword="null"/> asks about the merchant_uid as a whole:
    /// any record of it counts.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The outcome, <see cref="ChargeResult.IsReconciled"/> set: <see cref="ChargeOutcome.NotCharged"/> only when no
    /// record of the attempt was found once the settle period had passed.</returns>
    /// <exception cref="System.ArgumentException">A field of <paramref name="request"/> breaks a rule; nothing was sent.</exception>
    /// <exception cref="IamportOutcomeUnknownException">The look-ups failed, or found nothing usable, for the whole
    /// <see cref="IamportOptions.ReconciliationWindow"/>: the card may have been charged; ask again later.</exception>
    /// <exception cref="System.OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (asking moves no money).</exception>
    Task<ChargeResult> GetChargeOutcomeAsync(ChargeRequest request, DateTimeOffset? attemptSentAt = null, CancellationToken cancellationToken = default);

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
    Task<Payment?> GetPaymentByMerchantUidAsync(string merchantUid, PaymentStatus? status = null, PaymentSorting? sorting = null, CancellationToken cancellationToken = default);

    /// <summary>Lists every payment of an order, a failed try and its retry alike (<c>GET /payments/findAll/{merchant_uid}</c>), page by page.</summary>
    /// <param name="merchantUid">The shop's order id.</param>
    /// <param name="status">Only payments in this status, or all when <see langword="null"/>.</param>
    /// <param name="sorting">The order; <see langword="null"/> means <see cref="PaymentSorting.StartedDescending"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests; also honoured through <c>WithCancellation</c>.</param>
    /// <returns>The payments, fetched a page at a time as the enumeration proceeds until a page says <c>next</c> 0; empty when the order has none. <see cref="IamportPageable{T}.AsPages"/> takes a page size (<c>limit</c>).</returns>
    /// <exception cref="System.ArgumentException"><paramref name="merchantUid"/> is empty or too long (thrown at the call, before enumeration).</exception>
    /// <exception cref="IamportException">While enumerating: I'mport failed or gave no usable answer.</exception>
    /// <exception cref="System.OperationCanceledException">While enumerating: the enumeration was cancelled; no further page is requested.</exception>
    IamportPageable<Payment> GetPaymentsByMerchantUidAsync(string merchantUid, PaymentStatus? status = null, PaymentSorting? sorting = null, CancellationToken cancellationToken = default);

    /// <summary>Lists the payments in a status over a period (<c>GET /payments/status/{payment_status}</c>), for daily reconciliation.</summary>
    /// <param name="status">Only payments in this status, or all (<c>all</c>) when <see langword="null"/>.</param>
    /// <param name="since">The start of the period (<c>from</c>, inclusive), or <see langword="null"/> for 90 days before <paramref name="until"/>.</param>
    /// <param name="until">The end of the period (<c>to</c>, inclusive), or <see langword="null"/> for now. At most 90 days after <paramref name="since"/>.</param>
    /// <param name="sorting">The order; <see langword="null"/> means <see cref="PaymentSorting.StartedDescending"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests; also honoured through <c>WithCancellation</c>.</param>
    /// <returns>The payments, a page at a time; the time compared is the status' own (paid: <c>paid_at</c>, failed: <c>failed_at</c>, cancelled: <c>cancelled_at</c>, ready: <c>started_at</c>). <see cref="IamportPageable{T}.AsPages"/> takes a page size (<c>limit</c>, at most 1000).</returns>
    /// <exception cref="System.ArgumentException">The period is reversed or longer than 90 days (thrown at the call; nothing is sent).</exception>
    /// <exception cref="IamportException">While enumerating: I'mport failed or gave no usable answer.</exception>
    IamportPageable<Payment> GetPaymentsByStatusAsync(PaymentStatus? status, DateTimeOffset? since = null, DateTimeOffset? until = null, PaymentSorting? sorting = null, CancellationToken cancellationToken = default);

    /// <summary>Gets several payments by I'mport's ids at once (<c>GET /payments?imp_uid[]=…</c>).</summary>
    /// <param name="impUids">The ids, 1 to 100.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The payments found, and the ids I'mport has none of (it answers HTTP 207 when only some are found, 404 when none).</returns>
    /// <exception cref="System.ArgumentException">An id is empty or too long, or there are none or more than 100; nothing was sent.</exception>
    /// <exception cref="IamportException">I'mport failed or gave no usable answer.</exception>
    Task<LookupResult<Payment>> GetPaymentsAsync(IReadOnlyList<string> impUids, CancellationToken cancellationToken = default);

    /// <summary>Refunds a payment in full or in part (<c>POST /payments/cancel</c>).</summary>
    /// <param name="request">The refund; a partial refund must carry <see cref="CancelPaymentRequest.Checksum"/>, which stops double refunds.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The payment after the refund (<see cref="Payment.CancelAmount"/> and <see cref="Payment.CancelHistory"/> updated).</returns>
    /// <remarks>A lost reply leaves the outcome unknown: look the payment up, or resend the same request, which I'mport refuses
    /// when the refund already happened (the checksum, or the balance of a full refund, no longer matches).</remarks>
    /// <exception cref="System.ArgumentException">A field of <paramref name="request"/> breaks a rule; nothing was sent.</exception>
    /// <exception cref="IamportException">I'mport refused the refund (for example HTTP 200 with <c>code 1</c> "취소할 결제건이 존재하지 않습니다.", or a checksum mismatch); <see cref="IamportException.ApiMessage"/> has I'mport's message. No usable answer after it left: <see cref="IamportException.MayHaveBeenApplied"/>.</exception>
    /// <exception cref="IamportOutcomeUnknownException"><paramref name="cancellationToken"/> was cancelled after the refund may have left: it may have been made.</exception>
    Task<Payment> CancelPaymentAsync(CancelPaymentRequest request, CancellationToken cancellationToken = default);

    /// <summary>Registers the amount of an order before the payment window opens (<c>POST /payments/prepare</c>).</summary>
    /// <param name="merchantUid">The order id the window will use (at most 40 of <c>[A-Za-z0-9_-]</c>).</param>
    /// <param name="amount">The amount the window must show, a whole number of won (0 for a key-only issuance).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The registered amount.</returns>
    /// <remarks>The window then refuses any other amount. This is a convenience: verification (<see cref="IamportVerificationExtensions"/>) is still required.</remarks>
    /// <exception cref="System.ArgumentException"><paramref name="merchantUid"/> or <paramref name="amount"/> breaks a rule; nothing was sent.</exception>
    /// <exception cref="IamportException">I'mport refused the registration (for example, the merchant_uid is already registered).</exception>
    Task<PreparedPayment> PreparePaymentAsync(string merchantUid, decimal amount, CancellationToken cancellationToken = default);

    /// <summary>Changes the amount registered for an order (<c>PUT /payments/prepare</c>), such as after the buyer changed the plan.</summary>
    /// <param name="merchantUid">The order id registered with <see cref="PreparePaymentAsync"/>.</param>
    /// <param name="amount">The amount the window must now show, a whole number of won (0 for a key-only issuance).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The registration with its new amount.</returns>
    /// <exception cref="System.ArgumentException"><paramref name="merchantUid"/> or <paramref name="amount"/> breaks a rule; nothing was sent.</exception>
    /// <exception cref="IamportException">I'mport refused the change: HTTP 404 when no amount is registered for <paramref name="merchantUid"/>.</exception>
    /// <seealso href="https://developers.portone.io/api/rest-v1/payment.validation"/>
    Task<PreparedPayment> UpdatePreparedPaymentAsync(string merchantUid, decimal amount, CancellationToken cancellationToken = default);

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

    /// <summary>Gets several billing keys at once (<c>GET /subscribe/customers?customer_uid[]=…</c>), such as every card of one buyer.</summary>
    /// <param name="customerUids">The shop's ids of the keys, at least one.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The keys found, and the ids I'mport has none of (it answers HTTP 207 when only some are found, 404 when none).</returns>
    /// <exception cref="System.ArgumentException">An id breaks a rule, or there are none; nothing was sent.</exception>
    /// <exception cref="IamportException">I'mport failed or gave no usable answer; the message never names a customer_uid.</exception>
    Task<LookupResult<BillingKey>> GetBillingKeysAsync(IReadOnlyList<string> customerUids, CancellationToken cancellationToken = default);

    /// <summary>Deletes a billing key (<c>DELETE /subscribe/customers/{customer_uid}</c>). <b>Irreversible.</b></summary>
    /// <param name="customerUid">The shop's id of the key.</param>
    /// <param name="reason">Why the key is deleted (<c>reason</c>), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The deleted key.</returns>
    /// <remarks>
    /// The buyer must open the Danal window again to get a new key: there is no undo. Revoke the key's pending schedules
    /// first (<see cref="UnscheduleAllAsync"/>); check <see cref="GetSchedulesByCustomerUidAsync"/> for any left.
    /// </remarks>
    /// <exception cref="System.ArgumentException"><paramref name="customerUid"/> breaks a rule.</exception>
    /// <exception cref="IamportException">I'mport refused (an unknown key gives a 404 or <c>code != 0</c>).</exception>
    Task<BillingKey> DeleteBillingKeyAsync(string customerUid, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Lists the payments made with a billing key (<c>GET /subscribe/customers/{customer_uid}/payments</c>).</summary>
    /// <param name="customerUid">The shop's id of the key.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests; also honoured through <c>WithCancellation</c>.</param>
    /// <returns>The payments, a page at a time; empty when I'mport knows no such key (404 or <c>code != 0</c>).</returns>
    /// <exception cref="System.ArgumentException"><paramref name="customerUid"/> breaks a rule (thrown at the call).</exception>
    /// <exception cref="IamportException">While enumerating: I'mport failed or gave no usable answer.</exception>
    IamportPageable<Payment> GetPaymentsByCustomerUidAsync(string customerUid, CancellationToken cancellationToken = default);

    /// <summary>Schedules charges of a stored billing key (<c>POST /subscribe/payments/schedule</c>).</summary>
    /// <param name="customerUid">The existing billing key to charge; scheduling never issues a Danal key.</param>
    /// <param name="schedules">The charges; each <see cref="ScheduleRequest.ScheduleAt"/> must lie in the future.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The registered schedules.</returns>
    /// <remarks>Outcomes arrive by webhook, paid <b>or failed</b>. Undo with <see cref="UnscheduleAsync(string, IReadOnlyList{string}, CancellationToken)"/>.</remarks>
    /// <exception cref="System.ArgumentException">An argument breaks a rule (a past time, a repeated merchant_uid, …); the parameter name says which charge; nothing was sent.</exception>
    /// <exception cref="IamportException">I'mport refused the schedules.</exception>
    Task<IReadOnlyList<Schedule>> ScheduleAsync(string customerUid, IReadOnlyList<ScheduleRequest> schedules, CancellationToken cancellationToken = default);

    /// <summary>Revokes some scheduled charges of a billing key (<c>POST /subscribe/payments/unschedule</c>).</summary>
    /// <param name="customerUid">The billing key.</param>
    /// <param name="merchantUids">The charges to revoke, at least one.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The revoked schedules.</returns>
    /// <exception cref="System.ArgumentException">An argument breaks a rule (an empty list: use <see cref="UnscheduleAllAsync"/>); nothing was sent.</exception>
    /// <exception cref="IamportException">I'mport refused (for example, <c>code != 0</c> when there is nothing to revoke).</exception>
    Task<IReadOnlyList<Schedule>> UnscheduleAsync(string customerUid, IReadOnlyList<string> merchantUids, CancellationToken cancellationToken = default);

    /// <summary>Revokes scheduled charges by their merchant_uids alone, whatever billing key they charge (<c>POST /subscribe/payments/unschedule</c> without <c>customer_uid</c>).</summary>
    /// <param name="merchantUids">The charges to revoke, at least one.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The revoked schedules.</returns>
    /// <remarks>Only charges still <c>scheduled</c> are revoked; one that already ran cannot be.</remarks>
    /// <exception cref="System.ArgumentException">The list is empty or a merchant_uid breaks a rule; nothing was sent.</exception>
    /// <exception cref="IamportException">I'mport refused (for example, <c>code != 0</c> when there is nothing to revoke).</exception>
    Task<IReadOnlyList<Schedule>> UnscheduleAsync(IReadOnlyList<string> merchantUids, CancellationToken cancellationToken = default);

    /// <summary>Revokes every pending scheduled charge of a billing key (<c>POST /subscribe/payments/unschedule</c> without <c>merchant_uid</c>).</summary>
    /// <param name="customerUid">The billing key.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The revoked schedules.</returns>
    /// <exception cref="System.ArgumentException"><paramref name="customerUid"/> breaks a rule; nothing was sent.</exception>
    /// <exception cref="IamportException">I'mport refused (for example, <c>code != 0</c> when there is nothing to revoke).</exception>
    Task<IReadOnlyList<Schedule>> UnscheduleAllAsync(string customerUid, CancellationToken cancellationToken = default);

    /// <summary>Gets a scheduled charge (<c>GET /subscribe/payments/schedule/{merchant_uid}</c>).</summary>
    /// <param name="merchantUid">The charge's merchant_uid.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The schedule, or <see langword="null"/> when there is none (404 or <c>code != 0</c>).</returns>
    /// <exception cref="System.ArgumentException"><paramref name="merchantUid"/> is empty or too long.</exception>
    /// <exception cref="IamportException">I'mport failed or gave no usable answer.</exception>
    Task<Schedule?> GetScheduleAsync(string merchantUid, CancellationToken cancellationToken = default);

    /// <summary>Lists a billing key's scheduled charges due in a period (<c>GET /subscribe/payments/schedule/customers/{customer_uid}</c>).</summary>
    /// <param name="customerUid">The billing key.</param>
    /// <param name="since">The start of the period (<c>from</c>, inclusive, compared with <c>schedule_at</c>).</param>
    /// <param name="until">The end of the period (<c>to</c>, exclusive); later than <paramref name="since"/> and at most 3 months after it.</param>
    /// <param name="status">Only schedules in this state, or all when <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests; also honoured through <c>WithCancellation</c>.</param>
    /// <returns>The schedules, latest <c>schedule_at</c> first, a page at a time (I'mport's answer may also be a plain array: one page); empty when I'mport has none (404 or <c>code != 0</c>).</returns>
    /// <exception cref="System.ArgumentException">An argument breaks a rule (thrown at the call; nothing is sent).</exception>
    /// <exception cref="IamportException">While enumerating: I'mport failed or gave no usable answer.</exception>
    IamportPageable<Schedule> GetSchedulesByCustomerUidAsync(string customerUid, DateTimeOffset since, DateTimeOffset until, ScheduleStatus? status = null, CancellationToken cancellationToken = default);

    /// <summary>Lists every scheduled charge of the merchant due in a period (<c>GET /subscribe/payments/schedule</c>).</summary>
    /// <param name="since">The start of the period (<c>schedule_from</c>, inclusive, compared with <c>schedule_at</c>).</param>
    /// <param name="until">The end of the period (<c>schedule_to</c>, exclusive); later than <paramref name="since"/> and at most 3 months after it.</param>
    /// <param name="status">Only schedules in this state, or all when <see langword="null"/>.</param>
    /// <param name="sorting">The order; <see langword="null"/> lists the latest <c>schedule_at</c> first.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests; also honoured through <c>WithCancellation</c>.</param>
    /// <returns>The schedules, a page at a time; <see cref="IamportPageable{T}.AsPages"/> takes a page size (<c>limit</c>, at most 1000).</returns>
    /// <exception cref="System.ArgumentException">The period breaks a rule (thrown at the call; nothing is sent).</exception>
    /// <exception cref="IamportException">While enumerating: I'mport failed or gave no usable answer.</exception>
    IamportPageable<Schedule> GetSchedulesAsync(DateTimeOffset since, DateTimeOffset until, ScheduleStatus? status = null, ScheduleSorting? sorting = null, CancellationToken cancellationToken = default);

    /// <summary>Moves a charge that is still pending to another time (<c>PUT /subscribe/payments/schedule/{merchant_uid}</c>);
    /// a charge that already failed or was revoked is scheduled again with <see cref="ScheduleAgainAsync"/>.</summary>
    /// <param name="merchantUid">The charge's merchant_uid.</param>
    /// <param name="scheduleAt">The new time (<c>schedule_at</c>, sent as unix seconds of the instant); in the future.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The updated schedule.</returns>
    /// <exception cref="System.ArgumentException">An argument breaks a rule; nothing was sent.</exception>
    /// <exception cref="IamportException">I'mport refused (400: already run or revoked; 404: no such schedule).</exception>
    Task<Schedule> MoveScheduleAsync(string merchantUid, DateTimeOffset scheduleAt, CancellationToken cancellationToken = default);

    /// <summary>Schedules a charge that failed or was revoked again, at another time (<c>POST /subscribe/payments/schedule/{merchant_uid}/reschedule</c>);
    /// a charge that is still pending is moved with <see cref="MoveScheduleAsync"/>, and one is charged now with <see cref="RetryScheduleAsync"/>.</summary>
    /// <param name="merchantUid">The charge's merchant_uid.</param>
    /// <param name="scheduleAt">When to try again (<c>schedule_at</c>, sent as unix seconds of the instant); in the future.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The schedule, pending again.</returns>
    /// <exception cref="System.ArgumentException">An argument breaks a rule; nothing was sent.</exception>
    /// <exception cref="IamportException">I'mport refused (400: not yet run, running or paid; 404: no such schedule).</exception>
    Task<Schedule> ScheduleAgainAsync(string merchantUid, DateTimeOffset scheduleAt, CancellationToken cancellationToken = default);

    /// <summary>Charges a failed or revoked scheduled charge now (<c>POST /subscribe/payments/schedule/{merchant_uid}/retry</c>)
    /// and reports what really happened, with the same honesty as <see cref="ChargeBillingKeyAsync"/>.</summary>
    /// <param name="schedule">The schedule as I'mport reported it (<see cref="GetScheduleAsync"/>): its merchant_uid is
    /// retried, and its amount and customer_uid tell this charge's record from another (<see cref="ChargeOutcome.Mismatched"/>).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>
    /// <see cref="ChargeOutcome.Approved"/> or <see cref="ChargeOutcome.Declined"/> from I'mport's reply; when the reply was
    /// lost, the outcome found by looking the merchant_uid up (<see cref="ChargeOutcome.NotCharged"/> when there is no
    /// payment since the retry left). The retry is never sent twice by one call.
    /// </returns>
    /// <exception cref="System.ArgumentException"><paramref name="schedule"/> has no merchant_uid or customer_uid; nothing was sent.</exception>
    /// <exception cref="IamportException">I'mport refused the retry before any charge (400: not yet run, running or paid; 404: no such schedule or key).</exception>
    /// <exception cref="IamportOutcomeUnknownException">The reply was lost and the look-ups failed for the whole
    /// <see cref="IamportOptions.ReconciliationWindow"/> too, or <paramref name="cancellationToken"/> was cancelled after
    /// the retry may have left: the card may have been charged.</exception>
    /// <exception cref="System.OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the retry left; nothing was charged.</exception>
    Task<ChargeResult> RetryScheduleAsync(Schedule schedule, CancellationToken cancellationToken = default);
}
