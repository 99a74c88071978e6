using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Payments;

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
    /// <exception cref="IamportOutcomeUnknownException">The reply was lost and the look-up failed too: the card may have been charged.</exception>
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
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The most recently started matching payment, or <see langword="null"/> when there is none (404 or <c>code != 0</c>).</returns>
    /// <exception cref="System.ArgumentException"><paramref name="merchantUid"/> is empty or too long.</exception>
    /// <exception cref="IamportException">I'mport failed or gave no usable answer.</exception>
    Task<Payment?> FindPaymentAsync(string merchantUid, PaymentStatus? status = null, CancellationToken cancellationToken = default);
}
