using System;
using Microsoft.Extensions.DependencyInjection;

namespace Iamport.Danal.Testing;

/// <summary>Wires a <see cref="FakeIamport"/> into an <see cref="IHttpClientBuilder"/>, such as the one <c>AddIamport</c> returns.</summary>
public static class FakeIamportHttpClientBuilderExtensions
{
    /// <summary>Serves the client's requests in-process by <paramref name="fake"/> (its <see cref="FakeIamport.CreateHandler"/>
    /// becomes the primary handler), whatever the client's base address.</summary>
    /// <param name="builder">The client builder, e.g. the one returned by <c>services.AddIamport(...)</c>.</param>
    /// <param name="fake">The fake.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="fake"/> is <see langword="null"/>.</exception>
    /// <remarks>The client must still authenticate with the fake's <see cref="FakeIamportOptions.ImpKey"/> and
    /// <see cref="FakeIamportOptions.ImpSecret"/>.</remarks>
    public static IHttpClientBuilder UseFakeIamport(this IHttpClientBuilder builder, FakeIamport fake)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(fake);
        return builder.ConfigurePrimaryHttpMessageHandler(fake.CreateHandler);
    }
}
