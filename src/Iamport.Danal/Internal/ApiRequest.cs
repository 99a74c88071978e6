using System;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Iamport.Danal.Internal;

/// <summary>One I'mport call: method, route template (for logs and errors), concrete path, and a body that can be replayed.</summary>
internal readonly struct ApiRequest
{
    private ApiRequest(HttpMethod method, string route, string pathAndQuery, byte[]? body, string? sensitive)
    {
        Method = method;
        Route = route;
        PathAndQuery = pathAndQuery;
        Body = body;
        Sensitive = sensitive;
    }

    public HttpMethod Method { get; }

    /// <summary>Gets the route template, such as <c>/subscribe/customers/{customer_uid}</c>: safe to log.</summary>
    public string Route { get; }

    /// <summary>Gets the concrete path and query, relative to the base address: may hold a customer_uid, never logged.</summary>
    public string PathAndQuery { get; }

    /// <summary>Gets whether the path is the route itself: no id, no query (the same string, as the factories below pass it).</summary>
    public bool IsFixedRoute => ReferenceEquals(PathAndQuery, Route);

    /// <summary>Gets the UTF-8 JSON body, serialized once so a replay after 401 sends the same bytes.</summary>
    public byte[]? Body { get; }

    /// <summary>Gets a value (a customer_uid) to scrub from any message I'mport echoes back.</summary>
    public string? Sensitive { get; }

    public static ApiRequest Get(string route, string pathAndQuery, string? sensitive = null) =>
        new(HttpMethod.Get, route, pathAndQuery, null, sensitive);

    public static ApiRequest Delete(string route, string pathAndQuery, string? sensitive = null) =>
        new(HttpMethod.Delete, route, pathAndQuery, null, sensitive);

    public static ApiRequest Post<TBody>(string route, TBody body, JsonTypeInfo<TBody> bodyType, string? sensitive = null) =>
        new(HttpMethod.Post, route, route, JsonSerializer.SerializeToUtf8Bytes(body, bodyType), sensitive);

    public static ApiRequest Post<TBody>(string route, string pathAndQuery, TBody body, JsonTypeInfo<TBody> bodyType, string? sensitive = null) =>
        new(HttpMethod.Post, route, pathAndQuery, JsonSerializer.SerializeToUtf8Bytes(body, bodyType), sensitive);

    public static ApiRequest Post(string route, string pathAndQuery, string? sensitive = null) =>
        new(HttpMethod.Post, route, pathAndQuery, null, sensitive);

    public static ApiRequest Put<TBody>(string route, string pathAndQuery, TBody body, JsonTypeInfo<TBody> bodyType, string? sensitive = null) =>
        new(HttpMethod.Put, route, pathAndQuery, JsonSerializer.SerializeToUtf8Bytes(body, bodyType), sensitive);

    /// <summary>Escapes one path segment, refusing a value that would address another route.</summary>
    /// <remarks>The last line of defence for every route: ids are checked with their field name by <see cref="DanalRules"/> first, through the same <see cref="RouteRules.PathSegment"/>.</remarks>
    /// <exception cref="ArgumentException">The value is <c>.</c> or <c>..</c>, holds <c>/</c>, <c>\</c>, <c>?</c>, <c>#</c>, a control character or an unpaired surrogate, also once percent-decoded.</exception>
    public static string Segment(string value, string paramName)
    {
        RouteRules.PathSegment(value, paramName, paramName);
        return Uri.EscapeDataString(value);
    }

    /// <summary>Escapes one query value, refusing an unpaired surrogate.</summary>
    public static string Query(string value, string paramName)
    {
        RouteRules.Text(value, paramName, paramName);
        return Uri.EscapeDataString(value);
    }
}
