using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Testing.Tests.Browser;

/// <summary>The endpoint the simulated Danal window posts to, driven the way the fake iamport.js drives it.</summary>
[TestFixture(FakeHost.InProcess)]
[TestFixture(FakeHost.Kestrel)]
public class CheckoutTests(FakeHost host)
{
    private static readonly string[] AnyOrigin = ["*"];

    private static JsonObject Param(decimal amount, string merchantUid = "issue-1", string pg = "danal_tpay") => new()
    {
        ["pg"] = pg,
        ["pay_method"] = "card",
        ["merchant_uid"] = merchantUid,
        ["customer_uid"] = "cust_1",
        ["name"] = "</script><script>alert(1)</script>",
        ["amount"] = amount,
        ["buyer_tel"] = "010-1234-5678",
        ["custom_data"] = new JsonObject { ["plan"] = "basic" },
    };

    private static async Task<(HttpResponseMessage Response, JsonNode Rsp)> CompleteAsync(FakeHarness h, JsonObject param, string card = TestCards.Approve, string action = "approve", string? tier = null)
    {
        var body = new JsonObject { ["action"] = action, ["merchant_code"] = "imp00000000", ["tier"] = tier, ["card_number"] = card, ["mobile"] = false, ["param"] = param };
        var response = await h.Client.PostAsync("fake-danal/complete", new StringContent(body.ToJsonString(), Encoding.UTF8, "text/plain"));
        return (response, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Test]
    public async Task Complete_AmountZero_IssuesKeyRecordsZeroPaymentAndNotifies()
    {
        await using var h = new FakeHarness(host);

        var (response, rsp) = await CompleteAsync(h, Param(0));
        using var _ = response;
        await h.GetTokenAsync();
        var (_, payment) = await h.GetAsync("payments/" + (string)rsp["imp_uid"]!);
        var (_, customer) = await h.GetAsync("subscribe/customers/cust_1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rsp.AsObject().ContainsKey("success") || rsp.AsObject().ContainsKey("imp_success"), Is.False, "the current v1/iamport.js shape");
            Assert.That(rsp["error_code"], Is.Null);
            Assert.That((string)rsp["customer_uid"]!, Is.EqualTo("cust_1"));
            Assert.That((decimal)rsp["paid_amount"]!, Is.Zero);
            Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(AnyOrigin));
            Assert.That((decimal)payment!["response"]!["amount"]!, Is.Zero);
            Assert.That((string)payment["response"]!["status"]!, Is.EqualTo("paid"));
            Assert.That((string)payment["response"]!["customer_uid_usage"]!, Is.EqualTo("issue"));
            Assert.That((string)payment["response"]!["pg_provider"]!, Is.EqualTo("danal_tpay"));
            Assert.That((string)payment["response"]!["custom_data"]!, Is.EqualTo("""{"plan":"basic"}"""));
            Assert.That((string)customer!["response"]!["customer_tel"]!, Is.EqualTo("010-1234-5678"));
            Assert.That(h.Fake.Webhooks, Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task Complete_AmountPositive_IssuesAndCharges()
    {
        await using var h = new FakeHarness(host);

        var (response, rsp) = await CompleteAsync(h, Param(9900));
        using var _ = response;

        using (Assert.EnterMultipleScope())
        {
            Assert.That((decimal)rsp["paid_amount"]!, Is.EqualTo(9900m));
            Assert.That(h.Fake.HasBillingKey("cust_1"), Is.True);
            Assert.That(h.Fake.Payments[0].CustomerUidUsage, Is.EqualTo("issue"));
        }
    }

    [Test]
    public async Task Complete_DecliningCardWithFirstCharge_FailsWithoutKeyOrWebhook()
    {
        await using var h = new FakeHarness(host);

        var (response, rsp) = await CompleteAsync(h, Param(9900), TestCards.LimitExceeded);
        using var _ = response;

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)rsp["error_code"]!, Is.Not.Empty);
            Assert.That((string)rsp["error_msg"]!, Is.EqualTo("한도초과"));
            Assert.That((string)rsp["imp_uid"]!, Does.StartWith("imp_"));
            Assert.That(h.Fake.HasBillingKey("cust_1"), Is.False);
            Assert.That(h.Fake.Webhooks, Is.Empty);
        }
    }

    [TestCase(TestCards.FailIssuance, "approve")]
    [TestCase(TestCards.Approve, "fail")]
    public async Task Complete_IssuanceFails_ErrorRspAndNoKey(string card, string action)
    {
        await using var h = new FakeHarness(host);

        var (response, rsp) = await CompleteAsync(h, Param(0), card, action);
        using var _ = response;

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)rsp["error_code"]!, Is.Not.Empty);
            Assert.That((string)rsp["error_msg"]!, Is.EqualTo(TestCards.IssuanceFailedReason));
            Assert.That(h.Fake.HasBillingKey("cust_1"), Is.False);
        }
    }

    [Test]
    public async Task Complete_Closed_LeavesFailedPaymentWithImpUid()
    {
        await using var h = new FakeHarness(host);

        var (response, rsp) = await CompleteAsync(h, Param(0), action: "close");
        using var _ = response;
        await h.GetTokenAsync();
        var (_, payment) = await h.GetAsync("payments/" + (string?)rsp["imp_uid"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)rsp["error_code"]!, Is.EqualTo("F400"), "a user cancel is not F1002 (an already-paid merchant_uid)");
            Assert.That((string)rsp["error_msg"]!, Is.EqualTo("사용자가 결제를 취소하셨습니다"));
            Assert.That((string)rsp["merchant_uid"]!, Is.EqualTo("issue-1"));
            Assert.That((string?)payment?["response"]?["status"], Is.EqualTo("failed"));
            Assert.That((string?)payment?["response"]?["fail_reason"], Is.EqualTo("사용자가 결제를 취소하셨습니다"));
            Assert.That(h.Fake.HasBillingKey("cust_1"), Is.False);
            Assert.That(h.Fake.Webhooks, Is.Empty);
            Assert.That(h.Fake.PaidChargeCount("issue-1"), Is.Zero);
            Assert.That(h.Fake.ChargeAttemptCount("issue-1"), Is.EqualTo(1));
        }
    }

    [TestCase(0)]
    [TestCase(9900)]
    public async Task Complete_PaidMerchantUidReused_F1002WithoutImpUidOrNewPayment(decimal amount)
    {
        await using var h = new FakeHarness(host);
        var (r1, paid) = await CompleteAsync(h, Param(amount));
        var webhooks = h.Fake.Webhooks.Count;

        var (r2, reused) = await CompleteAsync(h, Param(amount));
        var (r3, closedThenReused) = await CompleteAsync(h, Param(amount), action: "close");
        using var _ = r1;
        using var __ = r2;
        using var ___ = r3;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(paid["error_code"], Is.Null);
            foreach (var rsp in new[] { reused, closedThenReused })
            {
                Assert.That((string)rsp["error_code"]!, Is.EqualTo("F1002"));
                Assert.That((string)rsp["error_msg"]!, Is.EqualTo("이미 결제가 이루어진 거래건입니다."));
                Assert.That(rsp["imp_uid"], Is.Null, "refused before any payment was made");
                Assert.That((string)rsp["merchant_uid"]!, Is.EqualTo("issue-1"));
            }

            Assert.That(h.Fake.ChargeAttemptCount("issue-1"), Is.EqualTo(1));
            Assert.That(h.Fake.PaidChargeCount("issue-1"), Is.EqualTo(1));
            Assert.That(h.Fake.Webhooks, Has.Count.EqualTo(webhooks));
        }
    }

    [Test]
    public async Task Complete_FailedOrClosedMerchantUid_CanBePaidAfterwards()
    {
        await using var h = new FakeHarness(host);

        var (r1, closed) = await CompleteAsync(h, Param(0), action: "close");
        var (r2, failed) = await CompleteAsync(h, Param(0), action: "fail");
        var (r3, paid) = await CompleteAsync(h, Param(0));
        using var _ = r1;
        using var __ = r2;
        using var ___ = r3;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(new[] { (string?)closed["error_code"], (string?)failed["error_code"] }, Is.All.EqualTo("F400"));
            Assert.That(paid["error_code"], Is.Null);
            Assert.That(string.Join(",", h.Fake.GetPayments("issue-1").Select(p => p.Status).Order()), Is.EqualTo("failed,failed,paid"));
        }
    }

    [TestCase("001")]
    [TestCase(null)]
    public async Task Complete_Tier_RecordedOnPayment(string? tier)
    {
        await using var h = new FakeHarness(host);

        var (response, rsp) = await CompleteAsync(h, Param(0), tier: tier);
        using var _ = response;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rsp["error_code"], Is.Null);
            Assert.That(h.Fake.Payments.Single().Tier, Is.EqualTo(tier));
        }
    }

    [Test]
    public async Task Complete_SeveralNoticeUrls_WebhookToEachInsteadOfTheConsoles()
    {
        await using var h = new FakeHarness(host);
        var param = Param(0);
        param["notice_url"] = new JsonArray("http://shop.test/hook-a", "http://shop.test/hook-b");
        var single = Param(0, merchantUid: "issue-2");
        single["notice_url"] = "http://shop.test/hook-c";

        var (r1, _) = await CompleteAsync(h, param);
        var (r2, _) = await CompleteAsync(h, single);
        using var __ = r1;
        using var ___ = r2;
        await h.Fake.WhenWebhooksSentAsync();

        Assert.That(
            string.Join(", ", h.Fake.Webhooks.Select(w => w.MerchantUid + " " + w.Url.AbsoluteUri).Order()),
            Is.EqualTo("issue-1 http://shop.test/hook-a, issue-1 http://shop.test/hook-b, issue-2 http://shop.test/hook-c"));
    }

    [Test]
    public async Task Complete_Left_LeavesReadyPaymentAndTheMerchantUidStaysUsable()
    {
        await using var h = new FakeHarness(host);

        var (r1, left) = await CompleteAsync(h, Param(0), action: "leave");
        var (r2, approved) = await CompleteAsync(h, Param(0));
        using var _ = r1;
        using var __ = r2;

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)left["status"]!, Is.EqualTo("ready"));
            Assert.That(string.Join(",", h.Fake.GetPayments("issue-1").Select(p => p.Status)), Is.EqualTo("ready,paid"));
            Assert.That(approved["error_code"], Is.Null);
            Assert.That(h.Fake.PaidChargeCount("issue-1"), Is.EqualTo(1));
            Assert.That(h.Fake.ChargeAttemptCount("issue-1"), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Complete_LegacyCallback_SuccessFlagsLeadTheRsp()
    {
        await using var h = new FakeHarness(host, o => o.LegacyCallback = true);

        var (r1, approved) = await CompleteAsync(h, Param(0));
        var (r2, closed) = await CompleteAsync(h, Param(0, merchantUid: "issue-2"), action: "close");
        using var _ = r1;
        using var __ = r2;

        using (Assert.EnterMultipleScope())
        {
            Assert.That((bool)approved["success"]!, Is.True);
            Assert.That((bool)approved["imp_success"]!, Is.True);
            Assert.That((bool)closed["success"]!, Is.False);
            Assert.That((bool)closed["imp_success"]!, Is.False);
            Assert.That((string)closed["imp_uid"]!, Does.StartWith("imp_"));
        }
    }

    [TestCase("kcp")]
    [TestCase("danal")]
    [TestCase("danal_tpay.")]
    public async Task Complete_NotDanalTpay_Refused(string pg)
    {
        await using var h = new FakeHarness(host);

        var (response, rsp) = await CompleteAsync(h, Param(0, pg: pg));
        using var _ = response;

        Assert.That((string)rsp["error_code"]!, Is.EqualTo("F400"));
    }

    [Test]
    public async Task Complete_ChannelKeyInsteadOfPg_AcceptedButNotBoth()
    {
        await using var h = new FakeHarness(host);
        var withChannelKey = Param(0);
        withChannelKey.Remove("pg");
        withChannelKey["channelKey"] = "channel-key-danal";
        var both = Param(0, merchantUid: "issue-2");
        both["channelKey"] = "channel-key-danal";

        var (r1, accepted) = await CompleteAsync(h, withChannelKey);
        var (r2, refused) = await CompleteAsync(h, both);
        using var _ = r1;
        using var __ = r2;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(accepted["error_code"], Is.Null);
            Assert.That((string)refused["error_code"]!, Is.EqualTo("F400"));
        }
    }

    [Test]
    public async Task Complete_PreparedAmountDiffers_Refused()
    {
        await using var h = new FakeHarness(host);
        await h.GetTokenAsync();
        await h.PostAsync("payments/prepare", new { merchant_uid = "issue-1", amount = 1000 });

        var (response, rsp) = await CompleteAsync(h, Param(900));
        using var _ = response;

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)rsp["error_code"]!, Is.EqualTo("F400"));
            Assert.That(h.Fake.Payments, Is.Empty);
        }
    }

    [Test]
    public async Task Complete_ScriptInName_EscapedInRsp()
    {
        await using var h = new FakeHarness(host);
        var body = new JsonObject { ["action"] = "approve", ["card_number"] = TestCards.Approve, ["param"] = Param(0) };

        using var response = await h.Client.PostAsync("fake-danal/complete", new StringContent(body.ToJsonString(), Encoding.UTF8, "text/plain"));
        var text = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Not.Contain("</script>").And.Not.Contain("<script>"));
            Assert.That((string)JsonNode.Parse(text)!["name"]!, Is.EqualTo("</script><script>alert(1)</script>"));
        }
    }

    [Test]
    public async Task IamportJs_ServedAsJavaScriptWithEscapedCardList()
    {
        await using var h = new FakeHarness(host);

        using var response = await h.Client.GetAsync("v1/iamport.js");
        var script = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/javascript"));
            Assert.That(script, Does.Contain("request_pay").And.Contain("fake-danal-approve").And.Contain(TestCards.LimitExceeded));
            Assert.That(script, Does.Not.Contain("/*CARDS*/").And.Not.Contain("/*LEGACY*/").And.Not.Contain("/*TEST_CHARGE*/"));
            Assert.That(script, Does.Contain("var legacy = false;").And.Contain("fake-danal-test-charge"));
            Assert.That(System.Text.RegularExpressions.Regex.Unescape(script), Does.Contain("10원을 결제하고 약 30분 뒤 취소합니다"));
            Assert.That(script, Does.Not.Contain("innerHTML"));
        }
    }

    [Test]
    public async Task Preflight_FakeDanalEndpoint_AllowsAnyOrigin()
    {
        await using var h = new FakeHarness(host);

        using var request = new HttpRequestMessage(HttpMethod.Options, "fake-danal/complete");
        request.Headers.Add("Origin", "http://127.0.0.1:5001");
        using var response = await h.Client.SendAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(AnyOrigin));
        }
    }
}
