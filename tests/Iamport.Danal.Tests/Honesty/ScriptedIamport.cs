using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Iamport.Danal.Tests.Honesty;

/// <summary>A hand-written server: every route answers whatever its script says, requests are counted per path.</summary>
internal sealed class ScriptedIamport : HttpMessageHandler
{
    public const string Token = "tok_scripted_0123456789";

    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public Func<HttpRequestMessage, HttpResponseMessage> OnToken { get; set; } = _ => Json(Api.Token(Token));

    public Func<HttpRequestMessage, HttpResponseMessage> OnCharge { get; set; } = _ => Json(Api.Fixture("again-paid.json"));

    public Func<HttpRequestMessage, HttpResponseMessage> OnFind { get; set; } = _ => Json(Api.Fixture("again-paid.json"));

    public Func<HttpRequestMessage, HttpResponseMessage> OnOther { get; set; } = _ => Json(Api.Fixture("again-paid.json"));

    public FakeTimeProvider Time { get; } = new();

    public int Tokens => Count("/users/getToken");

    public int Charges => Count("/subscribe/payments/again");

    /// <summary>Gets the number of look-ups by merchant_uid (<c>find</c>, and <c>findAll</c> as reconciliation uses it).</summary>
    public int Finds => _counts.Where(p => p.Key.StartsWith("/payments/find", StringComparison.Ordinal)).Sum(p => p.Value);

    public int Count(string path) => _counts.TryGetValue(path, out int n) ? n : 0;

    public IamportClient Client(IamportOptions? options = null, ILogger<IamportClient>? logger = null) =>
        new(new HttpClient(this), options ?? Api.Options(), logger, Time);

    public static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    /// <summary>Serves a single-payment answer as the one record of a <c>findAll</c> page; anything else as it is.</summary>
    private static HttpResponseMessage AsPage(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK || response.Content is not StringContent content)
        {
            return response;
        }

        string body = content.ReadAsStringAsync().GetAwaiter().GetResult();
        try
        {
            if (System.Text.Json.Nodes.JsonNode.Parse(body) is System.Text.Json.Nodes.JsonObject { } root && root["response"] is System.Text.Json.Nodes.JsonObject payment && payment.ContainsKey("imp_uid"))
            {
                root["response"] = new System.Text.Json.Nodes.JsonObject { ["total"] = 1, ["previous"] = 0, ["next"] = 0, ["list"] = new System.Text.Json.Nodes.JsonArray(payment.DeepClone()) };
                return Json(root.ToJsonString());
            }
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            // Not JSON (a hostile body): served as it is.
        }

        return response;
    }

    /// <summary>A body generated as it is read, never held in memory; <paramref name="declared"/> sets Content-Length.</summary>
    public static (HttpResponseMessage Response, GeneratedStream Stream) Generated(HttpStatusCode status, string contentType, string prefix, long length, long? declared = null, long? failAt = null)
    {
        var stream = new GeneratedStream(Encoding.UTF8.GetBytes(prefix), length, failAt);
        var content = new StreamContent(stream);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        content.Headers.ContentLength = declared;
        return (new HttpResponseMessage(status) { Content = content }, stream);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string path = request.RequestUri!.AbsolutePath;
        _counts.AddOrUpdate(path, 1, (_, n) => n + 1);
        Func<HttpRequestMessage, HttpResponseMessage> script = path switch
        {
            "/users/getToken" => OnToken,
            "/subscribe/payments/again" => OnCharge,
            _ when path.StartsWith("/payments/findAll/", StringComparison.Ordinal) => r => AsPage(OnFind(r)),
            _ when path.StartsWith("/payments/find/", StringComparison.Ordinal) => OnFind,
            _ => OnOther,
        };
        HttpResponseMessage response = script(request);
        response.RequestMessage = request;
        return Task.FromResult(response);
    }
}

/// <summary>A prefix followed by spaces up to <c>length</c> bytes, counting what is read; optionally failing mid-way.</summary>
internal sealed class GeneratedStream(byte[] prefix, long length, long? failAt) : Stream
{
    private long _position;

    public long BytesRead => Interlocked.Read(ref _position);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (failAt is { } fail && _position >= fail)
        {
            throw new IOException("The response ended prematurely.");
        }

        long end = Math.Min(length, failAt ?? length);
        int n = (int)Math.Min(count, end - _position);
        if (n <= 0)
        {
            return 0;
        }

        for (int i = 0; i < n; i++)
        {
            long at = _position + i;
            buffer[offset + i] = at < prefix.Length ? prefix[at] : (byte)' ';
        }

        Interlocked.Add(ref _position, n);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        byte[] chunk = new byte[buffer.Length];
        int n = Read(chunk, 0, chunk.Length);
        chunk.AsSpan(0, n).CopyTo(buffer.Span);
        return new ValueTask<int>(n);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
