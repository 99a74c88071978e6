using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http;
using System.Text;

namespace Iamport.Danal.Internal;

/// <summary>
/// The <see cref="ActivitySource"/> and <see cref="Meter"/> named <c>Iamport.Danal</c>. Every name here is listed in the
/// README's Telemetry section. The library's spans are <see cref="ActivityKind.Internal"/>: the one <c>CLIENT</c> span
/// of a request is the HttpClient's own, a child of the library's.
/// </summary>
internal static class Telemetry
{
    public const string Name = "Iamport.Danal";

    /// <summary>The span around one charge, its reconciliation included.</summary>
    public const string ChargeActivity = "iamport charge";

    public const string RouteTag = "iamport.route";
    public const string MethodTag = "iamport.method";
    public const string CodeTag = "iamport.code";
    public const string MerchantUidTag = "iamport.merchant_uid";
    public const string OutcomeTag = "iamport.charge.outcome";
    public const string ReconciledTag = "iamport.charge.reconciled";

    /// <summary>The key under which a request carries its route template, for <see cref="IamportTelemetry.EnrichHttpRequest"/>.</summary>
    private const string RouteKey = "Iamport.Danal.Route";

    private static readonly string? Version = typeof(Telemetry).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource Source = new(Name, Version);

    public static readonly Meter Meter = new(Name, Version);

    public static readonly Histogram<double> RequestDuration =
        Meter.CreateHistogram<double>("iamport.request.duration", "s", "Duration of I'mport REST requests.");

    public static readonly Counter<long> TokenRefreshes =
        Meter.CreateCounter<long>("iamport.token.refreshes", "{refresh}", "Access tokens fetched from /users/getToken.");

    public static readonly Counter<long> Charges =
        Meter.CreateCounter<long>("iamport.charges", "{charge}", "Billing-key charges by outcome.");

#if NET
    private static readonly HttpRequestOptionsKey<string> RouteOption = new(RouteKey);

    /// <summary>Marks <paramref name="request"/> with its route template (never its path, which may carry a customer_uid).</summary>
    public static void SetRoute(HttpRequestMessage request, string route) => request.Options.Set(RouteOption, route);

    public static string? RouteOf(HttpRequestMessage request) => request.Options.TryGetValue(RouteOption, out string? route) ? route : null;
#else
    public static void SetRoute(HttpRequestMessage request, string route) => request.Properties[RouteKey] = route;

    public static string? RouteOf(HttpRequestMessage request) => request.Properties.TryGetValue(RouteKey, out object? route) ? route as string : null;
#endif

    /// <summary>Starts the span of one charge; <see langword="null"/> when nobody listens.</summary>
    public static Activity? StartCharge(string merchantUid)
    {
        Activity? activity = Source.StartActivity(ChargeActivity, ActivityKind.Internal);
        activity?.SetTag(MerchantUidTag, merchantUid);
        return activity;
    }

    /// <summary>Counts a charge's outcome (<see langword="null"/>: unknown) and tags the current charge span with it.</summary>
    public static void RecordCharge(ChargeOutcome? outcome, bool reconciled)
    {
        string value = OutcomeValue(outcome);
        if (Charges.Enabled)
        {
            Charges.Add(1, new KeyValuePair<string, object?>(OutcomeTag, value));
        }

        if (Activity.Current is { OperationName: ChargeActivity } activity && activity.Source == Source)
        {
            activity.SetTag(OutcomeTag, value);
            activity.SetTag(ReconciledTag, reconciled);
            if (outcome is null)
            {
                activity.SetStatus(ActivityStatusCode.Error, "outcome unknown");
            }
        }
    }

    /// <summary>An outcome as a tag value: lower case with underscores, like every other tag value of the library.</summary>
    internal static string OutcomeValue(ChargeOutcome? outcome) => outcome switch
    {
        null => "unknown",
        ChargeOutcome.Approved => "approved",
        ChargeOutcome.Declined => "declined",
        ChargeOutcome.NotCharged => "not_charged",
        _ => SnakeCase(outcome.Value.ToString()),
    };

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        foreach (char c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
