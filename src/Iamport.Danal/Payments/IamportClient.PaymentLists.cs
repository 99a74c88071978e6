using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

public sealed partial class IamportClient
{
    private const int MaxImpUids = 100;
    private static readonly TimeSpan MaxStatusRange = TimeSpan.FromDays(90);

    /// <inheritdoc />
    public IamportPageable<Payment> GetPaymentsByMerchantUidAsync(string merchantUid, PaymentStatus? status = null, PaymentSorting? sorting = null, CancellationToken cancellationToken = default)
    {
        DanalRules.MerchantUidToFind(merchantUid, nameof(merchantUid));
        string path = "/payments/findAll/" + ApiRequest.Segment(merchantUid, nameof(merchantUid)) + StatusSegment(status) + SortingQuery(sorting, _options.IncludeSandbox) + "&page=";
        return Pageable((page, limit) => ApiRequest.Get("/payments/findAll/{merchant_uid}", path + Number(page) + LimitQuery(limit)), SendPaymentPageAsync, cancellationToken);
    }

    /// <inheritdoc />
    public IamportPageable<Payment> GetPaymentsByStatusAsync(PaymentStatus? status, DateTimeOffset? since = null, DateTimeOffset? until = null, PaymentSorting? sorting = null, CancellationToken cancellationToken = default)
    {
        if (since is { } from)
        {
            DateTimeOffset to = until ?? _time.GetUtcNow();
            if (to < from)
            {
                throw new ArgumentException("to (until) must not be earlier than from (since).", until is null ? nameof(since) : nameof(until));
            }

            if (to - from > MaxStatusRange)
            {
                throw new ArgumentException("from and to (since, until) may span at most 90 days.", until is null ? nameof(since) : nameof(until));
            }
        }

        string path = "/payments/status/" + ApiRequest.Segment(status?.Value ?? "all", nameof(status))
            + SortingQuery(sorting, _options.IncludeSandbox)
            + (since is { } f ? "&from=" + UnixSeconds(f) : "")
            + (until is { } t ? "&to=" + UnixSeconds(t) : "")
            + "&page=";
        return Pageable((page, limit) => ApiRequest.Get("/payments/status/{payment_status}", path + Number(page) + LimitQuery(limit)), SendPaymentPageAsync, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<LookupResult<Payment>> GetPaymentsAsync(IReadOnlyList<string> impUids, CancellationToken cancellationToken = default)
    {
        string query = ArrayQuery(impUids, nameof(impUids), "imp_uid", 32, MaxImpUids);
        IReadOnlyList<Payment>? found = await SendLookupAsync(ApiRequest.Get("/payments", "/payments?" + query), Json.IamportResponseIReadOnlyListPayment, cancellationToken, notFoundAt200: false).ConfigureAwait(false);
        return Lookup(impUids, found ?? [], static p => p.ImpUid);
    }

    private Task<IamportPage<Payment>?> SendPaymentPageAsync(ApiRequest call, CancellationToken cancellationToken) =>
        SendLookupAsync(call, Json.IamportResponseIamportPagePayment, cancellationToken, notFoundAt200: false);

    /// <summary>Checks the ids of a multi-get and builds its query (<c>field[]=a&amp;field[]=b</c>, as I'mport documents it).</summary>
    private static string ArrayQuery(IReadOnlyList<string> ids, string paramName, string field, int maxLength, int maxCount)
    {
        Guard.NotNull(ids, paramName);
        if (ids.Count == 0 || ids.Count > maxCount)
        {
            throw new ArgumentException($"{field}[] must name between 1 and {maxCount} ids.", paramName);
        }

        var query = new System.Text.StringBuilder();
        for (int i = 0; i < ids.Count; i++)
        {
            if (field == "customer_uid")
            {
                DanalRules.CustomerUid(ids[i], $"{paramName}[{i}]");
            }
            else
            {
                RouteRules.Required(ids[i], $"{paramName}[{i}]", field, maxLength);
            }

            query.Append(i == 0 ? "" : "&").Append(field).Append("[]=").Append(ApiRequest.Query(ids[i], $"{paramName}[{i}]"));
        }

        return query.ToString();
    }

    /// <summary>What a multi-get found, and which asked-for ids it did not (HTTP 207 answers only the ones found).</summary>
    private static LookupResult<T> Lookup<T>(IReadOnlyList<string> asked, IReadOnlyList<T> found, Func<T, string> id)
    {
        var returned = new HashSet<string>(StringComparer.Ordinal);
        foreach (T item in found)
        {
            returned.Add(id(item));
        }

        var notFound = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string uid in asked)
        {
            if (!returned.Contains(uid) && seen.Add(uid))
            {
                notFound.Add(uid);
            }
        }

        return new LookupResult<T>(found, notFound);
    }
}
