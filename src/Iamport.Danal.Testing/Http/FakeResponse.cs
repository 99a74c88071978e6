using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Iamport.Danal.Testing.Http;

/// <summary>What the transport does with a response besides sending it.</summary>
internal enum Delivery
{
    /// <summary>Send the response normally.</summary>
    Send,

    /// <summary>The request was applied, but the response never arrives (timeout or reset after commit).</summary>
    DropAfterCommit,

    /// <summary>The connection is reset before anything was applied.</summary>
    ResetBeforeCommit,
}

/// <summary>A transport-neutral response produced by the core.</summary>
internal sealed class FakeResponse
{
    // Korean text stays readable; HTML-sensitive characters (<, >, &, ', +) are still escaped by this encoder.
    private static readonly JsonSerializerOptions WriteOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public FakeResponse(int statusCode, string contentType, byte[] body)
    {
        StatusCode = statusCode;
        ContentType = contentType;
        Body = body;
    }

    public int StatusCode { get; }

    public string ContentType { get; }

    public byte[] Body { get; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Delivery Delivery { get; set; } = Delivery.Send;

    /// <summary>For <see cref="Delivery.DropAfterCommit"/> in-process: a timeout rather than a reset.</summary>
    public bool DropAsTimeout { get; set; }

    public static FakeResponse Json(int statusCode, JsonNode node) =>
        new(statusCode, "application/json; charset=utf-8", Encoding.UTF8.GetBytes(node.ToJsonString(WriteOptions)));

    /// <summary>The I'mport envelope <c>{code, message, response}</c>.</summary>
    public static FakeResponse Envelope(int statusCode, int code, string? message, JsonNode? response) =>
        Json(statusCode, new JsonObject { ["code"] = code, ["message"] = message, ["response"] = response });

    public static FakeResponse Ok(JsonNode? response) => Envelope(200, 0, null, response);

    public static FakeResponse Text(int statusCode, string contentType, string text) =>
        new(statusCode, contentType, Encoding.UTF8.GetBytes(text));
}
