using System.Collections.Generic;
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
    public async Task<LookupResult<BillingKey>> GetBillingKeysAsync(IReadOnlyList<string> customerUids, CancellationToken cancellationToken = default)
    {
        string query = ArrayQuery(customerUids, nameof(customerUids), "customer_uid", 80, int.MaxValue);
        var call = ApiRequest.Get("/subscribe/customers", "/subscribe/customers?" + query, sensitive: customerUids.Count == 1 ? customerUids[0] : null);
        IReadOnlyList<BillingKey>? found;
        try
        {
            found = await SendLookupAsync(call, Json.IamportResponseIReadOnlyListBillingKey, cancellationToken).ConfigureAwait(false);
        }
        catch (IamportException ex)
        {
            // A message I'mport echoes back may name any of the keys: none reaches the caller's logs.
            throw new IamportException(ex.StatusCode, ex.Code, Scrub(ex.ApiMessage, customerUids), ex.Method, ex.Path, Scrub(ex.ResponseExcerpt, customerUids), ex.InnerException) { RetryAfter = ex.RetryAfter };
        }

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
    public AsyncPageable<Payment> GetBillingKeyPaymentsAsync(string customerUid, CancellationToken cancellationToken = default)
    {
        DanalRules.CustomerUid(customerUid, nameof(customerUid));
        string path = CustomerPath(customerUid) + "/payments?page=";
        return Pageable((page, _) => ApiRequest.Get(CustomerRoute + "/payments", path + Number(page), sensitive: customerUid), SendPaymentPageAsync, cancellationToken);
    }

    private static string CustomerPath(string customerUid) => "/subscribe/customers/" + ApiRequest.Segment(customerUid, nameof(customerUid));

    private static string? Scrub(string? text, IReadOnlyList<string> values)
    {
        foreach (string value in values)
        {
            text = text is null || value.Length == 0 ? text : text.Replace(value, "***");
        }

        return text;
    }
}
