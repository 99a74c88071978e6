using System;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using static Iamport.Danal.Tests.TestSupport.Api;

namespace Iamport.Danal.Tests.Webhooks;

public class WebhookTests
{
    private static readonly VerifyPaymentRequest Order = new() { MerchantUid = "order_0001", Amount = 9900m, CustomerUid = "cust_0001" };

    [Test]
    public void Parse_JsonAndFormBodies_GiveSameNotification()
    {
        WebhookNotification json = IamportWebhook.Parse(Fixture("webhook.json"), "application/json; charset=utf-8");
        WebhookNotification form = IamportWebhook.Parse(Fixture("webhook.form"), "application/x-www-form-urlencoded");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(json.ImpUid, Is.EqualTo("imp_223456789012"));
            Assert.That(json.MerchantUid, Is.EqualTo("order_0001"));
            Assert.That(json.Status, Is.EqualTo(PaymentStatus.Cancelled));
            Assert.That(json.CancellationId, Is.EqualTo("cncl_0001"));
            Assert.That(form, Is.EqualTo(json).UsingPropertiesComparer());
        }
    }

    [TestCase("webhook.json")]
    [TestCase("webhook.form")]
    public void Parse_NoContentType_TellsFormatFromBody(string fixture)
    {
        WebhookNotification notification = IamportWebhook.Parse(Fixture(fixture), null);

        Assert.That(notification.ImpUid, Is.EqualTo("imp_223456789012"));
    }

    [Test]
    public void Parse_FormWithEncodedValuesAndNoCancellation_DecodesThem()
    {
        WebhookNotification notification = IamportWebhook.Parse("imp_uid=imp_1&merchant_uid=order%2D0001&status=paid&cancellation_id=", "application/x-www-form-urlencoded");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(notification.MerchantUid, Is.EqualTo("order-0001"));
            Assert.That(notification.Status, Is.EqualTo(PaymentStatus.Paid));
            Assert.That(notification.CancellationId, Is.Null);
        }
    }

    [TestCase("{\"imp_uid\":\"imp_1\",", "application/json", "not valid JSON")]
    [TestCase("[\"imp_uid\"]", "application/json", "not an object")]
    [TestCase("{\"merchant_uid\":\"order_0001\",\"status\":\"paid\"}", "application/json", "no imp_uid")]
    [TestCase("{\"imp_uid\":\"imp_1\",\"merchant_uid\":\"\",\"status\":\"paid\"}", null, "no merchant_uid")]
    [TestCase("imp_uid=imp_1&merchant_uid=order_0001", "application/x-www-form-urlencoded", "no status")]
    [TestCase("imp_uid=imp_1&imp_uid=imp_2&merchant_uid=o&status=paid", null, "imp_uid appears more than once")]
    [TestCase("<html>hello</html>", "text/html", "neither a JSON object nor form-urlencoded")]
    [TestCase("", null, "no imp_uid")]
    public void Parse_MalformedBody_ThrowsFormatExceptionSayingWhat(string body, string? contentType, string what)
    {
        Assert.That(() => IamportWebhook.Parse(body, contentType), Throws.InstanceOf<FormatException>().With.Message.Contains(what));
    }

    [Test]
    public async Task VerifyWebhookAsync_RefetchedPaymentMatches_VerifiedUsingOnlyImpUidFromBody()
    {
        using var api = new ApiFixture();
        api.ExpectGet("/payments/imp_223456789012", Fixture("payment-charge.json"));

        // The body claims "cancelled"; only I'mport's re-fetched payment counts.
        VerificationResult result = await api.Client.VerifyWebhookAsync(IamportWebhook.Parse(Fixture("webhook.json"), "application/json"), Order);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsVerified, Is.True, result.ToString());
            Assert.That(result.Payment?.Status, Is.EqualTo(PaymentStatus.Paid));
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [TestCase("amount", "990", VerificationCheck.Amount, "990")]
    [TestCase("status", "\"failed\"", VerificationCheck.Status, "failed")]
    public async Task VerifyWebhookAsync_RefetchedFieldDiffers_NotVerified(string field, string json, VerificationCheck check, string actual)
    {
        using var api = new ApiFixture();
        api.ExpectGet("/payments/imp_223456789012", Tampered("payment-charge.json", p => p[field] = JsonNode.Parse(json)));
        var notification = new WebhookNotification { ImpUid = "imp_223456789012", MerchantUid = "order_0001", Status = PaymentStatus.Paid };

        VerificationResult result = await api.Client.VerifyWebhookAsync(notification, Order);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsVerified, Is.False);
            Assert.That(result.FailedCheck, Is.EqualTo(check));
            Assert.That(result.Actual, Is.EqualTo(actual));
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task VerifyWebhookAsync_ForgedImpUidOfAnotherOrder_NotVerified()
    {
        using var api = new ApiFixture();
        api.ExpectGet("/payments/imp_123456789012", Fixture("payment-issue.json"));
        var forged = new WebhookNotification { ImpUid = "imp_123456789012", MerchantUid = "order_0001", Status = PaymentStatus.Paid };

        VerificationResult result = await api.Client.VerifyWebhookAsync(forged, Order);

        Assert.That(result.FailedCheck, Is.EqualTo(VerificationCheck.MerchantUid));
        api.Mock.VerifyNoOutstandingExpectation();
    }

    [TestCase("52.78.100.19", true)]
    [TestCase("52.78.48.223", true)]
    [TestCase("52.78.5.241", true)]
    [TestCase("::ffff:52.78.5.241", true)]
    [TestCase("52.78.5.242", false)]
    [TestCase("127.0.0.1", false)]
    [TestCase("2001:db8::1", false)]
    public void IsFromIamport_Address_MatchesPublishedSources(string address, bool expected)
    {
        Assert.That(IamportWebhook.IsFromIamport(IPAddress.Parse(address)), Is.EqualTo(expected));
    }
}
