using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Iamport.Danal.Checkout;
#if !LIBRARY_NETSTANDARD
using Microsoft.Extensions.Time.Testing;
#endif

namespace Iamport.Danal.Tests.Checkout;

public class MerchantUidGeneratorTests
{
    [Test]
    public void Next_ParallelThreads_100000DistinctSafeIds()
    {
        var generator = new MerchantUidGenerator("order");
        var ids = new ConcurrentBag<string>();

        Parallel.For(0, 100_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ => ids.Add(generator.Next()));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ids, Has.Count.EqualTo(100_000));
            Assert.That(ids.Distinct(StringComparer.Ordinal).Count(), Is.EqualTo(100_000));
            Assert.That(ids, Has.All.Match("^order_[A-Za-z0-9_-]+$").And.All.Length.LessThanOrEqualTo(40));
        }
    }

    [Test]
    public void Next_SameInstance_SortsInCreationOrder()
    {
        var generator = new MerchantUidGenerator();

        string[] ids = Enumerable.Range(0, 10_000).Select(_ => generator.Next()).ToArray();

        Assert.That(ids, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
    }

    [Test]
    public void Next_LongestPrefix_Exactly40Characters()
    {
        string id = new MerchantUidGenerator(new string('p', MerchantUidGenerator.MaxPrefixLength)).Next();

        Assert.That(id, Has.Length.EqualTo(40));
    }

    [TestCase("")]
    [TestCase("order 1")]
    [TestCase("주문")]
    [TestCase("abcdefghijklmnopqrstu")]
    public void Constructor_BadPrefix_ThrowsNamingPrefix(string prefix)
    {
        Assert.That(() => new MerchantUidGenerator(prefix), Throws.ArgumentException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("prefix"));
    }

    // The netstandard2.0 build of the library takes TimeProvider from Microsoft.Bcl.TimeProvider, which the test project
    // does not reference, so the clock tests compile against the net10.0 build only.
#if !LIBRARY_NETSTANDARD
    [Test]
    public void Next_SeparateInstancesSameMillisecond_Distinct()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero));
        var ids = new HashSet<string>(StringComparer.Ordinal);

        for (int i = 0; i < 1000; i++)
        {
            ids.Add(new MerchantUidGenerator(null, time).Next());
        }

        Assert.That(ids, Has.Count.EqualTo(1000), "the random part keeps instances (and processes) apart");
    }

    [Test]
    public void Next_ClockAdvancingOrStill_SortsInCreationOrder()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero));
        var generator = new MerchantUidGenerator(null, time);
        var random = new Random(7);
        var ids = new List<string>();

        for (int i = 0; i < 5000; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(random.Next(3) == 0 ? random.Next(1, 100_000) : 0));
            ids.Add(generator.Next());
        }

        Assert.That(ids, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
    }

    [Test]
    public void Next_LaterTime_SortsAfterEarlierInstance()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero));
        string earlier = new MerchantUidGenerator("o", time).Next();
        time.Advance(TimeSpan.FromMilliseconds(1));

        string later = new MerchantUidGenerator("o", time).Next();

        Assert.That(string.CompareOrdinal(earlier, later), Is.Negative);
    }
#endif
}
