using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using Iamport.Danal.Testing.Routes;
using Iamport.Danal.Testing.State;
using Iamport.Danal.Testing.Webhooks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Iamport.Danal.Testing.Hosting;

/// <summary>What every request of the fake goes through, around its route's handler: counting, injected faults, the
/// token check, the state's gate, webhooks, and a lost reply. One endpoint filter over every route.</summary>
internal sealed class Pipeline
{
    private const string HtmlError =
        "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1><p>nginx</p></body></html>";

    private readonly FakeState _state;
    private readonly FaultPlan _faults;
    private readonly WebhookDispatcher _webhooks;
    private readonly TimeProvider _time;
    private readonly Action _handled;

    public Pipeline(FakeState state, FaultPlan faults, WebhookDispatcher webhooks, TimeProvider time, Action handled)
    {
        _state = state;
        _faults = faults;
        _webhooks = webhooks;
        _time = time;
        _handled = handled;
    }

    /// <summary>Whether the browser's routes answer cross-origin: the shop page and the fake are on different ports.</summary>
    public static bool IsBrowserPath(PathString path) => path.StartsWithSegments("/fake-danal", StringComparison.Ordinal);

    public static void AllowAnyOrigin(HttpResponse response)
    {
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.AccessControlAllowMethods = "GET, POST, OPTIONS";
        response.Headers.AccessControlAllowHeaders = "Content-Type";
    }

    /// <summary>Runs one request. <paramref name="inProcess"/>: a lost reply is thrown as the exception an
    /// <see cref="HttpClient"/> would see (the test server hands it to the caller); over Kestrel the connection is aborted.</summary>
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next, bool inProcess)
    {
        var http = invocation.HttpContext;
        var arrived = _time.GetUtcNow();
        var endpoint = http.GetEndpoint();
        var name = endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? FakeRoutes.Unknown;
        int requestNumber;
        lock (_state.Gate)
        {
            requestNumber = _state.RequestsPerRoute.GetValueOrDefault(name) + 1;
            _state.RequestsPerRoute[name] = requestNumber;
        }

        try
        {
            if (IsBrowserPath(http.Request.Path))
            {
                AllowAnyOrigin(http.Response);
            }

            if (name == FakeRoutes.Unknown)
            {
                return Answer.Envelope(404, -1, "요청하신 API 를 찾을 수 없습니다. (" + http.Request.Method + " " + http.Request.Path + ")", null);
            }

            var call = http.Features.Get<Call>();
            var fault = _faults.Take(name, requestNumber);
            switch (fault?.Kind)
            {
                case FaultKind.ResetBeforeCommit:
                    return Lose(http, inProcess, new HttpRequestException(HttpRequestError.ConnectionError, "The fake I'mport reset the connection before handling the request."));
                case FaultKind.ServerErrorHtml:
                    return Results.Text(HtmlError, "text/html; charset=utf-8", statusCode: 500);
                case FaultKind.ErrorEnvelope:
                    return Answer.Envelope(200, fault.Code, fault.Message, null);
                case FaultKind.RevokeToken:
                    lock (_state.Gate)
                    {
                        TokenRoutes.RevokeAll(_state);
                    }

                    return TokenRoutes.Unauthorized();
                case FaultKind.Latency:
                    // From arrival: a clock advanced while the request was on its way still counts.
                    var wait = arrived + fault.Delay - _time.GetUtcNow();
                    await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time, http.RequestAborted).ConfigureAwait(false);
                    break;
                case FaultKind.SkewNow when call is not null:
                    call.Skew = fault.Skew;
                    break;
            }

            object? result;
            Task webhooksSettled;
            lock (_state.Gate)
            {
                var recorded = _state.Payments.Count;
                result = endpoint!.Metadata.GetMetadata<IAllowAnonymous>() is null && !TokenRoutes.IsAuthorized(_state, http.Request)
                    ? TokenRoutes.Unauthorized()
                    : Handle(invocation, next);
                if (fault?.Kind == FaultKind.DropResponseRecordLater)
                {
                    for (var i = recorded; i < _state.Payments.Count; i++)
                    {
                        _state.Payments[i].VisibleFrom = _state.UtcNow + fault.Delay;
                    }
                }

                // Queued under the gate, so one payment's webhooks keep the order of its changes.
                webhooksSettled = _webhooks.Enqueue(call?.Webhooks ?? []);
            }

            if (_state.Options.AnswerAfterWebhooks)
            {
                // Only the answer waits: cancelling this request (a closed tab) leaves the webhooks to the dispatcher.
                await webhooksSettled.WaitAsync(http.RequestAborted).ConfigureAwait(false);
            }

            return fault?.Kind is FaultKind.DropResponseAfterCommit or FaultKind.DropResponseRecordLater
                ? Lose(http, inProcess, fault.AsTimeout
                    ? new TaskCanceledException("The fake I'mport handled the request but its response never arrived (timeout).", new TimeoutException())
                    : new HttpRequestException(HttpRequestError.ResponseEnded, "The fake I'mport handled the request but the connection was reset before the response."))
                : result;
        }
        finally
        {
            _handled();
        }
    }

    /// <summary>Runs a handler with the state's gate held. Handlers are synchronous by design: the whole change a
    /// request makes is atomic, as one database transaction is at I'mport.</summary>
    private static object? Handle(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var pending = next(invocation);
        return pending.IsCompleted
            ? pending.Result
            : throw new InvalidOperationException("A route handler of the fake must be synchronous: it runs under the state's gate.");
    }

    private static IResult Lose(HttpContext http, bool inProcess, Exception seenByClient)
    {
        if (inProcess)
        {
            throw seenByClient;
        }

        // Before commit nothing was applied; after commit the change stands. Either way the client sees a reset.
        http.Abort();
        return Results.Empty;
    }
}
