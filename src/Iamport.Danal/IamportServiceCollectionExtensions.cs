using System;
using System.Net.Http;
using System.Threading;
using Iamport.Danal.Checkout;
using Iamport.Danal.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Iamport.Danal;

/// <summary>Registers the I'mport client in a host's services: one merchant unkeyed, or several as keyed services.</summary>
/// <remarks>
/// <para>One path serves both: a merchant is a name (the unkeyed one is the default name), with its own options,
/// settings read from them once, access-token cache, HTTP client (<c>IIamportClient</c>, or <c>IIamportClient:shopA</c>)
/// and <see cref="CheckoutFactory"/>. Call it once per merchant.</para>
/// <para>Each registration (the unkeyed one and each name) has its own options, access-token cache and HTTP client.
/// Options are validated when the host starts, and every broken setting is reported at once, named by its key
/// (<c>Iamport:ImpSecret</c>, or <c>Iamport:shopA:ImpSecret</c> for the merchant named <c>shopA</c>).</para>
/// <para>Calling <c>AddIamport</c> twice for the same merchant (unkeyed, or the same name) with settings that come out
/// the same is harmless; with different settings, the host fails to start rather than letting the last call win.</para>
/// <para>The HTTP client sends only to the host of <see cref="IamportOptions.BaseAddress"/> and never follows a redirect,
/// whatever handlers the shop adds: a 3xx is no usable answer (after a charge, the payment is looked up). Redirects are
/// turned off on the primary handler, also one the shop configures; a primary handler of another type that follows one
/// anyway has its reply refused.</para>
/// </remarks>
public static class IamportServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IIamportClient"/> with settings from a configuration section (usually <c>Iamport</c>).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section holding <see cref="IamportOptions"/>, such as <c>builder.Configuration.GetSection("Iamport")</c>.</param>
    /// <returns>The HTTP client builder, to add handlers. Do not add a handler that retries POSTs: a resent charge can charge twice.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    public static IHttpClientBuilder AddIamport(this IServiceCollection services, IConfiguration configuration)
    {
        Guard.NotNull(configuration);

        IHttpClientBuilder builder = AddMerchant(services, Options.DefaultName);
        services.AddOptions<IamportOptions>().Bind(configuration);
        Registrations(services).Add(Options.DefaultName, o => configuration.Bind(o));
        return builder;
    }

    /// <summary>Registers <see cref="IIamportClient"/> with settings set in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The HTTP client builder, to add handlers. Do not add a handler that retries POSTs: a resent charge can charge twice.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static IHttpClientBuilder AddIamport(this IServiceCollection services, Action<IamportOptions> configure)
    {
        Guard.NotNull(configure);

        IHttpClientBuilder builder = AddMerchant(services, Options.DefaultName);
        services.Configure(configure);
        Registrations(services).Add(Options.DefaultName, configure);
        return builder;
    }

    /// <summary>Registers a merchant named <paramref name="name"/> with settings from a configuration section, such as <c>Iamport:shopA</c>.</summary>
    /// <remarks>Resolve its <see cref="IIamportClient"/> and <see cref="CheckoutFactory"/> as keyed services:
    /// <c>[FromKeyedServices("shopA")] IIamportClient iamport</c> or <c>GetRequiredKeyedService&lt;IIamportClient&gt;("shopA")</c>.
    /// Its options are the named options <paramref name="name"/>.</remarks>
    /// <param name="services">The services.</param>
    /// <param name="name">The merchant's service key and options name.</param>
    /// <param name="configuration">The section holding this merchant's <see cref="IamportOptions"/>.</param>
    /// <returns>The merchant's HTTP client builder, to add handlers. Do not add a handler that retries POSTs: a resent charge can charge twice.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/>, <paramref name="name"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static IHttpClientBuilder AddIamport(this IServiceCollection services, string name, IConfiguration configuration)
    {
        Guard.NotNull(configuration);

        IHttpClientBuilder builder = AddMerchant(services, MerchantName(name));
        services.AddOptions<IamportOptions>(name).Bind(configuration);
        Registrations(services).Add(name, o => configuration.Bind(o));
        return builder;
    }

    /// <summary>Registers a merchant named <paramref name="name"/> with settings set in code.</summary>
    /// <remarks>Resolve its <see cref="IIamportClient"/> and <see cref="CheckoutFactory"/> as keyed services:
    /// <c>[FromKeyedServices("shopA")] IIamportClient iamport</c> or <c>GetRequiredKeyedService&lt;IIamportClient&gt;("shopA")</c>.
    /// Its options are the named options <paramref name="name"/>.</remarks>
    /// <param name="services">The services.</param>
    /// <param name="name">The merchant's service key and options name.</param>
    /// <param name="configure">Sets this merchant's options.</param>
    /// <returns>The merchant's HTTP client builder, to add handlers. Do not add a handler that retries POSTs: a resent charge can charge twice.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/>, <paramref name="name"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static IHttpClientBuilder AddIamport(this IServiceCollection services, string name, Action<IamportOptions> configure)
    {
        Guard.NotNull(configure);

        IHttpClientBuilder builder = AddMerchant(services, MerchantName(name));
        services.Configure(name, configure);
        Registrations(services).Add(name, configure);
        return builder;
    }

    private static string MerchantName(string name)
    {
        Guard.NotNull(name);
        return name.Length == 0
            ? throw new ArgumentException("The merchant name must not be empty; use AddIamport(configure) for a single merchant.", nameof(name))
            : name;
    }

    /// <summary>The one registration path. Every merchant is a name: its options, settings, token cache, named HTTP
    /// client, client and checkout factory. The unkeyed merchant is the default name (<see cref="Options.DefaultName"/>),
    /// registered under the service key <see langword="null"/>, which is how the container spells "unkeyed".</summary>
    private static IHttpClientBuilder AddMerchant(IServiceCollection services, string name)
    {
        Guard.NotNull(services);

        object? key = name.Length == 0 ? null : name;
        string clientName = name.Length == 0 ? nameof(IIamportClient) : nameof(IIamportClient) + ":" + name;
        services.AddOptions<IamportOptions>(name).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IamportOptions>, IamportOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // The options are read once per merchant, into the settings every part of it shares.
        services.TryAdd(ServiceDescriptor.KeyedSingleton(key, (sp, _) => IamportSettings.From(sp.GetRequiredService<IOptionsMonitor<IamportOptions>>().Get(name))));
        services.TryAdd(ServiceDescriptor.KeyedSingleton(key, (sp, k) => new AccessTokenCache(sp.GetRequiredKeyedService<IamportSettings>(k), sp.GetRequiredService<TimeProvider>(), Logger(sp))));

        // A factory, not a typed client's activator: construction stays AOT-safe and every (transient) client shares the
        // merchant's singleton token cache.
        services.TryAdd(ServiceDescriptor.KeyedTransient<IIamportClient>(key, (sp, k) => new IamportClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(clientName),
            sp.GetRequiredKeyedService<IamportSettings>(k),
            sp.GetRequiredKeyedService<AccessTokenCache>(k),
            Logger(sp),
            sp.GetRequiredService<TimeProvider>(),
            guarded: true)));
        services.TryAdd(ServiceDescriptor.KeyedTransient(key, (sp, k) => (IamportClient)sp.GetRequiredKeyedService<IIamportClient>(k)));
        services.TryAdd(ServiceDescriptor.KeyedSingleton(key, (sp, k) => new CheckoutFactory(sp.GetRequiredKeyedService<IamportSettings>(k), sp.GetRequiredService<TimeProvider>())));
        return ConfigureHttpClient(services.AddHttpClient(clientName), key);
    }

    private static IHttpClientBuilder ConfigureHttpClient(IHttpClientBuilder builder, object? key)
    {
        // IamportOptions.Timeout is enforced by the transport over the whole exchange, body included (Internal/ApiTransport.cs);
        // HttpClient's own timer would only be a second one per request, ending before the body is read.
        builder.ConfigureHttpClient(static http => http.Timeout = Timeout.InfiniteTimeSpan);

        // The wire rules (only to I'mport's host, never following a redirect, a charge out once whatever handlers the shop
        // adds), below every handler of the shop's: Internal/SendGuard.cs.
        builder.AddSendGuard(sp => sp.GetRequiredKeyedService<IamportSettings>(key));

        // The factory's default loggers write full request URIs, and some I'mport paths carry a customer_uid.
        // The library logs route templates instead (Internal/Log.cs); add a logger back with AddDefaultLogger() if you must.
        return builder.RemoveAllLoggers();
    }

    /// <summary>The one list of every AddIamport call, kept in the services so the validator can compare calls for one merchant.</summary>
    private static MerchantRegistrations Registrations(IServiceCollection services)
    {
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(MerchantRegistrations) && !descriptor.IsKeyedService && descriptor.ImplementationInstance is MerchantRegistrations existing)
            {
                return existing;
            }
        }

        var registrations = new MerchantRegistrations();
        services.AddSingleton(registrations);
        return registrations;
    }

    private static ILogger Logger(IServiceProvider sp) =>
        sp.GetService<ILoggerFactory>()?.CreateLogger("Iamport.Danal") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
}
