using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Iamport.Danal.Tests.EndToEnd;

/// <summary>A billing key's whole life through the real client (from DI) and real loopback HTTP to the fake on Kestrel.</summary>
public class LoopbackLifecycleTests
{
    private const string Key = "e2e_key";
    private const string Secret = "e2e_secret";
    private const string CustomerUid = "cust_e2e_1";

    private static readonly string[] ApprovedOrders = ["e2e-charge-1", "e2e-charge-2", "e2e-charge-3"];

    [Test]
    public async Task BillingKeyLifecycle_OverLoopback_EveryStepEndsAsTheReferenceSays()
    {
        await using var fake = new FakeIamport(new FakeIamportOptions { ImpKey = Key, ImpSecret = Secret });
        Uri baseAddress = await fake.StartAsync(0);
        var services = new ServiceCollection();
        services.AddIamport(o =>
        {
            o.BaseAddress = baseAddress;
            o.ImpKey = Key;
            o.ImpSecret = Secret;
        });
        await using ServiceProvider provider = services.BuildServiceProvider();
        IIamportClient client = provider.GetRequiredService<IIamportClient>();

        // The buyer approves the simulated Danal window with amount 0: key issued, no charge.
        JsonNode rsp = await CompleteWindowAsync(baseAddress, "e2e-issue-1");
        VerificationResult issuance = await client.VerifyPaymentAsync((string)rsp["imp_uid"]!, new VerifyPaymentRequest
        {
            MerchantUid = "e2e-issue-1",
            Amount = 0,
            CustomerUid = CustomerUid,
            IsIssuance = true,
        });

        ChargeResult[] charges =
        [
            await client.ChargeBillingKeyAsync(Charge("e2e-charge-1")),
            await client.ChargeBillingKeyAsync(Charge("e2e-charge-2")),
            await client.ChargeBillingKeyAsync(Charge("e2e-charge-3")),
        ];
        fake.DeclineNext(CustomerUid, TestCards.SuspendedReason);
        ChargeResult declined = await client.ChargeBillingKeyAsync(Charge("e2e-charge-4"));

        Payment refunded = await client.CancelPaymentAsync(CancelPaymentRequest.Partial(charges[0].Payment!, 3000m, "부분 환불"));

        var deleted = await client.DeleteBillingKeyAsync(CustomerUid, "해지");
        var keyAfterDelete = await client.GetBillingKeyAsync(CustomerUid);
        var afterDelete = Assert.ThrowsAsync<IamportException>(() => client.ChargeBillingKeyAsync(Charge("e2e-charge-5")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rsp["error_code"], Is.Null);
            Assert.That(issuance.IsVerified, Is.True, issuance.ToString());
            Assert.That(issuance.Payment!.Amount, Is.Zero);
            Assert.That(issuance.Payment.CustomerUidUsage, Is.EqualTo(CustomerUidUsage.Issue));
            Assert.That(issuance.BillingKey!.CustomerUid, Is.EqualTo(CustomerUid));

            Assert.That(charges.Select(c => c.Outcome), Is.All.EqualTo(ChargeOutcome.Approved));
            Assert.That(charges.Select(c => c.IsReconciled), Is.All.False);
            Assert.That(declined.Outcome, Is.EqualTo(ChargeOutcome.Declined));
            Assert.That(declined.FailReason, Is.EqualTo(TestCards.SuspendedReason));

            Assert.That(refunded.CancelAmount, Is.EqualTo(3000m));
            Assert.That(refunded.RefundableAmount, Is.EqualTo(6900m));
            Assert.That(refunded.Status, Is.EqualTo(PaymentStatus.Paid), "a partial refund leaves the payment paid");
            Assert.That(refunded.CancelHistory, Has.Count.EqualTo(1));

            Assert.That(deleted.CustomerUid, Is.EqualTo(CustomerUid));
            Assert.That(keyAfterDelete, Is.Null);
            Assert.That(afterDelete, Is.Not.InstanceOf<IamportOutcomeUnknownException>());
            Assert.That(afterDelete!.Code, Is.Not.Null.And.Not.EqualTo(0), "again with an unknown customer_uid is refused with code != 0");

            // What the fake recorded: one charge per approved merchant_uid, none for the decline or after deletion.
            Assert.That(fake.HasBillingKey(CustomerUid), Is.False);
            Assert.That(ApprovedOrders.Select(fake.PaidChargeCount), Is.All.EqualTo(1));
            Assert.That(fake.PaidChargeCount("e2e-charge-4"), Is.Zero);
            Assert.That(fake.GetPayments("e2e-charge-4").Single().Status, Is.EqualTo("failed"));
            Assert.That(fake.GetPayments("e2e-charge-5"), Is.Empty);
            Assert.That(fake.GetPayments("e2e-charge-1").Single().CancelAmount, Is.EqualTo(3000m));
            Assert.That(fake.Payments.Select(p => (p.MerchantUid, p.CustomerUidUsage, p.Amount, p.Status)), Is.EqualTo(new[]
            {
                ("e2e-issue-1", (string?)"issue", 0m, "paid"),
                ("e2e-charge-1", "payment", 9900m, "paid"),
                ("e2e-charge-2", "payment", 9900m, "paid"),
                ("e2e-charge-3", "payment", 9900m, "paid"),
                ("e2e-charge-4", "payment", 9900m, "failed"),
            }));
            Assert.That(fake.RequestCount(FakeRoutes.Again), Is.EqualTo(5), "no charge was sent twice");
        }
    }

    private static ChargeRequest Charge(string merchantUid) => new()
    {
        CustomerUid = CustomerUid,
        MerchantUid = merchantUid,
        Amount = 9900m,
        Name = "월간 구독",
    };

    /// <summary>Posts what the simulated Danal window posts when the buyer approves (the fake's README documents it).</summary>
    private static async Task<JsonNode> CompleteWindowAsync(Uri baseAddress, string merchantUid)
    {
        var window = new JsonObject
        {
            ["action"] = "approve",
            ["card_number"] = TestCards.Approve,
            ["mobile"] = false,
            ["param"] = new JsonObject
            {
                ["pg"] = "danal_tpay",
                ["pay_method"] = "card",
                ["merchant_uid"] = merchantUid,
                ["customer_uid"] = CustomerUid,
                ["name"] = "빌링키 발급",
                ["amount"] = 0,
                ["buyer_tel"] = "010-1234-5678",
            },
        };
        using var browser = new HttpClient();
        using var content = new StringContent(window.ToJsonString(), Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await browser.PostAsync(new Uri(baseAddress, "fake-danal/complete"), content);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
