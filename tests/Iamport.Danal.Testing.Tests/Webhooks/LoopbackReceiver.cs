using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Iamport.Danal.Testing.Tests.Webhooks;

/// <summary>A shop's webhook endpoint on a real loopback port: records each request and answers as scripted.</summary>
internal sealed class LoopbackReceiver : IAsyncDisposable
{
    /// <summary>An answer that aborts the connection instead of answering (a network error at the sender).</summary>
    public const int Abort = -1;

    private readonly WebApplication _app;
    private readonly List<string> _bodies = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];

    private LoopbackReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>The bodies received, in arrival order.</summary>
    public IReadOnlyList<string> Bodies
    {
        get
        {
            lock (_bodies)
            {
                return _bodies.ToArray();
            }
        }
    }

    /// <summary>Starts a receiver whose answer to the n-th request (from 1) is <paramref name="answer"/>'s status code,
    /// or <see cref="Abort"/>; the function may wait (a hanging receiver) on the request's abort token.</summary>
    public static async Task<LoopbackReceiver> StartAsync(Func<int, CancellationToken, Task<int>>? answer = null)
    {
        answer ??= (_, _) => Task.FromResult(200);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new LoopbackReceiver(app);
        app.MapPost("/iamport/webhook", async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var number = receiver.Record(body);
            int status;
            try
            {
                status = await answer(number, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (status == Abort)
            {
                context.Abort();
                return;
            }

            context.Response.StatusCode = status;
        });
        await app.StartAsync();
        receiver.Url = new Uri(new Uri(app.Urls.First()), "/iamport/webhook");
        return receiver;
    }

    /// <summary>Completes when at least <paramref name="count"/> requests have arrived.</summary>
    public Task WhenReceivedAsync(int count)
    {
        lock (_bodies)
        {
            if (_bodies.Count >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private int Record(string body)
    {
        lock (_bodies)
        {
            _bodies.Add(body);
            foreach (var waiter in _waiters.Where(w => w.Count <= _bodies.Count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Signal.SetResult();
            }

            return _bodies.Count;
        }
    }
}
