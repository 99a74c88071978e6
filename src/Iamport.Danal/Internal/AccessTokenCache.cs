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
/// <para>It does not send anything itself: the sender (<see cref="ApiSender"/>) hands it the fetch, so the cache knows
/// nothing of the transport.</para>
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The SemaphoreSlim never allocates a wait handle (no AvailableWaitHandle use), so it holds nothing to dispose.")]
internal sealed class AccessTokenCache
{
    public const string Route = "/users/getToken";

    private readonly IamportSettings _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private volatile Entry? _current;

    public AccessTokenCache(IamportSettings options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The longest token life taken at face value; anything longer (or not in the future) is not a usable answer.</summary>
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

    /// <summary>The longest token accepted: I'mport's are 40 characters; anything near a header's size is not a token.</summary>
    internal const int MaxTokenLength = 1024;

    private volatile string? _previous;

    /// <summary>Gets the token in use, for the scrubber.</summary>
    public string? CurrentToken => _current?.Token;

    /// <summary>Gets the token replaced by the last refresh, for the scrubber: an echo of it is as secret as the current one.</summary>
    public string? PreviousToken => _previous;

    /// <summary>Gets how far I'mport's clock is ahead of this app's (<see cref="TimeProvider.GetUtcNow"/>), as the last
    /// <c>getToken</c> showed it: never later than the truth (its <c>now</c> is whole seconds, read after the round
    /// trip), so an instant of this app moved by it is never after the same instant on the server's clock.</summary>
    public TimeSpan ServerClockOffset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    private long _offsetTicks;

    /// <summary>Returns a token valid for at least the refresh margin, fetching one with <paramref name="fetch"/> if needed.</summary>
    /// <exception cref="IamportException"><c>getToken</c> failed, or its token or expiry is not usable; nothing is cached.</exception>
    public async ValueTask<AccessToken> GetTokenAsync(ITokenSource fetch, CancellationToken cancellationToken)
    {
        Entry? entry = _current;
        if (entry is not null && _time.GetTimestamp() < entry.RefreshAt)
        {
            return entry;
        }

        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            entry = _current;
            if (entry is null || _time.GetTimestamp() >= entry.RefreshAt)
            {
                Entry fetched = await FetchAsync(fetch, cancellationToken).ConfigureAwait(false);
                if (entry is not null && !string.Equals(entry.Token, fetched.Token, StringComparison.Ordinal))
                {
                    _previous = entry.Token;
                }

                _current = entry = fetched;
            }

            return entry;
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
        if (entry is not null && entry.Token == token && Interlocked.CompareExchange(ref _current, null, entry) == entry)
        {
            _previous = token;
        }
    }

    private async Task<Entry> FetchAsync(ITokenSource fetch, CancellationToken cancellationToken)
    {
        long sentAt = _time.GetTimestamp();
        TokenResponse token = await fetch.FetchTokenAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset received = _time.GetUtcNow();

        // Server seconds, compared before any TimeSpan is built: an absurd now or expired_at must not overflow.
        long seconds = token.ExpiredAt - token.Now;
        if (token.Now <= 0 || token.ExpiredAt <= 0 || seconds <= 0 || seconds > (long)MaxLifetime.TotalSeconds || token.Now > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            throw new IamportException(200, null, null, "POST", Route, "(token expiry not usable: expired_at - now must be between 1 second and 30 days)");
        }

        // The token goes into a header verbatim: CR or LF would start a header line of its own, other control
        // characters, spaces or non-ASCII fail every later request. Refused here, so it is never cached or sent.
        if (!IsUsableToken(token.AccessToken))
        {
            throw new IamportException(200, null, null, "POST", Route, $"(access_token not usable: it must be 1 to {MaxTokenLength} visible ASCII characters, without spaces or control characters)");
        }

        TimeSpan lifetime = TimeSpan.FromSeconds(seconds);
        TimeSpan offset = DateTimeOffset.FromUnixTimeSeconds(token.Now) - received;

        // Refreshed the margin before expiry; a token living less than twice the margin at half its life instead, so a
        // short-lived token is never fetched again for every call.
        TimeSpan usable = lifetime - _options.TokenRefreshMargin;
        TimeSpan half = TimeSpan.FromTicks(lifetime.Ticks / 2);
        TimeSpan refreshAfter = usable > half ? usable : half;
        long refreshAt = sentAt + (long)(refreshAfter.TotalSeconds * _time.TimestampFrequency);
        Log.TokenRefreshed(_logger, lifetime);
        Telemetry.TokenRefreshes.Add(1);
        Interlocked.Exchange(ref _offsetTicks, offset.Ticks);
        return new Entry(token.AccessToken, refreshAt);
    }

    private static bool IsUsableToken(string? token)
    {
        if (string.IsNullOrEmpty(token) || token!.Length > MaxTokenLength)
        {
            return false;
        }

        foreach (char c in token)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The current token. Not a record: a generated <c>ToString</c> would print the token.</summary>
    private sealed class Entry(string token, long refreshAt) : AccessToken(token)
    {
        /// <summary>Gets the local monotonic timestamp from which the token is refreshed.</summary>
        public long RefreshAt { get; } = refreshAt;
    }
}

/// <summary>Sends <c>getToken</c> for the cache (<see cref="ApiSender"/>): the cache knows this, not the transport.</summary>
internal interface ITokenSource
{
    /// <summary>Sends <c>getToken</c> and returns its answer.</summary>
    /// <exception cref="IamportException">No usable answer, or a refusal.</exception>
    Task<TokenResponse> FetchTokenAsync(CancellationToken cancellationToken);
}

/// <summary>An access token and its <c>Authorization</c> value, built once per token (a token lives 30 minutes, for many requests), not per request.</summary>
/// <remarks>Not a record: a generated <c>ToString</c> would print the token.</remarks>
internal class AccessToken(string token)
{
    public string Token { get; } = token;

    public string Header { get; } = "Bearer " + token;
}
