using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Iamport.Danal.Checkout;

namespace Iamport.Danal.Tests.Checkout;

/// <summary>Random inputs through the builder: whatever <c>Build()</c> accepts must obey every Danal rule, checked on the JSON.</summary>
public class RequestPayParamsPropertyTests
{
    private const int Cases = 10_000;

    private static readonly HashSet<string> Known =
    [
        "pg", "channelKey", "pay_method", "merchant_uid", "name", "amount", "tax_free", "customer_uid", "buyer_email",
        "buyer_name", "buyer_tel", "buyer_addr", "buyer_postcode", "period", "m_redirect_url", "notice_url", "custom_data",
        "display", "app_scheme", "customer_id", "bypass",
    ];

    private static readonly string[] Urls =
        ["https://shop.example/done?x=1", "http://localhost:5000/r", "ftp://shop.example/", "javascript:alert(1)", "mailto:a@b.c", "https://상점.example/완료"];

    private static readonly string[] Emails =
        ["buyer@example.com", "a.b+c@mail.co.kr", "buyer@example", "@example.com", "a@b@c.com", "a..b@x.com", "a@-x.com", "홍@example.com", "a@x.com ", ".a@x.com", "x@y.co", "first.last@sub.example.org", "u_1-2+tag@ex-ample.com", "a@b.c"];

    private static readonly string[] Pgs = ["danal_tpay", "danal_tpay.CP1", "danal_tpay.9810030929", "danal_tpay.x-y_z", "danal_tpay.", "danal", "kcp_billing", "danal_tpay.a b", ""];

    private static readonly decimal[] Amounts = [-1, 0, 1000.5m, 1, 10, 9900, 49_999, 50_000, 50_000.0m, 120_000, 1_000_000, 10_000_000];

    private static readonly int[] Quotas = [-1, 0, 1, 2, 3, 12, 36, 37];

    [Test]
    public void Build_RandomInputs_EverySuccessObeysDanalRules()
    {
        var random = new Random(20261127);
        var violations = new List<string>();
        int built = 0;
        int rejected = 0;
        var reasons = new Dictionary<string, int>();
        for (int i = 0; i < Cases; i++)
        {
            bool charge = random.Next(2) == 0;
            decimal amount = Pick(random, Amounts);
            CheckoutFactory? checkout = random.Next(3) switch
            {
                0 => RequestPayParamsBuilderTests.Checkout,
                1 => Factory(() => RequestPayParamsBuilderTests.Factory(Pick(random, Pgs), null)),
                _ => Factory(() => RequestPayParamsBuilderTests.Factory(null, Text(random, 55))),
            };
            if (checkout is null)
            {
                rejected++;
                continue;
            }

            RequestPayParamsBuilder builder = charge
                ? checkout.IssueKeyAndCharge(Text(random, 80), amount, Text(random, 40))
                : checkout.IssueKeyOnly(Text(random, 80), Text(random, 40));
            Maybe(random, () => builder.WithMerchantUid(Text(random, 40)));
            Maybe(random, () => builder.WithName(Text(random, 40)));
            Maybe(random, () => builder.WithTaxFree(random.Next(4) == 0 ? random.Next(-1, 130_000) : random.Next((int)Math.Clamp(amount, 0, 1_000_000) + 1)), 0.3);
            if (random.NextDouble() < 0.9)
            {
                builder.WithBuyerPhone(Text(random, 16));
            }

            Maybe(random, () => builder.WithBuyerEmail(random.Next(6) == 0 ? Text(random, 64) : Pick(random, Emails)));
            Maybe(random, () => builder.WithBuyerName(Text(random, 16)));
            Maybe(random, () => builder.WithBuyerAddress(Text(random, 128), random.Next(2) == 0 ? null : Text(random, 8)));
            Maybe(random, () =>
            {
                DateTime from = new DateTime(2026, 1, 1).AddDays(random.Next(400)).AddHours(random.Next(24));
                builder.WithPeriod(from, from.AddDays(random.Next(-20, 400)));
            });
            Maybe(random, () => builder.WithRedirectUrl(new Uri(Pick(random, Urls))));
            Maybe(random, () => builder.WithNoticeUrls([.. Enumerable.Range(0, random.Next(20) == 0 ? 0 : random.Next(5) == 0 ? 2 : 1).Select(_ => new Uri(Pick(random, Urls)))]));
            Maybe(random, () => builder.WithCustomData(random.Next(10) == 0 ? Text(random, 200) : ObjectText(Text(random, 200))));
            Maybe(random, () => builder.WithCustomerId(Text(random, 40)), 0.3);
            Maybe(random, () => builder.WithWindowColor(Text(random, 10)), 0.3);
            Maybe(random, () => builder.WithCardQuota(Enumerable.Range(0, random.Next(4)).Select(_ => Pick(random, Quotas)).ToArray()), 0.3);
            Maybe(random, () => builder.WithAppScheme("myshop://"));

            RequestPayParams param;
            try
            {
                param = builder.Build();
            }
            catch (ArgumentException ex)
            {
                reasons[ex.ParamName ?? ""] = reasons.TryGetValue(ex.ParamName ?? "", out int n) ? n + 1 : 1;
                rejected++;
                continue;
            }

            built++;
            string json = param.ToJson();
            violations.AddRange(Check(json, charge).Select(v => $"case {i}: {v} in {json}"));
        }

        TestContext.Out.WriteLine($"built {built}, rejected {rejected}: {string.Join(", ", reasons.Select(r => $"{r.Key} {r.Value}"))}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(violations, Is.Empty);
            Assert.That(built, Is.GreaterThan(Cases / 10), "enough inputs pass to test the successes");
            Assert.That(rejected, Is.GreaterThan(Cases / 10), "the generator produces rule breakers");
        }
    }

    /// <summary>Checks the Danal rules on the JSON, independently of the library's own checks.</summary>
    internal static IEnumerable<string> Check(string json, bool charge)
    {
        if (json.Contains('<') || json.Contains('>') || json.Contains('&') || json.Contains('\u2028') || json.Contains('\u2029') || json.Any(c => c > 127))
        {
            yield return "not script-safe";
        }

        if (json.Contains("\\uFFFD", StringComparison.OrdinalIgnoreCase))
        {
            yield return "a lone surrogate became U+FFFD";
        }

        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (!Known.Contains(property.Name))
            {
                yield return "unknown property " + property.Name;
            }
        }

        string? S(string name) => root.TryGetProperty(name, out JsonElement e) ? e.GetString() : null;
        bool Has(string name) => root.TryGetProperty(name, out _);

        if (S("pay_method") != "card")
        {
            yield return "pay_method";
        }

        if (Has("pg") == Has("channelKey"))
        {
            yield return "not exactly one of pg and channelKey";
        }

        if (S("pg") is { } pg && !Regex.IsMatch(pg, "^danal_tpay(\\.[A-Za-z0-9_-]+)?$"))
        {
            yield return "pg";
        }

        if (S("channelKey") is { } channelKey && !Regex.IsMatch(channelKey, "^[A-Za-z0-9_-]{1,55}$"))
        {
            yield return "channelKey";
        }

        if (!Regex.IsMatch(S("merchant_uid") ?? "", "^[A-Za-z0-9_-]{1,40}$"))
        {
            yield return "merchant_uid";
        }

        if (S("customer_uid") is not { Length: > 0 and <= 80 } customerUid || string.IsNullOrWhiteSpace(customerUid) || customerUid.IndexOfAny(['/', '?', '#']) >= 0)
        {
            yield return "customer_uid";
        }

        JsonElement amountElement = root.GetProperty("amount");
        decimal amount = amountElement.GetDecimal();
        if (amountElement.GetRawText().Contains('.') || (charge ? amount <= 0 : amount != 0))
        {
            yield return "amount";
        }

        if (S("name") is not { } name || string.IsNullOrWhiteSpace(name) || name.Length > 40 || name.Contains('%'))
        {
            yield return "name";
        }

        if (root.TryGetProperty("tax_free", out JsonElement taxFree) && (taxFree.GetDecimal() < 0 || taxFree.GetDecimal() > amount || taxFree.GetRawText().Contains('.')))
        {
            yield return "tax_free";
        }

        if (S("buyer_tel") is not { Length: <= 16 } tel || string.IsNullOrWhiteSpace(tel))
        {
            yield return "buyer_tel";
        }

        if (S("buyer_email") is { } email && (email.Length > 64 || !Regex.IsMatch(email, "^[A-Za-z0-9!#$&*+=^_`{|}~/.-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$")))
        {
            yield return "buyer_email";
        }

        if (S("buyer_name")?.Length > 16 || S("buyer_addr")?.Length > 128 || S("buyer_postcode")?.Length > 8)
        {
            yield return "buyer lengths";
        }

        if (root.TryGetProperty("period", out JsonElement period))
        {
            string from = period.GetProperty("from").GetString()!;
            string to = period.GetProperty("to").GetString()!;
            if (!Regex.IsMatch(from + to, "^[0-9]{16}$") || string.CompareOrdinal(from, to) > 0)
            {
                yield return "period";
            }
        }

        if (root.TryGetProperty("custom_data", out JsonElement customData) && customData.ValueKind != JsonValueKind.Object)
        {
            yield return "custom_data is not an object";
        }

        if (root.TryGetProperty("notice_url", out JsonElement noticeUrl) && noticeUrl.ValueKind == JsonValueKind.Array && noticeUrl.GetArrayLength() < 2)
        {
            yield return "notice_url: an array of fewer than two";
        }

        string?[] noticeUrls = noticeUrl.ValueKind == JsonValueKind.Array ? [.. noticeUrl.EnumerateArray().Select(u => u.GetString())] : [S("notice_url")];
        foreach (string url in new[] { S("m_redirect_url") }.Concat(noticeUrls).OfType<string>())
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            {
                yield return "url " + url;
            }
        }

        if (root.TryGetProperty("display", out JsonElement display))
        {
            if (display.GetProperty("card_quota").EnumerateArray().Any(q => q.GetInt32() != 0 && amount < 50_000))
            {
                yield return "display.card_quota";
            }
        }
    }

    // A factory refuses options with an empty channel key or pg (both or neither): such a case counts as rejected.
    private static CheckoutFactory? Factory(Func<CheckoutFactory> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>A JSON object holding <paramref name="text"/> as it is (a lone surrogate stays one, for the library to refuse).</summary>
    private static string ObjectText(string text)
    {
        var json = new StringBuilder("{\"note\":\"");
        foreach (char c in text)
        {
            json.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                < ' ' => "\\u" + ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return json.Append("\"}").ToString();
    }

    private static void Maybe(Random random, Action set, double probability = 0.5)
    {
        if (random.NextDouble() < probability)
        {
            set();
        }
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];

    /// <summary>A random string: mostly within <paramref name="limit"/> of safe characters and Hangul, sometimes longer or with
    /// spaces, markup, '%', '/', '@', quotes or control characters.</summary>
    private static string Text(Random random, int limit)
    {
        const string Safe = "abcXYZ019_-홍길"; // Hangul only in the wild ones: ids must be ASCII
        string[] extras = [" ", "%", "/", "\u0001", "<", "\u2028", ".", "@", "\"", "&", "\uD800", "\uDC00", "\U0001F600"];
        bool wild = random.Next(12) == 0;
        int length = wild ? random.Next(limit + 6) : random.Next(1, Math.Min(limit, 12) + 1);
        var text = new StringBuilder();
        while (text.Length < length)
        {
            text.Append(wild && random.Next(4) == 0 ? extras[random.Next(extras.Length)] : Safe[random.Next(wild ? Safe.Length : 11)].ToString());
        }

        return text.ToString();
    }
}
