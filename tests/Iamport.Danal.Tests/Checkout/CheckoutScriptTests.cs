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
            Assert.That(parsed.RootElement.GetProperty("custom_data").GetString(), Is.EqualTo(CustomData));
        }
    }

    [Test]
    public void Render_HostileStrings_OnlyTheSnippetsOwnTagsInMarkup()
    {
        RequestPayParams param = Hostile();

        string html = CheckoutScript.Render(param, "imp12345678", "/checkout/verify?from=" + Attack + "\u2028");

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

        string html = CheckoutScript.Render(param, "imp12345678", "https://shop.example/checkout/verify");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(html, Does.StartWith("<script src=\"https://cdn.iamport.kr/v1/iamport.js\"></script>\n<script>\n"));
            Assert.That(Regex.Count(html, @"IMP\.init\("), Is.EqualTo(1));
            Assert.That(html, Does.Contain("IMP.request_pay(param, function (rsp) {"));
            Assert.That(html, Does.Contain("rsp.error_code || rsp.success === false || rsp.imp_success === false"));
            Assert.That(html, Does.Contain("JSON.stringify({ imp_uid: rsp.imp_uid || null, merchant_uid: rsp.merchant_uid })"));
            Assert.That(html, Does.Contain("\"iamport:verified\"").And.Contains("\"iamport:failed\""));
            Assert.That(html, Does.EndWith("})(\"imp12345678\", " + param.ToJson() + ", \"https://shop.example/checkout/verify\");\n</script>\n"));
        }
    }

    [Test]
    public void Render_NonceAndSdkUrl_AttributeEncodedOnBothElements()
    {
        string html = CheckoutScript.Render(
            RequestPayParamsBuilderTests.Minimal().Build(), "imp1", "/verify", "n\"><x", new Uri("http://localhost:5050/v1/iamport.js?a=1&b=2"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(html, Does.StartWith("<script src=\"http://localhost:5050/v1/iamport.js?a=1&amp;b=2\" nonce=\"n&quot;&gt;&lt;x\"></script>"));
            Assert.That(html, Does.Contain("\n<script nonce=\"n&quot;&gt;&lt;x\">\n"));
            Assert.That(html, Does.Not.Contain("n\">"));
        }
    }

    [Test]
    public void Render_CallbackInNode_FailureRuleAndOnlyIdsPosted()
    {
        RequestPayParams param = Hostile();
        string snippet = Path.Combine(Path.GetTempPath(), $"checkout-{Guid.NewGuid():N}.html");
        File.WriteAllText(snippet, CheckoutScript.Render(param, "imp123", "/checkout/verify"));
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
            Assert.That(Events(runs["offline"]), Does.StartWith("""[["iamport:failed",{"error_code":null,"error_msg":"Error: offline","""));
            Assert.That(Events(runs["no_sdk"]), Does.Contain("iamport.js did not load"));
            foreach (string failure in new[] { "error_code", "success_false", "imp_success_false", "no_sdk" })
            {
                Assert.That(runs[failure].GetProperty("posted").ValueKind, Is.EqualTo(JsonValueKind.Null), failure + " posts nothing");
                Assert.That(Events(runs[failure]), Does.StartWith("""[["iamport:failed","""), failure);
            }
        }
    }

    [TestCase("javascript:alert(1)", "verifyUrl")]
    [TestCase("//evil.example/steal", "verifyUrl")]
    [TestCase("verify", "verifyUrl")]
    public void Render_BadVerifyUrl_Throws(string verifyUrl, string field)
    {
        Assert.That(
            () => CheckoutScript.Render(RequestPayParamsBuilderTests.Minimal().Build(), "imp1", verifyUrl),
            Throws.ArgumentException.With.Message.Contains(field));
    }

    [TestCase("")]
    [TestCase("imp1\");alert(1);//")]
    public void Render_BadMerchantCode_Throws(string merchantCode)
    {
        Assert.That(
            () => CheckoutScript.Render(RequestPayParamsBuilderTests.Minimal().Build(), merchantCode, "/verify"),
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

    private static RequestPayParams Hostile() =>
        RequestPayParamsBuilder.IssueKeyAndCharge("c1", 9900, Name)
            .WithBuyerTel("010")
            .WithBuyerName(BuyerName)
            .WithCustomData(CustomData)
            .Build();
}
