using System;

namespace Iamport.Danal.Testing;

/// <summary>The kinds of trouble the fake can inject into a route.</summary>
public enum FaultKind
{
    /// <summary>The answer comes after <see cref="Fault.Delay"/> on the fake's clock; the request is then applied normally.</summary>
    Latency,

    /// <summary>The request is applied (a charge is made), then the response is lost: the in-process handler throws, Kestrel aborts the connection.</summary>
    DropResponseAfterCommit,

    /// <summary>The connection is reset before anything is applied.</summary>
    ResetBeforeCommit,

    /// <summary>HTTP 500 with an HTML page instead of an envelope; nothing is applied.</summary>
    ServerErrorHtml,

    /// <summary>HTTP 200 with an envelope whose <c>code</c> is not 0 (<see cref="Fault.Code"/>, <see cref="Fault.Message"/>); nothing is applied.</summary>
    ErrorEnvelope,

    /// <summary>Every token is revoked and the request is answered HTTP 401; nothing is applied.</summary>
    RevokeToken,

    /// <summary>The request is applied and its response lost, as <see cref="DropResponseAfterCommit"/>, but a payment it
    /// records is visible to look-ups only <see cref="Fault.Delay"/> later on the fake's clock (a record I'mport writes
    /// after its call to the card company).</summary>
    DropResponseRecordLater,

    /// <summary>The response's server times (<c>now</c>, <c>expired_at</c>) are shifted by <see cref="Fault.Skew"/>; the request is applied normally.</summary>
    SkewNow,

    /// <summary>A webhook is never sent (it never reaches the shop, and no resend follows).</summary>
    WebhookLost,

    /// <summary>A webhook is sent on time, then <see cref="Fault.Copies"/> more times, <see cref="Fault.Spacing"/> apart on the fake's clock.</summary>
    WebhookDuplicated,

    /// <summary>A webhook (and its <see cref="Fault.Copies"/>) is sent <see cref="Fault.Delay"/> later on the fake's clock:
    /// the request that caused it is answered first, so the browser callback or the REST answer arrives before it.</summary>
    WebhookDelayed,

    /// <summary>A webhook (and its <see cref="Fault.Copies"/>) is held back until the next webhook of the same
    /// <c>merchant_uid</c> has been sent, and goes right after it; or, if none comes, after <see cref="Fault.Delay"/>
    /// on the fake's clock. The request that caused it is answered first.</summary>
    WebhookReordered,
}

/// <summary>One injected fault; create it with the factory methods.</summary>
public sealed record Fault
{
    private Fault(FaultKind kind) => Kind = kind;

    /// <summary>Gets the kind of fault.</summary>
    public FaultKind Kind { get; }

    /// <summary>Gets the delay of a <see cref="FaultKind.Latency"/>, <see cref="FaultKind.DropResponseRecordLater"/> or
    /// <see cref="FaultKind.WebhookDelayed"/> fault, or the longest hold of a <see cref="FaultKind.WebhookReordered"/> one.</summary>
    public TimeSpan Delay { get; private init; }

    /// <summary>Gets how many extra copies of a webhook a <see cref="FaultKind.WebhookDuplicated"/>,
    /// <see cref="FaultKind.WebhookDelayed"/> or <see cref="FaultKind.WebhookReordered"/> fault sends; 0 for other faults.</summary>
    public int Copies { get; private init; }

    /// <summary>Gets the time between a duplicated webhook's copies on the fake's clock; zero: back to back.</summary>
    public TimeSpan Spacing { get; private init; }

    /// <summary>Gets whether the fault applies to webhooks (scripted under <see cref="FakeRoutes.Webhook"/>) rather than to requests.</summary>
    public bool IsWebhookFault => Kind is FaultKind.WebhookLost or FaultKind.WebhookDuplicated or FaultKind.WebhookDelayed or FaultKind.WebhookReordered;

    /// <summary>Gets the clock shift of a <see cref="FaultKind.SkewNow"/> fault.</summary>
    public TimeSpan Skew { get; private init; }

    /// <summary>Gets whether a lost in-process response looks like a timeout (<see cref="System.Threading.Tasks.TaskCanceledException"/>) rather than a reset (<see cref="System.Net.Http.HttpRequestException"/>).</summary>
    public bool AsTimeout { get; private init; }

    /// <summary>Gets the envelope <c>code</c> of an <see cref="FaultKind.ErrorEnvelope"/> fault.</summary>
    public int Code { get; private init; } = 1;

    /// <summary>Gets the envelope <c>message</c> of an <see cref="FaultKind.ErrorEnvelope"/> fault.</summary>
    public string Message { get; private init; } = "일시적인 오류가 발생했습니다. 잠시 후 다시 시도해주세요.";

    /// <summary>Creates a fault that answers after <paramref name="delay"/> on the fake's clock.</summary>
    /// <param name="delay">How long the answer takes.</param>
    /// <returns>The fault.</returns>
    public static Fault Latency(TimeSpan delay) => new(FaultKind.Latency) { Delay = delay };

    /// <summary>Creates a fault that applies the request and then loses the response.</summary>
    /// <param name="asTimeout">In-process, throw <see cref="System.Threading.Tasks.TaskCanceledException"/> (a timeout) instead of <see cref="System.Net.Http.HttpRequestException"/> (a reset).</param>
    /// <returns>The fault.</returns>
    public static Fault DropResponseAfterCommit(bool asTimeout = false) => new(FaultKind.DropResponseAfterCommit) { AsTimeout = asTimeout };

    /// <summary>Creates a fault that applies the request, loses the response, and hides the payment it records from
    /// look-ups until <paramref name="delay"/> has passed on the fake's clock.</summary>
    /// <param name="delay">How long the record stays invisible to look-ups.</param>
    /// <returns>The fault.</returns>
    public static Fault DropResponseRecordLater(TimeSpan delay) => new(FaultKind.DropResponseRecordLater) { Delay = delay };

    /// <summary>Creates a fault that resets the connection before anything is applied.</summary>
    /// <returns>The fault.</returns>
    public static Fault ResetBeforeCommit() => new(FaultKind.ResetBeforeCommit);

    /// <summary>Creates a fault that answers HTTP 500 with an HTML page; nothing is applied.</summary>
    /// <returns>The fault.</returns>
    public static Fault ServerErrorHtml() => new(FaultKind.ServerErrorHtml);

    /// <summary>Creates a fault that answers HTTP 200 with a failure envelope; nothing is applied.</summary>
    /// <param name="code">The envelope <c>code</c>; not 0.</param>
    /// <param name="message">The envelope <c>message</c>, or <see langword="null"/> for a generic Korean one.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="code"/> is 0.</exception>
    public static Fault ErrorEnvelope(int code = 1, string? message = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(code);
        var fault = new Fault(FaultKind.ErrorEnvelope) { Code = code };
        return message is null ? fault : fault with { Message = message };
    }

    /// <summary>Creates a fault that revokes every token and answers HTTP 401.</summary>
    /// <returns>The fault.</returns>
    public static Fault RevokeToken() => new(FaultKind.RevokeToken);

    /// <summary>Creates a fault that shifts the server times of one response.</summary>
    /// <param name="skew">How far the server clock is ahead (negative: behind).</param>
    /// <returns>The fault.</returns>
    public static Fault SkewNow(TimeSpan skew) => new(FaultKind.SkewNow) { Skew = skew };

    /// <summary>Creates a webhook fault: the webhook is never sent.</summary>
    /// <returns>The fault.</returns>
    public static Fault LoseWebhook() => new(FaultKind.WebhookLost);

    /// <summary>Creates a webhook fault: the webhook is sent on time and then <paramref name="extraCopies"/> more times.</summary>
    /// <param name="extraCopies">How many copies follow the original; at least 1.</param>
    /// <param name="spacing">The time between copies on the fake's clock; zero (the default) sends them back to back,
    /// before the request that caused the webhook is answered.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="extraCopies"/> is less than 1, or <paramref name="spacing"/> is negative.</exception>
    public static Fault DuplicateWebhook(int extraCopies = 1, TimeSpan spacing = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(extraCopies, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(spacing, TimeSpan.Zero);
        return new(FaultKind.WebhookDuplicated) { Copies = extraCopies, Spacing = spacing };
    }

    /// <summary>Creates a webhook fault: the webhook is sent <paramref name="delay"/> later on the fake's clock, after
    /// the request that caused it has been answered.</summary>
    /// <param name="delay">How long the webhook waits; more than zero.</param>
    /// <param name="extraCopies">How many copies follow it back to back; 0 (the default) for none.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is not positive, or <paramref name="extraCopies"/> is negative.</exception>
    public static Fault DelayWebhook(TimeSpan delay, int extraCopies = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(delay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(extraCopies);
        return new(FaultKind.WebhookDelayed) { Delay = delay, Copies = extraCopies };
    }

    /// <summary>Creates a webhook fault: the webhook is held back until the next webhook of the same
    /// <c>merchant_uid</c> (a cancel, a retry, another attempt) has been sent, and goes right after it; when none comes
    /// within <paramref name="maxHold"/> on the fake's clock, it goes then.</summary>
    /// <param name="maxHold">The longest the webhook is held; more than zero.</param>
    /// <param name="extraCopies">How many copies follow it back to back; 0 (the default) for none.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxHold"/> is not positive, or <paramref name="extraCopies"/> is negative.</exception>
    public static Fault ReorderWebhook(TimeSpan maxHold, int extraCopies = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxHold, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(extraCopies);
        return new(FaultKind.WebhookReordered) { Delay = maxHold, Copies = extraCopies };
    }
}

/// <summary>A fault the fake injected: which route, which request of that route, and what.</summary>
public sealed class InjectedFault
{
    /// <summary>Gets the route name, one of <see cref="FakeRoutes"/> (<see cref="FakeRoutes.Webhook"/> for a webhook fault).</summary>
    public required string Route { get; init; }

    /// <summary>Gets the number of the request on that route, or of the webhook among all webhooks, counting from 1.</summary>
    public required int RequestNumber { get; init; }

    /// <summary>Gets the <c>merchant_uid</c> of a webhook fault's webhook; <see langword="null"/> for a request fault.</summary>
    public string? MerchantUid { get; init; }

    /// <summary>Gets the fault.</summary>
    public required Fault Fault { get; init; }
}
