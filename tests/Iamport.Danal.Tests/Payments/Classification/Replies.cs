using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Tests.Honesty;
using Iamport.Danal.Tests.TestSupport;

namespace Iamport.Danal.Tests.Payments.Classification;

/// <summary>
/// What the transport can report, as a server produces it, for the charge and for its look-ups: an answer, a refusal
/// (an envelope with <c>code != 0</c> at any status), or no usable answer. The classification tests feed these to the
/// real client, so the charge's own reply and every look-up of the reconciliation loop go through the one classifier.
/// </summary>
internal static class Replies
{
    public static readonly string[] Outages = ["일시적인 오류가 발생했습니다. 잠시 후 다시 시도해주세요.", "Service Unavailable", "서버 점검중입니다", "internal error"];

    public static HttpResponseMessage Paid() => ScriptedIamport.Json(Api.Fixture("again-paid.json"));

    public static HttpResponseMessage Failed() => ScriptedIamport.Json(Api.Fixture("again-failed.json"));

    /// <summary>A payment fixture changed by <paramref name="change"/> (another amount, an earlier start, …).</summary>
    public static HttpResponseMessage Payment(string fixture, Action<System.Text.Json.Nodes.JsonObject> change) => ScriptedIamport.Json(Api.Tampered(fixture, change));

    /// <summary>A record that started a minute before the token's server clock: an earlier attempt's.</summary>
    public static HttpResponseMessage Earlier(string fixture) => Payment(fixture, r => r["started_at"] = Api.ServerNow - 60);

    public static HttpResponseMessage Refusal(HttpStatusCode status, int code = -1, string message = "일시적인 오류가 발생했습니다.") =>
        ScriptedIamport.Json($$"""{"code":{{code}},"message":{{JsonSerializer.Serialize(message)}},"response":null}""", status);

    public static HttpResponseMessage NotFound() => ScriptedIamport.Json(Api.Fixture("not-found.json"), HttpStatusCode.NotFound);

    public static HttpResponseMessage Html(HttpStatusCode status) => new(status) { Content = new StringContent("<html><body>gateway</body></html>", System.Text.Encoding.UTF8, "text/html") };

    public static HttpResponseMessage Reset(HttpRequestMessage _) => throw new HttpRequestException("Connection reset by peer");

    /// <summary>Several records of one merchant_uid on one findAll page.</summary>
    public static HttpResponseMessage Records(params HttpResponseMessage[] payments)
    {
        var list = new System.Text.Json.Nodes.JsonArray();
        foreach (HttpResponseMessage payment in payments)
        {
            var root = System.Text.Json.Nodes.JsonNode.Parse(payment.Content.ReadAsStringAsync().GetAwaiter().GetResult())!;
            list.Add(root["response"]!.DeepClone());
        }

        return ScriptedIamport.Json(new System.Text.Json.Nodes.JsonObject
        {
            ["code"] = 0,
            ["message"] = null,
            ["response"] = new System.Text.Json.Nodes.JsonObject { ["total"] = list.Count, ["previous"] = 0, ["next"] = 0, ["list"] = list },
        }.ToJsonString());
    }

    /// <summary>Answers the look-ups from <paramref name="sequence"/> in turn, repeating its last entry.</summary>
    public static Func<HttpRequestMessage, HttpResponseMessage> InTurn(params Func<HttpResponseMessage>[] sequence)
    {
        int next = -1;
        return _ => sequence[Math.Min(Interlocked.Increment(ref next), sequence.Length - 1)]();
    }

    /// <summary>Charges through a scripted server, moving its fake clock until the charge ends; never resends.</summary>
    public static async Task<(ChargeResult? Result, Exception? Error, ScriptedIamport Server)> ChargeAsync(
        Func<HttpRequestMessage, HttpResponseMessage> charge, Func<HttpRequestMessage, HttpResponseMessage> lookups, ChargeRequest? request = null)
    {
        var server = new ScriptedIamport { OnCharge = charge, OnFind = lookups };
        Task<ChargeResult> pending = server.Client().ChargeBillingKeyAsync(request ?? Api.Charge());
        await server.Time.AdvanceUntilDoneAsync(pending);
        try
        {
            return (await pending, null, server);
        }
        catch (Exception ex)
        {
            return (null, ex, server);
        }
    }

    public static IEnumerable<HttpStatusCode> GatewayStatuses() => [HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout];
}
