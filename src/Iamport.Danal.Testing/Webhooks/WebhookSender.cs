using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace Iamport.Danal.Testing.Webhooks;

/// <summary>A webhook waiting to be sent once the state change that caused it is committed.</summary>
internal sealed record WebhookEvent(Uri Url, string ImpUid, string MerchantUid, string Status, string? CancellationId);

/// <summary>POSTs webhooks once (I'mport's default) and records every attempt. Never throws at the caller.</summary>
/// <remarks>The handler is read from the options at each send, so a <see cref="FakeIamportOptions.WebhookHandler"/>
/// set after the fake was created applies to later webhooks.</remarks>
internal sealed class WebhookSender : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly FakeIamportOptions _options;
    private readonly HttpClient _ownClient = new() { Timeout = Timeout };
    private readonly Lock _gate = new();
    private readonly List<SentWebhook> _sent = [];
    private HttpMessageHandler? _handler;
    private HttpClient? _handlerClient;

    public WebhookSender(FakeIamportOptions options) => _options = options;

    /// <summary>The client for the handler configured now; one client per handler, never disposing the handler.</summary>
    private HttpClient Client
    {
        get
        {
            var handler = _options.WebhookHandler;
            if (handler is null)
            {
                return _ownClient;
            }

            lock (_gate)
            {
                if (!ReferenceEquals(handler, _handler))
                {
                    _handler = handler;
                    _handlerClient = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout };
                }

                return _handlerClient!;
            }
        }
    }

    public IReadOnlyList<SentWebhook> Sent
    {
        get
        {
            lock (_gate)
            {
                return _sent.ToArray();
            }
        }
    }

    public async Task SendAsync(WebhookEvent webhook, CancellationToken cancellationToken)
    {
        string body;
        string contentType;
        if (_options.WebhookFormat == WebhookFormat.Form)
        {
            var pairs = new List<KeyValuePair<string, string>>
            {
                new("imp_uid", webhook.ImpUid), new("merchant_uid", webhook.MerchantUid), new("status", webhook.Status),
            };
            if (webhook.CancellationId is { } id)
            {
                pairs.Add(new("cancellation_id", id));
            }

            using var form = new FormUrlEncodedContent(pairs);
            body = await form.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            contentType = "application/x-www-form-urlencoded";
        }
        else
        {
            var json = new JsonObject { ["imp_uid"] = webhook.ImpUid, ["merchant_uid"] = webhook.MerchantUid, ["status"] = webhook.Status };
            if (webhook.CancellationId is { } id)
            {
                json["cancellation_id"] = id;
            }

            body = json.ToJsonString();
            contentType = "application/json";
        }

        int? status = null;
        string? error = null;
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, contentType);
            using var response = await Client.PostAsync(webhook.Url, content, cancellationToken).ConfigureAwait(false);
            status = (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            error = ex.Message;
        }

        lock (_gate)
        {
            _sent.Add(new SentWebhook
            {
                Url = webhook.Url,
                ContentType = contentType,
                Body = body,
                ImpUid = webhook.ImpUid,
                MerchantUid = webhook.MerchantUid,
                Status = webhook.Status,
                CancellationId = webhook.CancellationId,
                ResponseStatusCode = status,
                Error = error,
            });
        }
    }

    public void Dispose()
    {
        // A replaced handler's client is left to the GC: disposing it would not dispose the caller's handler anyway.
        _ownClient.Dispose();
        _handlerClient?.Dispose();
    }
}
