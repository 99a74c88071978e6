using System;
using System.Security.Cryptography;
using Iamport.Danal.Internal;

namespace Iamport.Danal.Checkout;

/// <summary>Creates <c>merchant_uid</c> values: unique, at most 40 characters of <c>[A-Za-z0-9_-]</c> and sortable by time.</summary>
/// <remarks>
/// An id is <c>[prefix_]</c> followed by 19 lower-case base-36 characters: 9 for the UTC milliseconds since 1970, 4 for a
/// sequence within the millisecond and 6 random ones that keep ids from different processes apart. Ids from one instance
/// sort (ordinally) in the order they were made, even if the clock steps back. Thread-safe.
/// </remarks>
public sealed class MerchantUidGenerator
{
    /// <summary>The longest prefix accepted, so that an id never exceeds 40 characters.</summary>
    public const int MaxPrefixLength = 20;

    private const int TimeDigits = 9;
    private const int SequenceDigits = 4;
    private const int RandomDigits = 6;
    private const long SequenceLimit = 36L * 36 * 36 * 36;
    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";

    private static readonly RandomNumberGenerator Random = RandomNumberGenerator.Create();
    private readonly string _prefix;
    private readonly TimeProvider _timeProvider;
    private readonly object _lock = new();
    private readonly byte[] _randomBytes = new byte[RandomDigits];
    private long _lastMilliseconds = -1;
    private long _sequence;

    /// <summary>Initializes a new instance of the <see cref="MerchantUidGenerator"/> class on the system clock, without a prefix.</summary>
    public MerchantUidGenerator()
        : this(null, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MerchantUidGenerator"/> class on the system clock.</summary>
    /// <param name="prefix">A prefix such as <c>order</c>, at most <see cref="MaxPrefixLength"/> of <c>[A-Za-z0-9_-]</c>, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is empty, too long or has other characters.</exception>
    public MerchantUidGenerator(string? prefix)
        : this(prefix, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MerchantUidGenerator"/> class.</summary>
    /// <param name="prefix">An optional prefix such as <c>order</c>, at most <see cref="MaxPrefixLength"/> of <c>[A-Za-z0-9_-]</c>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is empty, too long or has other characters.</exception>
    public MerchantUidGenerator(string? prefix, TimeProvider? timeProvider)
    {
        if (prefix is not null)
        {
            RouteRules.Identifier(prefix, nameof(prefix), "prefix", MaxPrefixLength);
        }

        _prefix = prefix is null ? "" : prefix + "_";
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets a generator without prefix on the system clock, used when a builder is given no <c>merchant_uid</c>.</summary>
    public static MerchantUidGenerator Default { get; } = new();

    /// <summary>Creates a new id.</summary>
    /// <returns>An id of at most 40 characters of <c>[A-Za-z0-9_-]</c>, greater (ordinally) than every earlier id of this instance.</returns>
    public string Next()
    {
        char[] id = new char[_prefix.Length + TimeDigits + SequenceDigits + RandomDigits];
        _prefix.CopyTo(0, id, 0, _prefix.Length);
        long milliseconds;
        long sequence;
        lock (_lock)
        {
            milliseconds = Math.Max(_timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), _lastMilliseconds);
            sequence = milliseconds == _lastMilliseconds ? _sequence + 1 : 0;
            if (sequence == SequenceLimit)
            {
                // More ids in one millisecond than the sequence holds: borrow the next millisecond.
                (milliseconds, sequence) = (milliseconds + 1, 0);
            }

            (_lastMilliseconds, _sequence) = (milliseconds, sequence);
            Random.GetBytes(_randomBytes);
            for (int i = 0; i < RandomDigits; i++)
            {
                id[id.Length - RandomDigits + i] = Digits[_randomBytes[i] % 36];
            }
        }

        WriteBase36(milliseconds, id, _prefix.Length, TimeDigits);
        WriteBase36(sequence, id, _prefix.Length + TimeDigits, SequenceDigits);
        return new string(id);
    }

    private static void WriteBase36(long value, char[] destination, int start, int width)
    {
        for (int i = start + width - 1; i >= start; i--)
        {
            destination[i] = Digits[(int)(value % 36)];
            value /= 36;
        }
    }
}
