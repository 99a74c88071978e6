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
using Microsoft.Extensions.DependencyInjection;

namespace Iamport.Danal.Testing.Hosting;

/// <summary>What every request of the fake goes through, around its route's handler: counting, injected faults, the
/// token check, the state's gate, webhooks, and a lost reply. One per host (the test server or Kestrel).</summary>
internal sealed class Pipeline
{
    private const string HtmlError =
        "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1><p>nginx</p></body></html>";

    private readonly FakeState _state;
    private readonly FaultPlan _faults;
    private readonly WebhookDispatcher _webhooks;
    private readonly TimeProvider _time;
    private readonly Action _handled;
    private readonly bool _inProcess;

    public Pipeline(FakeState state, FaultPlan faults, WebhookDispatcher webhooks, TimeProvider time, Action handled, bool inProcess)
    {
        _inProcess = inProcess;
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

    /// <summary>The endpoint of a route: its handler behind the pipeline.</summary>
    /// <param name="handler">The route's handler; it runs with the state's gate held.</param>
    /// <returns>The request delegate to map.</returns>
    public static RequestDelegate Serve(Func<Call, IResult> handler) =>
        context => context.RequestServices.GetRequiredService<Pipeline>().ServeAsync(context, handler);

    private async Task ServeAsync(HttpContext http, Func<Call, IResult> handler)
    {
        var arrived = _time.GetUtcNow();
        var endpoint = http.GetEndpoint()!;
        var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? FakeRoutes.Unknown;
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

            var result = await AnswerAsync(http, endpoint, name, requestNumber, arrived, handler).ConfigureAwait(false);
            await result.ExecuteAsync(http).ConfigureAwait(false);
        }
        finally
        {
            _handled();
        }
    }

    private async Task<IResult> AnswerAsync(HttpContext http, Endpoint endpoint, string name, int requestNumber, DateTimeOffset arrived, Func<Call, IResult> handler)
    {
        if (name == FakeRoutes.Unknown)
        {
            return Answer.Envelope(404, -1, "요청하신 API 를 찾을 수 없습니다. (" + http.Request.Method + " " + http.Request.Path + ")", null);
        }

        var fault = _faults.Take(name, requestNumber);
        switch (fault?.Kind)
        {
            case FaultKind.ResetBeforeCommit:
                return Lose(http, new HttpRequestException(HttpRequestError.ConnectionError, "The fake I'mport reset the connection before handling the request."));
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
                await ClockTimers.WaitUntilAsync(_time, arrived + fault.Delay, http.RequestAborted).ConfigureAwait(false);
                break;
        }

        var call = await Call.ReadAsync(http, _state).ConfigureAwait(false);
        call.Skew = fault?.Kind == FaultKind.SkewNow ? fault.Skew : TimeSpan.Zero;
        IResult result;
        Task webhooksSettled;
        lock (_state.Gate)
        {
            // Handlers are synchronous: the whole change a request makes is atomic, as one transaction is at I'mport.
            var recorded = _state.Payments.Count;
            result = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null && !TokenRoutes.IsAuthorized(_state, http.Request)
                ? TokenRoutes.Unauthorized()
                : handler(call);
            if (fault?.Kind == FaultKind.DropResponseRecordLater)
            {
                for (var i = recorded; i < _state.Payments.Count; i++)
                {
                    _state.Payments[i].VisibleFrom = _state.UtcNow + fault.Delay;
                }
            }

            // Queued under the gate, so one payment's webhooks keep the order of its changes.
            webhooksSettled = _webhooks.Enqueue(call.Webhooks);
        }

        if (_state.Options.AnswerAfterWebhooks)
        {
            // Only the answer waits: cancelling this request (a closed tab) leaves the webhooks to the dispatcher.
            await webhooksSettled.WaitAsync(http.RequestAborted).ConfigureAwait(false);
        }

        return fault?.Kind is FaultKind.DropResponseAfterCommit or FaultKind.DropResponseRecordLater
            ? Lose(http, fault.AsTimeout
                ? new TaskCanceledException("The fake I'mport handled the request but its response never arrived (timeout).", new TimeoutException())
                : new HttpRequestException(HttpRequestError.ResponseEnded, "The fake I'mport handled the request but the connection was reset before the response."))
            : result;
    }

    /// <summary>A lost reply. In-process it is thrown as the exception an <see cref="HttpClient"/> would see (the test
    /// server hands it to the caller); over Kestrel the connection is aborted.</summary>
    private IResult Lose(HttpContext http, Exception seenByClient)
    {
        if (_inProcess)
        {
            throw seenByClient;
        }

        // Before commit nothing was applied; after commit the change stands. Either way the client sees a reset.
        http.Abort();
        return Results.Empty;
    }
}
