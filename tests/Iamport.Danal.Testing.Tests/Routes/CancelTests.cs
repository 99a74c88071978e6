using System.Linq;
using System.Net;
using System.Threading.Tasks;

namespace Iamport.Danal.Testing.Tests.Routes;

[TestFixture(FakeHost.InProcess)]
[TestFixture(FakeHost.Kestrel)]
public class CancelTests(FakeHost host)
{
    private static readonly decimal[] PartialAmounts = [3000m, 7000m];

    private async Task<(FakeHarness H, string ImpUid)> PaidAsync(decimal amount = 10000)
    {
        var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();
        var json = await h.AgainAsync("cust_1", "order-1", amount);
        return (h, (string)json["response"]!["imp_uid"]!);
    }

    [Test]
    public async Task Cancel_PartialTwice_AccumulatesThenFullyCancelled()
    {
        var (h, impUid) = await PaidAsync();
        await using var _ = h;

        var (_, first) = await h.PostAsync("payments/cancel", new { imp_uid = impUid, amount = 3000, checksum = 10000, reason = "부분환불" });
        var (_, second) = await h.PostAsync("payments/cancel", new { merchant_uid = "order-1", amount = 7000, checksum = 7000 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)first!["response"]!["status"]!, Is.EqualTo("paid"));
            Assert.That((decimal)first["response"]!["cancel_amount"]!, Is.EqualTo(3000m));
            Assert.That((string)second!["response"]!["status"]!, Is.EqualTo("cancelled"));
            Assert.That((decimal)second["response"]!["cancel_amount"]!, Is.EqualTo(10000m));
            Assert.That((long)second["response"]!["cancelled_at"]!, Is.Not.Zero);
            var history = second["response"]!["cancel_history"]!.AsArray();
            Assert.That(history.Select(c => (decimal)c!["amount"]!), Is.EqualTo(PartialAmounts));
            Assert.That(history.Select(c => (string)c!["cancellation_id"]!), Is.Unique.And.All.Not.Empty);
            Assert.That(second["response"]!["cancel_receipt_urls"]!.AsArray(), Has.Count.EqualTo(2));
        }
    }

    [Test]
    public async Task Cancel_WrongChecksum_Code1AndNothingRefunded()
    {
        var (h, impUid) = await PaidAsync();
        await using var _ = h;

        var (status, json) = await h.PostAsync("payments/cancel", new { imp_uid = impUid, amount = 1000, checksum = 9000 });
        var (_, after) = await h.GetAsync("payments/" + impUid);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((int)json!["code"]!, Is.EqualTo(1));
            Assert.That(json["response"], Is.Null);
            Assert.That((decimal)after!["response"]!["cancel_amount"]!, Is.Zero);
        }
    }

    [Test]
    public async Task Cancel_OmittedAmount_FullRefund()
    {
        var (h, impUid) = await PaidAsync();
        await using var _ = h;

        var (_, json) = await h.PostAsync("payments/cancel", new { imp_uid = impUid });

        Assert.That((string)json!["response"]!["status"]!, Is.EqualTo("cancelled"));
    }

    [Test]
    public async Task Cancel_NothingToCancel_Code1KoreanMessage()
    {
        await using var h = new FakeHarness(host);
        await h.GetTokenAsync();

        var (status, json) = await h.PostAsync("payments/cancel", new { merchant_uid = "nope" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((int)json!["code"]!, Is.EqualTo(1));
            Assert.That((string)json["message"]!, Is.EqualTo("취소할 결제건이 존재하지 않습니다."));
        }
    }

    [Test]
    public async Task Cancel_ImpUidWinsOverMerchantUid()
    {
        var (h, impUid) = await PaidAsync();
        await using var _ = h;

        var (_, json) = await h.PostAsync("payments/cancel", new { imp_uid = impUid, merchant_uid = "other-order", amount = 100 });

        Assert.That((string)json!["response"]!["merchant_uid"]!, Is.EqualTo("order-1"));
    }

    [Test]
    public async Task Cancel_EnableWebhook_SendsCancellationId()
    {
        var (h, impUid) = await PaidAsync();
        await using var _ = h;

        await h.PostAsync("payments/cancel", new { imp_uid = impUid, amount = 1000 });
        var (_, json) = await h.PostAsync("payments/cancel", new { imp_uid = impUid, amount = 1000, enable_webhook = true });

        var sent = h.Fake.Webhooks;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent, Has.Count.EqualTo(2), "approval + the one cancel with enable_webhook");
            Assert.That(sent[1].CancellationId, Is.EqualTo((string)json!["response"]!["cancel_history"]![1]!["cancellation_id"]!));
            Assert.That(h.Receiver.Received[1].Body, Does.Contain("\"cancellation_id\""));
        }
    }
}
