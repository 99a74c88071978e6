namespace Iamport.Danal.Samples.Shop;

/// <summary>The shop's own settings, bound from the <c>Shop</c> configuration section.</summary>
public sealed class ShopOptions
{
    public const string SectionName = "Shop";

    /// <summary>The subscription product's name; also the payment <c>name</c> (at most 40 characters, no <c>%</c>).</summary>
    public string ProductName { get; set; } = "다날 정기구독 Pro";

    /// <summary>The monthly price in KRW.</summary>
    public long MonthlyPrice { get; set; } = 9_900;

    /// <summary>The SQLite file, used when no <c>ConnectionStrings:Shop</c> (PostgreSQL) is set; relative paths are under the content root.</summary>
    public string Database { get; set; } = "shop.db";

    /// <summary>The I'mport browser SDK. Unset: the fake's script in the embedded mode, the real CDN otherwise.</summary>
    public string? IamportJsUrl { get; set; }

    /// <summary>The admin credential: the admin endpoints (<c>/admin/...</c>) need it as <c>Authorization: Bearer
    /// {token}</c> or in the page's operator form. Unset: they are off (404). The embedded-fake mode generates one per
    /// run and prints it to the console.</summary>
    public string? AdminToken { get; set; }

    /// <summary>The Data Protection key ring (it signs and encrypts the customer cookie and the antiforgery tokens);
    /// relative paths are under the content root. Every process of one shop must share it.</summary>
    public string KeysDirectory { get; set; } = "shop-keys";

    /// <summary>The public address of this shop's webhook endpoint, sent as <c>notice_url</c>; unset: the I'mport console setting applies.</summary>
    public Uri? NoticeUrl { get; set; }

    /// <summary>Prefix of renewal merchant_uids (<c>{prefix}{subscription}_{yyyyMM}</c>); keep it unique per shop on one I'mport account.</summary>
    public string RenewalPrefix { get; set; } = "sub";

    /// <summary>Who charges renewals: the shop's own <see cref="RenewalEngine.Job"/> (default) or I'mport's
    /// <see cref="RenewalEngine.Scheduler"/>. Either may be switched to the other on a live shop (see the samples README).</summary>
    public RenewalEngine RenewalEngine { get; set; } = RenewalEngine.Job;

    /// <summary>Whether the background renewal job runs; the "run renewals now" endpoint works either way.</summary>
    public bool RenewalWorkerEnabled { get; set; } = true;

    /// <summary>How often the background renewal job runs.</summary>
    public TimeSpan RenewalInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many renewal charges (on the scheduler, reconciliation repairs) one process has in flight at once
    /// (and claims per batch). At 1-2 s per Danal approval, 16 charge about 10 subscriptions a second per process;
    /// PostgreSQL lets several processes share the work.</summary>
    public int RenewalConcurrency { get; set; } = 16;

    /// <summary>A retired key taken for deletion this long ago by a process that died may be taken again. Keep it well
    /// above the longest deletion call.</summary>
    public TimeSpan RenewalStaleClaimAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a renewal claim lasts unless its holder renews it (every sixth of it, on the database's
    /// clock); a claim is sent only with a third of its lease left at least. A claim whose lease ran out (its process died, or lost the database longer than this) is looked up by
    /// the next run of any process, never charged again blindly. Seconds to a minute: short enough that a dead process's
    /// periods are soon taken over, long enough to ride out a database restart or freeze.</summary>
    public TimeSpan RenewalLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a store operation is retried on transient database errors (a restart, a dropped connection,
    /// SQLite busy) before the error reaches its caller.</summary>
    public TimeSpan StoreRetryFor { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>When a past-due period is charged again by itself, counted from when it went past due: a comma-separated
    /// list of durations (<c>d.hh:mm:ss</c>). When the last retry is declined too, the subscription is cancelled, its card
    /// deleted, and the customer's page says why. Empty: no automatic retries and no cancellation (the customer's
    /// 다시 결제 and 카드 변경 only).</summary>
    public string DunningSchedule { get; set; } = "1.00:00:00, 3.00:00:00, 7.00:00:00";

    /// <summary>How many times a renewal refused before approval (an unknown or deleted key, ...) is claimed before the
    /// subscription is made past due: such a refusal does not go away by itself. Past due, it follows the dunning schedule.</summary>
    public int MaxRefusedTries { get; set; } = 3;

    /// <summary>A checkout still pending this long after it was opened (paid with the tab closed and its webhook lost,
    /// or abandoned) is looked up by the sweep before each renewal run: activated when it was paid, closed otherwise.
    /// Keep it above the time a buyer may spend in Danal's window.</summary>
    public TimeSpan SweepAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How far back the sweep lists payments cancelled at I'mport, to record refunds made in the console
    /// whose webhook was lost. Keep it above the renewal interval.</summary>
    public TimeSpan SweepRefundsWithin { get; set; } = TimeSpan.FromDays(3);

    /// <summary>The buyer phone number sent to Danal's window (required in practice). A real shop uses the customer's own.</summary>
    public string BuyerPhone { get; set; } = "010-1234-5678";

    /// <summary>The buyer name sent to Danal's window. A real shop uses the customer's own.</summary>
    public string BuyerName { get; set; } = "홍길동";
}

/// <summary>Who charges renewals (<see cref="ShopOptions.RenewalEngine"/>).</summary>
public enum RenewalEngine
{
    /// <summary>The shop's <see cref="Billing.RenewalJob"/> claims and charges each due period itself.</summary>
    Job,

    /// <summary>I'mport's scheduler charges each period; the shop registers it (<see cref="Billing.ScheduleEngine"/>),
    /// records its webhook and reconciles daily.</summary>
    Scheduler,
}
