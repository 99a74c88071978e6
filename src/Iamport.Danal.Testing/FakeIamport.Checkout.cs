using System;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace Iamport.Danal.Testing;

// A checkout completed from C#: the same request the fake iamport.js sends when the buyer presses a button in the
// simulated Danal window, through the same endpoint and pipeline (faults, webhooks, request counts included).
public sealed partial class FakeIamport
{
    private const string ParamRule = "requestPayParams must be the JSON object of IMP.request_pay's param, as RequestPayParams.ToJson() writes it.";

    /// <summary>Completes a checkout as the buyer approving the simulated Danal window with a card: the billing key is
    /// issued (and the first charge made when the amount is positive) exactly as through the fake <c>iamport.js</c>.</summary>
    /// <param name="requestPayParams">The JSON of <c>IMP.request_pay</c>'s <c>param</c>, e.g. <c>RequestPayParams.ToJson()</c>.</param>
    /// <param name="cardNumber">A card from <see cref="TestCards"/>; it decides whether issuance and the charges of the key succeed.</param>
    /// <param name="cancellationToken">The token to cancel the request.</param>
    /// <returns>What the page's <c>request_pay</c> callback would receive.</returns>
    /// <remarks>The window is opened on a PC, after <c>IMP.init</c> with <see cref="FakeIamportOptions.MerchantCode"/>.
    /// A param the window refuses (not Danal, a spent or prepared-differently <c>merchant_uid</c>) is answered as the
    /// window answers it: a result with an <see cref="FakeCheckoutResult.ErrorCode"/>, not an exception.</remarks>
    /// <exception cref="ArgumentException"><paramref name="requestPayParams"/> is not a JSON object, or <paramref name="cardNumber"/> is empty.</exception>
    /// <exception cref="HttpRequestException">An injected fault kept the window's request from being answered.</exception>
    /// <exception cref="ObjectDisposedException">The fake is disposed.</exception>
    public Task<FakeCheckoutResult> ApproveCheckoutAsync(string requestPayParams, string cardNumber = TestCards.Approve, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cardNumber);
        return CompleteCheckoutAsync(requestPayParams, "approve", cardNumber, cancellationToken);
    }

    /// <summary>Completes a checkout as the Danal window refusing the card: no billing key, a <c>failed</c> payment,
    /// no webhook.</summary>
    /// <param name="requestPayParams">The JSON of <c>IMP.request_pay</c>'s <c>param</c>, e.g. <c>RequestPayParams.ToJson()</c>.</param>
    /// <param name="cancellationToken">The token to cancel the request.</param>
    /// <returns>What the page's <c>request_pay</c> callback would receive.</returns>
    /// <exception cref="ArgumentException"><paramref name="requestPayParams"/> is not a JSON object.</exception>
    /// <exception cref="HttpRequestException">An injected fault kept the window's request from being answered.</exception>
    /// <exception cref="ObjectDisposedException">The fake is disposed.</exception>
    public Task<FakeCheckoutResult> DeclineCheckoutAsync(string requestPayParams, CancellationToken cancellationToken = default) =>
        CompleteCheckoutAsync(requestPayParams, "fail", TestCards.Approve, cancellationToken);

    /// <summary>Completes a checkout as the buyer closing the Danal window: no billing key, a <c>failed</c> payment
    /// with its own <c>imp_uid</c>, no webhook.</summary>
    /// <param name="requestPayParams">The JSON of <c>IMP.request_pay</c>'s <c>param</c>, e.g. <c>RequestPayParams.ToJson()</c>.</param>
    /// <param name="cancellationToken">The token to cancel the request.</param>
    /// <returns>What the page's <c>request_pay</c> callback would receive.</returns>
    /// <exception cref="ArgumentException"><paramref name="requestPayParams"/> is not a JSON object.</exception>
    /// <exception cref="HttpRequestException">An injected fault kept the window's request from being answered.</exception>
    /// <exception cref="ObjectDisposedException">The fake is disposed.</exception>
    public Task<FakeCheckoutResult> CloseCheckoutAsync(string requestPayParams, CancellationToken cancellationToken = default) =>
        CompleteCheckoutAsync(requestPayParams, "close", TestCards.Approve, cancellationToken);

    private async Task<FakeCheckoutResult> CompleteCheckoutAsync(string requestPayParams, string action, string cardNumber, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestPayParams);
        JsonObject param;
        try
        {
            param = JsonNode.Parse(requestPayParams) as JsonObject ?? throw new ArgumentException(ParamRule, nameof(requestPayParams));
        }
        catch (JsonException e)
        {
            throw new ArgumentException(ParamRule, nameof(requestPayParams), e);
        }

        var body = new JsonObject
        {
            ["action"] = action,
            ["merchant_code"] = Options.MerchantCode,
            ["card_number"] = cardNumber,
            ["mobile"] = false,
            ["param"] = param,
        };

        using var client = new HttpClient(CreateHandler()) { BaseAddress = new Uri("https://fake-iamport.test/") };

        // text/plain, as the window posts it.
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "text/plain");
        using var response = await client.PostAsync("fake-danal/complete", content, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var rsp = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return new FakeCheckoutResult(rsp);
    }
}
