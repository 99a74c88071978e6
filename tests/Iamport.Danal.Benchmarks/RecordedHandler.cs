using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Iamport.Danal.Benchmarks;

/// <summary>
/// A static in-process I'mport: answers <c>getToken</c> with the recorded token and everything else with the recorded
/// <c>again</c> (paid) response. It does the same minimal work for the library and the raw baseline, so the numbers
/// show the client's own cost rather than a server's.
/// </summary>
public sealed class RecordedHandler : HttpMessageHandler
{
    private readonly byte[] _token = Resource("token.json");
    private readonly byte[] _again = Resource("again-paid.json");

    /// <summary>Gets the access token in the recorded getToken response.</summary>
    public const string AccessToken = "a9ace025c90c0da2161075da6ddd3492a2fca776";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[] body = request.RequestUri!.AbsolutePath.EndsWith("/users/getToken", StringComparison.Ordinal) ? _token : _again;
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
    }

    private static byte[] Resource(string name)
    {
        using Stream stream = typeof(RecordedHandler).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException("Missing resource " + name);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
