using System;
using System.Collections.Generic;
using System.Text;
using Iamport.Danal.Checkout;

namespace Iamport.Danal.Tests.Checkout;

public class UntrustedPaymentHintTests
{
    [Test]
    public void FromCallbackJson_ScriptBody_Success()
    {
        UntrustedPaymentHint hint = UntrustedPaymentHint.FromCallbackJson("""{"imp_uid":"imp_123456789012","merchant_uid":"order_1"}""");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(hint.ImpUid, Is.EqualTo("imp_123456789012"));
            Assert.That(hint.MerchantUid, Is.EqualTo("order_1"));
            Assert.That(hint.IsSuccess, Is.Null);
            Assert.That(hint.IsFailure, Is.False);
        }
    }

    [Test]
    public void FromCallbackJson_WholeRspAsUtf8_ReadsHintAndSkipsTheRest()
    {
        byte[] body = Encoding.UTF8.GetBytes("""
            {"success":true,"imp_uid":"imp_1","pay_method":"card","merchant_uid":"m_1","paid_amount":0,
             "custom_data":{"plan":["a",{"b":null}]},"status":"paid","error_code":null,"error_msg":""}
            """);

        UntrustedPaymentHint hint = UntrustedPaymentHint.FromCallbackJson(body);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(hint.ImpUid, Is.EqualTo("imp_1"));
            Assert.That(hint.IsSuccess, Is.True);
            Assert.That(hint.ErrorCode, Is.Null);
            Assert.That(hint.ErrorMessage, Is.Null);
            Assert.That(hint.IsFailure, Is.False);
        }
    }

    [Test]
    public void FromCallbackJson_ErrorCodeWithoutImpUid_Failure()
    {
        UntrustedPaymentHint hint = UntrustedPaymentHint.FromCallbackJson(
            """{"imp_uid":null,"merchant_uid":"m_1","error_code":"F400","error_msg":"사용자가 결제를 취소하셨습니다"}""");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(hint.ImpUid, Is.Null);
            Assert.That(hint.ErrorCode, Is.EqualTo("F400"));
            Assert.That(hint.ErrorMessage, Is.EqualTo("사용자가 결제를 취소하셨습니다"));
            Assert.That(hint.IsFailure, Is.True);
        }
    }

    [TestCase("""{"merchant_uid":"m","success":false}""", false, true)]
    [TestCase("""{"merchant_uid":"m","success":"false"}""", false, true)]
    [TestCase("""{"merchant_uid":"m","imp_success":false}""", false, true)]
    [TestCase("""{"merchant_uid":"m","imp_success":"true"}""", true, false)]
    [TestCase("""{"merchant_uid":"m","imp_success":true,"success":false}""", false, true)]
    [TestCase("""{"merchant_uid":"m","imp_success":false,"success":true}""", false, true)]
    [TestCase("""{"merchant_uid":"m","imp_success":true,"error_code":"F1"}""", true, true)]
    public void FromCallbackJson_LegacySuccessOrImpSuccess_EitherFalseIsFailure(string json, bool success, bool failure)
    {
        UntrustedPaymentHint hint = UntrustedPaymentHint.FromCallbackJson(json);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(hint.IsSuccess, Is.EqualTo(success));
            Assert.That(hint.IsFailure, Is.EqualTo(failure));
        }
    }

    [Test]
    public void FromRedirectQuery_ShopQueryKept_ReadsIamportFields()
    {
        UntrustedPaymentHint hint = UntrustedPaymentHint.FromRedirectQuery(
            "https://shop.example/done?order=42&imp_uid=imp_9&merchant_uid=m_9&imp_success=false&error_code=F400&error_msg=%EA%B2%B0%EC%A0%9C+%EC%B7%A8%EC%86%8C#top");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(hint.ImpUid, Is.EqualTo("imp_9"));
            Assert.That(hint.MerchantUid, Is.EqualTo("m_9"));
            Assert.That(hint.IsSuccess, Is.False);
            Assert.That(hint.ErrorCode, Is.EqualTo("F400"));
            Assert.That(hint.ErrorMessage, Is.EqualTo("결제 취소"));
            Assert.That(hint.IsFailure, Is.True);
        }
    }

    [Test]
    public void FromRedirectQuery_LegacySuccessNoImpUid_Success()
    {
        UntrustedPaymentHint hint = UntrustedPaymentHint.FromRedirectQuery("?merchant_uid=m_1&success=true");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(hint.ImpUid, Is.Null);
            Assert.That(hint.IsSuccess, Is.True);
            Assert.That(hint.IsFailure, Is.False);
        }
    }

    [Test]
    public void FromRedirectQuery_DecodedPairs_Success()
    {
        UntrustedPaymentHint hint = UntrustedPaymentHint.FromRedirectQuery(new Dictionary<string, string>
        {
            ["imp_uid"] = "imp_1",
            ["merchant_uid"] = "m_1",
            ["imp_success"] = "true",
            ["order"] = "</script>",
        });

        Assert.That(hint.IsFailure, Is.False);
    }

    [Test]
    public void AppendToRedirectUrl_ExistingQuery_KeptAndRoundTrips()
    {
        Uri url = UntrustedPaymentHint.AppendToRedirectUrl(
            new Uri("https://shop.example/checkout/return?order=42&lang=ko"), null, "m_1", success: false, "F400", "결제 취소 & 종료");

        UntrustedPaymentHint hint = UntrustedPaymentHint.FromRedirectQuery(url.Query);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(url.Query, Does.StartWith("?order=42&lang=ko&merchant_uid=m_1&imp_success=false&error_code=F400&error_msg="));
            Assert.That(url.GetLeftPart(UriPartial.Path), Is.EqualTo("https://shop.example/checkout/return"));
            Assert.That(hint.ImpUid, Is.Null);
            Assert.That(hint.MerchantUid, Is.EqualTo("m_1"));
            Assert.That(hint.ErrorMessage, Is.EqualTo("결제 취소 & 종료"));
            Assert.That(hint.IsFailure, Is.True);
        }
    }

    [TestCase("", "not valid JSON")]
    [TestCase("not json", "not valid JSON")]
    [TestCase("[1,2]", "must be a JSON object")]
    [TestCase("\"imp_1\"", "must be a JSON object")]
    [TestCase("""{"merchant_uid":"m_1" """, "not valid JSON")]
    [TestCase("""{"merchant_uid":"m_1"} {}""", "not valid JSON")]
    [TestCase("{}", "no merchant_uid")]
    [TestCase("""{"merchant_uid":{"id":1}}""", "no merchant_uid")]
    [TestCase("""{"merchant_uid":"../../payments/cancel"}""", "merchant_uid must be")]
    [TestCase("""{"merchant_uid":"m","imp_uid":"imp 1"}""", "imp_uid must be")]
    [TestCase("""{"merchant_uid":"m","imp_success":"maybe"}""", "imp_success must be true or false")]
    [TestCase("""{"merchant_uid":"m","success":1}""", "success must be true or false")]
    [TestCase("""{"merchant_uid":"a","merchant_uid":"b"}""", "appears more than once")]
    public void FromCallbackJson_Garbage_ThrowsFormatExceptionSayingWhy(string json, string reason)
    {
        Assert.That(() => UntrustedPaymentHint.FromCallbackJson(json), Throws.TypeOf<FormatException>().With.Message.Contains(reason));
    }

    [TestCase("", "no merchant_uid")]
    [TestCase("?imp_uid=imp_1", "no merchant_uid")]
    [TestCase("merchant_uid=%ZZ", "merchant_uid must be")]
    [TestCase("merchant_uid=a&merchant_uid=b", "appears more than once")]
    [TestCase("merchant_uid=a&imp_success=yes", "imp_success must be true or false")]
    public void FromRedirectQuery_Garbage_ThrowsFormatExceptionSayingWhy(string query, string reason)
    {
        Assert.That(() => UntrustedPaymentHint.FromRedirectQuery(query), Throws.TypeOf<FormatException>().With.Message.Contains(reason));
    }

    [Test]
    public void FromCallbackJson_Null_ThrowsArgumentNull()
    {
        Assert.That(() => UntrustedPaymentHint.FromCallbackJson((string)null!), Throws.ArgumentNullException);
    }
}
