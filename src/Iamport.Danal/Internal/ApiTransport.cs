using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Iamport.Danal.Internal;

/// <summary>
/// Sends one request and reports what happened (<see cref="ApiResult{T}"/>): an answer, a refusal, or no usable answer,
/// each with whether the request may have left. The one place that decides whether a reply is usable (a complete body
/// within <see cref="IamportOptions.MaxResponseBytes"/>, an envelope whose payload fits the models) and whether a
/// request may have left; it decides nothing about what a reply means and throws nothing. Never retries; never
/// mutates the <see cref="HttpClient"/>. Knows the token cache only to scrub its tokens from what it reports.
/// </summary>
internal sealed class ApiTransport
{
    private const string JsonMediaType = "application/json";
    private static readonly MediaTypeHeaderValue JsonUtf8 = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly IamportSettings _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly AccessTokenCache? _tokens;
    private readonly bool _guarded;

    // The absolute URI of each route without an id or query (the charge's among them), built once per client rather than
    // per request; bounded by the number of such routes. Rebuilt if the options' base address is replaced.
    private readonly ConcurrentDictionary<string, (Uri Base, Uri Full)> _fixedUris = new(StringComparer.Ordinal);

    /// <param name="http">The client to send with.</param>
    /// <param name="options">The settings.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="time">The clock.</param>
    /// <param name="tokens">The token cache, so the scrubber knows the current and previous token.</param>
    /// <param name="guarded">Whether <paramref name="http"/>'s pipeline ends in <see cref="SendGuardHandler"/> (as
    /// <c>AddIamport</c> registers it): then a request that never reached the guard certainly was not sent.</param>
    public ApiTransport(HttpClient http, IamportSettings options, ILogger logger, TimeProvider time, AccessTokenCache? tokens = null, bool guarded = false)
    {
        _http = http;
        _options = options;
        _logger = logger;
        _time = time;
        _tokens = tokens;
        _guarded = guarded;
    }

    public HttpClient HttpClient => _http;

    public async Task<ApiResult<T>> SendAsync<T>(ApiRequest call, JsonTypeInfo<IamportResponse<T>> responseType, AccessToken? accessToken, CancellationToken cancellationToken)
    {
        string method = call.Method.Method;
        long started = _time.GetTimestamp();
        // Telemetry (Internal/Telemetry.cs): the library's span is Internal, the parent of HttpClient's one CLIENT span.
        // Its name is only built when someone listens: an unobserved call allocates nothing for tracing.
        using Activity? activity = Telemetry.Source.HasListeners()
            ? Telemetry.Source.StartActivity($"iamport {method} {call.Route}", ActivityKind.Internal)
            : null;
        activity?.SetTag(Telemetry.MethodTag, method);
        activity?.SetTag(Telemetry.RouteTag, call.Route);

        if (cancellationToken.IsCancellationRequested)
        {
            // Cancelled before anything was handed to the HttpClient: certainly not sent.
            return new ApiResult<T>(ApiResultKind.NoAnswer, call, 0, mayHaveLeft: false) { Cancelled = true, Cause = new OperationCanceledException(cancellationToken) };
        }

        // One timer for the whole exchange, body included: the body is read here, after HttpClient's own timeout ended
        // (AddIamport leaves that one infinite). Linked only when the caller can cancel: linking costs a registration.
        using CancellationTokenSource timeout = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : new();
        timeout.CancelAfter(_options.Timeout);
        CancellationToken token = timeout.Token;
        using HttpRequestMessage request = CreateRequest(call, accessToken);

        // Only a request that changes state is one whose leaving matters (getToken changes nothing a caller reconciles).
        SendTicket? ticket = call.Method == HttpMethod.Get || call.Route == AccessTokenCache.Route ? null : SendTicket.Attach(request);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The caller's cancellation, a timeout, a reset, or anything a handler of the shop's pipeline throws (Polly's
            // TimeoutRejectedException, BrokenCircuitException, the guard's refusal): no answer.
            return NoResponse<T>(call, started, activity, ex, MayHaveLeft(ticket), accessToken, cancellationToken);
        }

        using (response)
        {
            int status = (int)response.StatusCode;
            ResponseBody body;
            try
            {
                body = await ResponseBody.ReadAsync(response.Content, _options.MaxResponseBytes, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
            {
                // The caller gave up while the body arrived: the request certainly left.
                return NoResponse<T>(call, started, activity, ex, ticket is not null, accessToken, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                body = ResponseBody.Unread($"(body not complete within {_options.Timeout})");
            }

            using (body)
            {
                IamportResponse<T>? envelope = body.Complete ? Parse(body, responseType) : null;
                double elapsed = _time.GetElapsedTime(started).TotalMilliseconds;
                Log.Response(_logger, method, call.Route, status, envelope?.Code, elapsed);
                if (Telemetry.RequestDuration.Enabled)
                {
                    // Checked first: the boxed status code would otherwise be allocated for nobody.
                    Telemetry.RequestDuration.Record(elapsed / 1000, new(Telemetry.MethodTag, method), new(Telemetry.RouteTag, call.Route), new("http.response.status_code", status));
                }

                activity?.SetTag(Telemetry.CodeTag, envelope?.Code);
                bool mayHaveLeft = ticket is not null;

                if (envelope?.Code is not { } code)
                {
                    activity?.SetStatus(ActivityStatusCode.Error);
                    // No excerpt of getToken: its body is the one most likely to echo the secret.
                    string? excerpt = call.Route == AccessTokenCache.Route ? body.Problem : body.Excerpt(Scrubber(call, accessToken));
                    return new ApiResult<T>(ApiResultKind.NoAnswer, call, status, mayHaveLeft) { Excerpt = excerpt, RetryAfter = RetryAfter(response) };
                }

                if (code != 0)
                {
                    activity?.SetStatus(ActivityStatusCode.Error);
                    return new ApiResult<T>(ApiResultKind.Refusal, call, status, mayHaveLeft)
                    {
                        Code = code,
                        Message = Scrubber(call, accessToken).Scrub(envelope.Message),
                        RetryAfter = RetryAfter(response),
                    };
                }

                if (status is < 200 or > 299 || envelope.Response is null)
                {
                    activity?.SetStatus(ActivityStatusCode.Error);
                    return new ApiResult<T>(ApiResultKind.NoAnswer, call, status, mayHaveLeft)
                    {
                        Message = Scrubber(call, accessToken).Scrub(envelope.Message),
                        Excerpt = status is >= 200 and <= 299 ? "(code 0 without a response)" : null,
                    };
                }

                return new ApiResult<T>(ApiResultKind.Answer, call, status, mayHaveLeft) { Value = envelope.Response, Message = envelope.Message };
            }
        }
    }

    /// <summary>A request without a ticket is never one the caller reconciles; with the guard installed, one that never
    /// reached it was certainly not sent; without it, anything handed to the <see cref="HttpClient"/> may have been.</summary>
    private bool MayHaveLeft(SendTicket? ticket) => ticket is not null && (!_guarded || ticket.Left);

    private Scrubber Scrubber(ApiRequest call, AccessToken? accessToken) => new(_options, _tokens, accessToken?.Token, call.Sensitive);

    /// <summary>The envelope, or <see langword="null"/> when the body is not one that fits the models: HTML, truncated
    /// JSON, a value out of range or of the wrong type.</summary>
    private static IamportResponse<T>? Parse<T>(ResponseBody body, JsonTypeInfo<IamportResponse<T>> type)
    {
        try
        {
            return JsonSerializer.Deserialize(body.Bytes, type);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException or InvalidOperationException or OverflowException or NotSupportedException)
        {
            return null;
        }
    }

    private HttpRequestMessage CreateRequest(ApiRequest call, AccessToken? accessToken)
    {
        var request = new HttpRequestMessage(call.Method, UriOf(call));
        Telemetry.SetRoute(request, call.Route); // for IamportTelemetry.EnrichHttpRequest

        // Raw header values: stored as given, without the parsed-value objects the typed setters allocate per request.
        request.Headers.TryAddWithoutValidation("Accept", JsonMediaType);
        if (accessToken is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", accessToken.Header);
        }

        if (!string.IsNullOrEmpty(_options.Tier))
        {
            request.Headers.TryAddWithoutValidation("Tier", _options.Tier);
        }

        if (call.Body is not null)
        {
            request.Content = new ByteArrayContent(call.Body);
            request.Content.Headers.ContentType = JsonUtf8;
        }

        return request;
    }

    private Uri UriOf(ApiRequest call)
    {
        Uri baseAddress = _options.BaseAddress;
        if (!call.IsFixedRoute)
        {
            return new Uri(baseAddress, call.PathAndQuery);
        }

        if (!_fixedUris.TryGetValue(call.Route, out (Uri Base, Uri Full) cached) || !ReferenceEquals(cached.Base, baseAddress))
        {
            cached = (baseAddress, new Uri(baseAddress, call.Route));
            _fixedUris[call.Route] = cached;
        }

        return cached.Full;
    }

    private ApiResult<T> NoResponse<T>(ApiRequest call, long started, Activity? activity, Exception cause, bool mayHaveLeft, AccessToken? accessToken, CancellationToken cancellationToken)
    {
        bool cancelled = cause is OperationCanceledException && cancellationToken.IsCancellationRequested;
        Exception reported = cancelled ? cause
            : cause is OperationCanceledException ? new TimeoutException($"No response within {_options.Timeout}.")
            : ScrubbedCause(cause, Scrubber(call, accessToken));
        Log.NoResponse(_logger, call.Method.Method, call.Route, _time.GetElapsedTime(started).TotalMilliseconds, reported.GetType().Name);
        activity?.SetStatus(ActivityStatusCode.Error, reported.GetType().Name);
        return new ApiResult<T>(ApiResultKind.NoAnswer, call, 0, mayHaveLeft) { Cause = reported, Cancelled = cancelled };
    }

    /// <summary>The cause itself, or, when its text carries something the scrubber removes (a handler echoing the
    /// Authorization header, say), a stand-in with the scrubbed text: an exception's message cannot be changed.</summary>
    private static Exception ScrubbedCause(Exception cause, Scrubber scrubber)
    {
        string text = cause.ToString();
        string scrubbed = scrubber.Scrub(text)!;
        return string.Equals(text, scrubbed, StringComparison.Ordinal)
            ? cause
            : new IamportTransportFailure(cause.GetType().FullName + ": " + scrubber.Scrub(cause.Message));
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        RetryConditionHeaderValue? retry = response.Headers.RetryAfter;
        return retry?.Delta ?? (retry?.Date is { } date ? date - _time.GetUtcNow() : null);
    }
}

/// <summary>Stands in for a transport exception whose text carried a secret; its message is the scrubbed original.</summary>
#pragma warning disable CA1032, CA1064 // Never thrown: only ever an inner exception built here.
internal sealed class IamportTransportFailure(string message) : Exception(message);
#pragma warning restore CA1032, CA1064
