using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;

namespace Iamport.Danal.Testing.Routes;

/// <summary>The answers the real service gives: JSON with readable Korean, mostly in the envelope <c>{code, message, response}</c>.</summary>
internal static class Answer
{
    private const string JsonType = "application/json; charset=utf-8";

    // Korean text stays readable; HTML-sensitive characters (<, >, &, ', +) are still escaped by this encoder.
    private static readonly JsonSerializerOptions WriteOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public static IResult Json(int statusCode, JsonNode node) => Results.Text(node.ToJsonString(WriteOptions), JsonType, statusCode: statusCode);

    /// <summary>The I'mport envelope <c>{code, message, response}</c>.</summary>
    public static IResult Envelope(int statusCode, int code, string? message, JsonNode? response) =>
        Json(statusCode, new JsonObject { ["code"] = code, ["message"] = message, ["response"] = response });

    public static IResult Ok(JsonNode? response) => Envelope(200, 0, null, response);
}
