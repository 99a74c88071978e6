using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Iamport.Danal.Internal;

/// <summary>The <see cref="ActivitySource"/> and <see cref="Meter"/> named <c>Iamport.Danal</c>, for OpenTelemetry or any listener.</summary>
internal static class Telemetry
{
    public const string Name = "Iamport.Danal";

    private static readonly string? Version = typeof(Telemetry).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource Source = new(Name, Version);

    public static readonly Meter Meter = new(Name, Version);

    public static readonly Histogram<double> RequestDuration =
        Meter.CreateHistogram<double>("iamport.request.duration", "s", "Duration of I'mport REST requests.");

    public static readonly Counter<long> TokenRefreshes =
        Meter.CreateCounter<long>("iamport.token.refreshes", "{refresh}", "Access tokens fetched from /users/getToken.");

    public static readonly Counter<long> Charges =
        Meter.CreateCounter<long>("iamport.charges", "{charge}", "Billing-key charges by outcome.");
}
