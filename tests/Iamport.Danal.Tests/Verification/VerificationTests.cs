using System;
using System.Collections.Generic;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using static Iamport.Danal.Tests.TestSupport.Api;

namespace Iamport.Danal.Tests.Verification;

public class VerificationTests
{
    private const string IssueImpUid = "imp_123456789012";

    /// <summary>The shop's own record of the first window: key issuance with an immediate 9,900 won charge.</summary>
    private static readonly VerifyPaymentRequest Issuance = new() { MerchantUid = "order_issue_0001", Amount = 9900m, CustomerUid = "cust_0001", IsIssuance = true };

    public static IEnumerable<TestCaseData> TamperedPayments()
    {
        yield return Case("wrong amount", p => p["amount"] = 100, VerificationCheck.Amount, "9900", "100");
        yield return Case("wrong merchant_uid", p => p["merchant_uid"] = "order_cheap_0001", VerificationCheck.MerchantUid, "order_issue_0001", "order_cheap_0001");
        yield return Case("status failed", p => p["status"] = "failed", VerificationCheck.Status, "paid", "failed");
        yield return Case("status ready", p => p["status"] = "ready", VerificationCheck.Status, "paid", "ready");
        yield return Case("status cancelled", p => p["status"] = "cancelled", VerificationCheck.Status, "paid", "cancelled");
        yield return Case("another PG", p => p["pg_provider"] = "kcp", VerificationCheck.PgProvider, "danal_tpay", "kcp");
        yield return Case("no PG", p => p["pg_provider"] = null, VerificationCheck.PgProvider, "danal_tpay", null);
        yield return Case("another customer_uid", p => p["customer_uid"] = "cust_attacker", VerificationCheck.CustomerUid, null, null);
        yield return Case("usage payment", p => p["customer_uid_usage"] = "payment", VerificationCheck.CustomerUidUsage, "issue", "payment");
        yield return Case("usage missing", p => p["customer_uid_usage"] = null, VerificationCheck.CustomerUidUsage, "issue", null);

        static TestCaseData Case(string name, Action<JsonObject> tamper, VerificationCheck check, string? expected, string? actual) =>
            new TestCaseData(tamper, check, expected, actual).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(TamperedPayments))]
    public async Task VerifyPaymentAsync_TamperedPayment_FailsNamedCheck(Action<JsonObject> tamper, VerificationCheck check, string? expected, string? actual)
    {
        using var api = new ApiFixture();
        api.ExpectGet("/payments/" + IssueImpUid, Tampered("payment-issue.json", tamper));

        VerificationResult result = await api.Client.VerifyPaymentAsync(IssueImpUid, Issuance);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsVerified, Is.False);
            Assert.That(result.FailedCheck, Is.EqualTo(check));
            Assert.That(result.Expected, Is.EqualTo(expected));
            Assert.That(result.Actual, Is.EqualTo(actual));
            Assert.That(result.Payment?.ImpUid, Is.EqualTo(IssueImpUid));
            Assert.That(result.ToString(), Does.Contain(check.ToString()).And.Not.Contain("cust_"));
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [TestCase(HttpStatusCode.NotFound)]
    [TestCase(HttpStatusCode.OK)]
    public async Task VerifyPaymentAsync_BillingKeyMissing_FailsBillingKeyCheck(HttpStatusCode status)
    {
        using var api = new ApiFixture();
        api.ExpectGet("/payments/" + IssueImpUid, Fixture("payment-issue.json"));
        api.ExpectGet("/subscribe/customers/cust_0001", Fixture("billing-key-not-found.json"), status);

        VerificationResult result = await api.Client.VerifyPaymentAsync(IssueImpUid, Issuance);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsVerified, Is.False);
            Assert.That(result.FailedCheck, Is.EqualTo(VerificationCheck.BillingKey));
            Assert.That(result.Actual, Is.EqualTo("none"));
            Assert.That(result.BillingKey, Is.Null);
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task VerifyPaymentAsync_BillingKeyOnAnotherPg_FailsBillingKeyCheck()
    {
        using var api = new ApiFixture();
        api.ExpectGet("/payments/" + IssueImpUid, Fixture("payment-issue.json"));
        api.ExpectGet("/subscribe/customers/cust_0001", Tampered("billing-key.json", k => k["pg_provider"] = "nice"));

        VerificationResult result = await api.Client.VerifyPaymentAsync(IssueImpUid, Issuance);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.FailedCheck, Is.EqualTo(VerificationCheck.BillingKey));
            Assert.That(result.Actual, Is.EqualTo("nice"));
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task VerifyPaymentAsync_PaymentMissing_FailsPaymentFoundCheck()
    {
        using var api = new ApiFixture();
        api.ExpectGet("/payments/imp_999999999999", Fixture("payment-not-found.json"), HttpStatusCode.NotFound);

        VerificationResult result = await api.Client.VerifyPaymentAsync("imp_999999999999", Issuance);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.FailedCheck, Is.EqualTo(VerificationCheck.PaymentFound));
            Assert.That(result.Payment, Is.Null);
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task VerifyPaymentAsync_GenuineKeyOnlyIssuanceAmountZero_VerifiedThroughBillingKey()
    {
        using var api = new ApiFixture(includeSandbox: true);
        api.ExpectGet("/payments/imp_123456789013?include_sandbox=true", Fixture("payment-issue-zero.json"));
        api.ExpectGet("/subscribe/customers/cust_0001", Fixture("billing-key.json"));

        VerificationResult result = await api.Client.VerifyPaymentAsync(
            "imp_123456789013", new VerifyPaymentRequest { MerchantUid = "order_issue_0000", Amount = 0m, CustomerUid = "cust_0001", IsIssuance = true });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsVerified, Is.True, result.ToString());
            Assert.That(result.FailedCheck, Is.EqualTo(VerificationCheck.None));
            Assert.That(result.Payment?.Amount, Is.Zero);
            Assert.That(result.BillingKey?.CardName, Is.EqualTo("BC카드"));
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task VerifyPaymentAsync_GenuineIssuanceWithCharge_Verified()
    {
        using var api = new ApiFixture();
        api.ExpectGet("/payments/" + IssueImpUid, Fixture("payment-issue.json"));
        api.ExpectGet("/subscribe/customers/cust_0001", Fixture("billing-key.json"));

        VerificationResult result = await api.Client.VerifyPaymentAsync(IssueImpUid, Issuance);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsVerified, Is.True, result.ToString());
            Assert.That(result.Payment?.Amount, Is.EqualTo(9900m));
            Assert.That(result.BillingKey, Is.Not.Null);
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task VerifyPaymentAsync_OnlyMerchantUid_FindsPaymentByOrder()
    {
        using var api = new ApiFixture();
        api.ExpectGet("/payments/find/order_issue_0001?sorting=-started", Fixture("payment-issue.json"));
        api.ExpectGet("/subscribe/customers/cust_0001", Fixture("billing-key.json"));

        VerificationResult result = await api.Client.VerifyPaymentAsync(Issuance);

        Assert.That(result.IsVerified, Is.True, result.ToString());
        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task VerifyPaymentAsync_GenuineRecurringCharge_VerifiedWithoutKeyLookup()
    {
        using var api = new ApiFixture();
        api.ExpectGet("/payments/imp_223456789012", Fixture("payment-charge.json"));

        VerificationResult result = await api.Client.VerifyPaymentAsync(
            "imp_223456789012", new VerifyPaymentRequest { MerchantUid = "order_0001", Amount = 9900m, CustomerUid = "cust_0001" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsVerified, Is.True, result.ToString());
            Assert.That(result.BillingKey, Is.Null);
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public void VerifyPaymentAsync_IssuanceWithoutCustomerUid_ThrowsBeforeSending()
    {
        using var api = new ApiFixture();

        Assert.That(
            () => api.Client.VerifyPaymentAsync(IssueImpUid, new VerifyPaymentRequest { MerchantUid = "order_issue_0001", Amount = 0m, IsIssuance = true }),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("expected.CustomerUid"));
        Assert.That(api.RequestsSent, Is.Zero);
    }
}
