using System;
using System.IO;
using System.IO.Compression;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;

namespace Iamport.Danal.Tests.Honesty;

/// <summary>A gzip-encoded reply through a real socket and <see cref="SocketsHttpHandler"/>'s automatic decompression:
/// <see cref="IamportOptions.MaxResponseBytes"/> counts the decoded bytes, so a small compressed body cannot inflate past it.</summary>
public class DecompressionBombTests
{
    private const int MiB = 1024 * 1024;

    [Test]
    public async Task GetPaymentAsync_GzipOfZerosSmallerThanTheCapDecodingTo256MiB_ThrowsNamingTheCap()
    {
        // 256 gzip members of 1 MiB of zeros: about 256 KiB on the wire, well under the 1 MiB cap, 256 MiB decoded.
        // A cap on the wire bytes would take the whole body as complete; the cap on decoded bytes stops it.
        byte[] member = Member(new byte[MiB]);
        await using var server = new GzipServer(member, members: 256);
        var ex = Assert.ThrowsAsync<IamportException>(() => server.Client().GetPaymentAsync("imp_123456789012"));
        long sent = await server.StopAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(member.Length * 256L, Is.LessThan(MiB / 2), "the whole compressed body is under the cap");
            Assert.That(ex!.ResponseExcerpt, Does.StartWith("(body over MaxResponseBytes 1048576)"), "stopped by the cap on decoded bytes");
            Assert.That(ex.HasApiAnswer, Is.False);
            Assert.That(sent, Is.GreaterThan(0));
        }
    }

    [Test]
    public async Task GetPaymentAsync_GzipDecodingTo200MiB_StopsReadingTheWireSoonAfterTheCap()
    {
        // Barely compressible data (16 letters at random: about 4 bits a byte), so the wire carries about 100 MiB:
        // far more than loopback's socket buffers hold, so what the server got to write shows what the client read.
        var random = new Random(12);
        byte[] letters = new byte[MiB];
        for (int i = 0; i < letters.Length; i++)
        {
            letters[i] = (byte)('a' + random.Next(16));
        }

        byte[] member = Member(letters);
        await using var server = new GzipServer(member, members: 200);
        var ex = Assert.ThrowsAsync<IamportException>(() => server.Client().GetPaymentAsync("imp_123456789012"));
        long sent = await server.StopAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.ResponseExcerpt, Does.StartWith("(body over MaxResponseBytes 1048576)"));
            Assert.That(member.Length * 200L, Is.GreaterThan(90L * MiB), "the body the server would send whole");
            Assert.That(sent, Is.LessThan(32L * MiB), "written before the client hung up: a reader of the whole body takes all of it");
        }
    }

    private static byte[] Member(byte[] decoded)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal))
        {
            gzip.Write(decoded);
        }

        return compressed.ToArray();
    }

    /// <summary>HTTP/1.1 on loopback: answers getToken, and any other request with <c>Content-Encoding: gzip</c> and
    /// <paramref name="member"/> repeated <paramref name="members"/> times until the client closes the connection.</summary>
    private sealed class GzipServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly byte[] _member;
        private readonly int _members;
        private readonly Task _serving;
        private long _sent;

        public GzipServer(byte[] member, int members)
        {
            _member = member;
            _members = members;
            _listener.Start();
            _serving = ServeAsync();
        }

        public IamportClient Client()
        {
            IamportOptions options = Api.Options();
            options.BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            options.Timeout = TimeSpan.FromSeconds(60);
            var handler = new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.GZip };
            return new IamportClient(new HttpClient(handler), options);
        }

        /// <summary>Stops serving and returns the compressed body bytes the socket accepted.</summary>
        public async Task<long> StopAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await _serving;
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }

            return Interlocked.Read(ref _sent);
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stop.Dispose();
        }

        private async Task ServeAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient connection = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(() => ConnectionAsync(connection));
            }
        }

        private async Task ConnectionAsync(TcpClient connection)
        {
            using (connection)
            {
                NetworkStream stream = connection.GetStream();
                try
                {
                    while (await ReadRequestAsync(stream) is { } path)
                    {
                        if (path == "/users/getToken")
                        {
                            byte[] token = Encoding.UTF8.GetBytes(Api.Token());
                            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {token.Length}\r\n\r\n"));
                            await stream.WriteAsync(token);
                            continue;
                        }

                        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nConnection: close\r\n\r\n"u8.ToArray());
                        for (int i = 0; i < _members; i++)
                        {
                            await stream.WriteAsync(_member, _stop.Token);
                            Interlocked.Add(ref _sent, _member.Length);
                        }

                        return;
                    }
                }
                catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
                {
                    // The client hung up: what it read is all it wanted.
                }
            }
        }

        /// <summary>Reads one request (headers and a Content-Length body); its path, or null at the end of the connection.</summary>
        private async Task<string?> ReadRequestAsync(NetworkStream stream)
        {
            var head = new StringBuilder();
            byte[] one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await stream.ReadAsync(one, _stop.Token) == 0)
                {
                    return null;
                }

                head.Append((char)one[0]);
            }

            string[] lines = head.ToString().Split("\r\n");
            foreach (string line in lines)
            {
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                {
                    byte[] body = new byte[int.Parse(line.AsSpan(15).Trim(), System.Globalization.CultureInfo.InvariantCulture)];
                    await stream.ReadExactlyAsync(body, _stop.Token);
                }
            }

            return lines[0].Split(' ')[1];
        }
    }
}
