using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

/// <summary>A list I'mport returns in pages: enumerate it for the items (pages are fetched as the enumeration proceeds), or call <see cref="AsPages"/> for the pages.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>
/// <para>Named <c>IamportPageable</c>, not <c>AsyncPageable</c>: Azure.Core's <c>Azure.AsyncPageable&lt;T&gt;</c> would
/// clash with it (CS0104) in any file that imports both <c>Azure</c> and <c>Iamport.Danal</c>, which a shop on Azure
/// does. The members follow Azure's (<see cref="AsPages"/>, <see cref="FromPages"/>), so the type reads the same.</para>
/// <para>Nothing is sent until the enumeration starts, and each enumeration starts again from the first page. A list
/// I'mport does not know (404 or <c>code != 0</c>) is empty, never <see langword="null"/>.</para>
/// <para>In your tests, build one with <see cref="FromPages"/> (and the pages with <see cref="IamportPage{T}.FromValues"/>).</para>
/// </remarks>
/// <example>
/// <code>
/// await foreach (Payment payment in client.GetPaymentsByStatusAsync(PaymentStatus.Paid, since, until))
/// {
///     // ...
/// }
/// </code>
/// </example>
public sealed class IamportPageable<T> : IAsyncEnumerable<T>
{
    private readonly Func<string?, int?, CancellationToken, IAsyncEnumerable<IamportPage<T>>> _pages;
    private readonly CancellationToken _cancellationToken;

    internal IamportPageable(Func<string?, int?, CancellationToken, IAsyncEnumerable<IamportPage<T>>> pages, CancellationToken cancellationToken)
    {
        _pages = pages;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Creates a list that yields the given pages as they are (for mocks of <see cref="IIamportClient"/>).</summary>
    /// <param name="pages">The pages, in order.</param>
    /// <returns>A list whose <see cref="AsPages"/> yields <paramref name="pages"/> whatever token or size is asked for.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pages"/> is <see langword="null"/>.</exception>
    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "IamportPageable<Payment>.FromPages(...) reads as what it builds, as in the Azure SDK.")]
    public static IamportPageable<T> FromPages(IEnumerable<IamportPage<T>> pages)
    {
        Guard.NotNull(pages);
        return new IamportPageable<T>((_, _, cancellationToken) => Yield(pages, cancellationToken), default);
    }

    /// <summary>Gets the list page by page.</summary>
    /// <param name="continuationToken">Where to start: a <see cref="IamportPage{T}.ContinuationToken"/> seen before (the page number), or <see langword="null"/> for the first page.</param>
    /// <param name="pageSizeHint">The items per page (<c>limit</c>, 1 to 1000) on routes that take one; <see langword="null"/> for I'mport's default.</param>
    /// <returns>The pages, fetched one at a time as the enumeration proceeds, until a page says <c>next</c> 0.</returns>
    /// <exception cref="ArgumentException"><paramref name="continuationToken"/> is not a page number.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSizeHint"/> is not between 1 and 1000.</exception>
    public IAsyncEnumerable<IamportPage<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
    {
        if (pageSizeHint is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSizeHint), pageSizeHint, "limit must be between 1 and 1000.");
        }

        return _pages(continuationToken, pageSizeHint, _cancellationToken);
    }

    /// <inheritdoc />
    public async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        await foreach (IamportPage<T> page in AsPages().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            foreach (T item in page.Items)
            {
                yield return item;
            }
        }
    }

    private static async IAsyncEnumerable<IamportPage<T>> Yield(IEnumerable<IamportPage<T>> pages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (IamportPage<T> page in pages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return page;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
