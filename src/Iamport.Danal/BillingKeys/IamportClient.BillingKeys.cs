using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Internal;

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
    public async Task<LookupResult<BillingKey>> GetBillingKeysAsync(IReadOnlyList<string> customerUids, CancellationToken cancellationToken = default)
    {
        string query = ArrayQuery(customerUids, nameof(customerUids), "customer_uid", 80, int.MaxValue);
        // Every customer_uid is a secret of this call: a message I'mport echoes back may name any of them.
        var call = ApiRequest.Get("/subscribe/customers", "/subscribe/customers?" + query, sensitive: Scrubber.Sensitive(customerUids));
        IReadOnlyList<BillingKey>? found = await SendLookupAsync(call, Json.IamportResponseIReadOnlyListBillingKey, cancellationToken).ConfigureAwait(false);
        return Lookup(customerUids, found ?? [], static k => k.CustomerUid);
    }

    /// <inheritdoc />
    public Task<BillingKey> DeleteBillingKeyAsync(string customerUid, string? reason = null, CancellationToken cancellationToken = default)
    {
        DanalRules.CustomerUid(customerUid, nameof(customerUid));
        string path = CustomerPath(customerUid) + (string.IsNullOrEmpty(reason) ? "" : "?reason=" + ApiRequest.Query(reason!, nameof(reason)));
        return SendAsync(ApiRequest.Delete(CustomerRoute, path, sensitive: customerUid), Json.IamportResponseBillingKey, cancellationToken);
    }

    /// <inheritdoc />
    public IamportPageable<Payment> GetPaymentsByCustomerUidAsync(string customerUid, CancellationToken cancellationToken = default)
    {
        DanalRules.CustomerUid(customerUid, nameof(customerUid));
        string path = CustomerPath(customerUid) + "/payments?page=";
        return Pageable((page, _) => ApiRequest.Get(CustomerRoute + "/payments", path + Number(page), sensitive: customerUid), SendPaymentPageAsync, cancellationToken);
    }

    private static string CustomerPath(string customerUid) => "/subscribe/customers/" + ApiRequest.Segment(customerUid, nameof(customerUid));
}
