using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Internal;
using Microsoft.Extensions.Logging.Testing;

namespace Iamport.Danal.Tests.Honesty;

/// <summary>
/// Property: whatever form a server echoes a secret in, and wherever it puts it, neither the secret nor any beginning of
/// it longer than 4 characters reaches an exception's text, a log record or an activity tag. The secrets (key, secret,
/// current and previous token, customer_uids with spaces, Korean and <c>&amp;</c>) are drawn at random, so a prefix
/// found is a leak. The seed is printed; set <c>IAMPORT_SECRET_SEED</c> to replay one.
/// </summary>
[NonParallelizable]
public class SecretFamilyTests
{
    private const int LongestLeak = 4;
    private const int TrialsPerCombination = 1;

    private static readonly (string Name, Func<string, string> Encode)[] Forms =
    [
        ("raw", s => s),
        ("percent-upper", Uri.EscapeDataString),
        ("percent-lower", s => LowerHex(Uri.EscapeDataString(s))),
        ("form-plus", s => WebUtility.UrlEncode(s)!),
        ("json-u-lower", s => string.Concat(s.Select(c => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture)))),
        ("json-u-upper", s => string.Concat(s.Select(c => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)))),
        ("html-named", s => WebUtility.HtmlEncode(s)),
        ("html-decimal", s => string.Concat(s.Select(c => "&#" + ((int)c).ToString(CultureInfo.InvariantCulture) + ";"))),
        ("html-hex", s => string.Concat(s.Select(c => "&#x" + ((int)c).ToString("X", CultureInfo.InvariantCulture) + ";"))),
        ("whitespace-altered", s => s.Replace(" ", "\r\n \t", StringComparison.Ordinal)),
        ("whitespace-removed", s => s.Replace(" ", "", StringComparison.Ordinal)),
    ];

    private enum Secret
    {
        ImpKey,
        ImpSecret,
        CurrentToken,
        PreviousToken,
        CustomerUid,
    }

    private enum Place
    {
        EnvelopeMessage,
        HtmlPage,
        Header,
        ExcerptEdge,
    }

    /// <summary>Every public route of <see cref="IIamportClient"/>; <c>Uid</c>: whether the call carries the customer_uid.</summary>
    private static readonly (string Name, bool Uid, Func<IIamportClient, string, DateTimeOffset, Task> Call)[] Routes =
    [
        (nameof(IIamportClient.ChargeBillingKeyAsync), true, (c, uid, _) => c.ChargeBillingKeyAsync(new ChargeRequest { CustomerUid = uid, MerchantUid = "sub_1", Amount = 9900m, Name = "월간 구독" })),
        (nameof(IIamportClient.GetChargeOutcomeAsync), true, (c, uid, now) => c.GetChargeOutcomeAsync(new ChargeRequest { CustomerUid = uid, MerchantUid = "sub_1", Amount = 9900m, Name = "월간 구독" }, now.AddMinutes(-5))),
        (nameof(IIamportClient.GetPaymentAsync), false, (c, _, _) => c.GetPaymentAsync("imp_123456789012")),
        (nameof(IIamportClient.GetPaymentByMerchantUidAsync), false, (c, _, _) => c.GetPaymentByMerchantUidAsync("sub_1")),
        (nameof(IIamportClient.GetPaymentsByMerchantUidAsync), false, (c, _, _) => FirstAsync(c.GetPaymentsByMerchantUidAsync("sub_1"))),
        (nameof(IIamportClient.GetPaymentsByStatusAsync), false, (c, _, _) => FirstAsync(c.GetPaymentsByStatusAsync(PaymentStatus.Paid))),
        (nameof(IIamportClient.GetPaymentsAsync), false, (c, _, _) => c.GetPaymentsAsync(["imp_123456789012"])),
        (nameof(IIamportClient.CancelPaymentAsync), false, (c, _, _) => c.CancelPaymentAsync(new CancelPaymentRequest { ImpUid = "imp_123456789012", Reason = "환불" })),
        (nameof(IIamportClient.PreparePaymentAsync), false, (c, _, _) => c.PreparePaymentAsync("sub_1", 9900m)),
        (nameof(IIamportClient.GetPreparedPaymentAsync), false, (c, _, _) => c.GetPreparedPaymentAsync("sub_1")),
        (nameof(IIamportClient.UpdatePreparedPaymentAsync), false, (c, _, _) => c.UpdatePreparedPaymentAsync("sub_1", 9900m)),
        (nameof(IIamportClient.GetBillingKeyAsync), true, (c, uid, _) => c.GetBillingKeyAsync(uid)),
        (nameof(IIamportClient.GetBillingKeysAsync), true, (c, uid, _) => c.GetBillingKeysAsync(["other_customer", uid])),
        (nameof(IIamportClient.DeleteBillingKeyAsync), true, (c, uid, _) => c.DeleteBillingKeyAsync(uid)),
        (nameof(IIamportClient.GetPaymentsByCustomerUidAsync), true, (c, uid, _) => FirstAsync(c.GetPaymentsByCustomerUidAsync(uid))),
        (nameof(IIamportClient.GetSchedulesByCustomerUidAsync), true, (c, uid, now) => FirstAsync(c.GetSchedulesByCustomerUidAsync(uid, now, now.AddDays(30)))),
        (nameof(IIamportClient.ScheduleAsync), true, (c, uid, now) => c.ScheduleAsync(uid, [new ScheduleRequest { MerchantUid = "sub_2", ScheduleAt = now.AddDays(1), Amount = 9900m, Name = "월간 구독" }])),
        (nameof(IIamportClient.UnscheduleAsync), true, (c, uid, _) => c.UnscheduleAsync(uid, ["sub_2"])),
        (nameof(IIamportClient.UnscheduleAsync) + "(merchantUids)", false, (c, _, _) => c.UnscheduleAsync(["sub_2"])),
        (nameof(IIamportClient.UnscheduleAllAsync), true, (c, uid, _) => c.UnscheduleAllAsync(uid)),
        (nameof(IIamportClient.GetScheduleAsync), false, (c, _, _) => c.GetScheduleAsync("sub_2")),
        (nameof(IIamportClient.GetSchedulesAsync), false, (c, _, now) => FirstAsync(c.GetSchedulesAsync(now, now.AddDays(30)))),
        (nameof(IIamportClient.MoveScheduleAsync), false, (c, _, now) => c.MoveScheduleAsync("sub_2", now.AddDays(2))),
        (nameof(IIamportClient.ScheduleAgainAsync), false, (c, _, now) => c.ScheduleAgainAsync("sub_2", now.AddDays(2))),
        (nameof(IIamportClient.RetryScheduleAsync), true, (c, uid, _) => c.RetryScheduleAsync(IamportModelFactory.Schedule(merchantUid: "sub_2", customerUid: uid, amount: 1000m))),
    ];

    [Test]
    public void Routes_CoverEveryPublicMethodOfTheClient()
    {
        string[] methods = typeof(IIamportClient).GetMethods().Select(m => m.Name).Distinct().Order(StringComparer.Ordinal).ToArray();

        Assert.That(Routes.Select(r => r.Name.Split('(')[0]).Distinct().Order(StringComparer.Ordinal), Is.EqualTo(methods), "add the new route to Routes");
    }

    [Test]
    public async Task AnyRoute_SecretEchoedInAnyFormAndPlace_NoPrefixLongerThan4Leaks()
    {
        int seed = Seed();
        var random = new Random(seed);
        int trials = 0;
        foreach (Secret secret in Enum.GetValues<Secret>())
        {
            foreach ((string formName, Func<string, string> encode) in Forms)
            {
                foreach (Place place in Enum.GetValues<Place>())
                {
                    for (int t = 0; t < TrialsPerCombination; t++)
                    {
                        (string Name, bool Uid, Func<IIamportClient, string, DateTimeOffset, Task> Call)[] routes = secret == Secret.CustomerUid ? Routes.Where(r => r.Uid).ToArray() : Routes;
                        var route = routes[random.Next(routes.Length)];
                        await TrialAsync(new Secrets(random), secret, formName, encode, place, route.Name, route.Call, random, seed);
                        trials++;
                    }
                }
            }
        }

        // Every route, in every place, at least once more (a combination above draws its route at random).
        foreach (var route in Routes)
        {
            foreach (Place place in Enum.GetValues<Place>())
            {
                Secret secret = route.Uid ? Secret.CustomerUid : (Secret)random.Next((int)Secret.CustomerUid);
                (string formName, Func<string, string> encode) = Forms[random.Next(Forms.Length)];
                await TrialAsync(new Secrets(random), secret, formName, encode, place, route.Name, route.Call, random, seed);
                trials++;
            }
        }

        TestContext.Out.WriteLine($"{trials} trials, seed {seed}");
    }

    [Test]
    public async Task Excerpt_SecretCutAtTheEdgeAtEveryOffset_NoPrefixLongerThan4Leaks()
    {
        int seed = Seed();
        var random = new Random(seed);
        int checks = 0;
        foreach (Secret kind in Enum.GetValues<Secret>())
        {
            var secrets = new Secrets(random);
            string secret = secrets.Of(kind);
            var options = new IamportOptions { ImpKey = secrets.ImpKey, ImpSecret = secrets.ImpSecret };
            var scrubber = new Scrubber(IamportSettings.From(options), null, kind == Secret.PreviousToken ? secrets.PreviousToken : secrets.CurrentToken, secrets.CustomerUid);
            foreach ((string formName, Func<string, string> encode) in Forms)
            {
                string echo = encode(secret);
                string[] needles = Needles(secret, encode);
                int echoBytes = Encoding.UTF8.GetByteCount(echo);
                for (int offset = 0; offset <= Math.Max(echo.Length, echoBytes); offset++)
                {
                    foreach (string body in new[] { ScanEdge(echo, offset), ByteEdge(echo, offset) })
                    {
                        using ResponseBody read = await ResponseBody.ReadAsync(new ByteArrayContent(Encoding.UTF8.GetBytes(body)), 1024 * 1024, CancellationToken.None);
                        string excerpt = read.Excerpt(scrubber);
                        AssertNoLeak(excerpt, needles, $"excerpt of {kind} as {formName} cut at {offset} (seed {seed}): {excerpt}");
                        checks++;
                    }
                }
            }
        }

        TestContext.Out.WriteLine($"{checks} excerpts, seed {seed}");
    }

    private static async Task TrialAsync(Secrets secrets, Secret kind, string formName, Func<string, string> encode, Place place, string routeName, Func<IIamportClient, string, DateTimeOffset, Task> call, Random random, int seed)
    {
        string secret = secrets.Of(kind);
        string echo = encode(secret);
        int edge = random.Next(echo.Length + 1);
        using var server = new ScriptedIamport();
        int tokens = 0, calls = 0;
        server.OnToken = _ => ScriptedIamport.Json(TokenBody(++tokens == 1 ? secrets.PreviousToken : secrets.CurrentToken));
        Func<HttpRequestMessage, HttpResponseMessage> echoing = _ => ++calls == 1
            // A 401 first, so the first token becomes the previous one and the call is replayed with the current one.
            ? ScriptedIamport.Json("{\"code\":-1,\"message\":\"Unauthorized\",\"response\":null}", HttpStatusCode.Unauthorized)
            : Reply(place, echo, edge);
        server.OnCharge = server.OnFind = server.OnOther = echoing;
        var options = new IamportOptions { ImpKey = secrets.ImpKey, ImpSecret = secrets.ImpSecret, ReconciliationWindow = TimeSpan.Zero };
        var logger = new FakeLogger<IamportClient>();
        var tags = new ConcurrentQueue<string>();
        using ActivityListener listener = Listen(tags);

        Exception? thrown = null;
        try
        {
            await call(server.Client(options, logger), secrets.CustomerUid, server.Time.GetUtcNow());
        }
        catch (Exception ex)
        {
            thrown = ex;
        }

        string what = $"{routeName}: {kind} as {formName} in {place} (edge {edge}), seed {seed}";
        Assert.That(thrown, Is.InstanceOf<IamportException>(), what);
        Assert.That(tokens, Is.EqualTo(2), what + ": the previous token was in use");
        var texts = new List<string> { thrown!.ToString() };
        texts.AddRange(logger.Collector.GetSnapshot().Select(r => r.Message + " " + string.Join(",", r.StructuredState?.Select(p => p.Value) ?? [])));
        texts.AddRange(tags);
        string[] needles = Needles(secret, encode);
        foreach (string text in texts)
        {
            AssertNoLeak(text, needles, $"{what}: {text}");
        }
    }

    private static HttpResponseMessage Reply(Place place, string echo, int edge)
    {
        switch (place)
        {
            case Place.EnvelopeMessage:
                return ScriptedIamport.Json("{\"code\":-1,\"message\":" + JsonSerializer.Serialize("요청 거부: " + echo + " 를 찾을 수 없습니다") + ",\"response\":null}", HttpStatusCode.BadRequest);
            case Place.HtmlPage:
                return new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html><body><h1>502 Bad Gateway</h1><p>upstream: " + echo + "</p></body></html>", Encoding.UTF8, "text/html") };
            case Place.Header:
                var response = new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("") };
                response.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer error=\"invalid_token\", token=\"" + echo + "\"");
                response.Headers.TryAddWithoutValidation("X-Echo", echo);
                return response;
            default:
                return new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent(ScanEdge(echo, edge), Encoding.UTF8, "text/html") };
        }
    }

    /// <summary>A page whose excerpt scan (400 collapsed characters) ends <paramref name="offset"/> characters into the
    /// last of several echoes; the earlier ones, once masked, shorten the text so the cut one would show.</summary>
    private static string ScanEdge(string echo, int offset)
    {
        var body = new StringBuilder("<p>");
        while (body.Length + echo.Length + 1 < 400 - offset)
        {
            body.Append(echo).Append(' ');
        }

        body.Append('x', Math.Max(0, 400 - offset - body.Length));
        return body.Append(echo).Append(" </p>").Append('y', 200).ToString();
    }

    /// <summary>A page whose first 1024 bytes end <paramref name="offset"/> bytes into the echo (blanks before it collapse).</summary>
    private static string ByteEdge(string echo, int offset) =>
        "<p>" + new string(' ', Math.Max(0, 1024 - 3 - offset)) + echo + "</p>" + new string('y', 200);

    /// <summary>What must not appear, blanks collapsed: each beginning of the secret longer than 4 of its characters, raw and in the echo's form.</summary>
    private static string[] Needles(string secret, Func<string, string> encode)
    {
        var needles = new HashSet<string>(StringComparer.Ordinal);
        for (int length = LongestLeak + 1; length <= secret.Length; length++)
        {
            string prefix = secret.Substring(0, length);
            needles.Add(Squeeze(prefix));
            needles.Add(Squeeze(encode(prefix)));
        }

        return needles.Where(n => n.Length > LongestLeak).ToArray();
    }

    private static void AssertNoLeak(string text, string[] needles, string message)
    {
        string squeezed = Squeeze(text);
        foreach (string needle in needles)
        {
            if (squeezed.Contains(needle, StringComparison.Ordinal))
            {
                Assert.Fail($"{message}\nleaked: {needle}");
            }
        }
    }

    /// <summary>Runs of blanks as one space, as the excerpt collapses them (removing them would join a short leak with the next word).</summary>
    private static string Squeeze(string text)
    {
        var squeezed = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                squeezed.Append(c);
            }
            else if (squeezed.Length > 0 && squeezed[^1] != ' ')
            {
                squeezed.Append(' ');
            }
        }

        return squeezed.ToString().TrimEnd();
    }

    private static string LowerHex(string escaped)
    {
        var text = new StringBuilder(escaped);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length)
            {
                text[i + 1] = char.ToLowerInvariant(text[i + 1]);
                text[i + 2] = char.ToLowerInvariant(text[i + 2]);
            }
        }

        return text.ToString();
    }

    private static string TokenBody(string token) =>
        "{\"code\":0,\"message\":null,\"response\":{\"access_token\":\"" + token + "\",\"now\":946684800,\"expired_at\":946686600}}";

    private static int Seed()
    {
        string? replay = Environment.GetEnvironmentVariable("IAMPORT_SECRET_SEED");
        int seed = replay is null ? Environment.TickCount : int.Parse(replay, CultureInfo.InvariantCulture);
        TestContext.Out.WriteLine($"seed {seed} (replay with IAMPORT_SECRET_SEED={seed})");
        return seed;
    }

    private static async Task FirstAsync<T>(IAsyncEnumerable<T> items)
    {
        await foreach (T _ in items)
        {
            break;
        }
    }

    private static ActivityListener Listen(ConcurrentQueue<string> tags)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == IamportTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                tags.Enqueue(activity.DisplayName + " " + activity.StatusDescription);
                foreach (KeyValuePair<string, object?> tag in activity.TagObjects)
                {
                    tags.Enqueue(tag.Key + "=" + tag.Value);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    /// <summary>One set of secrets drawn at random.</summary>
    private sealed class Secrets
    {
        private const string Letters = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789";

        public Secrets(Random random)
        {
            ImpKey = Draw(random, Letters, 10, 16);
            ImpSecret = Draw(random, Letters + "+/=", 24, 40);
            PreviousToken = Draw(random, Letters, 32, 40);
            CurrentToken = Draw(random, Letters, 32, 40);

            // A customer_uid with a space, Korean and '&', neither starting nor ending with a blank.
            string korean = string.Concat(Enumerable.Range(0, random.Next(2, 5)).Select(_ => (char)random.Next(0xAC00, 0xD7A4)));
            CustomerUid = Draw(random, Letters, 3, 6) + " " + korean + " & " + Draw(random, Letters, 3, 6);
        }

        public string ImpKey { get; }

        public string ImpSecret { get; }

        public string PreviousToken { get; }

        public string CurrentToken { get; }

        public string CustomerUid { get; }

        public string Of(Secret kind) => kind switch
        {
            Secret.ImpKey => ImpKey,
            Secret.ImpSecret => ImpSecret,
            Secret.PreviousToken => PreviousToken,
            Secret.CurrentToken => CurrentToken,
            _ => CustomerUid,
        };

        private static string Draw(Random random, string alphabet, int min, int max) =>
            new(Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
    }
}
