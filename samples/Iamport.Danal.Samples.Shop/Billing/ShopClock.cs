using System.Globalization;

namespace Iamport.Danal.Samples.Shop.Billing;

/// <summary>Billing dates are Korean calendar dates, whatever the server's time zone.</summary>
public static class ShopClock
{
    private static readonly TimeSpan Kst = TimeSpan.FromHours(9);

    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().ToOffset(Kst).DateTime);

    /// <summary>An instant as Korean date and time, <c>yyyy-MM-dd HH:mm</c>, for pages.</summary>
    public static string Display(DateTimeOffset instant) => instant.ToOffset(Kst).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The billing period of a due date, as it appears in renewal merchant_uids: <c>yyyyMM</c>.</summary>
    public static string Period(DateOnly date) => date.ToString("yyyyMM", CultureInfo.InvariantCulture);
}
