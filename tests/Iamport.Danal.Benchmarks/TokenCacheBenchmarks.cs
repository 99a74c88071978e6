using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Iamport.Danal.Internal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Iamport.Danal.Benchmarks;

/// <summary>The access-token cache hit path: what every API call pays before it sends. Should be a few ns and allocate nothing.</summary>
[MemoryDiagnoser]
public class TokenCacheBenchmarks
{
    private HttpClient _http = null!;
    private AccessTokenCache _cache = null!;
    private ITokenSource _fetch = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new IamportOptions { ImpKey = "bench_key", ImpSecret = "bench_secret" };
        _http = new HttpClient(new RecordedHandler());
        var transport = new ApiTransport(_http, IamportSettings.From(options), NullLogger.Instance, TimeProvider.System);
        var call = ApiRequest.Post(AccessTokenCache.Route, new TokenRequest { ImpKey = options.ImpKey, ImpSecret = options.ImpSecret }, IamportJsonContext.Default.TokenRequest);
        _fetch = new TransportTokenSource(transport, call);
        _cache = new AccessTokenCache(IamportSettings.From(options), TimeProvider.System, NullLogger.Instance);

        // The recorded token lives 30 minutes by the server's clock: long enough for any run.
        string token = _cache.GetTokenAsync(_fetch, default).AsTask().GetAwaiter().GetResult().Token;
        if (token != RecordedHandler.AccessToken)
        {
            throw new InvalidOperationException("The recorded token was not cached.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _http.Dispose();

    private sealed class TransportTokenSource(ApiTransport transport, ApiRequest call) : ITokenSource
    {
        public async Task<TokenResponse> FetchTokenAsync(CancellationToken cancellationToken) =>
            (await transport.SendAsync(call, IamportJsonContext.Default.IamportResponseTokenResponse, null, cancellationToken)).Value!;
    }

    [Benchmark(Description = "AccessTokenCache.GetTokenAsync (hit)")]
    public async ValueTask<string> CachedToken() => (await _cache.GetTokenAsync(_fetch, CancellationToken.None)).Token;
}
