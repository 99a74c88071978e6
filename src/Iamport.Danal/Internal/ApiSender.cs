using System;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Iamport.Danal.Internal;

/// <summary>
/// Sends an authorized call: the one place where a token is acquired (through the shared <see cref="AccessTokenCache"/>)
/// and where a 401 refreshes it and replays the call exactly once (a 401 means I'mport processed nothing).
/// </summary>
/// <remarks>Reports like the transport (<see cref="ApiResult{T}"/>); only a failure to get a token is an exception,
/// since then nothing of the call was sent.</remarks>
internal sealed class ApiSender : ITokenSource
{
    private readonly ApiTransport _transport;
    private readonly AccessTokenCache _tokens;
    private readonly ILogger _logger;
    private readonly IamportSettings _options;

    public ApiSender(ApiTransport transport, AccessTokenCache tokens, IamportSettings options, ILogger logger)
    {
        _transport = transport;
        _tokens = tokens;
        _logger = logger;
        _options = options;
    }

    /// <summary>Gets the transport, for the few callers that only need its <see cref="System.Net.Http.HttpClient"/>.</summary>
    public ApiTransport Transport => _transport;

    /// <summary>Gets the token cache, for its view of the server's clock.</summary>
    public AccessTokenCache Tokens => _tokens;

    /// <exception cref="IamportException">No token could be had; nothing of the call was sent.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled while the token was fetched; nothing of the call was sent.</exception>
    public async Task<ApiResult<T>> SendAsync<T>(ApiRequest call, JsonTypeInfo<IamportResponse<T>> responseType, CancellationToken cancellationToken)
    {
        AccessToken token = await _tokens.GetTokenAsync(this, cancellationToken).ConfigureAwait(false);
        ApiResult<T> result = await _transport.SendAsync(call, responseType, token, cancellationToken).ConfigureAwait(false);
        if (result.Status != 401)
        {
            return result;
        }

        Log.ReplayingAfter401(_logger, call.Method.Method, call.Route);
        _tokens.Invalidate(token.Token);
        token = await _tokens.GetTokenAsync(this, cancellationToken).ConfigureAwait(false);
        return await _transport.SendAsync(call, responseType, token, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<TokenResponse> FetchTokenAsync(CancellationToken cancellationToken)
    {
        var call = ApiRequest.Post(AccessTokenCache.Route, new TokenRequest { ImpKey = _options.ImpKey, ImpSecret = _options.ImpSecret }, IamportJsonContext.Default.TokenRequest);
        ApiResult<TokenResponse> result = await _transport.SendAsync(call, IamportJsonContext.Default.IamportResponseTokenResponse, accessToken: null, cancellationToken).ConfigureAwait(false);
        if (result.Cancelled)
        {
            throw (OperationCanceledException)result.Cause!;
        }

        return result.Kind == ApiResultKind.Answer ? result.Value! : throw IamportException.From(result);
    }
}
