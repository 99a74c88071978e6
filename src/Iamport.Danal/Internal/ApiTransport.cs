using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Iamport.Danal.Internal;

/// <summary>
/// Sends one request and turns the reply into a value or an <see cref="IamportException"/>: the envelope on any status,
/// HTML or empty bodies, timeouts and transport failures. Never retries; never mutates the <see cref="HttpClient"/>.
/// </summary>
internal sealed class ApiTransport
{
    private const int ExcerptLength = 200;
    private const string JsonMediaType = "application/json";
    private static readonly MediaTypeHeaderValue JsonUtf8 = new("application/json") { CharSet = "utf-8" };
    private static readonly Regex SecretFields = new(
        "\"(access_token|imp_secret|imp_key|customer_uid|card_number)\"\\s*:\\s*\"[^\"]*\"",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));

    private readonly HttpClient _http;
    private readonly IamportOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    // Per-call allocations the benchmarks showed (tests/Iamport.Danal.Benchmarks): the absolute URI of a fixed route
    // and the "Bearer <token>" header value are built once and reused, not rebuilt for every request. Static, because
    // typed clients (and so transports) are transient while the base address and the token live for the whole app.
    private static readonly ConcurrentDictionary<string, FixedRouteUri> FixedRouteUris = new(StringComparer.Ordinal);
    private static volatile BearerHeader? s_bearer;

    public ApiTransport(HttpClient http, IamportOptions options, ILogger logger, TimeProvider time)
    {
        _http = http;
        _options = options;
        _logger = logger;
        _time = time;
    }

    public HttpClient HttpClient => _http;

    public async Task<T> SendAsync<T>(ApiRequest call, JsonTypeInfo<IamportResponse<T>> responseType, string? accessToken, CancellationToken cancellationToken)
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

        // HttpClient cancels after its own Timeout already: a timer of ours is only needed when ours is shorter
        // (AddIamport gives the factory's client IamportOptions.Timeout, so there it never is).
        using CancellationTokenSource? timeout = _options.Timeout < _http.Timeout ? LinkedTimeout(cancellationToken) : null;
        CancellationToken token = timeout?.Token ?? cancellationToken;
        using HttpRequestMessage request = CreateRequest(call, accessToken);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw NoResponse(call, started, activity, new TimeoutException($"No response within {_options.Timeout}.", ex));
        }
        catch (HttpRequestException ex)
        {
            throw NoResponse(call, started, activity, ex);
        }

        using (response)
        {
            int status = (int)response.StatusCode;
            IamportResponse<T>? envelope = await ReadEnvelopeAsync(response, responseType, token).ConfigureAwait(false);
            double elapsed = _time.GetElapsedTime(started).TotalMilliseconds;
            Log.Response(_logger, method, call.Route, status, envelope?.Code, elapsed);
            if (Telemetry.RequestDuration.Enabled)
            {
                // Checked first: the boxed status code would otherwise be allocated for nobody.
                Telemetry.RequestDuration.Record(elapsed / 1000, new(Telemetry.MethodTag, method), new(Telemetry.RouteTag, call.Route), new("http.response.status_code", status));
            }

            activity?.SetTag(Telemetry.CodeTag, envelope?.Code);

            if (envelope?.Code is not { } code)
            {
                activity?.SetStatus(ActivityStatusCode.Error);
                string? excerpt = call.Route == AccessTokenCache.Route ? null : await ExcerptAsync(response, call.Sensitive).ConfigureAwait(false);
                throw new IamportException(status, null, null, method, call.Route, excerpt) { RetryAfter = RetryAfter(response) };
            }

            if (code != 0)
            {
                activity?.SetStatus(ActivityStatusCode.Error);
                throw new IamportException(status, code, Scrub(envelope.Message, call.Sensitive), method, call.Route) { RetryAfter = RetryAfter(response) };
            }

            if (status is < 200 or > 299 || envelope.Response is null)
            {
                activity?.SetStatus(ActivityStatusCode.Error);
                throw new IamportException(status, null, Scrub(envelope.Message, call.Sensitive), method, call.Route, status is >= 200 and <= 299 ? "(code 0 without a response)" : null);
            }

            return envelope.Response;
        }
    }

    private CancellationTokenSource LinkedTimeout(CancellationToken cancellationToken)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        return timeout;
    }

    private HttpRequestMessage CreateRequest(ApiRequest call, string? accessToken)
    {
        var request = new HttpRequestMessage(call.Method, RequestUri(call));
        Telemetry.SetRoute(request, call.Route); // for IamportTelemetry.EnrichHttpRequest

        // Raw header values: stored as given, without the parsed-value objects the typed setters allocate per request.
        request.Headers.TryAddWithoutValidation("Accept", JsonMediaType);
        if (accessToken is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", BearerValue(accessToken));
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

    /// <summary>The absolute URI of a call: cached for fixed routes (a bounded set), built for paths that carry an id.</summary>
    private Uri RequestUri(ApiRequest call)
    {
        Uri baseAddress = _options.BaseAddress;
        if (call.PathAndQuery != call.Route)
        {
            return new Uri(baseAddress, call.PathAndQuery);
        }

        if (FixedRouteUris.TryGetValue(call.Route, out FixedRouteUri? cached)
            && (ReferenceEquals(cached.BaseAddress, baseAddress) || cached.BaseAddress.Equals(baseAddress)))
        {
            return cached.Uri;
        }

        // Another base address (a second client, a test): build and remember the latest; correct either way.
        var uri = new Uri(baseAddress, call.Route);
        FixedRouteUris[call.Route] = new FixedRouteUri(baseAddress, uri);
        return uri;
    }

    /// <summary>The <c>Authorization</c> value for <paramref name="accessToken"/>, built once per token (tokens live for hours).</summary>
    private static string BearerValue(string accessToken)
    {
        BearerHeader? cached = s_bearer;
        if (cached is not null && string.Equals(cached.Token, accessToken, StringComparison.Ordinal))
        {
            return cached.Value;
        }

        cached = new BearerHeader(accessToken, "Bearer " + accessToken);
        s_bearer = cached;
        return cached.Value;
    }

#if NET
    private static ValueTask<IamportResponse<T>?> ReadEnvelopeAsync<T>(HttpResponseMessage response, JsonTypeInfo<IamportResponse<T>> type, CancellationToken cancellationToken)
    {
        // SendAsync used ResponseContentRead, so HttpClient buffered the body: the stream is a seekable view of memory and
        // reading it never blocks. It is copied into a pooled buffer and read in one piece, the serializer's fast path
        // (a stream is read resumably: about 20 % slower for a payment, measured by tests/Iamport.Danal.Benchmarks).
        using Stream stream = response.Content.ReadAsStream(cancellationToken);
        int length = checked((int)stream.Length);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            stream.ReadExactly(buffer, 0, length);
            return new ValueTask<IamportResponse<T>?>(JsonSerializer.Deserialize(buffer.AsSpan(0, length), type));
        }
        catch (JsonException)
        {
            // HTML error pages, empty bodies and truncated JSON all mean "no envelope"; the caller reports an excerpt.
            return new ValueTask<IamportResponse<T>?>((IamportResponse<T>?)null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
#else
    private static async ValueTask<IamportResponse<T>?> ReadEnvelopeAsync<T>(HttpResponseMessage response, JsonTypeInfo<IamportResponse<T>> type, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            // HTML error pages, empty bodies and truncated JSON all mean "no envelope"; the caller reports an excerpt.
            return null;
        }
    }
#endif

    private IamportException NoResponse(ApiRequest call, long started, Activity? activity, Exception cause)
    {
        Log.NoResponse(_logger, call.Method.Method, call.Route, _time.GetElapsedTime(started).TotalMilliseconds, cause.GetType().Name);
        activity?.SetStatus(ActivityStatusCode.Error, cause.GetType().Name);
        return new IamportException(0, null, null, call.Method.Method, call.Route, null, cause);
    }

    private static async Task<string> ExcerptAsync(HttpResponseMessage response, string? sensitive)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or ObjectDisposedException)
        {
            return "(unreadable body)";
        }

        if (body.Length == 0)
        {
            return "(empty body)";
        }

        body = SecretFields.Replace(body, "\"$1\":\"***\"");
        body = Scrub(body, sensitive)!;
        body = string.Join(" ", body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return body.Length <= ExcerptLength ? body : body.Remove(ExcerptLength) + "…";
    }

    /// <summary>Removes a sensitive value (a customer_uid) from text I'mport echoes back.</summary>
    internal static string? Scrub(string? text, string? sensitive) =>
        text is null || string.IsNullOrEmpty(sensitive) ? text : text.Replace(sensitive, "***");

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        RetryConditionHeaderValue? retry = response.Headers.RetryAfter;
        return retry?.Delta ?? (retry?.Date is { } date ? date - _time.GetUtcNow() : null);
    }

    private sealed class FixedRouteUri(Uri baseAddress, Uri uri)
    {
        public Uri BaseAddress { get; } = baseAddress;

        public Uri Uri { get; } = uri;
    }

    /// <summary>A token and its header value. Not a record: a generated <c>ToString</c> would print the token.</summary>
    private sealed class BearerHeader(string token, string value)
    {
        public string Token { get; } = token;

        public string Value { get; } = value;
    }
}
