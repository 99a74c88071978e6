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
}

/// <summary>One injected fault; create it with the factory methods.</summary>
public sealed record Fault
{
    private Fault(FaultKind kind) => Kind = kind;

    /// <summary>Gets the kind of fault.</summary>
    public FaultKind Kind { get; }

    /// <summary>Gets the delay of a <see cref="FaultKind.Latency"/> or <see cref="FaultKind.DropResponseRecordLater"/> fault.</summary>
    public TimeSpan Delay { get; private init; }

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
}

/// <summary>A fault the fake injected: which route, which request of that route, and what.</summary>
public sealed class InjectedFault
{
    /// <summary>Gets the route name, one of <see cref="FakeRoutes"/>.</summary>
    public required string Route { get; init; }

    /// <summary>Gets the number of the request on that route, counting from 1.</summary>
    public required int RequestNumber { get; init; }

    /// <summary>Gets the fault.</summary>
    public required Fault Fault { get; init; }
}
