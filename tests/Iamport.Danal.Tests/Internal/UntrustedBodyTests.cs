using System;
using System.Linq;
using System.Text;
using Iamport.Danal.Checkout;

namespace Iamport.Danal.Tests.Internal;

/// <summary>The documented rules of the body parsers, each shown once; the fuzz tests cover the rest.</summary>
public class UntrustedBodyTests
{
    /// <summary>Puts raw unpaired surrogates where a case says <c>&lt;D800&gt;</c>: attribute arguments cannot hold them.</summary>
    private static string Lone(string text) => text.Replace("<D800>", "\ud800").Replace("<DFFF>", "\udfff");

    private static readonly string Deep = string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 40);

    [TestCase("""{"merchant_uid":"m","error_msg":"\ud800"}""", "unpaired surrogate", TestName = "FromCallbackJson_EscapedLoneSurrogateInReadField_FormatException")]
    [TestCase("""{"merchant_uid":"m","custom_data":{"a":["\udc00"]}}""", "unpaired surrogate", TestName = "FromCallbackJson_EscapedLoneSurrogateInIgnoredValue_FormatException")]
    [TestCase("""{"merchant_uid":"m","\ud800":1}""", "unpaired surrogate", TestName = "FromCallbackJson_EscapedLoneSurrogateInName_FormatException")]
    [TestCase("{\"merchant_uid\":\"m<D800>\"}", "unpaired UTF-16 surrogate", TestName = "FromCallbackJson_RawLoneSurrogate_FormatException")]
    [TestCase("""{"merchant_uid":"m","merchant_uid":"m"}""", "appears more than once", TestName = "FromCallbackJson_ReadFieldTwice_FormatException")]
    public void FromCallbackJson_BrokenRule_FormatException(string json, string reason)
    {
        Assert.That(() => UntrustedPaymentHint.FromCallbackJson(Lone(json)), Throws.TypeOf<FormatException>().With.Message.Contains(reason));
    }

    [Test]
    public void FromCallbackJson_InvalidUtf8_FormatException()
    {
        byte[] body = [.. Encoding.UTF8.GetBytes("{\"merchant_uid\":\"m\",\"error_msg\":\""), 0xED, 0xA0, 0x80, (byte)'"', (byte)'}'];

        Assert.That(() => UntrustedPaymentHint.FromCallbackJson(body), Throws.TypeOf<FormatException>().With.Message.Contains("not valid UTF-8"));
    }

    [Test]
    public void FromCallbackJson_TooDeep_FormatException()
    {
        Assert.That(() => UntrustedPaymentHint.FromCallbackJson("{\"merchant_uid\":\"m\",\"x\":" + Deep + "}"), Throws.TypeOf<FormatException>().With.Message.Contains("not valid JSON"));
    }

    [Test]
    public void FromCallbackJson_LargerThanCap_FormatExceptionAndSmallerIsRead()
    {
        static string Body(int length)
        {
            string head = "{\"merchant_uid\":\"m\",\"pad\":\"";
            return head + new string('a', length - head.Length - 2) + "\"}";
        }

        Assert.That(() => UntrustedPaymentHint.FromCallbackJson(Body(UntrustedPaymentHint.MaxLength + 1)), Throws.TypeOf<FormatException>().With.Message.Contains("larger than 65536"));
        Assert.That(UntrustedPaymentHint.FromCallbackJson(Body(UntrustedPaymentHint.MaxLength)).MerchantUid, Is.EqualTo("m"));
    }

    [TestCase("merchant_uid=m&error_msg=%ED%A0%80", "not valid UTF-8")]
    [TestCase("merchant_uid=m&error_msg=%FF", "not valid UTF-8")]
    [TestCase("merchant_uid=m&error_msg=<D800>", "unpaired UTF-16 surrogate")]
    [TestCase("merchant_uid=m&merchant_uid=m", "appears more than once")]
    public void FromRedirectQuery_BrokenRule_FormatException(string query, string reason)
    {
        Assert.That(() => UntrustedPaymentHint.FromRedirectQuery(Lone(query)), Throws.TypeOf<FormatException>().With.Message.Contains(reason));
    }

    [Test]
    public void FromRedirectQuery_ShopsOwnParameterTwiceOrBadlyEncoded_IsIgnored()
    {
        var hint = UntrustedPaymentHint.FromRedirectQuery("?ref=1&ref=2&note=100%&bad=%FF&merchant_uid=m_1");

        Assert.That(hint.MerchantUid, Is.EqualTo("m_1"));
    }

    /// <summary>Both formats of a webhook follow one rule for duplicates, ids and encoding.</summary>
    [TestCase("imp_uid=imp_1&imp_uid=imp_1&merchant_uid=m&status=paid", """{"imp_uid":"imp_1","imp_uid":"imp_1","merchant_uid":"m","status":"paid"}""", "imp_uid appears more than once")]
    [TestCase("imp_uid=..&merchant_uid=m&status=paid", """{"imp_uid":"..","merchant_uid":"m","status":"paid"}""", "imp_uid is not an id")]
    [TestCase("imp_uid=%252e%252e&merchant_uid=m&status=paid", """{"imp_uid":"%2e%2e","merchant_uid":"m","status":"paid"}""", "imp_uid is not an id")]
    [TestCase("imp_uid=imp_1&merchant_uid=a%2F..%2Fb&status=paid", """{"imp_uid":"imp_1","merchant_uid":"a/../b","status":"paid"}""", "merchant_uid is not an id")]
    [TestCase("imp_uid=imp_1&merchant_uid=m&status=paid&cancellation_id=%ED%A0%80", """{"imp_uid":"imp_1","merchant_uid":"m","status":"paid","cancellation_id":"\udc00"}""", "not valid UTF")]
    public void Parse_SameBreachInFormAndJson_BothFormatException(string form, string json, string reason)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => IamportWebhook.Parse(form, "application/x-www-form-urlencoded"), Throws.TypeOf<FormatException>().With.Message.Contains(reason), "form");
            Assert.That(() => IamportWebhook.Parse(json, "application/json"), Throws.TypeOf<FormatException>().With.Message.Contains(reason), "json");
        }
    }

    [Test]
    public void Parse_IgnoredFieldTwice_AcceptedInFormAndJson()
    {
        WebhookNotification form = IamportWebhook.Parse("x=1&x=2&imp_uid=imp_1&merchant_uid=m&status=paid", "application/x-www-form-urlencoded");
        WebhookNotification json = IamportWebhook.Parse("""{"x":1,"x":2,"imp_uid":"imp_1","merchant_uid":"m","status":"paid"}""", "application/json");

        Assert.That((form.ImpUid, form.MerchantUid, form.Status), Is.EqualTo((json.ImpUid, json.MerchantUid, json.Status)));
    }

    [TestCase("{\"imp_uid\":\"imp_1\",\"merchant_uid\":\"m\",\"status\":\"paid\"<D800>}", "application/json")]
    [TestCase("imp_uid=imp_1&merchant_uid=m&status=paid<DFFF>", "application/x-www-form-urlencoded")]
    [TestCase("imp_uid=imp_1&merchant_uid=m&status=paid<DFFF>", "text/plain; <D800>")]
    public void Parse_RawLoneSurrogate_FormatException(string body, string contentType)
    {
        Assert.That(() => IamportWebhook.Parse(Lone(body), Lone(contentType)), Throws.TypeOf<FormatException>().With.Message.Contains("unpaired UTF-16 surrogate"));
    }

    [Test]
    public void Parse_TooDeepOrTooLarge_FormatException()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => IamportWebhook.Parse("{\"imp_uid\":\"imp_1\",\"merchant_uid\":\"m\",\"status\":\"paid\",\"x\":" + Deep + "}", null), Throws.TypeOf<FormatException>());
            Assert.That(() => IamportWebhook.Parse("imp_uid=imp_1&merchant_uid=m&status=paid&x=" + new string('a', IamportWebhook.MaxLength)), Throws.TypeOf<FormatException>().With.Message.Contains("larger than"));
        }
    }
}
