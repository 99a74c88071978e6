using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace Iamport.Danal.Tests.Internal;

/// <summary>Seeded inputs for the body parsers: real shapes (documented SDK and webhook shapes, the TestData fixtures) mutated, plus random bytes.</summary>
/// <remarks>Also compiled into the shop's tests, which post a sample of the same inputs to the shop's endpoints.</remarks>
internal sealed class FuzzInputs
{
    /// <summary>The environment variable that fixes the seed, to replay a failure.</summary>
    public const string SeedVariable = "IAMPORT_FUZZ_SEED";

    /// <summary>What <c>iamport.js</c> hands the callback (<c>rsp</c>) and what the checkout script posts.</summary>
    public static readonly string[] CallbackShapes =
    [
        """{"imp_uid":"imp_123456789012","merchant_uid":"order_0001"}""",
        """{"success":true,"imp_success":true,"imp_uid":"imp_123456789012","merchant_uid":"chk_20261127090000000_a1b2","pay_method":"card","paid_amount":1000,"status":"paid","name":"월간 구독","pg_provider":"danal_tpay","pg_tid":"2026112709000012345","buyer_name":"홍길동","buyer_email":"buyer@example.com","buyer_tel":"010-1234-5678","custom_data":{"plan":"monthly","items":[1,2,{"x":null}]},"paid_at":1795770000,"card_name":"신한카드","bank_name":null,"card_quota":0,"customer_uid":"cust_42_card_1","error_code":null,"error_msg":null}""",
        """{"success":false,"imp_success":false,"imp_uid":"imp_123456789013","merchant_uid":"m_1","error_code":"F400","error_msg":"[결제포기] 사용자가 결제를 취소하셨습니다"}""",
        """{"imp_uid":null,"merchant_uid":"m_1","error_code":"F0000","error_msg":"\uc0ac\uc6a9\uc790 \ucde8\uc18c"}""",
    ];

    /// <summary>What I'mport appends to <c>m_redirect_url</c>, alone and within a shop's own URL.</summary>
    public static readonly string[] RedirectShapes =
    [
        "?imp_uid=imp_123456789012&merchant_uid=order_0001&imp_success=true",
        "https://shop.example/checkout/return?ref=abc&imp_uid=imp_1&merchant_uid=m_1&imp_success=false&error_code=F400&error_msg=%5B%EA%B2%B0%EC%A0%9C%ED%8F%AC%EA%B8%B0%5D+%EC%B7%A8%EC%86%8C#top",
        "imp_uid=imp_1&merchant_uid=m_1&success=true",
        "merchant_uid=m_1&imp_success=false&error_msg=",
    ];

    /// <summary>I'mport's webhook bodies, JSON and form.</summary>
    public static readonly string[] WebhookJsonShapes =
    [
        """{"imp_uid":"imp_223456789012","merchant_uid":"order_0001","status":"paid"}""",
        """{"imp_uid":"imp_223456789012","merchant_uid":"order_0001","status":"cancelled","cancellation_id":"cncl_0001"}""",
        """{"imp_uid":"imp_223456789013","merchant_uid":"sub1_2026-12","status":"failed","cancellation_id":null}""",
    ];

    /// <inheritdoc cref="WebhookJsonShapes"/>
    public static readonly string[] WebhookFormShapes =
    [
        "imp_uid=imp_223456789012&merchant_uid=order_0001&status=paid",
        "imp_uid=imp_223456789012&merchant_uid=order_0001&status=cancelled&cancellation_id=cncl_0001",
        "imp_uid=imp_223456789013&merchant_uid=sub1_2026-12&status=failed&cancellation_id=",
    ];

    /// <summary>Content types a webhook endpoint may see.</summary>
    public static readonly string?[] ContentTypes =
    [
        null, "", "application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "text/json", "application/problem+json",
        "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8", "multipart/form-data; boundary=x",
        "text/plain", "text/html", "application/octet-stream", "json/x-www-form-urlencoded", "application/jsonx", "*/*", ";", "application/",
    ];

    private static readonly string[] TextTokens =
    [
        "\\ud800", "\\udc00", "\\uDBFF\\u0041", "\\ud83d\\ude00", "\\u0000", "\\", "\"", "{", "}", "[", "]", ",", ":", "null", "true", "false",
        "1e400", "-0", "99999999999999999999999", "%", "%2", "%ZZ", "%ED%A0%80", "%C0%AE", "%FF", "%2e%2e", "%2F", "..", "/", "&", "=", "+", "?", "#",
        "\"imp_uid\":\"imp_1\",", "\"merchant_uid\":\"x\",", "\"status\":\"paid\",", "imp_uid=imp_2&", "merchant_uid=..&", "status=paid&", "&&", "==",
        "\"imp_uid\":\"..\",", "\"merchant_uid\":\"a/../b\",", "imp_uid=%2e%2e&", "\"a\":{\"b\":[", "]}", "<html>", "\r\n", "\t", " ",
    ];

    private static readonly byte[][] ByteTokens =
    [
        [0xFF], [0xFE], [0xC0, 0xAF], [0xC0, 0xAE], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xEF, 0xBB, 0xBF],
        [0xE0, 0x80], [0x80], [0x00], [0xF0, 0x9F, 0x98], [0xFE, 0xFF], [0xFF, 0xFE],
    ];

    private readonly Random _random;
    private readonly byte[][] _corpus;
    private readonly int _shapes;

    /// <summary>Initializes a generator over <paramref name="shapes"/> and, when present, the fixtures in <paramref name="fixtureDirectory"/>.</summary>
    public FuzzInputs(int seed, IEnumerable<string> shapes, string? fixtureDirectory = null)
    {
        _random = new Random(seed);
        var corpus = shapes.Select(Encoding.UTF8.GetBytes).ToList();
        _shapes = corpus.Count;
        if (fixtureDirectory is not null && Directory.Exists(fixtureDirectory))
        {
            corpus.AddRange(Directory.GetFiles(fixtureDirectory, "*.json").Concat(Directory.GetFiles(fixtureDirectory, "*.form")).OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllBytes));
        }

        _corpus = [.. corpus];
    }

    /// <summary>Gets the seed to use: <see cref="SeedVariable"/> when set, otherwise a new one.</summary>
    public static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out int seed) ? seed : Random.Shared.Next();

    /// <summary>Gets one of the content types.</summary>
    public string? ContentType() =>
        _random.Next(8) == 0 ? RandomAscii(_random.Next(0, 40)) : ContentTypes[_random.Next(ContentTypes.Length)];

    /// <summary>Gets the next input as bytes: a mutated shape, or (one in ten) random bytes.</summary>
    public byte[] NextBytes()
    {
        if (_random.Next(10) == 0)
        {
            var noise = new byte[_random.Next(0, 256)];
            _random.NextBytes(noise);
            return noise;
        }

        // Three in four start from the parser's own shapes, the rest from any fixture; mostly one or two mutations.
        var bytes = new List<byte>(_corpus[_random.Next(_random.Next(4) == 0 ? _corpus.Length : _shapes)]);
        int mutations = _random.Next(2) == 0 ? 1 : _random.Next(2, 5);
        for (int i = 0; i < mutations; i++)
        {
            Mutate(bytes);
        }

        return [.. bytes];
    }

    /// <summary>Gets the next input as text, as a server might have decoded the bytes; sometimes with a raw unpaired surrogate.</summary>
    public string NextText()
    {
        byte[] bytes = NextBytes();
        string text = _random.Next(10) switch
        {
            0 => Encoding.Latin1.GetString(bytes),
            1 => new string([.. Enumerable.Range(0, bytes.Length / 2).Select(i => (char)(bytes[2 * i] | (bytes[(2 * i) + 1] << 8)))]),
            _ => Encoding.UTF8.GetString(bytes),
        };
        if (_random.Next(8) == 0)
        {
            int at = _random.Next(text.Length + 1);
            text = text.Insert(at, _random.Next(2) == 0 ? "\ud800" : "\udfff");
        }

        return text;
    }

    /// <summary>Escapes an input for a failure message.</summary>
    public static string Show(byte[] bytes) =>
        bytes.Length > 600 ? $"{bytes.Length} bytes starting {Convert.ToHexString(bytes, 0, 300)}" : Convert.ToHexString(bytes);

    /// <inheritdoc cref="Show(byte[])"/>
    public static string Show(string text) =>
        text.Length > 600 ? $"{text.Length} chars starting {Escape(text.Substring(0, 300))}" : Escape(text);

    private static string Escape(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:x4}"));

    private void Mutate(List<byte> bytes)
    {
        int at = _random.Next(bytes.Count + 1);
        switch (_random.Next(11))
        {
            case 0 when bytes.Count > 0:
                bytes[Math.Min(at, bytes.Count - 1)] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes[Math.Min(at, bytes.Count - 1)] = (byte)_random.Next(256);
                break;
            case 2:
                var inserted = new byte[_random.Next(1, 9)];
                _random.NextBytes(inserted);
                bytes.InsertRange(at, inserted);
                break;
            case 3 when bytes.Count > 0:
                int start = Math.Min(at, bytes.Count - 1);
                bytes.RemoveRange(start, _random.Next(1, Math.Min(16, bytes.Count - start) + 1));
                break;
            case 4 when bytes.Count > 0:
                int from = _random.Next(bytes.Count);
                bytes.InsertRange(at, bytes.GetRange(from, _random.Next(1, Math.Min(40, bytes.Count - from) + 1)));
                break;
            case 5:
                bytes.InsertRange(at, Encoding.UTF8.GetBytes(TextTokens[_random.Next(TextTokens.Length)]));
                break;
            case 6:
                bytes.InsertRange(at, ByteTokens[_random.Next(ByteTokens.Length)]);
                break;
            case 7:
                bytes.RemoveRange(at, bytes.Count - at); // truncated
                break;
            case 8:
                byte[] other = _corpus[_random.Next(_corpus.Length)];
                int cut = _random.Next(other.Length + 1);
                bytes.RemoveRange(at, bytes.Count - at);
                bytes.AddRange(other.Skip(cut));
                break;
            case 9:
                int depth = _random.Next(1, 120);
                bool array = _random.Next(2) == 0;
                bytes.InsertRange(at, Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(array ? "[" : "{\"a\":", depth))));
                if (_random.Next(2) == 0)
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(new string(array ? ']' : '}', depth)));
                }

                break;
            default:
                // Padding: now and then past the parsers' 64 KiB cap.
                int length = _random.Next(500) == 0 ? 70_000 : _random.Next(1, 300);
                bytes.InsertRange(at, Enumerable.Repeat((byte)"a %\"&"[_random.Next(5)], length));
                break;
        }
    }

    private string RandomAscii(int length) =>
        new([.. Enumerable.Range(0, length).Select(_ => (char)_random.Next(0x20, 0x7F))]);
}
