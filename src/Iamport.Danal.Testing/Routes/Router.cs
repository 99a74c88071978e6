using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Testing.Browser;
using Iamport.Danal.Testing.Http;
using Iamport.Danal.Testing.State;
using Iamport.Danal.Testing.Webhooks;

namespace Iamport.Danal.Testing.Routes;

/// <summary>The one request-handling core behind every host: routing, counting, faults, authentication, handlers, webhooks.</summary>
internal sealed class Router
{
    private const string HtmlError =
        "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1><p>nginx</p></body></html>";

    private readonly FakeState _state;
    private readonly FaultPlan _faults;
    private readonly WebhookDispatcher _webhooks;
    private readonly TimeProvider _time;
    private readonly List<Route> _routes;

    public Router(FakeState state, FaultPlan faults, WebhookDispatcher webhooks, TimeProvider time)
    {
        _state = state;
        _faults = faults;
        _webhooks = webhooks;
        _time = time;
        _routes = [.. TokenRoutes.All, .. PaymentRoutes.All, .. BillingKeyRoutes.All, .. ScheduleRoutes.All, .. CheckoutRoutes.All];
    }

    public async Task<FakeResponse> HandleAsync(FakeRequest request, CancellationToken cancellationToken)
    {
        var segments = request.Path.Trim('/').Split('/');
        var isBrowser = request.Path.StartsWith("/fake-danal/", StringComparison.Ordinal);
        if (request.Method == "OPTIONS" && isBrowser)
        {
            return WithCors(FakeResponse.Text(204, "text/plain", ""));
        }

        Route? route = null;
        Dictionary<string, string>? parameters = null;
        foreach (var candidate in _routes)
        {
            if (candidate.TryMatch(request.Method, segments, out parameters))
            {
                route = candidate;
                break;
            }
        }

        var name = route?.Name ?? FakeRoutes.Unknown;
        int requestNumber;
        lock (_state.Gate)
        {
            requestNumber = _state.RequestsPerRoute.GetValueOrDefault(name) + 1;
            _state.RequestsPerRoute[name] = requestNumber;
        }

        if (route is null)
        {
            return FakeResponse.Envelope(404, -1, "요청하신 API 를 찾을 수 없습니다. (" + request.Method + " " + request.Path + ")", null);
        }

        var context = new RouteContext(request, parameters!, _state) { AnyBodyAsJson = isBrowser };
        var fault = _faults.Take(name, requestNumber);
        switch (fault?.Kind)
        {
            case FaultKind.ResetBeforeCommit:
                return new FakeResponse(0, "text/plain", []) { Delivery = Delivery.ResetBeforeCommit };
            case FaultKind.ServerErrorHtml:
                return FakeResponse.Text(500, "text/html; charset=utf-8", HtmlError);
            case FaultKind.ErrorEnvelope:
                return FakeResponse.Envelope(200, fault.Code, fault.Message, null);
            case FaultKind.RevokeToken:
                lock (_state.Gate)
                {
                    TokenRoutes.RevokeAll(_state);
                }

                return TokenRoutes.Unauthorized();
            case FaultKind.Latency:
                await Task.Delay(fault.Delay, _time, cancellationToken).ConfigureAwait(false);
                break;
            case FaultKind.SkewNow:
                context.Skew = fault.Skew;
                break;
        }

        FakeResponse response;
        Task webhooksSettled;
        lock (_state.Gate)
        {
            var recorded = _state.Payments.Count;
            response = route.RequiresToken && !TokenRoutes.IsAuthorized(_state, request)
                ? TokenRoutes.Unauthorized()
                : route.Handler(context);
            if (fault?.Kind == FaultKind.DropResponseRecordLater)
            {
                for (var i = recorded; i < _state.Payments.Count; i++)
                {
                    _state.Payments[i].VisibleFrom = _state.UtcNow + fault.Delay;
                }
            }

            // Queued under the gate, so one payment's webhooks keep the order of its changes.
            webhooksSettled = _webhooks.Enqueue(context.Webhooks);
        }

        if (_state.Options.AnswerAfterWebhooks)
        {
            // Only the answer waits: cancelling this request (a closed tab) leaves the webhooks to the dispatcher.
            await webhooksSettled.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (fault?.Kind is FaultKind.DropResponseAfterCommit or FaultKind.DropResponseRecordLater)
        {
            response.Delivery = Delivery.DropAfterCommit;
            response.DropAsTimeout = fault.AsTimeout;
        }

        return isBrowser ? WithCors(response) : response;
    }

    private static FakeResponse WithCors(FakeResponse response)
    {
        // The shop page and the fake are on different loopback ports: the simulated window must be reachable cross-origin.
        response.Headers["Access-Control-Allow-Origin"] = "*";
        response.Headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS";
        response.Headers["Access-Control-Allow-Headers"] = "Content-Type";
        return response;
    }
}
