using System;
using Iamport.Danal.Internal;

namespace Iamport.Danal;

/// <summary>The exception thrown when I'mport refuses a request or gives no usable answer.</summary>
/// <remarks>
/// <para>I'mport reports failures both as non-2xx statuses and as HTTP 200 with <c>code != 0</c>: both end here.
/// <see cref="ApiMessage"/> keeps I'mport's (usually Korean) message intact; show it, do not parse it.</para>
/// <para>The message never contains the secret, an access token, card data or a customer_uid; the path is the route
/// template (<c>/subscribe/customers/{customer_uid}</c>), not the concrete path.</para>
/// </remarks>
public class IamportException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="IamportException"/> class.</summary>
    /// <param name="statusCode">The HTTP status, or 0 when no response arrived.</param>
    /// <param name="code">I'mport's <c>code</c>, or <see langword="null"/> when the body was not an I'mport envelope.</param>
    /// <param name="apiMessage">I'mport's <c>message</c>.</param>
    /// <param name="method">The request's HTTP method.</param>
    /// <param name="path">The request's route template.</param>
    /// <param name="responseExcerpt">A short, secret-free excerpt of a body that was not an envelope.</param>
    /// <param name="innerException">The transport failure, if any.</param>
    public IamportException(int statusCode, int? code, string? apiMessage, string method, string path, string? responseExcerpt = null, Exception? innerException = null)
        : base(Describe(statusCode, code, apiMessage, method, path, responseExcerpt, innerException), innerException)
    {
        StatusCode = statusCode;
        Code = code;
        ApiMessage = apiMessage;
        Method = method;
        Path = path;
        ResponseExcerpt = responseExcerpt;
    }

    /// <summary>Gets the HTTP status code, or 0 when no response arrived (timeout, connection failure).</summary>
    public int StatusCode { get; }

    /// <summary>Gets I'mport's <c>code</c> (never 0 here), or <see langword="null"/> when the response was not an I'mport envelope.</summary>
    public int? Code { get; }

    /// <summary>Gets I'mport's <c>message</c> as sent, usually Korean (for example "취소할 결제건이 존재하지 않습니다.").</summary>
    public string? ApiMessage { get; }

    /// <summary>Gets the HTTP method of the failed request.</summary>
    public string Method { get; }

    /// <summary>Gets the route template of the failed request, such as <c>/payments/find/{merchant_uid}</c>.</summary>
    public string Path { get; }

    /// <summary>Gets a short, secret-free excerpt of a response body that was not an I'mport envelope (an HTML error page, say).</summary>
    public string? ResponseExcerpt { get; }

    /// <summary>Gets the delay a 429 or 503 asked for in <c>Retry-After</c>, if any.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets whether the request changes state (a charge, a refund, a schedule's retry, …) and may have reached
    /// I'mport without a usable answer coming back, so it may have been applied.</summary>
    /// <value><see langword="false"/> when I'mport refused it (<see cref="HasApiAnswer"/>) or it certainly never left (a
    /// missing token, a circuit breaker refusing before sending). <see langword="true"/> for a timeout, a reset or a
    /// reply that was not a usable envelope after it left: before sending a refund (<see cref="IIamportClient.CancelPaymentAsync"/>)
    /// again, look the payment up (its <see cref="Payment.CancelAmount"/>) or resend it with the same
    /// <see cref="CancelPaymentRequest.Checksum"/>, which I'mport refuses once the refund happened; before retrying
    /// a schedule (<see cref="IIamportClient.RetryScheduleAsync"/>) again, look it up with <see cref="IIamportClient.GetScheduleAsync"/>.
    /// A charge never throws this for a lost reply: it looks the charge up itself.</value>
    public bool MayHaveBeenApplied { get; init; }

    /// <summary>Gets whether I'mport answered with a definite envelope; <see langword="false"/> means the outcome of the request is not known from the reply.</summary>
    public bool HasApiAnswer => Code is not null;

    /// <summary>The exception for a result that is not an answer: I'mport's refusal, or no usable answer.</summary>
    internal static IamportException From<T>(in ApiResult<T> result) =>
        new(result.Status, result.Kind == ApiResultKind.Refusal ? result.Code : null, result.Message, result.Method, result.Route, result.Kind == ApiResultKind.Refusal ? null : result.Excerpt, result.Cause)
        {
            RetryAfter = result.RetryAfter,
            MayHaveBeenApplied = result.Kind == ApiResultKind.NoAnswer && result.MayHaveLeft,
        };

    private static string Describe(int status, int? code, string? apiMessage, string method, string path, string? excerpt, Exception? inner)
    {
        string what = status == 0
            ? $"no response ({inner?.GetType().Name ?? "unknown"})"
            : $"HTTP {status}";
        string detail = code is { } c ? $", code {c}: {apiMessage}" : excerpt is null ? "" : $", body: {excerpt}";
        return $"I'mport {method} {path} failed: {what}{detail}";
    }
}
