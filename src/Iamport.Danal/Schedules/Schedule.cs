using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

/// <summary>A scheduled charge as I'mport records it (<c>ScheduleResultAnnotation</c>).</summary>
public sealed class Schedule
{
    [JsonConstructor]
    internal Schedule()
    {
    }

    /// <summary>Gets the billing key to charge (<c>customer_uid</c>).</summary>
    [JsonInclude]
    public string? CustomerUid { get; internal set; }

    /// <summary>Gets the shop's id of the charge (<c>merchant_uid</c>).</summary>
    [JsonRequired]
    [JsonInclude]
    public string MerchantUid { get; internal set; } = "";

    /// <summary>Gets I'mport's id of the payment, or <see langword="null"/> until the schedule has run (<c>imp_uid</c>).</summary>
    [JsonInclude]
    public string? ImpUid { get; internal set; }

    /// <summary>Gets when the charge is due (<c>schedule_at</c>).</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    [JsonPropertyName("schedule_at")]
    [JsonInclude]
    public DateTimeOffset? ScheduledAt { get; internal set; }

    /// <summary>Gets when the charge ran (<c>executed_at</c>), or <see langword="null"/>.</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    [JsonInclude]
    public DateTimeOffset? ExecutedAt { get; internal set; }

    /// <summary>Gets when the schedule was revoked (<c>revoked_at</c>), or <see langword="null"/>.</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    [JsonInclude]
    public DateTimeOffset? RevokedAt { get; internal set; }

    /// <summary>Gets the amount to charge (<c>amount</c>).</summary>
    [JsonInclude]
    public decimal Amount { get; internal set; }

    /// <summary>Gets the currency (<c>currency</c>).</summary>
    [JsonInclude]
    public string? Currency { get; internal set; }

    /// <summary>Gets the order name (<c>name</c>).</summary>
    [JsonInclude]
    public string? Name { get; internal set; }

    /// <summary>Gets the buyer's name (<c>buyer_name</c>).</summary>
    [JsonInclude]
    public string? BuyerName { get; internal set; }

    /// <summary>Gets the buyer's e-mail address (<c>buyer_email</c>).</summary>
    [JsonInclude]
    public string? BuyerEmail { get; internal set; }

    /// <summary>Gets the buyer's phone number (<c>buyer_tel</c>).</summary>
    [JsonPropertyName("buyer_tel")]
    [JsonInclude]
    public string? BuyerPhone { get; internal set; }

    /// <summary>Gets the buyer's address (<c>buyer_addr</c>).</summary>
    [JsonPropertyName("buyer_addr")]
    [JsonInclude]
    public string? BuyerAddress { get; internal set; }

    /// <summary>Gets the buyer's postcode (<c>buyer_postcode</c>).</summary>
    [JsonInclude]
    public string? BuyerPostcode { get; internal set; }

    /// <summary>Gets the shop's custom data (<c>custom_data</c>).</summary>
    [JsonInclude]
    public string? CustomData { get; internal set; }

    /// <summary>Gets the state of the schedule (<c>schedule_status</c>).</summary>
    [JsonInclude]
    public ScheduleStatus? ScheduleStatus { get; internal set; }

    /// <summary>Gets the outcome of the charge once run (<c>payment_status</c>): paid, failed, cancelled; <see langword="null"/> before.</summary>
    [JsonInclude]
    public PaymentStatus? PaymentStatus { get; internal set; }

    /// <summary>Gets why the charge failed (<c>fail_reason</c>).</summary>
    [JsonInclude]
    public string? FailReason { get; internal set; }

    /// <summary>Gets the PG that ran the charge (<c>pg_provider</c>); for a super billing key, the one it was routed to.</summary>
    [JsonInclude]
    public PgProvider? PgProvider { get; internal set; }

    /// <summary>Gets the PG merchant id (MID) that ran the charge (<c>pg_id</c>).</summary>
    [JsonInclude]
    public string? PgId { get; internal set; }

    /// <summary>Gets the shop's buyer id (<c>customer_id</c>).</summary>
    [JsonInclude]
    public string? CustomerId { get; internal set; }

    /// <summary>Gets the promotion applied to the charge (<c>promotion_id</c>, starting with <c>promotion-id-</c>).</summary>
    [JsonInclude]
    public string? PromotionId { get; internal set; }
}

/// <summary>The body of <c>POST /subscribe/payments/schedule</c>.</summary>
internal sealed class ScheduleBody
{
    public required string CustomerUid { get; init; }

    public required IReadOnlyList<ScheduleRequest> Schedules { get; init; }

    /// <summary>The channel (<c>channel_key</c>): <see cref="IamportOptions.ChannelKey"/> with <see cref="IamportOptions.SendChannelKeyWithCharges"/>; not sent when <see langword="null"/>.</summary>
    public string? ChannelKey { get; init; }
}

/// <summary>The body of <c>POST /subscribe/payments/unschedule</c>: no merchant_uid revokes every schedule of the key;
/// no customer_uid revokes the merchant_uids' schedules whatever their key.</summary>
internal sealed class UnscheduleBody
{
    public string? CustomerUid { get; init; }

    public IReadOnlyList<string>? MerchantUid { get; init; }
}

/// <summary>The body of <c>PUT /subscribe/payments/schedule/{merchant_uid}</c> and <c>POST …/reschedule</c>.</summary>
internal sealed class ScheduleAtBody
{
    [JsonConverter(typeof(UnixSecondsConverter))]
    public required DateTimeOffset ScheduleAt { get; init; }
}

/// <summary>A schedule list as I'mport answers it: documented as a plain array, read by the Java client as a page.</summary>
[JsonConverter(typeof(ScheduleListConverter))]
internal sealed class ScheduleList(IamportPage<Schedule> page)
{
    public IamportPage<Schedule> Page { get; } = page;
}

/// <summary>Reads both shapes of a schedule list; a plain array is the one and only page.</summary>
internal sealed class ScheduleListConverter : JsonConverter<ScheduleList>
{
    public override ScheduleList Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            IReadOnlyList<Schedule> items = JsonSerializer.Deserialize(ref reader, IamportJsonContext.Default.IReadOnlyListSchedule) ?? [];
            return new ScheduleList(new IamportPage<Schedule> { Total = items.Count, Items = items });
        }

        return new ScheduleList(JsonSerializer.Deserialize(ref reader, IamportJsonContext.Default.IamportPageSchedule) ?? throw new JsonException("A schedule list is an array or a page."));
    }

    public override void Write(Utf8JsonWriter writer, ScheduleList value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.Page, IamportJsonContext.Default.IamportPageSchedule);
}
