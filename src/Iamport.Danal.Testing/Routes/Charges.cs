using System;
using System.Linq;
using Iamport.Danal.Testing.State;
using Iamport.Danal.Testing.Webhooks;

namespace Iamport.Danal.Testing.Routes;

/// <summary>Charging a billing key and the records and webhooks that follow. Callers hold the state's gate.</summary>
internal static class Charges
{
    public const string DuplicateMerchantUid = "이미 결제가 완료된 merchant_uid 입니다. 새로운 merchant_uid 로 요청해주세요.";

    /// <summary>Danal's installment rule: more than one month only from 50,000 KRW; the refusal, or <see langword="null"/>.</summary>
    public static string? InstallmentRefusal(ChargeInput input) =>
        input.CardQuota > 1 && input.Amount < 50_000 ? "5만원 미만 결제는 할부가 불가능합니다." : null;

    /// <summary>A merchant_uid is spent once any attempt with it did not fail.</summary>
    public static bool IsMerchantUidSpent(FakeState state, string merchantUid) =>
        state.PaymentsOfOrder(merchantUid).Any(p => p.Status is not ("failed" or "ready"));

    /// <summary>Approves or declines a charge of <paramref name="customer"/>'s card and records the payment.</summary>
    public static PaymentRecord Charge(FakeState state, CustomerRecord customer, ChargeInput input, string? declineReason = null)
    {
        if (declineReason is null && state.PendingDeclines.TryGetValue(customer.CustomerUid, out var queue) && queue.Count > 0)
        {
            declineReason = queue.Dequeue();
        }

        // A key-only issuance (amount 0) never declines: Danal's 10 KRW test charge is not visible.
        declineReason ??= input.Amount > 0 ? customer.Card.DeclineReason : null;
        return Record(state, customer.CustomerUid, customer.Card, input, declineReason);
    }

    /// <summary>Records a payment; <paramref name="failReason"/> makes it <c>failed</c>, <paramref name="ready"/> leaves it
    /// <c>ready</c> (the buyer left the window).</summary>
    public static PaymentRecord Record(FakeState state, string? customerUid, TestCard card, ChargeInput input, string? failReason, bool ready = false)
    {
        var now = state.NowUnix;
        var impUid = state.NewImpUid();
        var paid = failReason is null && !ready;
        var payment = new PaymentRecord
        {
            ImpUid = impUid,
            MerchantUid = input.MerchantUid,
            Channel = input.Channel,
            PgTid = state.NewPgTid(),
            PgId = state.Options.PgId,
            ApplyNum = paid ? state.NewDigits(8) : null,
            CardCode = card.CardCode,
            CardName = card.CardName,
            CardQuota = input.CardQuota,
            CardNumber = card.Masked,
            CardType = card.CardType,
            Name = input.Name,
            Amount = input.Amount,
            Currency = input.Currency,
            BuyerName = input.BuyerName,
            BuyerEmail = input.BuyerEmail,
            BuyerTel = input.BuyerTel,
            BuyerAddr = input.BuyerAddr,
            BuyerPostcode = input.BuyerPostcode,
            CustomData = input.CustomData,
            UserAgent = input.UserAgent ?? "sorry_not_supported_anymore",
            Status = paid ? "paid" : ready ? "ready" : "failed",
            StartedAt = now,
            PaidAt = paid ? now : 0,
            FailedAt = paid || ready ? 0 : now,
            FailReason = failReason,
            ReceiptUrl = paid ? "https://fake-danal.invalid/receipts/" + impUid : null,
            CustomerUid = customerUid,
            CustomerUidUsage = input.Usage,
            Sandbox = state.Options.Sandbox,
            Sequence = state.NextSequence(),
            NoticeUrls = input.NoticeUrls,
            Tier = input.Tier,
        };
        state.Add(payment);
        return payment;
    }

    /// <summary>Queues the webhook for <paramref name="payment"/> to each of its <c>notice_url</c>s, else to the console's
    /// address, if it has somewhere to go.</summary>
    public static void QueueWebhook(FakeState state, PaymentRecord payment, System.Collections.Generic.List<WebhookEvent> webhooks, string? cancellationId = null)
    {
        var notices = (payment.NoticeUrls ?? []).Select(url => Uri.TryCreate(url, UriKind.Absolute, out var notice) ? notice : null).OfType<Uri>().ToList();
        foreach (var target in notices.Count > 0 ? notices : state.Options.WebhookUrl is { } console ? [console] : [])
        {
            webhooks.Add(new WebhookEvent(target, payment.ImpUid, payment.MerchantUid, payment.Status, cancellationId));
        }
    }

    /// <summary>Orders payments by a <c>sorting</c> value: <c>-started</c> (default), <c>started</c>, <c>-paid</c>, <c>paid</c>, <c>-updated</c>, <c>updated</c>.</summary>
    public static PaymentRecord[] Sort(System.Collections.Generic.IEnumerable<PaymentRecord> payments, string? sorting)
    {
        var key = (sorting ?? "-started").Trim();
        var descending = key.StartsWith('-');
        Func<PaymentRecord, long> by = key.TrimStart('-', '+') switch
        {
            "paid" => p => p.PaidAt,
            "updated" => p => Math.Max(Math.Max(p.StartedAt, p.PaidAt), Math.Max(p.FailedAt, p.CancelledAt)),
            _ => p => p.StartedAt,
        };
        return descending
            ? payments.OrderByDescending(by).ThenByDescending(p => p.Sequence).ToArray()
            : payments.OrderBy(by).ThenBy(p => p.Sequence).ToArray();
    }
}
