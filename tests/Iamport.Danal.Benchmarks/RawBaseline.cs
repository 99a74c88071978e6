using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;

namespace Iamport.Danal.Benchmarks;

/// <summary>
/// What a careful shop would write by hand for <c>POST /subscribe/payments/again</c>: one <see cref="HttpClient"/>,
/// a per-request bearer header, source-generated System.Text.Json both ways, and the envelope check
/// (<c>code 0</c> and a <c>response</c>). No validation, reconciliation, logging or telemetry: the floor to compare with.
/// </summary>
public sealed class RawBaseline
{
    private static readonly MediaTypeHeaderValue JsonUtf8 = new("application/json") { CharSet = "utf-8" };
    private readonly HttpClient _http;
    private readonly Uri _again;

    public RawBaseline(HttpClient http, Uri baseAddress)
    {
        _http = http;
        _again = new Uri(baseAddress, "subscribe/payments/again");
    }

    /// <summary>Charges a billing key; returns the payment status, or throws when the reply is not a success envelope.</summary>
    public async Task<RawPayment> ChargeAsync(RawChargeBody body, string accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _again);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, RawJson.Default.RawChargeBody));
        request.Content.Headers.ContentType = JsonUtf8;
        using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        RawEnvelope? envelope = await JsonSerializer.DeserializeAsync(stream, RawJson.Default.RawEnvelope, cancellationToken).ConfigureAwait(false);
        if (envelope is not { Code: 0, Response: { } payment })
        {
            throw new HttpRequestException($"I'mport refused the charge: HTTP {(int)response.StatusCode} code {envelope?.Code} {envelope?.Message}");
        }

        return payment;
    }
}

public sealed class RawChargeBody
{
    public required string CustomerUid { get; init; }
    public required string MerchantUid { get; init; }
    public required decimal Amount { get; init; }
    public required string Name { get; init; }
    public string? BuyerName { get; init; }
    public string? BuyerEmail { get; init; }
}

public sealed class RawEnvelope
{
    public int? Code { get; init; }
    public string? Message { get; init; }
    public RawPayment? Response { get; init; }
}

/// <summary>Every field of the recorded response, typed as the JSON has them.</summary>
public sealed class RawPayment
{
    public string? ImpUid { get; init; }
    public string? MerchantUid { get; init; }
    public decimal Amount { get; init; }
    public decimal CancelAmount { get; init; }
    public string? Currency { get; init; }
    public string? Status { get; init; }
    public bool Sandbox { get; init; }
    public string? PayMethod { get; init; }
    public string? Channel { get; init; }
    public string? PgProvider { get; init; }
    public string? EmbPgProvider { get; init; }
    public string? PgTid { get; init; }
    public string? PgId { get; init; }
    public bool? Escrow { get; init; }
    public string? ApplyNum { get; init; }
    public string? BankCode { get; init; }
    public string? BankName { get; init; }
    public string? CardCode { get; init; }
    public string? CardName { get; init; }
    public int? CardQuota { get; init; }
    public string? CardNumber { get; init; }
    public int? CardType { get; init; }
    public string? VbankCode { get; init; }
    public string? VbankName { get; init; }
    public string? VbankNum { get; init; }
    public string? VbankHolder { get; init; }
    public long VbankDate { get; init; }
    public long VbankIssuedAt { get; init; }
    public string? Name { get; init; }
    public string? BuyerName { get; init; }
    public string? BuyerEmail { get; init; }
    public string? BuyerTel { get; init; }
    public string? BuyerAddr { get; init; }
    public string? BuyerPostcode { get; init; }
    public string? CustomData { get; init; }
    public string? UserAgent { get; init; }
    public long StartedAt { get; init; }
    public long PaidAt { get; init; }
    public long FailedAt { get; init; }
    public long CancelledAt { get; init; }
    public string? FailReason { get; init; }
    public string? CancelReason { get; init; }
    public string? ReceiptUrl { get; init; }
    public IReadOnlyList<JsonElement>? CancelHistory { get; init; }
    public IReadOnlyList<string>? CancelReceiptUrls { get; init; }
    public bool? CashReceiptIssued { get; init; }
    public string? CustomerUid { get; init; }
    public string? CustomerUidUsage { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RawChargeBody))]
[JsonSerializable(typeof(RawEnvelope))]
public sealed partial class RawJson : JsonSerializerContext
{
}
