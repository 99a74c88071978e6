using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Testing.State;
using Iamport.Danal.Testing.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Iamport.Danal.Testing.Routes;

/// <summary>One request as a route handler sees it: its body read as the I'mport schema allows, its query and route
/// values, the fake's state, and the webhooks it causes.</summary>
internal sealed class Call
{
    /// <summary>What a body labelled JSON that is not JSON is answered with (HTTP 400).</summary>
    public const string UnreadableBody = "요청 본문을 해석할 수 없습니다. (JSON 형식 오류)";

    private readonly HttpContext _http;

    private Call(HttpContext http, FakeState state, RequestBody? body)
    {
        _http = http;
        State = state;
        Body = body;
    }

    public FakeState State { get; }

    /// <summary>The parsed body, or <see langword="null"/> when it is labelled JSON but is not a JSON object.</summary>
    public RequestBody? Body { get; }

    /// <summary>Webhooks to send once the handler has committed.</summary>
    public List<WebhookEvent> Webhooks { get; } = [];

    /// <summary>Extra server clock skew for this response (a <see cref="FaultKind.SkewNow"/> fault).</summary>
    public TimeSpan Skew { get; set; }

    /// <summary><c>include_sandbox=true</c> on the query.</summary>
    public bool IncludeSandbox => string.Equals(QueryValue("include_sandbox"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the body as its <c>Content-Type</c> says, like the real service's body parsers: JSON for
    /// <c>application/json</c>, a form for <c>application/x-www-form-urlencoded</c>, and nothing (so required parameters
    /// are missing) for no type or any other type. The simulated window's own routes read every body as JSON (it posts
    /// <c>text/plain</c> to avoid a preflight).</summary>
    public static async Task<Call> ReadAsync(HttpContext context, FakeState state)
    {
        var request = context.Request;
        var anyAsJson = request.Path.StartsWithSegments("/fake-danal", StringComparison.Ordinal);
        RequestBody? body = RequestBody.Empty();
        if (request.HasFormContentType && !anyAsJson)
        {
            body = RequestBody.FromForm(await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false));
        }
        else if (anyAsJson || request.HasJsonContentType())
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            body = text.Length == 0 ? body : RequestBody.FromJson(text);
        }

        return new Call(context, state, body);
    }

    public string Param(string name) => OptionalParam(name) ?? "";

    public string? OptionalParam(string name) => _http.Request.RouteValues[name] as string;

    public string? Header(string name) => _http.Request.Headers.TryGetValue(name, out var values) ? values.ToString() : null;

    /// <summary>The first value of a query parameter.</summary>
    public string? QueryValue(string name) => _http.Request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>Every value of a repeated query parameter such as <c>imp_uid[]</c>.</summary>
    public IReadOnlyList<string> QueryValues(string name) => _http.Request.Query[name].ToArray()!;

    public int QueryInt(string name, int fallback) =>
        int.TryParse(QueryValue(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    public long? QueryLong(string name) =>
        long.TryParse(QueryValue(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>A look-up that found nothing: HTTP 404 (or, with <paramref name="asHttp200"/>, HTTP 200) and <c>code</c> 1,
    /// unless <see cref="FakeIamportOptions.NotFoundStyle"/> forces one style on every route.</summary>
    public IResult NotFound(string message, bool asHttp200 = false)
    {
        var status = State.Options.NotFoundStyle switch
        {
            NotFoundStyle.Http404 => 404,
            NotFoundStyle.Http200 => 200,
            _ => asHttp200 ? 200 : 404,
        };
        return Answer.Envelope(status, 1, message, null);
    }

    /// <summary>HTTP 400 for bad parameters.</summary>
    public static IResult BadRequest(string message) => Answer.Envelope(400, -1, message, null);

    /// <summary>HTTP 400 for a missing required parameter, in the real service's words.</summary>
    public static IResult Missing(string name) => BadRequest(name + " 파라미터가 누락되었습니다.");

    /// <summary>HTTP 200 with <c>code 1</c>: a refusal.</summary>
    public static IResult Refused(string message, int code = 1) => Answer.Envelope(200, code, message, null);

    /// <summary>A required unix-time query parameter; <see langword="null"/> with <paramref name="error"/> set when missing or not a number.</summary>
    public long? RequiredTime(string name, out IResult? error)
    {
        error = null;
        var text = QueryValue(name);
        if (string.IsNullOrEmpty(text))
        {
            error = Missing(name);
            return null;
        }

        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            error = BadRequest(name + " 는 unix timestamp(초) 여야 합니다.");
            return null;
        }

        return value;
    }

    /// <summary>The <c>limit</c> query parameter: <paramref name="fallback"/> when absent; an error outside 1..<paramref name="max"/>.</summary>
    public int? Limit(int fallback, int max, out IResult? error)
    {
        error = null;
        var text = QueryValue("limit");
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > max)
        {
            error = BadRequest("limit 은 1 이상 " + max.ToString(CultureInfo.InvariantCulture) + " 이하여야 합니다.");
            return null;
        }

        return limit;
    }

    /// <summary>The paged list shape <c>{total, previous, next, list}</c>; <c>next</c> is 0 on the last page.</summary>
    public static JsonObject Page<T>(IReadOnlyList<T> all, int page, int limit, Func<T, JsonNode> toNode)
    {
        page = Math.Max(page, 1);
        limit = Math.Clamp(limit, 1, 1000);
        var list = new JsonArray();
        for (var i = (page - 1) * limit; i < Math.Min(all.Count, page * limit); i++)
        {
            list.Add(toNode(all[i]));
        }

        return new JsonObject
        {
            ["total"] = all.Count,
            ["previous"] = page > 1 ? page - 1 : 0,
            ["next"] = page * limit < all.Count ? page + 1 : 0,
            ["list"] = list,
        };
    }
}
