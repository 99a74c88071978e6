using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;

namespace Iamport.Danal.Internal;

/// <summary>
/// Keeps customer_uids out of System.Net.Http's own client span (<c>url.full</c> carries the path, and I'mport's paths
/// may carry a customer_uid): when that span starts for a request the library sent, its URL is replaced by the route
/// template, as <see cref="IamportTelemetry.EnrichHttpRequest"/> does for OpenTelemetry's.
/// </summary>
/// <remarks>Subscribes once per process to the <c>HttpHandlerDiagnosticListener</c>, for its start event only: it never
/// asks for a span to be created, and touches only spans of requests that carry the library's route mark.</remarks>
internal static class HttpSpanRedaction
{
    private const string ListenerName = "HttpHandlerDiagnosticListener";
    private const string StartEvent = "System.Net.Http.HttpRequestOut.Start";
    private static int _subscribed;

    /// <summary>The request the library is handing to the primary handler on this flow.</summary>
    public static readonly AsyncLocal<HttpRequestMessage?> Sending = new();

    public static void EnsureSubscribed()
    {
        if (Interlocked.Exchange(ref _subscribed, 1) == 0)
        {
            System.Diagnostics.DiagnosticListener.AllListeners.Subscribe(new Listeners());
        }
    }

    private sealed class Listeners : IObserver<System.Diagnostics.DiagnosticListener>
    {
        public void OnNext(System.Diagnostics.DiagnosticListener value)
        {
            if (value.Name == ListenerName)
            {
                value.Subscribe(new Events(), static (name, _, _) => name == StartEvent);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class Events : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == StartEvent && System.Diagnostics.Activity.Current is { } span && Sending.Value is { } request)
            {
                IamportTelemetry.EnrichHttpRequest(span, request);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
