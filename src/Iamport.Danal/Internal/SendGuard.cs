using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace Iamport.Danal.Internal;

/// <summary>
/// The bottom of every client <c>AddIamport</c> registers, directly above the primary (socket) handler, below every
/// handler the shop adds (retries, hedging, circuit breakers). The wire rules live here and nowhere else:
/// <list type="number">
/// <item>a request goes only to the host of <see cref="IamportOptions.BaseAddress"/> (nothing, not even getToken's
/// secret, goes where a routing strategy above pointed it);</item>
/// <item>a request carrying a <see cref="SendTicket"/> (anything that changes state) reaches the network once, however
/// often the shop's pipeline retries or hedges it; a second attempt fails with an <see cref="InvalidOperationException"/>,
/// which no standard resilience strategy retries;</item>
/// <item>a redirect is never followed: the socket handlers get <c>AllowAutoRedirect = false</c>, and a reply from a
/// handler that followed one anyway is refused, so another host's answer is never taken for I'mport's.</item>
/// </list>
/// What happened is reported to <see cref="ApiTransport"/> by the ticket (<see cref="SendTicket.Left"/>): a request that
/// never got past this handler certainly was not sent; the transport turns that into data (<see cref="ApiResult{T}"/>),
/// and <c>Payments/ChargeClassifier.cs</c> decides.
/// </summary>
/// <remarks>
/// <para>The socket handlers the factory builds (<see cref="HttpClientHandler"/>, and <c>SocketsHttpHandler</c> on
/// .NET), also when a shop configures them or wraps them in a <see cref="DelegatingHandler"/>, get their redirects
/// turned off after every other configuration. One already in use that still follows redirects cannot be changed:
/// building the client fails instead.</para>
/// <para>A primary handler of another type (an in-memory fake, a test double) is the shop's: the library cannot turn its
/// redirects off, so a reply whose request URI changed on the way down is refused instead.</para>
/// </remarks>
internal sealed class SendGuardHandler : DelegatingHandler
{
    private readonly Func<Uri> _baseAddress;

    public SendGuardHandler(Func<Uri> baseAddress) => _baseAddress = baseAddress;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri? sent = request.RequestUri;
        if (sent is null || !SameOrigin(sent, _baseAddress()))
        {
            // Refused before the ticket is taken: certainly not sent.
            throw new InvalidOperationException("Refused to send an I'mport request to a host other than IamportOptions.BaseAddress.");
        }

        if (SendTicket.Of(request) is { } ticket && !ticket.TryLeave())
        {
            throw new InvalidOperationException(
                "Refused to send an I'mport request a second time: it may already have been processed (a handler outside the I'mport client retried it).");
        }

        // For System.Net.Http's own span, started inside the primary handler on this flow (Internal/HttpSpanRedaction.cs).
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

/// <summary>Marks one request the library must send at most once (a charge, a cancel: any non-GET but getToken) and
/// records whether it left: set by <see cref="SendGuardHandler"/>, read by <see cref="ApiTransport"/>.</summary>
internal sealed class SendTicket
{
    private const string Key = "Iamport.Danal.SendTicket";
#if NET
    private static readonly HttpRequestOptionsKey<SendTicket> OptionsKey = new(Key);
#endif
    private int _left;

    /// <summary>Gets whether the request went past the guard towards the network (it may have been processed).</summary>
    public bool Left => Volatile.Read(ref _left) != 0;

    public static SendTicket Attach(HttpRequestMessage request)
    {
        var ticket = new SendTicket();
#if NET
        request.Options.Set(OptionsKey, ticket);
#else
        request.Properties[Key] = ticket;
#endif
        return ticket;
    }

    public static SendTicket? Of(HttpRequestMessage request)
    {
#if NET
        return request.Options.TryGetValue(OptionsKey, out SendTicket? ticket) ? ticket : null;
#else
        return request.Properties.TryGetValue(Key, out object? ticket) ? ticket as SendTicket : null;
#endif
    }

    /// <summary>Lets the request through the first time only (a retry or a hedged copy shares the ticket).</summary>
    public bool TryLeave() => Interlocked.Exchange(ref _left, 1) == 0;
}

/// <summary>Puts <see cref="SendGuardHandler"/> into a registered client's pipeline.</summary>
internal static class SendGuardExtensions
{
    /// <summary>After every other configuration (a post-configure action runs after the shop's <c>ConfigurePrimaryHttpMessageHandler</c>,
    /// <c>AddHttpMessageHandler</c>, <c>AddStandardResilienceHandler</c> and <c>ConfigureHttpClientDefaults</c> actions),
    /// turns off the primary handler's redirects and wraps it in the guard; wrapping the primary handler keeps the guard
    /// below any handler a builder filter adds. Installed once however often it runs for one name.</summary>
    public static IHttpClientBuilder AddSendGuard(this IHttpClientBuilder builder, Func<IServiceProvider, IamportSettings> options)
    {
        builder.Services.PostConfigure<HttpClientFactoryOptions>(builder.Name, o => o.HttpMessageHandlerBuilderActions.Add(handlers =>
        {
            if (handlers.PrimaryHandler is SendGuardHandler)
            {
                return;
            }

            SendGuardHandler.DisableRedirects(handlers.PrimaryHandler);
            HttpSpanRedaction.EnsureSubscribed();
            IamportSettings settings = options(handlers.Services);
            handlers.PrimaryHandler = new SendGuardHandler(() => settings.BaseAddress) { InnerHandler = handlers.PrimaryHandler };
        }));
        return builder;
    }
}
