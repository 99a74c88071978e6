using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Iamport.Danal.Internal;

/// <summary>
/// Holds the one access token of the app and refreshes it: a singleton shared by every <see cref="IamportClient"/>.
/// </summary>
/// <remarks>
/// <para>Expiry comes from the server: the token lives <c>expired_at - now</c> seconds by I'mport's clock, counted on the
/// local monotonic clock from the moment the request was sent. A local wall clock that is hours off changes nothing.</para>
/// <para>Single flight: concurrent callers that need a token wait for one <c>getToken</c> request.</para>
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The SemaphoreSlim never allocates a wait handle (no AvailableWaitHandle use), so it holds nothing to dispose.")]
internal sealed class AccessTokenCache
{
    public const string Route = "/users/getToken";

    private readonly IamportOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private volatile Entry? _current;

    public AccessTokenCache(IamportOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Returns a token valid for at least the refresh margin, fetching one if needed.</summary>
    public async ValueTask<string> GetTokenAsync(ApiTransport transport, CancellationToken cancellationToken)
    {
        Entry? entry = _current;
        if (entry is not null && _time.GetTimestamp() < entry.RefreshAt)
        {
            return entry.Token;
        }

        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            entry = _current;
            if (entry is null || _time.GetTimestamp() >= entry.RefreshAt)
            {
                entry = await FetchAsync(transport, cancellationToken).ConfigureAwait(false);
                _current = entry;
            }

            return entry.Token;
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>Forgets <paramref name="token"/> after I'mport refused it, unless another caller already replaced it.</summary>
    public void Invalidate(string token)
    {
        Entry? entry = _current;
        if (entry is not null && entry.Token == token)
        {
            Interlocked.CompareExchange(ref _current, null, entry);
        }
    }

    private async Task<Entry> FetchAsync(ApiTransport transport, CancellationToken cancellationToken)
    {
        long sentAt = _time.GetTimestamp();
        var body = new TokenRequest { ImpKey = _options.ImpKey, ImpSecret = _options.ImpSecret };
        TokenResponse token = await transport.SendAsync(
            ApiRequest.Post(Route, body, IamportJsonContext.Default.TokenRequest),
            IamportJsonContext.Default.IamportResponseTokenResponse,
            accessToken: null,
            cancellationToken).ConfigureAwait(false);

        TimeSpan lifetime = TimeSpan.FromSeconds(Math.Max(0, token.ExpiredAt - token.Now));
        TimeSpan usable = lifetime - _options.TokenRefreshMargin;
        long refreshAt = sentAt + (long)(Math.Max(0, usable.TotalSeconds) * _time.TimestampFrequency);
        Log.TokenRefreshed(_logger, lifetime);
        Telemetry.TokenRefreshes.Add(1);
        return new Entry(token.AccessToken, refreshAt);
    }

    /// <summary>The current token. Not a record: a generated <c>ToString</c> would print the token.</summary>
    private sealed class Entry(string token, long refreshAt)
    {
        public string Token { get; } = token;

        /// <summary>Gets the local monotonic timestamp from which the token is refreshed.</summary>
        public long RefreshAt { get; } = refreshAt;
    }
}
