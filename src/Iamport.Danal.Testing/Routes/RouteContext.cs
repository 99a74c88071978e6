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

    /// <summary>The parsed body, or <see langword="null"/> when it is malformed.</summary>
    public RequestBody? Body => _body ??= RequestBody.Read(Request);

    public string Param(string name) => Parameters.TryGetValue(name, out var value) ? value : "";

    public string? OptionalParam(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary><c>include_sandbox=true</c> on the query.</summary>
    public bool IncludeSandbox =>
        string.Equals(Request.QueryValue("include_sandbox"), "true", StringComparison.OrdinalIgnoreCase);

    public int QueryInt(string name, int fallback) =>
        int.TryParse(Request.QueryValue(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    public long? QueryLong(string name) =>
        long.TryParse(Request.QueryValue(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>A look-up that found nothing, in the configured <see cref="NotFoundStyle"/>.</summary>
    public FakeResponse NotFound(string message) =>
        FakeResponse.Envelope(State.Options.NotFoundStyle == NotFoundStyle.Http404 ? 404 : 200, 1, message, null);

    /// <summary>HTTP 400 for bad parameters.</summary>
    public static FakeResponse BadRequest(string message) => FakeResponse.Envelope(400, -1, message, null);

    /// <summary>HTTP 200 with <c>code 1</c>: a refusal.</summary>
    public static FakeResponse Refused(string message, int code = 1) => FakeResponse.Envelope(200, code, message, null);

    /// <summary>The paged list shape <c>{total, previous, next, list}</c>; <c>next</c> is 0 on the last page.</summary>
    public static JsonObject Page<T>(IReadOnlyList<T> all, int page, int limit, Func<T, JsonNode> toNode)
    {
        page = Math.Max(page, 1);
        limit = Math.Clamp(limit, 1, 100);
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
