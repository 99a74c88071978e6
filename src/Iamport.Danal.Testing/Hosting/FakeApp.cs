using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Testing.Browser;
using Iamport.Danal.Testing.Routes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Iamport.Danal.Testing.Hosting;

/// <summary>The fake's ASP.NET Core application: the I'mport routes as minimal API endpoints behind one
/// <see cref="Pipeline"/>, served in-process by a test server or on a loopback port by Kestrel. Every host shares the
/// one state, so a fake can be served both ways at once.</summary>
internal static class FakeApp
{
    /// <summary>Builds and starts the app on a test server: no sockets, and a lost reply surfaces as the exception a
    /// real client would see.</summary>
    public static WebApplication StartInProcess(Pipeline pipeline)
    {
        var builder = CreateBuilder(pipeline);
        builder.WebHost.UseTestServer();
        var app = Build(builder);
        app.Start();
        return app;
    }

    /// <summary>Builds and starts the app on Kestrel at 127.0.0.1:<paramref name="port"/> (0: any free port).</summary>
    public static async Task<(WebApplication App, Uri Address)> StartKestrelAsync(Pipeline pipeline, int port, CancellationToken cancellationToken)
    {
        var builder = CreateBuilder(pipeline);
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, port));
        var app = Build(builder);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>The client's handler for an in-process app.</summary>
    public static System.Net.Http.HttpMessageHandler CreateHandler(WebApplication app) => app.GetTestServer().CreateHandler();

    private static WebApplicationBuilder CreateBuilder(Pipeline pipeline)
    {
        // An empty builder: no appsettings.json or ASPNETCORE_* settings of the host process can add endpoints, logs or
        // the developer exception page.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FakeApp).Assembly.GetName().Name,
            EnvironmentName = Environments.Production,
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(pipeline);
        return builder;
    }

    private static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();

        // A preflight of the simulated window's endpoint: answered before routing, never counted.
        app.Use((context, next) =>
        {
            if (HttpMethods.IsOptions(context.Request.Method) && Pipeline.IsBrowserPath(context.Request.Path))
            {
                Pipeline.AllowAnyOrigin(context.Response);
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return Task.CompletedTask;
            }

            return next(context);
        });
        app.UseRouting();
        TokenRoutes.Map(app);
        PaymentRoutes.Map(app);
        BillingKeyRoutes.Map(app);
        ScheduleRoutes.Map(app);
        CheckoutRoutes.Map(app);

        // Anything else, any method: counted as unknown and answered 404 in the envelope.
        app.Map("/{**path}", Pipeline.Serve(_ => Results.Empty)).WithName(FakeRoutes.Unknown).AllowAnonymous();
        return app;
    }
}
