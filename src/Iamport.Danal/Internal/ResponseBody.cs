using System;
using System.Buffers;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Iamport.Danal.Internal;

/// <summary>A response body read into a pooled buffer, never more than <see cref="IamportOptions.MaxResponseBytes"/>
/// (counted on the decoded stream, so automatic decompression cannot inflate it past the cap). Dispose it to return the buffer.</summary>
internal sealed class ResponseBody : IDisposable
{
    private const int FirstRead = 16 * 1024;
    private const int ExcerptBytes = 1024;
    private const int ExcerptScan = 400;
    private const int ExcerptLength = 200;

    private byte[] _buffer;

    private ResponseBody(byte[] buffer, int length, string? problem)
    {
        _buffer = buffer;
        Length = length;
        Problem = problem;
    }

    /// <summary>Gets the bytes read (all of them when <see cref="Complete"/>).</summary>
    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, Length);

    public int Length { get; }

    /// <summary>Gets why the body is not complete (too large, cut short, unreadable), or <see langword="null"/>.</summary>
    public string? Problem { get; }

    /// <summary>Gets whether the whole body was read, within the cap and as long as its <c>Content-Length</c> said.</summary>
    public bool Complete => Problem is null;

    public static ResponseBody Unread(string problem) => new([], 0, problem);

    /// <summary>Reads at most <paramref name="maxBytes"/> bytes. Throws only <see cref="OperationCanceledException"/>;
    /// any other failure is a body that is not <see cref="Complete"/>.</summary>
    public static async Task<ResponseBody> ReadAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        long? declared;
        try
        {
            declared = content.Headers.ContentLength;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A handler of the shop's pipeline handed back a disposed or broken response.
            return Unread($"(body unreadable: {ex.GetType().Name})");
        }

        if (declared > maxBytes)
        {
            return Unread($"(body of {declared} bytes, over MaxResponseBytes {maxBytes})");
        }

        // One byte more than the cap (or than declared), so a longer body shows itself without reading further.
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes, declared ?? FirstRead) + 1);
        int length = 0;
        string? problem = null;
        try
        {
#if NET
            using Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
#else
            using Stream stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
#endif
            // The pool hands out larger arrays than asked for: reads stop at the cap plus one, not at the array's end.
            int limit = maxBytes + 1;
            while (true)
            {
                if (length == Math.Min(buffer.Length, limit))
                {
                    if (length > maxBytes)
                    {
                        problem = $"(body over MaxResponseBytes {maxBytes})";
                        break;
                    }

                    byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes + 1L, 2L * buffer.Length));
                    Buffer.BlockCopy(buffer, 0, larger, 0, length);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

#if NET
                int read = await stream.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit) - length), cancellationToken).ConfigureAwait(false);
#else
                int read = await stream.ReadAsync(buffer, length, Math.Min(buffer.Length, limit) - length, cancellationToken).ConfigureAwait(false);
#endif
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            if (problem is null && declared is { } expected && expected != length)
            {
                problem = $"(body of {length} bytes, Content-Length said {expected})";
            }
        }
        catch (OperationCanceledException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        catch (Exception ex)
        {
            // A reset mid-body, a truncated chunk, a bad gzip stream: whatever the reason, no usable answer.
            problem = $"(body unreadable: {ex.GetType().Name})";
        }

        return new ResponseBody(buffer, length, problem);
    }

    /// <summary>A short, secret-free excerpt: only a bounded prefix is decoded and scanned, whatever the body's size.</summary>
    public string Excerpt(Scrubber scrubber)
    {
        if (Length == 0)
        {
            return Problem ?? "(empty body)";
        }

        string prefix = Encoding.UTF8.GetString(_buffer, 0, Math.Min(Length, ExcerptBytes));
        var collapsed = new StringBuilder(ExcerptScan);
        bool blank = false;
        foreach (char c in prefix)
        {
            if (collapsed.Length == ExcerptScan)
            {
                break;
            }

            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                blank = collapsed.Length > 0;
                continue;
            }

            if (blank)
            {
                collapsed.Append(' ');
                blank = false;
            }

            collapsed.Append(c);
        }

        string text = scrubber.Scrub(collapsed.ToString())!;
        text = text.Length <= ExcerptLength && Length <= ExcerptBytes ? text : Cut(text);
        return Problem is null ? text : Problem + " " + text;
    }

    private static string Cut(string text) =>
#if NET
        string.Concat(text.AsSpan(0, Math.Min(text.Length, ExcerptLength)), "…");
#else
        text.Substring(0, Math.Min(text.Length, ExcerptLength)) + "…";
#endif

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
