namespace Iamport.Danal.Samples.Shop.Web;

/// <summary>Korean particles chosen by the word they follow, so the page never hedges with both in parentheses: after a
/// final consonant (받침) 을/이/은/과, otherwise 를/가/는/와. A word ending in a digit is read as the digit's Korean
/// numeral (3 → 삼 has one, 2 → 이 has none).</summary>
public static class Korean
{
    private const int FirstSyllable = 0xAC00; // 가
    private const int LastSyllable = 0xD7A3;  // 힣

    // 영 일 이 삼 사 오 육 칠 팔 구: whether each digit's reading ends in a final consonant.
    private static readonly bool[] DigitHasFinal = [true, true, false, true, false, false, true, true, true, false];

    /// <summary>The word with its object particle: <c>9,900원</c> → <c>9,900원을</c>, <c>카드</c> → <c>카드를</c>.</summary>
    public static string WithObject(string word) => word + (HasFinalConsonant(word) ? "을" : "를");

    /// <summary>The word with its subject particle: <c>구독</c> → <c>구독이</c>, <c>카드</c> → <c>카드가</c>.</summary>
    public static string WithSubject(string word) => word + (HasFinalConsonant(word) ? "이" : "가");

    /// <summary>The word with its topic particle: <c>결제일</c> → <c>결제일은</c>, <c>카드</c> → <c>카드는</c>.</summary>
    public static string WithTopic(string word) => word + (HasFinalConsonant(word) ? "은" : "는");

    /// <summary>Whether the word's last sound ends in a final consonant. Anything that is neither a Hangul syllable
    /// nor a digit (Latin letters, symbols) counts as ending in a vowel.</summary>
    public static bool HasFinalConsonant(string word)
    {
        ArgumentException.ThrowIfNullOrEmpty(word);
        char last = word[^1];
        return last switch
        {
            >= '0' and <= '9' => DigitHasFinal[last - '0'],
            >= (char)FirstSyllable and <= (char)LastSyllable => (last - FirstSyllable) % 28 != 0,
            _ => false,
        };
    }
}
