using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Iamport.Danal.Testing.Http;

/// <summary>Serves the fake on a loopback port through Kestrel; one terminal middleware hands every request to the core.</summary>
internal sealed class KestrelHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<KestrelHost> StartAsync(int port, Func<FakeRequest, CancellationToken, Task<FakeResponse>> core, CancellationToken cancellationToken)
    {
        // An empty builder: no appsettings.json or ASPNETCORE_* settings of the host process can add endpoints or logs.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(KestrelHost).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(context => ServeAsync(context, core));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KestrelHost(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/"));
    }

    private static async Task ServeAsync(HttpContext context, Func<FakeRequest, CancellationToken, Task<FakeResponse>> core)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var headers = FakeRequest.NewHeaderDictionary();
        foreach (var header in context.Request.Headers)
        {
            headers.TryAdd(header.Key, header.Value.ToString());
        }

        var request = new FakeRequest(
            context.Request.Method,
            context.Request.PathBase.Add(context.Request.Path).ToUriComponent(),
            context.Request.QueryString.Value,
            headers,
            buffer.ToArray(),
            context.Request.ContentType);
        var response = await core(request, context.RequestAborted).ConfigureAwait(false);
        if (response.Delivery != Delivery.Send)
        {
            // Reset the connection: before commit nothing was applied, after commit the change stands.
            context.Abort();
            return;
        }

        context.Response.StatusCode = response.StatusCode;
        context.Response.ContentType = response.ContentType;
        foreach (var header in response.Headers)
        {
            context.Response.Headers[header.Key] = header.Value;
        }

        await context.Response.Body.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
