using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace Iamport.Danal.Internal;

/// <summary>
/// Sits directly above the primary (socket) handler of every client <c>AddIamport</c> registers: a request goes only to
/// the host of <see cref="IamportOptions.BaseAddress"/>, and a redirect is never followed. A 3xx comes back to the
/// transport as the reply it is, which is no usable answer (after a charge: a look-up).
/// </summary>
/// <remarks>
/// <para>The socket handlers the factory builds (<see cref="HttpClientHandler"/>, and <c>SocketsHttpHandler</c> on
/// .NET), also when a shop configures them or wraps them in a <see cref="DelegatingHandler"/>, get
/// <c>AllowAutoRedirect = false</c> after every other configuration. One that is already in use and still follows
/// redirects cannot be changed: building the client fails instead.</para>
/// <para>A primary handler of another type (an in-memory fake, a test double) is the shop's: the library cannot turn its
/// redirects off. If it follows one anyway (the request's URI changed on the way down), the reply is refused here, so
/// the caller never takes another host's answer for I'mport's, and the charge guard above still lets one POST out at most.</para>
/// </remarks>
internal sealed class RedirectGuardHandler : DelegatingHandler
{
    private readonly Func<Uri> _baseAddress;

    public RedirectGuardHandler(Func<Uri> baseAddress) => _baseAddress = baseAddress;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri? sent = request.RequestUri;
        if (sent is null || !SameOrigin(sent, _baseAddress()))
        {
            // A handler above (a routing or hedging strategy) pointed the request elsewhere: nothing, not even getToken's secret, goes there.
            throw new InvalidOperationException("Refused to send an I'mport request to a host other than IamportOptions.BaseAddress.");
        }

        // For System.Net.Http's own span, started inside the primary handler on this flow (HttpSpanRedaction below).
        HttpSpanRedaction.Sending.Value = request;
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // Redirect handlers point the request (or the response's RequestMessage) at where they went.
        if (request.RequestUri != sent || (response.RequestMessage is { } answered && answered.RequestUri != sent))
        {
            response.Dispose();
            throw new InvalidOperationException("The primary HTTP handler followed a redirect: the reply is not I'mport's answer to the request sent.");
        }

        return response;
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        a.IsAbsoluteUri && b.IsAbsoluteUri
        && string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    /// <summary>Turns off automatic redirects on every socket handler in the chain that starts at <paramref name="handler"/>.</summary>
    /// <exception cref="InvalidOperationException">A socket handler of the chain follows redirects and is already in use.</exception>
    internal static void DisableRedirects(HttpMessageHandler? handler)
    {
        for (int depth = 0; handler is not null && depth < 64; depth++)
        {
            switch (handler)
            {
                case HttpClientHandler client when client.AllowAutoRedirect:
                    Disable(() => client.AllowAutoRedirect = false);
                    break;
#if NET
                case SocketsHttpHandler sockets when sockets.AllowAutoRedirect:
                    Disable(() => sockets.AllowAutoRedirect = false);
                    break;
#else
                // This build runs on .NET too, where a shop may configure a SocketsHttpHandler this build cannot name.
                case { } other when other.GetType().FullName == "System.Net.Http.SocketsHttpHandler":
                    System.Reflection.PropertyInfo allow = other.GetType().GetProperty("AllowAutoRedirect")!;
                    if ((bool)allow.GetValue(other)!)
                    {
                        Disable(() =>
                        {
                            try
                            {
                                allow.SetValue(other, false);
                            }
                            catch (System.Reflection.TargetInvocationException ex) when (ex.InnerException is InvalidOperationException inner)
                            {
                                throw inner;
                            }
                        });
                    }

                    break;
#endif
            }

            handler = (handler as DelegatingHandler)?.InnerHandler;
        }
    }

    private static void Disable(Action set)
    {
        try
        {
            set();
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException(
                "The I'mport client's primary HTTP handler follows redirects and was already used, so redirects cannot be turned off. " +
                "Give the I'mport client a handler of its own (ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler())), or set AllowAutoRedirect = false on it.",
                ex);
        }
    }
}

/// <summary>Puts <see cref="RedirectGuardHandler"/> into a registered client's pipeline.</summary>
internal static class RedirectGuardExtensions
{
    /// <summary>After every other configuration (a post-configure action runs after the shop's <c>ConfigurePrimaryHttpMessageHandler</c>,
    /// <c>ConfigureHttpClientDefaults</c> and <c>AddStandardResilienceHandler</c>), turns off the primary handler's
    /// redirects and wraps it in the guard. Installed once however often it runs for one name.</summary>
    public static IHttpClientBuilder AddRedirectGuard(this IHttpClientBuilder builder, Func<IServiceProvider, IamportSettings> options)
    {
        builder.Services.PostConfigure<HttpClientFactoryOptions>(builder.Name, o => o.HttpMessageHandlerBuilderActions.Add(handlers =>
        {
            for (HttpMessageHandler? h = handlers.PrimaryHandler; h is not null; h = (h as DelegatingHandler)?.InnerHandler)
            {
                if (h is RedirectGuardHandler)
                {
                    return;
                }
            }

            RedirectGuardHandler.DisableRedirects(handlers.PrimaryHandler);
            HttpSpanRedaction.EnsureSubscribed();
            IamportSettings settings = options(handlers.Services);
            handlers.PrimaryHandler = new RedirectGuardHandler(() => settings.BaseAddress) { InnerHandler = handlers.PrimaryHandler };
        }));
        return builder;
    }
}

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
