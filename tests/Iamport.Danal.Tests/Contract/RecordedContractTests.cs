using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
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
    private static readonly string[] ScheduleFields = ["merchant_uid", "schedule_at", "amount", "name", "currency"];

    private readonly Dictionary<string, JsonObject> _schedules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _prepared = new(StringComparer.Ordinal);
    private MockHttpMessageHandler _mock = null!;
    private FakeTimeProvider _time = null!;
    private HttpStatusCode _notFoundStatus = HttpStatusCode.NotFound;
    private int _tokens;
    private int _impUids;

    protected override HttpMessageHandler CreateBackend(FakeTimeProvider time)
    {
        _mock = new MockHttpMessageHandler();
        _mock.Fallback.Respond(request => throw new InvalidOperationException($"Unexpected request {request.Method} {request.RequestUri}"));
        _time = time;
        NewRoutes();

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
            r[decline ? "failed_at" : "paid_at"] = _time.GetUtcNow().ToUnixTimeSeconds();
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

    /// <summary>The reconciliation and schedule routes, on the recorded shapes: schedule lists (array and page forms), update, multi-gets (207), payments by status.</summary>
    private void NewRoutes()
    {
        _mock.When(HttpMethod.Post, Base + "/subscribe/payments/schedule").Respond(async request =>
        {
            JsonObject body = JsonNode.Parse(await request.Content!.ReadAsStringAsync())!.AsObject();
            var created = new JsonArray();
            foreach (JsonNode? item in body["schedules"]!.AsArray())
            {
                JsonObject schedule = Item("schedules.json", 0);
                schedule["customer_uid"] = body["customer_uid"]!.DeepClone();
                foreach (string field in ScheduleFields)
                {
                    schedule[field] = item![field]!.DeepClone();
                }

                schedule["schedule_status"] = "scheduled";
                _schedules[(string)schedule["merchant_uid"]!] = schedule;
                created.Add(schedule.DeepClone());
            }

            return Answer(HttpStatusCode.OK, Wrapped(created));
        });

        // Unschedule: customer_uid, merchant_uid[] or both; only pending schedules are revoked.
        _mock.When(HttpMethod.Post, Base + "/subscribe/payments/unschedule").Respond(async request =>
        {
            JsonObject body = JsonNode.Parse(await request.Content!.ReadAsStringAsync())!.AsObject();
            string? customerUid = (string?)body["customer_uid"];
            string[]? listed = body["merchant_uid"]?.AsArray().Select(m => (string)m!).ToArray();
            JsonObject[] revoked = [.. _schedules.Values.Where(s => (string)s["schedule_status"]! == "scheduled"
                && (customerUid is null || (string)s["customer_uid"]! == customerUid)
                && (listed is null || listed.Contains((string)s["merchant_uid"]!)))];
            foreach (JsonObject schedule in revoked)
            {
                schedule["schedule_status"] = "revoked";
                schedule["revoked_at"] = _time.GetUtcNow().ToUnixTimeSeconds();
            }

            return revoked.Length == 0
                ? Answer(HttpStatusCode.OK, Fixture("unschedule-nothing.json"))
                : Answer(HttpStatusCode.OK, Wrapped(new JsonArray([.. revoked.Select(s => s.DeepClone())])));
        });

        // Prepare: POST registers, PUT changes (404 when nothing is registered, as the schema says), GET reads.
        _mock.When(HttpMethod.Post, Base + "/payments/prepare").Respond(async request =>
        {
            JsonObject body = JsonNode.Parse(await request.Content!.ReadAsStringAsync())!.AsObject();
            JsonObject prepared = Item("prepare.json", null, p => (p["merchant_uid"], p["amount"]) = (body["merchant_uid"]!.DeepClone(), body["amount"]!.DeepClone()));
            _prepared[(string)body["merchant_uid"]!] = prepared;
            return Answer(HttpStatusCode.OK, Wrapped(prepared.DeepClone()));
        });
        _mock.When(HttpMethod.Put, Base + "/payments/prepare").Respond(async request =>
        {
            JsonObject body = JsonNode.Parse(await request.Content!.ReadAsStringAsync())!.AsObject();
            if (!_prepared.TryGetValue((string)body["merchant_uid"]!, out JsonObject? prepared))
            {
                return Answer(HttpStatusCode.NotFound, Fixture("prepare-not-found.json"));
            }

            prepared["amount"] = body["amount"]!.DeepClone();
            return Answer(HttpStatusCode.OK, Wrapped(prepared.DeepClone()));
        });
        _mock.When(HttpMethod.Get, Base + "/payments/prepare/*").Respond(request =>
            _prepared.TryGetValue(Uri.UnescapeDataString(request.RequestUri!.Segments[^1]), out JsonObject? prepared)
                ? Answer(HttpStatusCode.OK, Wrapped(prepared.DeepClone()))
                : Answer(HttpStatusCode.OK, Fixture("prepare-not-found.json")));

        // The per-customer list answers in the schema's plain-array form, the billing-key route and the merchant-wide list in the page form.
        _mock.When(HttpMethod.Get, Base + "/subscribe/payments/schedule/customers/*").Respond(request =>
            Answer(HttpStatusCode.OK, Wrapped(SchedulesIn(request, "from", "to"))));
        _mock.When(HttpMethod.Get, Base + "/subscribe/customers/*").With(r => r.RequestUri!.AbsolutePath.EndsWith("/schedules", StringComparison.Ordinal)).Respond(request =>
            Answer(HttpStatusCode.OK, Wrapped(PageOf(SchedulesIn(request, "from", "to")))));
        _mock.When(HttpMethod.Get, Base + "/subscribe/payments/schedule").With(r => r.RequestUri!.AbsolutePath == "/subscribe/payments/schedule").Respond(request =>
            Answer(HttpStatusCode.OK, Wrapped(PageOf(SchedulesIn(request, "schedule_from", "schedule_to")))));
        _mock.When(HttpMethod.Put, Base + "/subscribe/payments/schedule/*").Respond(async request =>
        {
            JsonObject body = JsonNode.Parse(await request.Content!.ReadAsStringAsync())!.AsObject();
            JsonObject schedule = _schedules[Uri.UnescapeDataString(request.RequestUri!.Segments[^1])];
            schedule["schedule_at"] = body["schedule_at"]!.DeepClone();
            return Answer(HttpStatusCode.OK, Wrapped(schedule.DeepClone()));
        });
        _mock.When(HttpMethod.Get, Base + "/subscribe/payments/schedule/*").Respond(request =>
            _schedules.TryGetValue(Uri.UnescapeDataString(request.RequestUri!.Segments[^1]), out JsonObject? schedule)
                ? Answer(HttpStatusCode.OK, Wrapped(schedule.DeepClone()))
                : Answer(_notFoundStatus, Fixture("schedule-not-found.json")));

        _mock.When(HttpMethod.Get, Base + "/payments/status/*").Respond(request =>
        {
            string status = request.RequestUri!.Segments[^1];
            var query = Query(request);
            long from = long.Parse(query["from"][0], CultureInfo.InvariantCulture);
            long to = long.Parse(query["to"][0], CultureInfo.InvariantCulture);
            var matching = _payments.Values
                .Where(p => (string?)p["status"] == status && (long?)p[status + "_at"] is { } at && from <= at && at <= to)
                .Select(p => p.DeepClone());
            return Answer(HttpStatusCode.OK, Wrapped(PageOf(new JsonArray([.. matching]))));
        });
        _mock.When(HttpMethod.Get, Base + "/payments").With(r => r.RequestUri!.AbsolutePath == "/payments").Respond(request =>
        {
            string[] asked = Query(request)["imp_uid[]"];
            JsonObject[] found = [.. _payments.Values.Where(p => asked.Contains((string?)p["imp_uid"]))];
            return MultiGet(asked.Length, found, "payment-not-found.json");
        });
        _mock.When(HttpMethod.Get, Base + "/subscribe/customers").With(r => r.RequestUri!.AbsolutePath == "/subscribe/customers").Respond(request =>
        {
            string[] asked = Query(request)["customer_uid[]"];
            JsonObject[] found = [.. asked.Where(_customers.Contains).Select(uid => Item("billing-key.json", null, k => k["customer_uid"] = uid))];
            return MultiGet(asked.Length, found, "billing-key-not-found.json");
        });
    }

    private JsonArray SchedulesIn(HttpRequestMessage request, string fromName, string toName)
    {
        var query = Query(request);
        long from = long.Parse(query[fromName][0], CultureInfo.InvariantCulture);
        long to = long.Parse(query[toName][0], CultureInfo.InvariantCulture);
        return new JsonArray([.. _schedules.Values
            .Where(s => (long)s["schedule_at"]! >= from && (long)s["schedule_at"]! < to)
            .OrderByDescending(s => (long)s["schedule_at"]!)
            .Select(s => s.DeepClone())]);
    }

    private static HttpResponseMessage MultiGet(int asked, JsonObject[] found, string notFoundFixture) =>
        found.Length == 0 ? Answer(HttpStatusCode.NotFound, Fixture(notFoundFixture))
        : Answer(found.Length == asked ? HttpStatusCode.OK : (HttpStatusCode)207, Wrapped(new JsonArray([.. found.Select(f => f.DeepClone())])));

    private static Dictionary<string, string[]> Query(HttpRequestMessage request) =>
        request.RequestUri!.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .GroupBy(pair => Uri.UnescapeDataString(pair[0]), pair => Uri.UnescapeDataString(pair[1]))
            .ToDictionary(g => g.Key, g => g.ToArray());

    private static JsonObject PageOf(JsonArray list) => new() { ["total"] = list.Count, ["previous"] = 0, ["next"] = 0, ["list"] = list };

    private static string Wrapped(JsonNode response) => new JsonObject { ["code"] = 0, ["message"] = null, ["response"] = response }.ToJsonString();

    private static JsonObject Item(string fixture, int? index, Action<JsonObject>? change = null)
    {
        JsonNode response = JsonNode.Parse(Fixture(fixture))!["response"]!;
        JsonObject item = (index is { } i ? response[i]! : response).DeepClone().AsObject();
        change?.Invoke(item);
        return item;
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
