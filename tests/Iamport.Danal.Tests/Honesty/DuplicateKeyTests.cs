using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;

namespace Iamport.Danal.Tests.Honesty;

/// <summary>
/// A reply that names a field twice is no usable answer, whichever value comes first: for each field a charge's
/// classification reads, in the envelope and in the payment, in the charge's reply and in a look-up's. The charge is
/// then looked up, and its outcome is the (clean) look-up's: declined, where either duplicate read alone could give approved.
/// </summary>
public class DuplicateKeyTests
{
    private static IEnumerable<TestCaseData> Duplicates()
    {
        // (field, first value, second value): each pair is also tried the other way round.
        (string Field, string A, string B)[] pairs =
        [
            ("status", "\"failed\"", "\"paid\""),
            ("amount", "1", "9900"),
            ("merchant_uid", "\"sub_other\"", "\"sub_42_2026_12\""),
            ("customer_uid", "\"cust_other\"", "\"cust_0001\""),
            ("code", "-1", "0"),
            ("response", "failed", "paid"),
        ];
        foreach ((string field, string a, string b) in pairs)
        {
            foreach ((string first, string second, string order) in new[] { (a, b, "AThenB"), (b, a, "BThenA") })
            {
                yield return new TestCaseData(field, first, second, false).SetName($"ChargeBillingKeyAsync_ReplyWithDuplicate_{field}_{order}_OutcomeFromLookUp");
                yield return new TestCaseData(field, first, second, true).SetName($"ChargeBillingKeyAsync_LookUpWithDuplicate_{field}_{order}_NextLookUpDecides");
            }
        }
    }

    [TestCaseSource(nameof(Duplicates))]
    public async Task ChargeBillingKeyAsync_DuplicateKey_NeverApprovedFromIt(string field, string first, string second, bool inLookUp)
    {
        using var server = new ScriptedIamport();
        int finds = 0;
        if (inLookUp)
        {
            // The charge's reply is lost; the first look-up repeats a field, the second is clean.
            server.OnCharge = _ => ScriptedIamport.Json("<html>502</html>", System.Net.HttpStatusCode.BadGateway);
            server.OnFind = server.OnOther = r => ScriptedIamport.Json(
                ++finds == 1 ? Duplicated(field, first, second, IsFindAll(r)) : RedirectTests.LookUpReply(r.RequestUri!.AbsolutePath, Api.Fixture("again-failed.json")));
        }
        else
        {
            server.OnCharge = _ => ScriptedIamport.Json(Duplicated(field, first, second, listed: false));
            server.OnFind = server.OnOther = r =>
            {
                finds++;
                return ScriptedIamport.Json(RedirectTests.LookUpReply(r.RequestUri!.AbsolutePath, Api.Fixture("again-failed.json")));
            };
        }

        Task<ChargeResult> charge = server.Client().ChargeBillingKeyAsync(Api.Charge());
        await server.Time.AdvanceUntilDoneAsync(charge);
        ChargeResult result = await charge;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ChargeOutcome.Declined), "the clean look-up's outcome");
            Assert.That(result.IsReconciled, Is.True);
            Assert.That(server.Charges, Is.EqualTo(1));
            // A decline read from a look-up waits for the settle period, so the clean look-up is repeated until then.
            Assert.That(finds, Is.GreaterThanOrEqualTo(inLookUp ? 2 : 1));
        }
    }

    private static bool IsFindAll(System.Net.Http.HttpRequestMessage request) => request.RequestUri!.AbsolutePath.StartsWith("/payments/findAll/", System.StringComparison.Ordinal);

    /// <summary>A reply naming <paramref name="field"/> twice; <paramref name="listed"/>: the payment inside a page, as a list look-up answers.</summary>
    private static string Duplicated(string field, string first, string second, bool listed)
    {
        string List(string payment) => listed ? "{\"total\":1,\"previous\":0,\"next\":0,\"list\":[" + payment + "]}" : payment;
        return field switch
        {
            "code" => $"{{\"code\":{first},\"message\":null,\"code\":{second},\"response\":{List(Payment("again-paid.json"))}}}",
            "response" => $"{{\"code\":0,\"message\":null,\"response\":{List(Payment($"again-{first}.json"))},\"response\":{List(Payment($"again-{second}.json"))}}}",
            _ => $"{{\"code\":0,\"message\":null,\"response\":{List(InPayment(field, first, second))}}}",
        };
    }

    [TestCase("{\"code\":0,\"message\":null,\"response\":{\"amount\":9900,\"status\":\"paid\",\"cancel_history\":[{\"amount\":1,\"amount\":2}]}}")]
    [TestCase("{\"code\":0,\"message\":null,\"message\":\"x\",\"response\":null}")]
    public void GetPaymentAsync_DuplicateKeyAtAnyDepth_NoUsableAnswer(string body)
    {
        using var server = new ScriptedIamport { OnOther = _ => ScriptedIamport.Json(body) };

        var ex = Assert.ThrowsAsync<IamportException>(() => server.Client().GetPaymentAsync("imp_123456789012"));

        Assert.That(ex!.HasApiAnswer, Is.False);
    }

    /// <summary>The <c>response</c> object of a fixture, as JSON text.</summary>
    private static string Payment(string fixture) => JsonNode.Parse(Api.Fixture(fixture))!["response"]!.ToJsonString();

    /// <summary>The paid fixture's payment with <paramref name="field"/> written twice at its start.</summary>
    private static string InPayment(string field, string first, string second)
    {
        JsonObject payment = JsonNode.Parse(Payment("again-paid.json"))!.AsObject();
        payment.Remove(field);
        return string.Concat($"{{\"{field}\":{first},\"{field}\":{second},", payment.ToJsonString().AsSpan(1));
    }
}
