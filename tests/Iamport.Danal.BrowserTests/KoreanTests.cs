using System.Text.RegularExpressions;
using Iamport.Danal.Samples.Shop.Web;

namespace Iamport.Danal.BrowserTests;

/// <summary>Particles chosen by the word: the shop never hedges with both in parentheses.</summary>
[TestFixture]
public sealed partial class KoreanTests
{
    [TestCase("카드", "카드를")]
    [TestCase("결제", "결제를")]
    [TestCase("구독", "구독을")]
    [TestCase("9,900원", "9,900원을")]
    [TestCase("10", "10을")]
    [TestCase("2", "2를")]
    [TestCase("3", "3을")]
    [TestCase("Pro", "Pro를")]
    public void WithObject_Word_PicksParticleByFinalConsonant(string word, string expected) =>
        Assert.That(Korean.WithObject(word), Is.EqualTo(expected));

    [Test]
    public void WithParticles_EveryHangulSyllable_MatchesItsFinalConsonant()
    {
        using (Assert.EnterMultipleScope())
        {
            for (char syllable = '\uAC00'; syllable <= '\uD7A3'; syllable++)
            {
                bool final = (syllable - 0xAC00) % 28 != 0; // the syllable's jongseong index
                string word = "가" + syllable;
                if (Korean.WithObject(word) != word + (final ? "을" : "를")
                    || Korean.WithSubject(word) != word + (final ? "이" : "가")
                    || Korean.WithTopic(word) != word + (final ? "은" : "는"))
                {
                    Assert.Fail($"U+{(int)syllable:X4} {syllable}");
                }
            }
        }
    }

    [Test]
    public void WithObject_AnyAmountInWon_EndsIn원을()
    {
        int seed = Random.Shared.Next();
        TestContext.Out.WriteLine("seed " + seed);
        var random = new Random(seed);
        for (int i = 0; i < 1_000; i++)
        {
            long amount = random.NextInt64(0, 100_000_000);
            Assert.That(Korean.WithObject(ShopPage.Won(amount)), Does.EndWith("원을"), $"seed {seed}: {amount}");
        }
    }

    [Test]
    public void ShopSources_EveryText_HasNoHedgedParticle()
    {
        // Every text the shop can show (pages, notices, confirmations, messages of Billing and Web) lives in its sources.
        var root = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Iamport.Danal.sln")))
        {
            root = root.Parent;
        }

        Assert.That(root, Is.Not.Null, "the repository root (Iamport.Danal.sln) above the test directory");
        string shop = Path.Combine(root!.FullName, "samples", "Iamport.Danal.Samples.Shop");
        var files = Directory.EnumerateFiles(shop, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".js", StringComparison.Ordinal))
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .ToList();
        var hedged = files.SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(shop, f), Line: i + 1, Text: line)))
            .Where(l => Hedged().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(files, Has.Some.EndsWith("ShopPage.cs"));
            Assert.That(hedged, Is.Empty);
        }
    }

    [GeneratedRegex(@"\((?:을|를|이|가|은|는|와|과|으로|로)\)|[가-힣0-9]\((?:을|를|이|가|은|는)\)")]
    private static partial Regex Hedged();
}
