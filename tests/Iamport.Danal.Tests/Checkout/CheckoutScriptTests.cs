using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Text.RegularExpressions;
using Iamport.Danal.Checkout;

namespace Iamport.Danal.Tests.Checkout;

public class CheckoutScriptTests
{
    private const string Attack = "</script><script>alert(1)</script>";

    // name is limited to 40 characters and buyer_name to 16, so they carry as much of the attack as fits.
    private const string Name = Attack + "\"'&\u2028한";
    private const string BuyerName = "</script>\"'&\u2028\u2029한글";
    private const string CustomData = Attack + " \"quoted\" 'single' & + \u2028 \u2029 정기결제 <!-- -->";

    [Test]
    public void ToJson_HostileStrings_EscapedAndRoundTrip()
    {
        string json = Hostile().ToJson();

        using JsonDocument parsed = JsonDocument.Parse(json);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(json, Does.Not.Contain("</"));
            Assert.That(json, Does.Not.Contain("<"));
            Assert.That(json, Does.Not.Contain(">"));
            Assert.That(json, Does.Not.Contain("&"));
            Assert.That(json, Does.Not.Contain("'"));
            Assert.That(json, Does.Not.Contain("+"));
            Assert.That(json, Does.Not.Contain("\u2028"));
            Assert.That(json, Does.Not.Contain("\u2029"));
            Assert.That(json, Does.Contain("\\u2028").And.Contains("\\u003C"));
            Assert.That(parsed.RootElement.GetProperty("name").GetString(), Is.EqualTo(Name));
            Assert.That(parsed.RootElement.GetProperty("buyer_name").GetString(), Is.EqualTo(BuyerName));
            Assert.That(parsed.RootElement.GetProperty("custom_data").GetProperty("note").GetString(), Is.EqualTo(CustomData));
        }
    }

    [Test]
    public void Render_HostileStrings_OnlyTheSnippetsOwnTagsInMarkup()
    {
        RequestPayParams param = Hostile();

        string html = Checkout("imp12345678").RenderScript(param, "/checkout/verify?from=" + Attack + "\u00e9");

        Match inline = Regex.Match(html, "<script>\n(?<body>.*)</script>\n$", RegexOptions.Singleline);
        string body = inline.Groups["body"].Value;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(inline.Success, Is.True, html);
            Assert.That(Regex.Count(html, "</"), Is.EqualTo(2), "only the two closing tags");
            Assert.That(Regex.Count(html, "<"), Is.EqualTo(4), "only the two elements' tags");
            Assert.That(body, Does.Not.Contain("<"));
            Assert.That(html, Does.Not.Contain("\u2028"));
            Assert.That(html, Does.Not.Contain("\u2029"));
            Assert.That(body, Does.Contain(param.ToJson()));
        }
    }

    [Test]
    public void Render_Defaults_LoadsCdnInitsOnceAndRequestsPay()
    {
        RequestPayParams param = RequestPayParamsBuilderTests.Minimal().Build();

        string html = Checkout("imp12345678").RenderScript(param, "https://shop.example/checkout/verify");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(html, Does.StartWith("<script src=\"https://cdn.iamport.kr/v1/iamport.js\"></script>\n<script>\n"));
            Assert.That(Regex.Count(html, @"IMP\.init\("), Is.EqualTo(1));
            Assert.That(html, Does.Contain("IMP.request_pay(param, function (rsp) {"));
            Assert.That(html, Does.Contain("if (typeof rsp.imp_uid !== \"string\" || !rsp.imp_uid) {"));
            Assert.That(html, Does.Contain("JSON.stringify({ imp_uid: rsp.imp_uid, merchant_uid: merchantUid })"));
            Assert.That(html, Does.Not.Contain("rsp.success").And.Not.Contain("imp_success"), "the claimed result decides nothing in the browser");
            Assert.That(html, Does.Contain("\"iamport:verified\"").And.Contains("\"iamport:failed\""));
            Assert.That(html, Does.EndWith("})(\"imp12345678\", " + param.ToJson() + ", \"https://shop.example/checkout/verify\");\n</script>\n"));
        }
    }

    [Test]
    public void Render_NonceAndSdkUrl_AttributeEncodedOnBothElements()
    {
        string html = Checkout("imp1").RenderScript(
            RequestPayParamsBuilderTests.Minimal().Build(), "/verify", "n\"><x", new Uri("http://localhost:5050/v1/iamport.js?a=1&b=2"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(html, Does.StartWith("<script src=\"http://localhost:5050/v1/iamport.js?a=1&amp;b=2\" nonce=\"n&quot;&gt;&lt;x\"></script>"));
            Assert.That(html, Does.Contain("\n<script nonce=\"n&quot;&gt;&lt;x\">\n"));
            Assert.That(html, Does.Not.Contain("n\">"));
        }
    }

    [Test]
    public void Render_CallbackInNode_PostsWheneverImpUidAndOnlyIds()
    {
        RequestPayParams param = Hostile();
        string snippet = Path.Combine(Path.GetTempPath(), $"checkout-{Guid.NewGuid():N}.html");
        File.WriteAllText(snippet, Checkout("imp123").RenderScript(param, "/checkout/verify"));
        Dictionary<string, JsonElement> runs;
        try
        {
            runs = RunNode(Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "Checkout", "run-snippet.js"), snippet);
        }
        finally
        {
            File.Delete(snippet);
        }

        static string Events(JsonElement run) => run.GetProperty("events").GetRawText();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(runs["success"].GetProperty("inits").GetRawText(), Is.EqualTo("""["imp123"]"""));
            Assert.That(runs["success"].GetProperty("param").GetProperty("name").GetString(), Is.EqualTo(Name));
            Assert.That(runs["success"].GetProperty("posted").GetRawText(), Is.EqualTo("""{"url":"/checkout/verify","method":"POST","body":{"imp_uid":"imp_1","merchant_uid":"m_1"}}"""));
            Assert.That(Events(runs["success"]), Is.EqualTo("""[["iamport:verified",{"verified":true}]]"""));
            Assert.That(Events(runs["rejected"]), Is.EqualTo("""[["iamport:failed",{"error":"amount mismatch"}]]"""));
            Assert.That(Events(runs["error_code"]), Is.EqualTo("""[["iamport:failed",{"error_code":"F400","error_msg":"cancelled","merchant_uid":"m_1"}]]"""));
            Assert.That(runs["error_code"].GetProperty("posted").ValueKind, Is.EqualTo(JsonValueKind.Null), "no imp_uid: nothing to verify");
            Assert.That(Events(runs["offline"]), Does.StartWith("""[["iamport:failed",{"error_code":null,"error_msg":"Error: offline","""));
            Assert.That(Events(runs["no_sdk"]), Does.Contain("iamport.js did not load"));
            Assert.That(runs["no_sdk"].GetProperty("posted").ValueKind, Is.EqualTo(JsonValueKind.Null));
            foreach (string claimedFailure in new[] { "imp_uid_error_code", "success_false", "imp_success_false" })
            {
                Assert.That(runs[claimedFailure].GetProperty("posted").GetRawText(), Is.EqualTo("""{"url":"/checkout/verify","method":"POST","body":{"imp_uid":"imp_1","merchant_uid":"m_1"}}"""), claimedFailure + ": the server decides");
                Assert.That(Events(runs[claimedFailure]), Is.EqualTo("""[["iamport:verified",{"verified":true}]]"""), claimedFailure);
            }

            Assert.That(runs["success"].GetProperty("agencies").GetRawText(), Is.EqualTo("[]"), "no Tier: IMP.init");
            foreach (string empty in new[] { "empty_200", "empty_204", "text_200" })
            {
                Assert.That(Events(runs[empty]), Is.EqualTo("""[["iamport:verified",{}]]"""), empty + ": a 2xx without a JSON body is a success");
            }

            Assert.That(Events(runs["html_500"]), Is.EqualTo("""[["iamport:failed",{"error_code":null,"error_msg":"HTTP 500","merchant_uid":"m_1"}]]"""));
            Assert.That(Events(runs["empty_400"]), Is.EqualTo("""[["iamport:failed",{"error_code":null,"error_msg":"HTTP 400","merchant_uid":"m_1"}]]"""));

            string merchantUid = runs["imp_uid_only"].GetProperty("param").GetProperty("merchant_uid").GetString()!;
            Assert.That(runs["imp_uid_only"].GetProperty("posted").GetProperty("body").GetRawText(), Is.EqualTo($$"""{"imp_uid":"imp_1","merchant_uid":"{{merchantUid}}"}"""), "the page's own merchant_uid when the SDK sends none");
        }
    }

    [TestCase("001")]
    [TestCase("A1Z")]
    public void Render_Tier_CallsAgencyInsteadOfInit(string tier)
    {
        RequestPayParams param = RequestPayParamsBuilderTests.Minimal().Build();
        var checkout = new CheckoutFactory(new IamportOptions { MerchantCode = "imp123", Tier = tier });
        string snippet = Path.Combine(Path.GetTempPath(), $"checkout-{Guid.NewGuid():N}.html");
        string html = checkout.RenderScript(param, "/checkout/verify");
        File.WriteAllText(snippet, html);
        Dictionary<string, JsonElement> runs;
        try
        {
            runs = RunNode(Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "Checkout", "run-snippet.js"), snippet);
        }
        finally
        {
            File.Delete(snippet);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(html, Does.EndWith(", \"/checkout/verify\", \"" + tier + "\");\n</script>\n"));
            Assert.That(runs["success"].GetProperty("agencies").GetRawText(), Is.EqualTo($$"""[["imp123","{{tier}}"]]"""));
            Assert.That(runs["success"].GetProperty("inits").GetRawText(), Is.EqualTo("[]"));
            Assert.That(runs["success"].GetProperty("posted").GetProperty("body").GetRawText(), Is.EqualTo("""{"imp_uid":"imp_1","merchant_uid":"m_1"}"""));
        }
    }

    [TestCase("01")]
    [TestCase("0001")]
    [TestCase("ab1")]
    [TestCase("0\"1")]
    [TestCase("</s")]
    public void Render_BadTier_ThrowsNamingRule(string tier)
    {
        var checkout = new CheckoutFactory(new IamportOptions { MerchantCode = "imp123", Tier = tier });

        Assert.That(
            () => checkout.RenderScript(RequestPayParamsBuilderTests.Minimal().Build(), "/verify"),
            Throws.ArgumentException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("tier").And.Message.Contains("3 characters of A-Z and 0-9"));
    }

    [Test]
    public void Render_NoTier_InitOnlyAndNoTierArgument()
    {
        RequestPayParams param = RequestPayParamsBuilderTests.Minimal().Build();

        string html = new CheckoutFactory(new IamportOptions { MerchantCode = "imp123", Tier = "" }).RenderScript(param, "/v");

        Assert.That(html, Does.EndWith("})(\"imp123\", " + param.ToJson() + ", \"/v\");\n</script>\n"));
    }

    public static IEnumerable<TestCaseData> HostileVerifyUrls()
    {
        static TestCaseData Case(string url, string name) => new TestCaseData(url).SetArgDisplayNames(name);

        yield return Case("/\t/evil.example/steal", "tab after slash");
        yield return Case("/\n/evil.example/steal", "LF after slash");
        yield return Case("/\r/evil.example/steal", "CR after slash");
        yield return Case("/checkout/verify\r\n", "trailing CRLF");
        yield return Case("//evil.example", "protocol-relative");
        yield return Case("//evil.example/steal", "protocol-relative path");
        yield return Case("/\\evil.example", "slash backslash");
        yield return Case("\\\\evil.example", "backslashes");
        yield return Case("/a\\b", "backslash inside");
        yield return Case(" /checkout/verify", "leading space");
        yield return Case("/check out", "space inside");
        yield return Case("/checkout\u00A0/verify", "no-break space");
        yield return Case("/checkout\u2028", "line separator");
        yield return Case("/checkout\u0000", "NUL");
        yield return Case("/checkout\uD800", "lone surrogate");
        yield return Case("javascript:alert(1)", "javascript");
        yield return Case("JavaScript:alert(1)//https://", "javascript mixed case");
        yield return Case("data:text/html,hi", "data");
        yield return Case("ftp://shop.example/verify", "ftp");
        yield return Case("https:/evil.example", "one slash after scheme");
        yield return Case("https:evil.example", "no slash after scheme");
        yield return Case("https://shop.example@evil.example/verify", "user info");
        yield return Case("https://", "no host");
        yield return Case("verify", "relative without slash");
        yield return Case("./verify", "dot relative");
        yield return Case("", "empty");
    }

    [TestCaseSource(nameof(HostileVerifyUrls))]
    public void RenderScript_HostileVerifyUrl_ThrowsNamingParameterAndRule(string verifyUrl)
    {
        Assert.That(
            () => Checkout("imp1").RenderScript(RequestPayParamsBuilderTests.Minimal().Build(), verifyUrl),
            Throws.ArgumentException
                .With.Property(nameof(ArgumentException.ParamName)).EqualTo("verifyUrl")
                .And.Message.Contains("single '/'").And.Message.Contains("control character, whitespace or backslash"));
    }

    [TestCase("/")]
    [TestCase("/checkout/verify")]
    [TestCase("/checkout/verify?order=42&x=%2F%2Fevil")]
    [TestCase("https://shop.example/checkout/verify")]
    [TestCase("HTTP://localhost:5000/verify")]
    public void RenderScript_GoodVerifyUrl_Embedded(string verifyUrl)
    {
        string html = Checkout("imp1").RenderScript(RequestPayParamsBuilderTests.Minimal().Build(), verifyUrl);

        Assert.That(html, Does.EndWith(", " + JsonSerializer.Serialize(verifyUrl, Escaped) + ");\n</script>\n"));
    }

    [Test]
    public void RenderScript_NullVerifyUrl_ThrowsArgumentNull()
    {
        Assert.That(
            () => Checkout("imp1").RenderScript(RequestPayParamsBuilderTests.Minimal().Build(), null!),
            Throws.ArgumentNullException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("verifyUrl"));
    }

    [TestCase("")]
    [TestCase("imp1\");alert(1);//")]
    public void Render_BadMerchantCode_Throws(string merchantCode)
    {
        Assert.That(
            () => Checkout(merchantCode).RenderScript(RequestPayParamsBuilderTests.Minimal().Build(), "/verify"),
            Throws.ArgumentException.With.Message.Contains("merchantCode"));
    }

    private static Dictionary<string, JsonElement> RunNode(string script, string snippet)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(snippet);
        Process node;
        try
        {
            node = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            Assert.Ignore("Node.js is not installed: the snippet's callback is not executed.");
            throw;
        }

        using (node)
        {
            string output = node.StandardOutput.ReadToEnd();
            string error = node.StandardError.ReadToEnd();
            Assert.That(node.WaitForExit(30_000) && node.ExitCode == 0, Is.True, error);
            var runs = new Dictionary<string, JsonElement>();
            foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using JsonDocument document = JsonDocument.Parse(line);
                JsonElement run = document.RootElement.Clone();
                runs[run.GetProperty("label").GetString()!] = run;
            }

            return runs;
        }
    }

    // What the snippet embeds strings with: System.Text.Json's default (HTML-safe) escaping.
    private static readonly JsonSerializerOptions Escaped = new();

    private static CheckoutFactory Checkout(string merchantCode) => new(new IamportOptions { MerchantCode = merchantCode });

    private static RequestPayParams Hostile() =>
        RequestPayParamsBuilderTests.Checkout.IssueKeyAndCharge("c1", 9900, Name)
            .WithBuyerPhone("010")
            .WithBuyerName(BuyerName)
            .WithCustomData(new System.Text.Json.Nodes.JsonObject { ["note"] = CustomData }.ToJsonString())
            .Build();
}
