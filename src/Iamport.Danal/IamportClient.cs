using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Iamport.Danal;

/// <summary>The I'mport (PortOne V1) REST client for Danal card billing keys.</summary>
/// <remarks>
/// <para>Register it with <c>services.AddIamport(...)</c>; every instance shares one access-token cache. Constructed by
/// hand, an instance owns its own cache: keep it for the life of the app.</para>
/// <para>Every call carries <c>Authorization: Bearer</c>; a 401 refreshes the token and replays the call once (a 401 means
/// I'mport processed nothing). The given <see cref="HttpClient"/> is never changed or disposed.</para>
/// </remarks>
public sealed partial class IamportClient : IIamportClient
{
    private readonly ApiSender _sender;
    private readonly IamportSettings _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="IamportClient"/> class with its own token cache.</summary>
    /// <param name="httpClient">The HTTP client to send with; its <see cref="HttpClient.BaseAddress"/> is not used.</param>
    /// <param name="options">The settings; <see cref="IamportOptions.ImpKey"/> and <see cref="IamportOptions.ImpSecret"/> are required.</param>
    /// <param name="logger">The logger, or <see langword="null"/> for none.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid; the message names the setting.</exception>
    public IamportClient(HttpClient httpClient, IamportOptions options, ILogger<IamportClient>? logger = null, TimeProvider? timeProvider = null)
        : this(httpClient, Validated(options), null, logger, timeProvider ?? TimeProvider.System)
    {
    }

    // guarded: whether httpClient's pipeline ends in the library's guard (Internal/SendGuard.cs),
    // as every client registered by AddIamport does.
    internal IamportClient(HttpClient httpClient, IamportSettings options, AccessTokenCache? tokens, ILogger? logger, TimeProvider timeProvider, bool guarded = false)
    {
        Guard.NotNull(httpClient);

        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider;
        tokens ??= new AccessTokenCache(options, timeProvider, _logger);
        _sender = new ApiSender(new ApiTransport(httpClient, options, _logger, timeProvider, tokens, guarded), tokens, options, _logger);
    }

    private static IamportJsonContext Json => IamportJsonContext.Default;

    /// <summary>Sends a call that moves no money and makes the public edge's exception of anything but an answer.</summary>
    private async Task<T> SendAsync<T>(ApiRequest call, JsonTypeInfo<IamportResponse<T>> responseType, CancellationToken cancellationToken)
    {
        ApiResult<T> result = await _sender.SendAsync(call, responseType, cancellationToken).ConfigureAwait(false);
        return result.Kind == ApiResultKind.Answer ? result.Value! : throw Failure(result, null);
    }

    /// <summary>Sends a call that moves money (a refund, a schedule's retry): as <see cref="SendAsync{T}"/>, but when the
    /// caller cancels after it may have left, the caller learns that it may have been applied.</summary>
    private async Task<T> SendMovingAsync<T>(ApiRequest call, JsonTypeInfo<IamportResponse<T>> responseType, string subject, CancellationToken cancellationToken)
    {
        ApiResult<T> result = await _sender.SendAsync(call, responseType, cancellationToken).ConfigureAwait(false);
        return result.Kind == ApiResultKind.Answer ? result.Value! : throw Failure(result, subject);
    }

    /// <summary>Sends a look-up: "not found" is a refusal in the route's documented not-found shape, HTTP 404, or also
    /// HTTP 200 on the routes whose not-found the reference documents (or leaves open) as HTTP 200 with <c>code != 0</c>;
    /// the payment routes pass <paramref name="notFoundAt200"/> <see langword="false"/>: there I'mport answers 404, and a
    /// 200 refusal may be an outage's answer. Any other refusal is no usable answer, and an exception.</summary>
    private async Task<T?> SendLookupAsync<T>(ApiRequest call, JsonTypeInfo<IamportResponse<T>> responseType, CancellationToken cancellationToken, bool notFoundAt200 = true)
        where T : class
    {
        ApiResult<T> result = await _sender.SendAsync(call, responseType, cancellationToken).ConfigureAwait(false);
        return result.Kind == ApiResultKind.Answer ? result.Value
            : result.Kind == ApiResultKind.Refusal && (result.Status == 404 || (notFoundAt200 && result.Status == 200)) ? null
            : throw Failure(result, null);
    }

    /// <summary>The public edge's exception for a result that is not an answer. The caller's cancellation stays an
    /// <see cref="OperationCanceledException"/> unless a call that moves money (<paramref name="subject"/> names it) may
    /// have left: then the caller learns the outcome is unknown.</summary>
    private static Exception Failure<T>(in ApiResult<T> result, string? subject) =>
        !result.Cancelled ? IamportException.From(result)
        : subject is not null && result.MayHaveLeft ? new IamportOutcomeUnknownException(subject, result.Method, result.Route, result.Cause!)
        : result.Cause!;

    /// <summary>A list that sends <paramref name="call"/> for page 1, 2, … (and the caller's page size) until a page says <c>next</c> 0.</summary>
    private static IamportPageable<T> Pageable<T>(Func<int, int?, ApiRequest> call, Func<ApiRequest, CancellationToken, Task<IamportPage<T>?>> send, CancellationToken cancellationToken) =>
        new((continuationToken, limit, token) => PagesAsync(call, send, FirstPage(continuationToken), limit, token), cancellationToken);

    private static int FirstPage(string? continuationToken) =>
        continuationToken is null ? 1
        : int.TryParse(continuationToken, NumberStyles.None, CultureInfo.InvariantCulture, out int page) && page >= 1 ? page
        : throw new ArgumentException("The continuation token must be a page number (1 or more).", nameof(continuationToken));

    private static async IAsyncEnumerable<IamportPage<T>> PagesAsync<T>(Func<int, int?, ApiRequest> call, Func<ApiRequest, CancellationToken, Task<IamportPage<T>?>> send, int page, int? limit, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (page > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IamportPage<T>? result = await send(call(page, limit), cancellationToken).ConfigureAwait(false);
            if (result is null)
            {
                // Not found (the route's documented not-found refusal): an empty list.
                yield break;
            }

            yield return result;

            // next 0 marks the last page; a next that does not move forward would loop for ever, so it ends the list too.
            page = result.Next > page ? result.Next : 0;
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string LimitQuery(int? limit) => limit is { } l ? "&limit=" + Number(l) : "";

    private string SandboxQuery(char separator) => _options.IncludeSandbox ? separator + "include_sandbox=true" : "";

    // channel_key is documented on charges and schedules only to pick the channel of a super billing key: sent only when
    // the options ask for it (IamportOptions.SendChannelKeyWithCharges); otherwise the key's own channel charges it.
    private string? ChannelKeyOrNull => _options.ChargeChannelKey;

    /// <summary>Validates the options and takes the client's copy of them: later changes to the options are not seen.</summary>
    private static IamportSettings Validated(IamportOptions options)
    {
        Guard.NotNull(options);

        IamportOptionsValidator.ThrowIfInvalid(options, nameof(options));
        return IamportSettings.From(options);
    }
}
