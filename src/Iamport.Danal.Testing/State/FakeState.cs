using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace Iamport.Danal.Testing.State;

/// <summary>Everything the fake service remembers. Callers hold <see cref="Gate"/> while reading or changing it.</summary>
internal sealed class FakeState
{
    private readonly TimeProvider _time;
    private readonly FakeIamportOptions _options;
    private readonly Random _random;
    private long _sequence;

    public FakeState(FakeIamportOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
#pragma warning disable CA5394 // Deterministic identifiers for tests, not security.
        _random = new Random(options.Seed);
#pragma warning restore CA5394
    }

    public Lock Gate { get; } = new();

    /// <summary>Tokens by value; the newest is <see cref="CurrentToken"/>.</summary>
    public Dictionary<string, TokenRecord> Tokens { get; } = new(StringComparer.Ordinal);

    public TokenRecord? CurrentToken { get; set; }

    public int TokensIssued { get; set; }

    public Dictionary<string, CustomerRecord> Customers { get; } = new(StringComparer.Ordinal);

    /// <summary>Reasons the next charges of a customer decline with, queued by <c>DeclineNext</c>.</summary>
    public Dictionary<string, Queue<string>> PendingDeclines { get; } = new(StringComparer.Ordinal);

    public List<PaymentRecord> Payments { get; } = [];

    public List<ScheduleRecord> Schedules { get; } = [];

    public Dictionary<string, PreparedRecord> Prepared { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> RequestsPerRoute { get; } = new(StringComparer.Ordinal);

    /// <summary>The fake's true time (no skew): what token expiry and schedules are measured against.</summary>
    public DateTimeOffset UtcNow => _time.GetUtcNow();

    public long NowUnix => UtcNow.ToUnixTimeSeconds();

    public TimeSpan ServerClockSkew => _options.ServerClockSkew;

    public FakeIamportOptions Options => _options;

    public long NextSequence() => ++_sequence;

    public string NewImpUid()
    {
        string id;
        do
        {
#pragma warning disable CA5394 // Deterministic identifiers for tests, not security.
            id = "imp_" + _random.NextInt64(100_000_000_000, 1_000_000_000_000).ToString(CultureInfo.InvariantCulture);
#pragma warning restore CA5394
        }
        while (Payments.Exists(p => p.ImpUid == id));

        return id;
    }

    public string NewToken()
    {
        var bytes = new byte[20];
#pragma warning disable CA5394 // Deterministic identifiers for tests, not security.
        _random.NextBytes(bytes);
#pragma warning restore CA5394
        return Convert.ToHexStringLower(bytes);
    }

    public string NewDigits(int length)
    {
#pragma warning disable CA5394 // Deterministic identifiers for tests, not security.
        return string.Concat(Enumerable.Range(0, length).Select(_ => (char)('0' + _random.Next(10))));
#pragma warning restore CA5394
    }

    public string NewPgTid() => "danal" + UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + NewDigits(6);

    /// <summary>Payments of a merchant_uid, newest first, visible under the sandbox rule.</summary>
    public IEnumerable<PaymentRecord> PaymentsOf(string merchantUid, bool includeSandbox) =>
        Payments.Where(p => p.MerchantUid == merchantUid && (includeSandbox || !p.Sandbox) && p.VisibleFrom <= UtcNow);
}

/// <summary>An access token and its expiry (true fake time).</summary>
internal sealed class TokenRecord
{
    public required string Value { get; init; }

    public DateTimeOffset ExpiresAt { get; set; }

    public bool Revoked { get; set; }
}
