using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Iamport.Danal.Tests.Contract;

/// <summary>Records what the client sent (method, path, bearer token) before passing it to the backend.</summary>
internal sealed class RequestRecorder(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly ConcurrentQueue<SentRequest> _sent = new();

    public IReadOnlyList<SentRequest> Sent => _sent.ToArray();

    public int Count(HttpMethod method, string path) => _sent.Count(r => r.Method == method && r.Path == path);

    public int TokenRequests => Count(HttpMethod.Post, "/users/getToken");

    /// <summary>The distinct bearer tokens the client used on API calls.</summary>
    public IReadOnlyList<string> BearerTokens => _sent.Select(r => r.Bearer).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sent = new SentRequest(request.Method, request.RequestUri!.AbsolutePath, request.Headers.Authorization?.Parameter);
        _sent.Enqueue(sent);
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
        sent.Status = (int)response.StatusCode;
        return response;
    }
}

/// <summary>One request the client sent, and the HTTP status it got (null while pending or when no response came).</summary>
internal sealed record SentRequest(HttpMethod Method, string Path, string? Bearer)
{
    public int? Status { get; set; }
}
