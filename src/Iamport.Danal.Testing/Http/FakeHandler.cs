using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Iamport.Danal.Testing.Http;

/// <summary>Serves the fake in-process: no sockets. A lost response surfaces as the exception a real client would see.</summary>
internal sealed class FakeHandler : HttpMessageHandler
{
    private readonly Func<FakeRequest, CancellationToken, Task<FakeResponse>> _core;

    public FakeHandler(Func<FakeRequest, CancellationToken, Task<FakeResponse>> core) => _core = core;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        if (!uri.IsAbsoluteUri)
        {
            uri = new Uri(new Uri("http://fake-iamport.local/"), uri);
        }

        var headers = FakeRequest.NewHeaderDictionary();
        foreach (var header in request.Headers)
        {
            headers.TryAdd(header.Key, string.Join(",", header.Value));
        }

        byte[] body = [];
        string? contentType = null;
        if (request.Content is { } content)
        {
            body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            contentType = content.Headers.ContentType?.ToString();
            foreach (var header in content.Headers)
            {
                headers.TryAdd(header.Key, string.Join(",", header.Value));
            }
        }

        var fakeRequest = new FakeRequest(request.Method.Method, uri.AbsolutePath, uri.Query, headers, body, contentType);
        var response = await _core(fakeRequest, cancellationToken).ConfigureAwait(false);
        switch (response.Delivery)
        {
            case Delivery.ResetBeforeCommit:
                throw new HttpRequestException(HttpRequestError.ConnectionError, "The fake I'mport reset the connection before handling the request.");
            case Delivery.DropAfterCommit when response.DropAsTimeout:
                throw new TaskCanceledException("The fake I'mport handled the request but its response never arrived (timeout).", new TimeoutException());
            case Delivery.DropAfterCommit:
                throw new HttpRequestException(HttpRequestError.ResponseEnded, "The fake I'mport handled the request but the connection was reset before the response.");
        }

        var message = new HttpResponseMessage((System.Net.HttpStatusCode)response.StatusCode)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(response.Body),
        };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", response.ContentType);
        foreach (var (name, value) in response.Headers.Select(h => (h.Key, h.Value)))
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }
}
