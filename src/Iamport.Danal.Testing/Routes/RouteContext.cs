using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Nodes;
using Iamport.Danal.Testing.Http;
using Iamport.Danal.Testing.State;
using Iamport.Danal.Testing.Webhooks;

namespace Iamport.Danal.Testing.Routes;

/// <summary>A route's handler: runs with the state's gate held, returns the response, queues webhooks on the context.</summary>
internal delegate FakeResponse RouteHandler(RouteContext context);

/// <summary>One request as a handler sees it.</summary>
internal sealed class RouteContext
{
    private RequestBody? _body;

    public RouteContext(FakeRequest request, IReadOnlyDictionary<string, string> parameters, FakeState state)
    {
        Request = request;
        Parameters = parameters;
        State = state;
    }

    public FakeRequest Request { get; }

    /// <summary>Path parameters by template name, unescaped.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    public FakeState State { get; }

    /// <summary>Webhooks to send once the handler has committed.</summary>
    public List<WebhookEvent> Webhooks { get; } = [];

    /// <summary>Extra server clock skew for this response (a <see cref="FaultKind.SkewNow"/> fault).</summary>
    public TimeSpan Skew { get; set; }

    /// <summary>The parsed body, or <see langword="null"/> when it is labelled JSON but is not.</summary>
    public RequestBody? Body => _body ??= RequestBody.Read(Request, AnyBodyAsJson);

    /// <summary>Whether a body is read as JSON whatever its <c>Content-Type</c> (the simulated window posts <c>text/plain</c>).</summary>
    public bool AnyBodyAsJson { get; init; }

    public string Param(string name) => Parameters.TryGetValue(name, out var value) ? value : "";

    public string? OptionalParam(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary><c>include_sandbox=true</c> on the query.</summary>
    public bool IncludeSandbox =>
        string.Equals(Request.QueryValue("include_sandbox"), "true", StringComparison.OrdinalIgnoreCase);

    public int QueryInt(string name, int fallback) =>
        int.TryParse(Request.QueryValue(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    public long? QueryLong(string name) =>
        long.TryParse(Request.QueryValue(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>A look-up that found nothing: HTTP 404 (or, with <paramref name="asHttp200"/>, HTTP 200) and <c>code</c> 1,
    /// unless <see cref="FakeIamportOptions.NotFoundStyle"/> forces one style on every route.</summary>
    public FakeResponse NotFound(string message, bool asHttp200 = false)
    {
        var status = State.Options.NotFoundStyle switch
        {
            NotFoundStyle.Http404 => 404,
            NotFoundStyle.Http200 => 200,
            _ => asHttp200 ? 200 : 404,
        };
        return FakeResponse.Envelope(status, 1, message, null);
    }

    /// <summary>What a body labelled JSON that is not JSON is answered with (HTTP 400).</summary>
    public const string UnreadableBody = "요청 본문을 해석할 수 없습니다. (JSON 형식 오류)";

    /// <summary>HTTP 400 for bad parameters.</summary>
    public static FakeResponse BadRequest(string message) => FakeResponse.Envelope(400, -1, message, null);

    /// <summary>HTTP 400 for a missing required parameter, in the real service's words.</summary>
    public static FakeResponse Missing(string name) => BadRequest(name + " 파라미터가 누락되었습니다.");

    /// <summary>A required unix-time query parameter; <see langword="null"/> with <paramref name="error"/> set when missing or not a number.</summary>
    public long? RequiredTime(string name, out FakeResponse? error)
    {
        error = null;
        var text = Request.QueryValue(name);
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
    public int? Limit(int fallback, int max, out FakeResponse? error)
    {
        error = null;
        var text = Request.QueryValue("limit");
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

    /// <summary>Every value of a repeated query parameter such as <c>imp_uid[]</c>.</summary>
    public IReadOnlyList<string> QueryValues(string name) => Request.QueryValues(name);

    /// <summary>HTTP 200 with <c>code 1</c>: a refusal.</summary>
    public static FakeResponse Refused(string message, int code = 1) => FakeResponse.Envelope(200, code, message, null);

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
