using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Testing;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Iamport.Danal.Tests.Contract;

/// <summary>
/// The contract against MockHttp answering only with the recorded response shapes in <c>TestData/</c> (from the
/// reference). A few lines of state pick which recording answers (paid merchant_uids, a queued decline); the bodies
/// are the recordings, with only the ids of the request copied in.
/// </summary>
[TestFixture]
public sealed class RecordedContractTests : ClientContractTests
{
    private const string Base = "https://api.iamport.kr";
    private const string Json = "application/json";

    private readonly HashSet<string> _customers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _declineNext = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _payments = new(StringComparer.Ordinal);
    private MockHttpMessageHandler _mock = null!;
    private HttpStatusCode _notFoundStatus = HttpStatusCode.NotFound;
    private int _tokens;
    private int _impUids;

    protected override HttpMessageHandler CreateBackend(FakeTimeProvider time)
    {
        _mock = new MockHttpMessageHandler();
        _mock.Fallback.Respond(request => throw new InvalidOperationException($"Unexpected request {request.Method} {request.RequestUri}"));

        // The reference's token, then the same token extended by five minutes (asked in its last minute).
        _mock.When(HttpMethod.Post, Base + "/users/getToken")
            .Respond(_ => Answer(HttpStatusCode.OK, Fixture(_tokens++ == 0 ? "token.json" : "token-extended.json")));
        _mock.When(HttpMethod.Post, Base + "/subscribe/payments/again").Respond(ChargeAsync);
        _mock.When(HttpMethod.Get, Base + "/payments/find/*").Respond(request =>
        {
            string merchantUid = Uri.UnescapeDataString(request.RequestUri!.Segments[^1]);
            return _payments.TryGetValue(merchantUid, out JsonObject? payment)
                ? Answer(HttpStatusCode.OK, Envelope(payment))
                : Answer(_notFoundStatus, Fixture("payment-not-found.json"));
        });
        _mock.When(HttpMethod.Get, Base + "/payments/*").Respond(_ => Answer(_notFoundStatus, Fixture("payment-not-found.json")));
        _mock.When(HttpMethod.Get, Base + "/subscribe/customers/*").Respond(request =>
        {
            string customerUid = Uri.UnescapeDataString(request.RequestUri!.Segments[^1]);
            return _customers.Contains(customerUid)
                ? Answer(HttpStatusCode.OK, Patched("billing-key.json", r => r["customer_uid"] = customerUid))
                : Answer(_notFoundStatus, Fixture("billing-key-not-found.json"));
        });
        _mock.When(HttpMethod.Post, Base + "/payments/cancel").Respond(CancelAsync);
        return _mock;
    }

    [TearDown]
    public void DisposeMock() => _mock.Dispose();

    protected override void GivenBillingKey(string customerUid) => _customers.Add(customerUid);

    protected override void GivenNextChargeDeclines(string customerUid, string reason) => _declineNext.Add(customerUid);

    protected override void GivenNotFoundStyle(NotFoundStyle style) =>
        _notFoundStatus = style == NotFoundStyle.Http404 ? HttpStatusCode.NotFound : HttpStatusCode.OK;

    protected override int? ChargeCount(string merchantUid) => null;

    private async Task<HttpResponseMessage> ChargeAsync(HttpRequestMessage request)
    {
        JsonObject body = JsonNode.Parse(await request.Content!.ReadAsStringAsync())!.AsObject();
        string customerUid = (string)body["customer_uid"]!;
        string merchantUid = (string)body["merchant_uid"]!;
        if (!_customers.Contains(customerUid))
        {
            return Answer(HttpStatusCode.OK, Fixture("again-unknown-customer.json"));
        }

        if (_payments.TryGetValue(merchantUid, out JsonObject? existing) && (string?)existing["status"] == "paid")
        {
            return Answer(HttpStatusCode.OK, Fixture("again-merchant-uid-paid.json"));
        }

        bool decline = _declineNext.Remove(customerUid);
        string impUid = "imp_" + (++_impUids).ToString("D12", CultureInfo.InvariantCulture);
        string recorded = Patched(decline ? "again-failed.json" : "again-paid.json", r =>
        {
            r["imp_uid"] = impUid;
            r["merchant_uid"] = merchantUid;
            r["customer_uid"] = customerUid;
            r["amount"] = body["amount"]!.DeepClone();
        });
        _payments[merchantUid] = JsonNode.Parse(recorded)!["response"]!.AsObject();
        return Answer(HttpStatusCode.OK, recorded);
    }

    private async Task<HttpResponseMessage> CancelAsync(HttpRequestMessage request)
    {
        JsonObject body = JsonNode.Parse(await request.Content!.ReadAsStringAsync())!.AsObject();
        JsonObject? payment = null;
        foreach (JsonObject candidate in _payments.Values)
        {
            if ((string?)candidate["imp_uid"] == (string?)body["imp_uid"])
            {
                payment = candidate;
            }
        }

        decimal refundable = payment is null ? 0 : (decimal)payment["amount"]! - (decimal)payment["cancel_amount"]!;
        if (payment is null || (body["checksum"] is { } checksum && (decimal)checksum != refundable))
        {
            // The reference's refusal on HTTP 200 (section 4, 7): code 1 with a Korean message.
            return Answer(HttpStatusCode.OK, Fixture("cancel-refused.json"));
        }

        throw new InvalidOperationException("The contract only cancels with a wrong checksum.");
    }

    private static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", name));

    private static string Patched(string name, Action<JsonObject> change)
    {
        JsonObject root = JsonNode.Parse(Fixture(name))!.AsObject();
        change(root["response"]!.AsObject());
        return root.ToJsonString();
    }

    private static string Envelope(JsonObject payment) =>
        new JsonObject { ["code"] = 0, ["message"] = null, ["response"] = payment.DeepClone() }.ToJsonString();

    private static HttpResponseMessage Answer(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, Json) };
}
