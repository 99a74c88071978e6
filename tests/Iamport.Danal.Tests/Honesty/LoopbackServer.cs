using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Iamport.Danal.Tests.Honesty;

/// <summary>Kestrel on 127.0.0.1 and a free port: every request is recorded ("METHOD /path?query") and answered by <see cref="Script"/>.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public ConcurrentQueue<string> Requests { get; } = new();

    public Func<HttpContext, Task> Script { get; set; } = context =>
    {
        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    };

    public int Count(string method, string path) => Requests.Count(r => r.StartsWith(method + " " + path, StringComparison.Ordinal));

    public static async Task<LoopbackServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var server = new LoopbackServer(app);
        app.Run(context =>
        {
            server.Requests.Enqueue(context.Request.Method + " " + context.Request.Path + context.Request.QueryString);
            return server.Script(context);
        });
        await app.StartAsync();
        server.Address = new Uri(app.Urls.First());
        return server;
    }

    public static Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
