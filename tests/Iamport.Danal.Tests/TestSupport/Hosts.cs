using System;
using System.Collections.Generic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Iamport.Danal.Tests.TestSupport;

/// <summary>Hosts whose start is expected to fail validation, as a shop's app fails at start with a bad setting.</summary>
internal static class Hosts
{
    /// <summary>The exception the start of an empty host set up by <paramref name="configure"/> fails with.</summary>
    public static OptionsValidationException StartFailure(Action<HostApplicationBuilder> configure)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        configure(builder);
        using IHost host = builder.Build();
        return Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync())!;
    }

    /// <summary>The same with <paramref name="settings"/> as configuration and its <c>Iamport</c> section given to <c>AddIamport</c>.</summary>
    public static OptionsValidationException StartFailure(Dictionary<string, string?> settings) => StartFailure(builder =>
    {
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddIamport(builder.Configuration.GetSection("Iamport"));
    });
}
