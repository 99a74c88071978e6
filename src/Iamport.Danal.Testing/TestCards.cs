using System;
using System.Collections.Generic;
using System.Linq;
using Iamport.Danal.Testing.State;

namespace Iamport.Danal.Testing;

/// <summary>Card numbers the fake Danal window and <see cref="FakeIamport.IssueBillingKey"/> understand, and what each does.</summary>
/// <remarks>
/// A billing key remembers its card: charges of a key issued with <see cref="LimitExceeded"/> always end
/// <c>code 0</c> + <c>status "failed"</c> + <c>fail_reason "한도초과"</c>. Any other 16-digit number approves like
/// <see cref="Approve"/>. To make one charge of a good key decline, use <see cref="FakeIamport.DeclineNext"/>.
/// </remarks>
public static class TestCards
{
    /// <summary>A credit card (신한카드) that issues a key and approves every charge.</summary>
    public const string Approve = "9410-0000-0000-0001";

    /// <summary>A check card (KB국민카드, <c>card_type 1</c>) that issues a key and approves every charge.</summary>
    public const string ApproveCheckCard = "9410-0000-0000-0002";

    /// <summary>A card that issues a key (amount 0) but declines every charge with <see cref="LimitExceededReason"/>.</summary>
    public const string LimitExceeded = "9410-0000-0000-0051";

    /// <summary>A card that issues a key (amount 0) but declines every charge with <see cref="SuspendedReason"/>.</summary>
    public const string Suspended = "9410-0000-0000-0052";

    /// <summary>A check card that issues a key (amount 0) but declines every charge with <see cref="InsufficientBalanceReason"/>.</summary>
    public const string InsufficientBalance = "9410-0000-0000-0053";

    /// <summary>A card the Danal window refuses: no billing key is issued (<see cref="IssuanceFailedReason"/>).</summary>
    public const string FailIssuance = "9410-0000-0000-0099";

    /// <summary>The <c>fail_reason</c> of a charge over the card's limit.</summary>
    public const string LimitExceededReason = "한도초과";

    /// <summary>The <c>fail_reason</c> of a charge on a suspended card.</summary>
    public const string SuspendedReason = "정지된 카드";

    /// <summary>The <c>fail_reason</c> of a check-card charge over the account balance.</summary>
    public const string InsufficientBalanceReason = "잔액부족";

    /// <summary>The error message of a refused issuance.</summary>
    public const string IssuanceFailedReason = "유효하지 않은 카드번호입니다.";

    /// <summary>Gets every documented test card number.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Approve, ApproveCheckCard, LimitExceeded, Suspended, InsufficientBalance, FailIssuance];
}

/// <summary>What a card number means to the fake.</summary>
internal sealed record TestCard(string Number, string Label, string CardName, string CardCode, int CardType, string? DeclineReason, bool FailsIssuance)
{
    private static readonly TestCard[] Known =
    [
        new(TestCards.Approve, "승인 (신한카드)", "신한카드", "366", 0, null, false),
        new(TestCards.ApproveCheckCard, "승인 (KB국민 체크카드)", "KB국민카드", "381", 1, null, false),
        new(TestCards.LimitExceeded, "발급 후 결제 거절: 한도초과", "삼성카드", "365", 0, TestCards.LimitExceededReason, false),
        new(TestCards.Suspended, "발급 후 결제 거절: 정지된 카드", "현대카드", "367", 0, TestCards.SuspendedReason, false),
        new(TestCards.InsufficientBalance, "발급 후 결제 거절: 잔액부족", "NH농협카드", "371", 1, TestCards.InsufficientBalanceReason, false),
        new(TestCards.FailIssuance, "발급 실패", "롯데카드", "368", 0, null, true),
    ];

    public static IReadOnlyList<TestCard> All => Known;

    /// <summary>The card for a number; unknown numbers approve like <see cref="TestCards.Approve"/>.</summary>
    public static TestCard Find(string? number)
    {
        var digits = Digits(number);
        return Known.FirstOrDefault(card => Digits(card.Number) == digits)
            ?? Known[0] with { Number = digits.Length >= 12 ? digits : Known[0].Number };
    }

    /// <summary>The masked number as I'mport shows it, e.g. <c>941000******0001</c>.</summary>
    public string Masked
    {
        get
        {
            var digits = Digits(Number);
            return digits.Length < 10 ? digits : string.Concat(digits.AsSpan(0, 6), new string('*', digits.Length - 10), digits.AsSpan(digits.Length - 4));
        }
    }

    private static string Digits(string? number) => new((number ?? "").Where(char.IsAsciiDigit).ToArray());
}
