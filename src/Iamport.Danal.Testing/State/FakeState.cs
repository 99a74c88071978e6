using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace Iamport.Danal.Testing.State;

/// <summary>Everything the fake service remembers. Callers hold <see cref="Gate"/> while reading or changing it.</summary>
/// <remarks>Every look-up by <c>imp_uid</c>, <c>merchant_uid</c>, <c>customer_uid</c> or token is a dictionary read, so a
/// charge costs the same after a million payments as after the first. Only the range lists (payments by status,
/// schedules by period) walk their records.</remarks>
internal sealed class FakeState
{
    private readonly TimeProvider _time;
    private readonly FakeIamportOptions _options;
    private readonly Random _random;
    private readonly List<PaymentRecord> _payments = [];
    private readonly Dictionary<string, PaymentRecord> _paymentsByImpUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PaymentRecord>> _paymentsByMerchantUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PaymentRecord>> _paymentsByCustomerUid = new(StringComparer.Ordinal);
    private readonly List<ScheduleRecord> _schedules = [];
    private readonly Dictionary<string, ScheduleRecord> _schedulesByMerchantUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ScheduleRecord>> _schedulesByCustomerUid = new(StringComparer.Ordinal);
    private readonly SortedSet<ScheduleRecord> _pending = new(Comparer<ScheduleRecord>.Create(
        (a, b) => a.ScheduleAt != b.ScheduleAt ? a.ScheduleAt.CompareTo(b.ScheduleAt) : a.Sequence.CompareTo(b.Sequence)));
    private long _sequence;

    public FakeState(FakeIamportOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
#pragma warning disable CA5394 // Deterministic identifiers for tests, not security.
        _random = new Random(options.Seed ?? Random.Shared.Next());
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

    /// <summary>Every payment, oldest first.</summary>
    public IReadOnlyList<PaymentRecord> Payments => _payments;

    /// <summary>Every schedule, oldest first.</summary>
    public IReadOnlyList<ScheduleRecord> Schedules => _schedules;

    public Dictionary<string, PreparedRecord> Prepared { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> RequestsPerRoute { get; } = new(StringComparer.Ordinal);

    /// <summary>The fake's true time (no skew): what token expiry and schedules are measured against.</summary>
    public DateTimeOffset UtcNow => _time.GetUtcNow();

    public long NowUnix => UtcNow.ToUnixTimeSeconds();

    public TimeSpan ServerClockSkew => _options.ServerClockSkew;

    public FakeIamportOptions Options => _options;

    public long NextSequence() => ++_sequence;

    public void Add(PaymentRecord payment)
    {
        _payments.Add(payment);
        _paymentsByImpUid.Add(payment.ImpUid, payment);
        Append(_paymentsByMerchantUid, payment.MerchantUid, payment);
        if (payment.CustomerUid is { } customerUid)
        {
            Append(_paymentsByCustomerUid, customerUid, payment);
        }
    }

    public PaymentRecord? Payment(string impUid) => _paymentsByImpUid.GetValueOrDefault(impUid);

    /// <summary>Payments of a merchant_uid, oldest first (sandbox or not).</summary>
    public IReadOnlyList<PaymentRecord> PaymentsOfOrder(string merchantUid) =>
        _paymentsByMerchantUid.TryGetValue(merchantUid, out var list) ? list : [];

    /// <summary>Payments of a billing key, oldest first.</summary>
    public IReadOnlyList<PaymentRecord> PaymentsOfCustomer(string customerUid) =>
        _paymentsByCustomerUid.TryGetValue(customerUid, out var list) ? list : [];

    /// <summary>Payments of a merchant_uid visible under the sandbox rule.</summary>
    public IEnumerable<PaymentRecord> PaymentsOf(string merchantUid, bool includeSandbox) =>
        PaymentsOfOrder(merchantUid).Where(p => (includeSandbox || !p.Sandbox) && p.VisibleFrom <= UtcNow);

    public void Add(ScheduleRecord schedule)
    {
        _schedules.Add(schedule);
        _schedulesByMerchantUid[schedule.MerchantUid] = schedule;
        Append(_schedulesByCustomerUid, schedule.CustomerUid, schedule);
        if (schedule.ScheduleStatus == "scheduled")
        {
            _pending.Add(schedule);
        }
    }

    /// <summary>The newest schedule registered under a merchant_uid.</summary>
    public ScheduleRecord? Schedule(string merchantUid) => _schedulesByMerchantUid.GetValueOrDefault(merchantUid);

    public IReadOnlyList<ScheduleRecord> SchedulesOfCustomer(string customerUid) =>
        _schedulesByCustomerUid.TryGetValue(customerUid, out var list) ? list : [];

    /// <summary>Sets a schedule's status and time, keeping the pending queue in step.</summary>
    public void Update(ScheduleRecord schedule, string status, long? scheduleAt = null)
    {
        _pending.Remove(schedule);
        schedule.ScheduleStatus = status;
        if (scheduleAt is { } at)
        {
            schedule.ScheduleAt = at;
        }

        if (status == "scheduled")
        {
            _pending.Add(schedule);
        }
    }

    /// <summary>The pending schedule due first, if any.</summary>
    public ScheduleRecord? FirstPending => _pending.Count == 0 ? null : _pending.Min;

    public string NewImpUid()
    {
        string id;
        do
        {
#pragma warning disable CA5394 // Deterministic identifiers for tests, not security.
            id = "imp_" + _random.NextInt64(100_000_000_000, 1_000_000_000_000).ToString(CultureInfo.InvariantCulture);
#pragma warning restore CA5394
        }
        while (_paymentsByImpUid.ContainsKey(id));

        return id;
    }

    public string NewToken()
    {
        var bytes = new byte[20];
#pragma warning disable CA5394 // Deterministic identifiers for tests, not security.
        _random.NextBytes(bytes);
#pragma warning restore CA5394
        return Convert.ToHexString(bytes).ToLowerInvariant();
    }

    public string NewDigits(int length)
    {
        Span<char> digits = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
#pragma warning disable CA5394 // Deterministic identifiers for tests, not security.
            digits[i] = (char)('0' + _random.Next(10));
#pragma warning restore CA5394
        }

        return new string(digits);
    }

    public string NewPgTid() => "danal" + UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + NewDigits(6);

    private static void Append<T>(Dictionary<string, List<T>> index, string key, T item)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        list.Add(item);
    }
}

/// <summary>An access token and its expiry (true fake time).</summary>
internal sealed class TokenRecord
{
    public required string Value { get; init; }

    public DateTimeOffset ExpiresAt { get; set; }

    public bool Revoked { get; set; }
}
