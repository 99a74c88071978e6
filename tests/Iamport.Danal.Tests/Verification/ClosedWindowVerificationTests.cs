using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Iamport.Danal.Tests.Verification;

/// <summary>What a closed or abandoned Danal window leaves, judged by the library's verification over the fake wired in with <c>UseFakeIamport</c>.</summary>
public class ClosedWindowVerificationTests
{
    private static async Task<JsonNode> WindowAsync(FakeIamport fake, string action, string merchantUid)
    {
        using var http = new HttpClient(fake.CreateHandler()) { BaseAddress = new System.Uri("http://fake.test/") };
        var param = new JsonObject
        {
            ["pg"] = "danal_tpay", ["pay_method"] = "card", ["merchant_uid"] = merchantUid, ["customer_uid"] = "cust_1",
            ["name"] = "빌링키 발급", ["amount"] = 0, ["buyer_tel"] = "010-1234-5678",
        };
        var body = new JsonObject { ["action"] = action, ["card_number"] = TestCards.Approve, ["param"] = param };
        using var response = await http.PostAsync("fake-danal/complete", new StringContent(body.ToJsonString(), Encoding.UTF8, "text/plain"));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static ServiceProvider Provider(FakeIamport fake)
    {
        var services = new ServiceCollection();
        services.AddIamport(o =>
        {
            o.ImpKey = fake.Options.ImpKey;
            o.ImpSecret = fake.Options.ImpSecret;
            o.MerchantCode = "imp00000000";
        }).UseFakeIamport(fake);
        return services.BuildServiceProvider();
    }

    [TestCase("close", "failed")]
    [TestCase("leave", "ready")]
    public async Task VerifyPayment_WindowClosedOrLeft_RejectedOnStatus(string action, string status)
    {
        await using var fake = new FakeIamport();
        await using ServiceProvider provider = Provider(fake);
        var client = provider.GetRequiredService<IIamportClient>();

        var rsp = await WindowAsync(fake, action, "issue-1");
        var result = await client.VerifyPaymentAsync((string)rsp["imp_uid"]!, new VerifyPaymentRequest { MerchantUid = "issue-1", Amount = 0, CustomerUid = "cust_1", IsIssuance = true });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsVerified, Is.False);
            Assert.That(result.FailedCheck, Is.EqualTo(VerificationCheck.Status));
            Assert.That(result.Payment?.Status.Value, Is.EqualTo(status));
            Assert.That(fake.HasBillingKey("cust_1"), Is.False);
        }
    }

    [Test]
    public async Task VerifyPayment_WindowApproved_Verified()
    {
        await using var fake = new FakeIamport();
        await using ServiceProvider provider = Provider(fake);
        var client = provider.GetRequiredService<IIamportClient>();

        var rsp = await WindowAsync(fake, "approve", "issue-1");
        var result = await client.VerifyPaymentAsync((string)rsp["imp_uid"]!, new VerifyPaymentRequest { MerchantUid = "issue-1", Amount = 0, CustomerUid = "cust_1", IsIssuance = true });

        Assert.That(result.IsVerified, Is.True, result.ToString());
    }
}
