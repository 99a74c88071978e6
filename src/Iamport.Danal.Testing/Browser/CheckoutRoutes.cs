using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Iamport.Danal.Testing.Routes;
using Iamport.Danal.Testing.Hosting;
using Iamport.Danal.Testing.State;

namespace Iamport.Danal.Testing.Browser;

/// <summary>The browser side: the fake <c>iamport.js</c> and the endpoint its simulated Danal window reports to.</summary>
internal static class CheckoutRoutes
{
    public const string UserCancelled = "사용자가 결제를 취소하셨습니다";

    /// <summary>The window's answer to a merchant_uid that is already paid (documented, with <see cref="AlreadyPaidCode"/>).</summary>
    public const string AlreadyPaid = "이미 결제가 이루어진 거래건입니다.";

    /// <summary>The documented <c>error_code</c> of a window opened for an already-paid merchant_uid; no payment is made.</summary>
    public const string AlreadyPaidCode = "F1002";

    /// <summary>The <c>error_code</c> of every other window failure: a refused param, a closed or cancelled window, a card
    /// the PG refused. Undocumented (an assumption: the code I'mport's v1 SDK reports when the PG did not complete a payment).</summary>
    public const string FailedCode = "F400";

    /// <summary>What the window says about a key-only issuance (amount 0): Danal checks the card with a small charge.</summary>
    public const string TestChargeNotice = "다날은 카드 확인을 위해 10원을 결제하고 약 30분 뒤 취소합니다.";

    private static readonly Lazy<string> CurrentScript = new(() => LoadScript(legacy: false));
    private static readonly Lazy<string> LegacyScript = new(() => LoadScript(legacy: true));

    /// <summary>Maps the script and the window's endpoint; neither needs a token.</summary>
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/v1/iamport.js", Pipeline.Serve(call =>
            Results.Text((call.State.Options.LegacyCallback ? LegacyScript : CurrentScript).Value, "text/javascript; charset=utf-8")))
            .WithName(FakeRoutes.IamportJs).AllowAnonymous();
        api.MapPost("/fake-danal/complete", Pipeline.Serve(Complete)).WithName(FakeRoutes.DanalComplete).AllowAnonymous();
    }

    /// <summary>Checks a <c>request_pay</c> param the way the SDK and Danal do; <see langword="null"/> when it is fine.</summary>
    public static string? Validate(JsonObject param)
    {
        var pg = RequestBody.AsString(param["pg"]);
        var channelKey = RequestBody.AsString(param["channelKey"]);
        if (pg is not null && channelKey is not null)
        {
            return "pg 와 channelKey 중 하나만 지정해야 합니다.";
        }

        // channelKey (v1/iamport.js only) names a console channel; the fake takes any as its Danal channel.
        if (channelKey is null && (pg is null || !(pg == "danal_tpay" || (pg.StartsWith("danal_tpay.", StringComparison.Ordinal) && pg.Length > "danal_tpay.".Length))))
        {
            return "pg 는 danal_tpay 또는 danal_tpay.{CPID} 여야 합니다.";
        }

        if (RequestBody.AsString(param["pay_method"]) != "card")
        {
            return "다날 정기결제는 pay_method 'card'만 지원됩니다.";
        }

        var merchantUid = RequestBody.AsString(param["merchant_uid"]);
        if (string.IsNullOrEmpty(merchantUid) || merchantUid.Length > 40)
        {
            return "merchant_uid 는 필수이며 40자 이하여야 합니다.";
        }

        var customerUid = RequestBody.AsString(param["customer_uid"]);
        if (string.IsNullOrEmpty(customerUid) || customerUid.Length > 80)
        {
            return "customer_uid 는 필수이며 80자 이하여야 합니다.";
        }

        if (param["amount"] is not JsonValue amount || amount.GetValueKind() != JsonValueKind.Number || amount.GetValue<decimal>() < 0)
        {
            return "amount 는 0 이상의 숫자여야 합니다.";
        }

        return null;
    }

    private static IResult Complete(Call context)
    {
        var body = context.Body;
        var legacy = context.State.Options.LegacyCallback;
        if (body?.Root["param"] is not JsonObject param)
        {
            return Answer.Json(200, Failure(legacy, null, FailedCode, "결제 요청 정보가 없습니다."));
        }

        var merchantUid = RequestBody.AsString(param["merchant_uid"]);
        var action = body.String("action") ?? "approve";
        var state = context.State;
        var invalid = Validate(param);
        if (invalid is null && state.Options.MerchantCode is { } code && body.String("merchant_code") != code)
        {
            invalid = "IMP.init 의 가맹점 식별코드가 올바르지 않습니다.";
        }

        var amount = invalid is null ? RequestBody.AsDecimal(param["amount"])!.Value : 0;
        if (invalid is null && state.Prepared.TryGetValue(merchantUid!, out var prepared) && prepared.Amount != amount)
        {
            invalid = "사전 등록된 결제금액과 요청 금액이 일치하지 않습니다.";
        }

        if (invalid is not null)
        {
            return Answer.Json(200, Failure(legacy, merchantUid, FailedCode, invalid));
        }

        if (Charges.IsMerchantUidSpent(state, merchantUid!))
        {
            // Refused before the window opens: no payment, no imp_uid.
            return Answer.Json(200, Failure(legacy, merchantUid, AlreadyPaidCode, AlreadyPaid));
        }

        var customerUid = RequestBody.AsString(param["customer_uid"])!;
        var card = TestCard.Find(body.String("card_number"));
        var paramBody = RequestBody.FromObject(param);
        var input = ChargeInput.FromBody(paramBody, merchantUid!, amount, body.Bool("mobile") ? "mobile" : "pc", "issue") with
        {
            CardQuota = 0,
            UserAgent = context.Header("User-Agent"),
            Tier = body.String("tier") is { Length: > 0 } tier ? tier : null,
            CustomData = param["custom_data"] is JsonValue { } text && text.GetValueKind() == JsonValueKind.String
                ? text.GetValue<string>()
                : param["custom_data"]?.ToJsonString(),
        };

        switch (action)
        {
            case "close":
                // Closed or cancelled: the real service keeps the attempt as a failed payment with its own imp_uid.
                var closed = Charges.Record(state, customerUid, card, input, UserCancelled);
                return Answer.Json(200, Failure(legacy, merchantUid, FailedCode, UserCancelled, closed));
            case "leave":
                // Left the window without an answer: the attempt stays ready, and the page never hears back.
                var left = Charges.Record(state, customerUid, card, input, failReason: null, ready: true);
                return Answer.Json(200, new JsonObject { ["imp_uid"] = left.ImpUid, ["merchant_uid"] = left.MerchantUid, ["status"] = left.Status });
        }

        var failReason = action == "fail" || card.FailsIssuance ? TestCards.IssuanceFailedReason : amount > 0 ? card.DeclineReason : null;
        if (failReason is not null)
        {
            // A refused issuance leaves a failed payment, no key, and (as for any failed immediate payment) no webhook.
            var failed = Charges.Record(state, customerUid, card, input, failReason);
            return Answer.Json(200, Failure(legacy, merchantUid, FailedCode, failReason, failed));
        }

        Issuance.Store(state, customerUid, card, paramBody.String("buyer_name"), paramBody.String("buyer_tel"), paramBody.String("buyer_email"));
        var payment = Charges.Record(state, customerUid, card, input, null);
        Charges.QueueWebhook(state, payment, context.Webhooks);
        return Answer.Json(200, Success(legacy, payment, param));
    }

    /// <summary>The current <c>v1/iamport.js</c> shape has no <c>success</c>/<c>imp_success</c>; the legacy one leads with them.</summary>
    private static JsonObject Shaped(bool legacy, bool success, JsonObject rsp)
    {
        if (!legacy)
        {
            return rsp;
        }

        var shaped = new JsonObject { ["success"] = success, ["imp_success"] = success };
        foreach (var (name, value) in rsp.ToList())
        {
            rsp.Remove(name);
            shaped[name] = value;
        }

        return shaped;
    }

    private static JsonObject Success(bool legacy, PaymentRecord payment, JsonObject param) => Shaped(legacy, true, new()
    {
        ["imp_uid"] = payment.ImpUid,
        ["merchant_uid"] = payment.MerchantUid,
        ["pay_method"] = payment.PayMethod,
        ["paid_amount"] = payment.Amount,
        ["status"] = payment.Status,
        ["name"] = payment.Name,
        ["pg_provider"] = payment.PgProvider,
        ["pg_type"] = "payment",
        ["pg_tid"] = payment.PgTid,
        ["apply_num"] = payment.ApplyNum,
        ["buyer_name"] = payment.BuyerName,
        ["buyer_email"] = payment.BuyerEmail,
        ["buyer_tel"] = payment.BuyerTel,
        ["buyer_addr"] = payment.BuyerAddr,
        ["buyer_postcode"] = payment.BuyerPostcode,
        ["custom_data"] = param["custom_data"]?.DeepClone(),
        ["paid_at"] = payment.PaidAt,
        ["receipt_url"] = payment.ReceiptUrl,
        ["card_name"] = payment.CardName,
        ["card_number"] = payment.CardNumber,
        ["card_quota"] = payment.CardQuota,
        ["currency"] = payment.Currency,
        ["customer_uid"] = payment.CustomerUid,
        ["error_code"] = null,
        ["error_msg"] = null,
    });

    private static JsonObject Failure(bool legacy, string? merchantUid, string code, string message, PaymentRecord? payment = null) => Shaped(legacy, false, new()
    {
        ["imp_uid"] = payment?.ImpUid,
        ["merchant_uid"] = merchantUid,
        ["pay_method"] = "card",
        ["paid_amount"] = 0,
        ["status"] = payment?.Status,
        ["pg_provider"] = "danal_tpay",
        ["pg_type"] = "payment",
        ["customer_uid"] = payment?.CustomerUid,
        ["error_code"] = code,
        ["error_msg"] = message,
    });

    private static string LoadScript(bool legacy)
    {
        using var stream = typeof(CheckoutRoutes).Assembly.GetManifestResourceStream("Iamport.Danal.Testing.iamport.js")
            ?? throw new InvalidOperationException("The embedded iamport.js is missing.");
        using var reader = new StreamReader(stream);
        var cards = new JsonArray([.. TestCard.All.Select(c => new JsonObject { ["number"] = c.Number, ["label"] = c.Label })]);

        // The default encoder escapes <, >, &, ' and + so the card list cannot break out of the script.
        return reader.ReadToEnd()
            .Replace("/*CARDS*/[]", cards.ToJsonString(), StringComparison.Ordinal)
            .Replace("/*LEGACY*/false", legacy ? "true" : "false", StringComparison.Ordinal)
            .Replace("/*TEST_CHARGE*/''", JsonValue.Create(TestChargeNotice).ToJsonString(), StringComparison.Ordinal);
    }
}
