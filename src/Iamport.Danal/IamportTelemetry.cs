using System;
using System.Diagnostics;
using System.Net.Http;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

/// <summary>Names for OpenTelemetry (or any listener) and the enrichment that keeps customer_uids out of HTTP client spans.</summary>
/// <remarks>
/// <code language="csharp">
/// builder.Services.AddOpenTelemetry()
///     .WithTracing(t => t.AddSource(IamportTelemetry.ActivitySourceName)
///         .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = IamportTelemetry.EnrichHttpRequest))
///     .WithMetrics(m => m.AddMeter(IamportTelemetry.MeterName));
/// </code>
/// </remarks>
public static class IamportTelemetry
{
    /// <summary>The name of the library's <see cref="ActivitySource"/>, <c>Iamport.Danal</c>.</summary>
    public const string ActivitySourceName = Telemetry.Name;

    /// <summary>The name of the library's <see cref="System.Diagnostics.Metrics.Meter"/>, <c>Iamport.Danal</c>.</summary>
    public const string MeterName = Telemetry.Name;

    /// <summary>
    /// Replaces the URL of an I'mport request on an HTTP client span with its route template
    /// (<c>/subscribe/customers/{customer_uid}</c>), so no customer_uid reaches a trace: sets <c>url.full</c>,
    /// <c>url.path</c> and <c>url.template</c>, removes <c>url.query</c>, and names the span <c>{method} {template}</c>.
    /// Requests the library did not send are left as they are.
    /// </summary>
    /// <remarks>Pass it as OpenTelemetry's <c>HttpClientTraceInstrumentationOptions.EnrichWithHttpRequestMessage</c>.</remarks>
    /// <param name="activity">The HTTP client span.</param>
    /// <param name="request">The request it traces.</param>
    public static void EnrichHttpRequest(Activity activity, HttpRequestMessage request)
    {
        if (activity is null || request is null || Telemetry.RouteOf(request) is not { } route)
        {
            return;
        }

        Uri? uri = request.RequestUri;
        activity.SetTag("url.full", uri is { IsAbsoluteUri: true } ? uri.GetLeftPart(UriPartial.Authority) + route : route);
        activity.SetTag("url.path", route);
        activity.SetTag("url.query", null);
        activity.SetTag("url.template", route);
        activity.DisplayName = request.Method.Method + " " + route;
    }
}
