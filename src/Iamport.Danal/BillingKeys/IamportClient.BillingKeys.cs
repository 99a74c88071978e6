using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.BillingKeys;
using Iamport.Danal.Internal;
using Iamport.Danal.Payments;

namespace Iamport.Danal;

public sealed partial class IamportClient
{
    private const string CustomerRoute = "/subscribe/customers/{customer_uid}";

    /// <inheritdoc />
    public Task<BillingKey?> GetBillingKeyAsync(string customerUid, CancellationToken cancellationToken = default)
    {
        DanalRules.CustomerUid(customerUid, nameof(customerUid));
        var call = ApiRequest.Get(CustomerRoute, CustomerPath(customerUid), sensitive: customerUid);
        return SendLookupAsync(call, Json.IamportResponseBillingKey, cancellationToken);
    }

    /// <inheritdoc />
    public Task<BillingKey> DeleteBillingKeyAsync(string customerUid, string? reason = null, CancellationToken cancellationToken = default)
    {
        DanalRules.CustomerUid(customerUid, nameof(customerUid));
        string path = CustomerPath(customerUid) + (string.IsNullOrEmpty(reason) ? "" : "?reason=" + ApiRequest.Query(reason!, nameof(reason)));
        return SendAsync(ApiRequest.Delete(CustomerRoute, path, sensitive: customerUid), Json.IamportResponseBillingKey, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Page<Payment>?> GetBillingKeyPaymentsAsync(string customerUid, int page = 1, CancellationToken cancellationToken = default)
    {
        DanalRules.CustomerUid(customerUid, nameof(customerUid));
        Guard.PageNumber(page, nameof(page));
        string path = CustomerPath(customerUid) + "/payments?page=" + page.ToString(CultureInfo.InvariantCulture);
        var call = ApiRequest.Get(CustomerRoute + "/payments", path, sensitive: customerUid);
        return SendLookupAsync(call, Json.IamportResponsePagePayment, cancellationToken);
    }

    private static string CustomerPath(string customerUid) => "/subscribe/customers/" + ApiRequest.Segment(customerUid, nameof(customerUid));
}
