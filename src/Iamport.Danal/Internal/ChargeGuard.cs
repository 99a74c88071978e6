using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace Iamport.Danal.Internal;

/// <summary>Marks one request the library must send at most once (a charge, a cancel: any non-GET but getToken) and
/// records whether it left: set by <see cref="ChargeGuardHandler"/>, read by <see cref="ApiTransport"/>.</summary>
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

/// <summary>
/// The innermost handler of the client's pipeline, just above the primary (socket) handler: whatever the shop's
/// pipeline retries or hedges, a request with a <see cref="SendTicket"/> reaches the network once. A second attempt
/// fails with an <see cref="InvalidOperationException"/>, which no standard resilience strategy retries.
/// </summary>
internal sealed class ChargeGuardHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendTicket.Of(request) is { } ticket && !ticket.TryLeave()
            ? Task.FromException<HttpResponseMessage>(new InvalidOperationException(
                "Refused to send an I'mport request a second time: it may already have been processed (a handler outside the I'mport client retried it)."))
            : base.SendAsync(request, cancellationToken);
}

/// <summary>Puts <see cref="ChargeGuardHandler"/> into a registered client's pipeline.</summary>
internal static class IamportHttpClientBuilderExtensions
{
    /// <summary>Wraps the primary handler of <paramref name="builder"/>'s client in the guard, after every other
    /// configuration: a post-configure action runs after the shop's <c>AddHttpMessageHandler</c>, <c>AddStandardResilienceHandler</c>
    /// and <c>ConfigureHttpClientDefaults</c> actions, and wrapping the primary handler keeps the guard below any
    /// handler a builder filter adds. Calling it twice for one name installs one guard.</summary>
    public static IHttpClientBuilder AddChargeGuard(this IHttpClientBuilder builder)
    {
        builder.Services.PostConfigure<HttpClientFactoryOptions>(builder.Name, static options => options.HttpMessageHandlerBuilderActions.Add(static handlers =>
        {
            if (handlers.PrimaryHandler is not ChargeGuardHandler)
            {
                handlers.PrimaryHandler = new ChargeGuardHandler { InnerHandler = handlers.PrimaryHandler };
            }
        }));
        return builder;
    }
}
