using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;

namespace Iamport.Danal.Tests.Honesty;

/// <summary>Replies nobody here wrote: every one of them ends in a result or an <see cref="IamportException"/>, never in
/// another exception, and a charge whose reply is not a usable answer is looked up instead of reported.</summary>
public class HostileReplyTests
{
    private const int Cap = 64 * 1024;

    private static string Paid(string from, string to)
    {
        string body = Api.Fixture("again-paid.json");
        Assert.That(body, Does.Contain(from), "the fixture changed");
        return body.Replace(from, to, StringComparison.Ordinal);
    }

    private static IEnumerable<TestCaseData> UnusableReplies()
    {
        static TestCaseData Case(string name, string body) => new TestCaseData(body).SetName("ChargeBillingKeyAsync_" + name + "_LooksUpAndReportsWhatTheLookUpSays");
        yield return Case("PaidAtBeyondYear9999", Paid("\"paid_at\": 1764201600", "\"paid_at\": 99999999999999"));
        yield return Case("PaidAt1e300", Paid("\"paid_at\": 1764201600", "\"paid_at\": 1e300"));
        yield return Case("PaidAtOutOfRangeString", Paid("\"paid_at\": 1764201600", "\"paid_at\": \"99999999999999\""));
        yield return Case("PaidAtNotANumber", Paid("\"paid_at\": 1764201600", "\"paid_at\": \"yesterday\""));
        yield return Case("PaidAtObject", Paid("\"paid_at\": 1764201600", "\"paid_at\": {}"));
        yield return Case("CancelledAtInHistoryBroken", Paid("\"cancel_history\": []", "\"cancel_history\": [{\"amount\": 1, \"cancelled_at\": -99999999999999}]"));
        yield return Case("Amount1e300", Paid("\"amount\": 9900", "\"amount\": 1e300"));
        yield return Case("AmountAsWord", Paid("\"amount\": 9900", "\"amount\": \"lots\""));
        yield return Case("QuotaBeyondInt", Paid("\"card_quota\": 0", "\"card_quota\": 99999999999"));
        yield return Case("QuotaFraction", Paid("\"card_quota\": 0", "\"card_quota\": 1.5"));
        yield return Case("StatusNumber", Paid("\"status\": \"paid\"", "\"status\": 1"));
        yield return Case("Code0NullResponse", "{\"code\":0,\"message\":null,\"response\":null}");
        yield return Case("Code0NoResponse", "{\"code\":0}");
        yield return Case("CodeAsString", "{\"code\":\"0\",\"response\":{}}");
        yield return Case("StatusReady", Paid("\"status\": \"paid\"", "\"status\": \"ready\""));
        yield return Case("StatusCancelled", Paid("\"status\": \"paid\"", "\"status\": \"cancelled\""));
        yield return Case("FailedForAnotherMerchantUid", Api.Fixture("again-failed.json").Replace("sub_42_2026_12", "someone_else", StringComparison.Ordinal));
        yield return Case("TruncatedJson", "{\"code\":0,\"response\":{\"imp_u");
        yield return Case("Html", "<html><body>200 OK but not JSON</body></html>");
        yield return Case("Empty", "");
    }

    [TestCaseSource(nameof(UnusableReplies))]
    public async Task ChargeBillingKeyAsync_UnusableReply_LooksUpAndReportsWhatTheLookUpSays(string body)
    {
        using var server = new ScriptedIamport { OnCharge = _ => ScriptedIamport.Json(body) };

        ChargeResult result = await server.Client().ChargeBillingKeyAsync(Api.Charge());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Approved), "the look-up's answer");
            Assert.That(result.IsReconciled, Is.True);
            Assert.That(server.Charges, Is.EqualTo(1), "never resent");
            Assert.That(server.Finds, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_PaidAtAsDigitString_ReadAsTheTime()
    {
        using var server = new ScriptedIamport { OnCharge = _ => ScriptedIamport.Json(Paid("\"paid_at\": 1764201600", "\"paid_at\": \"1764201600\"")) };

        ChargeResult result = await server.Client().ChargeBillingKeyAsync(Api.Charge());

        Assert.That(result.Payment!.PaidAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1764201600)));
        Assert.That(result.IsReconciled, Is.False);
    }

    private static IEnumerable<TestCaseData> NotOurs()
    {
        static TestCaseData Case(string name, string from, string to) => new TestCaseData(from, to).SetName("ChargeBillingKeyAsync_PaidFor" + name + "_MismatchedCarryingThePaymentNeverApproved");
        yield return Case("AnotherMerchantUid", "\"merchant_uid\": \"sub_42_2026_12\"", "\"merchant_uid\": \"sub_43_2026_12\"");
        yield return Case("AnotherAmount", "\"amount\": 9900", "\"amount\": 99000");
        yield return Case("NegativeAmount", "\"amount\": 9900", "\"amount\": -9900");
        yield return Case("AnotherCustomerUid", "\"customer_uid\": \"cust_0001\"", "\"customer_uid\": \"cust_0002\"");
        yield return Case("NoCustomerUid", "\"customer_uid\": \"cust_0001\"", "\"customer_uid\": null");
    }

    [TestCaseSource(nameof(NotOurs))]
    public async Task ChargeBillingKeyAsync_PaidButNotOurs_MismatchedCarryingThePaymentNeverApproved(string from, string to)
    {
        using var server = new ScriptedIamport { OnCharge = _ => ScriptedIamport.Json(Paid(from, to)) };

        ChargeResult result = await server.Client().ChargeBillingKeyAsync(Api.Charge());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Mismatched));
            Assert.That(result.IsApproved, Is.False);
            Assert.That(result.Payment!.ImpUid, Is.EqualTo("imp_123456789012"), "the payment I'mport reported, to refund or investigate");
            Assert.That(server.Charges, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ChargeBillingKeyAsync_LostReplyAndLookUpFindsAnotherAmount_Mismatched()
    {
        using var server = new ScriptedIamport
        {
            OnCharge = _ => throw new HttpRequestException("reset"),
            OnFind = _ => ScriptedIamport.Json(Paid("\"amount\": 9900", "\"amount\": 1")),
        };

        ChargeResult result = await server.Client().ChargeBillingKeyAsync(Api.Charge());

        Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Mismatched));
        Assert.That(result.IsReconciled, Is.True);
    }

    private static IEnumerable<TestCaseData> HugeOrBroken()
    {
        static TestCaseData Case(string name, HttpStatusCode status, string type, string prefix, long length, long? declared, long? failAt) =>
            new TestCaseData(status, type, prefix, length, declared, failAt).SetName("ChargeBillingKeyAsync_" + name + "_LooksUpAndReadsAtMostTheCap");
        const long MB = 1024 * 1024;
        yield return Case("Html40MbChunked", HttpStatusCode.BadGateway, "text/html", "<html><body>", 40 * MB, null, null);
        yield return Case("Html40MbDeclared", HttpStatusCode.BadGateway, "text/html", "<html><body>", 40 * MB, 40 * MB, null);
        yield return Case("Json200MbChunked", HttpStatusCode.OK, "application/json", Api.Fixture("again-paid.json").TrimEnd().TrimEnd('}'), 200 * MB, null, null);
        yield return Case("Json200MbDeclared", HttpStatusCode.OK, "application/json", "{\"code\":0,\"response\":", 200 * MB, 200 * MB, null);
        yield return Case("UnfinishedBody", HttpStatusCode.OK, "application/json", Api.Fixture("again-paid.json"), 4000, 4000, 1000);
        yield return Case("ShortContentLength", HttpStatusCode.OK, "application/json", Api.Fixture("again-paid.json"), 500, 5000, null);
        yield return Case("BodyLongerThanContentLength", HttpStatusCode.OK, "application/json", Api.Fixture("again-paid.json"), 4000, 100, null);
    }

    [TestCaseSource(nameof(HugeOrBroken))]
    public async Task ChargeBillingKeyAsync_HugeOrBrokenBody_LooksUpAndReadsAtMostTheCap(HttpStatusCode status, string type, string prefix, long length, long? declared, long? failAt)
    {
        GeneratedStream? sent = null;
        using var server = new ScriptedIamport();
        server.OnCharge = _ =>
        {
            (HttpResponseMessage response, GeneratedStream stream) = ScriptedIamport.Generated(status, type, prefix, length, declared, failAt);
            sent = stream;
            return response;
        };
        IamportOptions options = Api.Options();
        options.MaxResponseBytes = Cap;

        ChargeResult result = await server.Client(options).ChargeBillingKeyAsync(Api.Charge());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Approved), "the look-up's answer");
            Assert.That(result.IsReconciled, Is.True);
            Assert.That(server.Charges, Is.EqualTo(1));
            Assert.That(sent!.BytesRead, Is.LessThanOrEqualTo(Cap + 1), "the cap is enforced while reading");
        }
    }

    [Test]
    public async Task GetPaymentAsync_DefaultCapAnd200MbBody_ThrowsIamportExceptionAfterReadingAtMostOneMiB()
    {
        GeneratedStream? sent = null;
        using var server = new ScriptedIamport();
        server.OnOther = _ =>
        {
            (HttpResponseMessage response, GeneratedStream stream) = ScriptedIamport.Generated(HttpStatusCode.OK, "application/json", "{\"code\":0,\"response\":", 200L * 1024 * 1024);
            sent = stream;
            return response;
        };

        var ex = Assert.ThrowsAsync<IamportException>(() => server.Client().GetPaymentAsync("imp_123456789012"));

        Assert.That(ex!.ResponseExcerpt, Does.Contain("MaxResponseBytes"));
        Assert.That(sent!.BytesRead, Is.LessThanOrEqualTo((1024 * 1024) + 1));
        await Task.CompletedTask;
    }

    private static IEnumerable<TestCaseData> BrokenLookups()
    {
        static TestCaseData Case(string name, string body) => new TestCaseData(body).SetName("GetPaymentAsync_" + name + "_ThrowsIamportException");
        yield return Case("PaidAtBeyondYear9999", Paid("\"paid_at\": 1764201600", "\"paid_at\": 99999999999999"));
        yield return Case("PaidAt1e300", Paid("\"paid_at\": 1764201600", "\"paid_at\": 1e300"));
        yield return Case("CancelledAtBroken", Paid("\"cancel_history\": []", "\"cancel_history\": [{\"amount\": 1, \"cancelled_at\": \"x\"}]"));
        yield return Case("Amount1e300", Paid("\"amount\": 9900", "\"amount\": 1e300"));
        yield return Case("QuotaBeyondInt", Paid("\"card_quota\": 0", "\"card_quota\": 99999999999"));
        yield return Case("Code0NullResponse", "{\"code\":0,\"response\":null}");
    }

    [TestCaseSource(nameof(BrokenLookups))]
    public void GetPaymentAsync_BrokenReply_ThrowsIamportException(string body)
    {
        using var server = new ScriptedIamport { OnOther = _ => ScriptedIamport.Json(body) };

        Assert.ThrowsAsync<IamportException>(() => server.Client().GetPaymentAsync("imp_123456789012"));
    }

    [Test]
    public void FindPaymentAsync_PaidAtOutOfRange_ThrowsIamportException()
    {
        using var server = new ScriptedIamport { OnFind = _ => ScriptedIamport.Json(Paid("\"paid_at\": 1764201600", "\"paid_at\": 99999999999999")) };

        Assert.ThrowsAsync<IamportException>(() => server.Client().GetPaymentByMerchantUidAsync("sub_42_2026_12"));
    }

    [Test]
    public async Task ChargeBillingKeyAsync_ReconciliationLookUpOutOfRange_OutcomeUnknownNotArgumentException()
    {
        using var server = new ScriptedIamport
        {
            OnCharge = _ => throw new HttpRequestException("reset"),
            OnFind = _ => ScriptedIamport.Json(Paid("\"paid_at\": 1764201600", "\"paid_at\": 99999999999999")),
        };
        Task<ChargeResult> charge = server.Client().ChargeBillingKeyAsync(Api.Charge());
        await server.Time.AdvanceUntilDoneAsync(charge);

        Assert.ThrowsAsync<IamportOutcomeUnknownException>(() => charge);
        Assert.That(server.Charges, Is.EqualTo(1));
    }
}
