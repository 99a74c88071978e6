using System;
using Microsoft.Extensions.Logging;

namespace Iamport.Danal.Internal;

/// <summary>Every log event of the library. Arguments are route templates, codes and timings: never a secret, token, body or customer_uid.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "I'mport {Method} {Route} answered HTTP {StatusCode} code {Code} in {ElapsedMs:0.0} ms")]
    public static partial void Response(ILogger logger, string method, string route, int statusCode, int? code, double elapsedMs);

    [LoggerMessage(2, LogLevel.Debug, "I'mport {Method} {Route} got no response after {ElapsedMs:0.0} ms ({Reason})")]
    public static partial void NoResponse(ILogger logger, string method, string route, double elapsedMs, string reason);

    [LoggerMessage(3, LogLevel.Information, "I'mport access token refreshed; valid for {Lifetime} by the server's clock")]
    public static partial void TokenRefreshed(ILogger logger, TimeSpan lifetime);

    [LoggerMessage(4, LogLevel.Warning, "I'mport {Method} {Route} answered 401; refreshing the access token and replaying once")]
    public static partial void ReplayingAfter401(ILogger logger, string method, string route);

    [LoggerMessage(5, LogLevel.Warning, "Charge {MerchantUid} got no usable reply ({Reason}); looking the order up instead of resending")]
    public static partial void Reconciling(ILogger logger, string merchantUid, string reason);

    [LoggerMessage(6, LogLevel.Information, "Charge {MerchantUid} reconciled by look-up: {Outcome}")]
    public static partial void Reconciled(ILogger logger, string merchantUid, string outcome);

    [LoggerMessage(7, LogLevel.Error, "Charge {MerchantUid} outcome unknown: the look-up failed too; reconcile it later")]
    public static partial void OutcomeUnknown(ILogger logger, string merchantUid);
}
