using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using Iamport.Danal.Internal;
using Iamport.Danal.Payments;

namespace Iamport.Danal.Schedules;

/// <summary>A scheduled charge as I'mport records it (<c>ScheduleResultAnnotation</c>).</summary>
public sealed class Schedule
{
    /// <summary>Gets or sets the billing key to charge (<c>customer_uid</c>).</summary>
    public string? CustomerUid { get; set; }

    /// <summary>Gets or sets the shop's id of the charge (<c>merchant_uid</c>).</summary>
    [JsonRequired]
    public string MerchantUid { get; set; } = "";

    /// <summary>Gets or sets I'mport's id of the payment, or <see langword="null"/> until the schedule has run (<c>imp_uid</c>).</summary>
    public string? ImpUid { get; set; }

    /// <summary>Gets or sets when the charge is due (<c>schedule_at</c>).</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    public DateTimeOffset? ScheduleAt { get; set; }

    /// <summary>Gets or sets when the charge ran (<c>executed_at</c>), or <see langword="null"/>.</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    public DateTimeOffset? ExecutedAt { get; set; }

    /// <summary>Gets or sets when the schedule was revoked (<c>revoked_at</c>), or <see langword="null"/>.</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Gets or sets the amount to charge (<c>amount</c>).</summary>
    public decimal Amount { get; set; }

    /// <summary>Gets or sets the currency (<c>currency</c>).</summary>
    public string? Currency { get; set; }

    /// <summary>Gets or sets the order name (<c>name</c>).</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the buyer's name (<c>buyer_name</c>).</summary>
    public string? BuyerName { get; set; }

    /// <summary>Gets or sets the buyer's e-mail address (<c>buyer_email</c>).</summary>
    public string? BuyerEmail { get; set; }

    /// <summary>Gets or sets the buyer's phone number (<c>buyer_tel</c>).</summary>
    public string? BuyerTel { get; set; }

    /// <summary>Gets or sets the buyer's address (<c>buyer_addr</c>).</summary>
    public string? BuyerAddr { get; set; }

    /// <summary>Gets or sets the buyer's postcode (<c>buyer_postcode</c>).</summary>
    public string? BuyerPostcode { get; set; }

    /// <summary>Gets or sets the shop's custom data (<c>custom_data</c>).</summary>
    public string? CustomData { get; set; }

    /// <summary>Gets or sets the state of the schedule (<c>schedule_status</c>).</summary>
    public ScheduleStatus? ScheduleStatus { get; set; }

    /// <summary>Gets or sets the outcome of the charge once run (<c>payment_status</c>): paid, failed, cancelled; <see langword="null"/> before.</summary>
    public PaymentStatus? PaymentStatus { get; set; }

    /// <summary>Gets or sets why the charge failed (<c>fail_reason</c>).</summary>
    public string? FailReason { get; set; }

    /// <summary>Gets or sets the PG that ran the charge (<c>pg_provider</c>); for a super billing key, the one it was routed to.</summary>
    public PgProvider? PgProvider { get; set; }

    /// <summary>Gets or sets the PG merchant id (MID) that ran the charge (<c>pg_id</c>).</summary>
    public string? PgId { get; set; }

    /// <summary>Gets or sets the shop's buyer id (<c>customer_id</c>).</summary>
    public string? CustomerId { get; set; }

    /// <summary>Gets or sets the promotion applied to the charge (<c>promotion_id</c>, starting with <c>promotion-id-</c>).</summary>
    public string? PromotionId { get; set; }
}

/// <summary>The body of <c>POST /subscribe/payments/schedule</c>.</summary>
internal sealed class ScheduleBody
{
    public required string CustomerUid { get; init; }

    public required IReadOnlyList<ScheduleRequest> Schedules { get; init; }

    /// <summary>The channel (<c>channel_key</c>), from <see cref="IamportOptions.ChannelKey"/>; not sent when <see langword="null"/>.</summary>
    public string? ChannelKey { get; init; }
}

/// <summary>The body of <c>POST /subscribe/payments/unschedule</c>; no merchant_uid revokes every schedule of the key.</summary>
internal sealed class UnscheduleBody
{
    public required string CustomerUid { get; init; }

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
internal sealed class ScheduleList(Page<Schedule> page)
{
    public Page<Schedule> Page { get; } = page;
}

/// <summary>Reads both shapes of a schedule list; a plain array is the one and only page.</summary>
internal sealed class ScheduleListConverter : JsonConverter<ScheduleList>
{
    public override ScheduleList Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            IReadOnlyList<Schedule> items = JsonSerializer.Deserialize(ref reader, IamportJsonContext.Default.IReadOnlyListSchedule) ?? [];
            return new ScheduleList(new Page<Schedule> { Total = items.Count, Items = items });
        }

        return new ScheduleList(JsonSerializer.Deserialize(ref reader, IamportJsonContext.Default.PageSchedule) ?? throw new JsonException("A schedule list is an array or a page."));
    }

    public override void Write(Utf8JsonWriter writer, ScheduleList value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.Page, IamportJsonContext.Default.PageSchedule);
}
