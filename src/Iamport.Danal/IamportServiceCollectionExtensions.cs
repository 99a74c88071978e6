using System;
using Iamport.Danal.Checkout;
using Iamport.Danal.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Iamport.Danal;

/// <summary>Registers the I'mport client in a host's services.</summary>
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

        IHttpClientBuilder builder = AddIamportCore(services);
        services.AddOptions<IamportOptions>().Bind(configuration);
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

        IHttpClientBuilder builder = AddIamportCore(services);
        services.Configure(configure);
        return builder;
    }

    private static IHttpClientBuilder AddIamportCore(IServiceCollection services)
    {
        Guard.NotNull(services);

        services.AddOptions<IamportOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IamportOptions>, IamportOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new AccessTokenCache(
            sp.GetRequiredService<IOptions<IamportOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            Logger(sp)));

        // The factory keeps construction AOT-safe and hands every (transient) typed client the singleton token cache.
        IHttpClientBuilder builder = services.AddHttpClient<IIamportClient, IamportClient>(static (http, sp) => new IamportClient(
            http,
            sp.GetRequiredService<IOptions<IamportOptions>>().Value,
            sp.GetRequiredService<AccessTokenCache>(),
            Logger(sp),
            sp.GetRequiredService<TimeProvider>(),
            chargeGuard: true));
        builder.AddChargeGuard();
        // The client's own timeout is the options' one: no second timer per request (Internal/ApiTransport.cs).
        builder.ConfigureHttpClient(static (sp, http) => http.Timeout = sp.GetRequiredService<IOptions<IamportOptions>>().Value.Timeout);
        services.TryAddTransient(static sp => (IamportClient)sp.GetRequiredService<IIamportClient>());
        services.TryAddSingleton(static sp => new CheckoutFactory(sp.GetRequiredService<IOptions<IamportOptions>>().Value, sp.GetRequiredService<TimeProvider>()));

        // The factory's default loggers write full request URIs, and some I'mport paths carry a customer_uid.
        // The library logs route templates instead (Internal/Log.cs); add a logger back with AddDefaultLogger() if you must.
        return builder.RemoveAllLoggers();
    }

    private static ILogger Logger(IServiceProvider sp) =>
        sp.GetService<ILoggerFactory>()?.CreateLogger("Iamport.Danal") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
}
