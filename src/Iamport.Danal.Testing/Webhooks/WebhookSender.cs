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
internal sealed class WebhookSender : IDisposable
{
    private readonly FakeIamportOptions _options;
    private readonly HttpClient _client;
    private readonly Lock _gate = new();
    private readonly List<SentWebhook> _sent = [];

    public WebhookSender(FakeIamportOptions options)
    {
        _options = options;
        _client = options.WebhookHandler is { } handler
            ? new HttpClient(handler, disposeHandler: false)
            : new HttpClient();
        _client.Timeout = TimeSpan.FromSeconds(30);
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
            using var response = await _client.PostAsync(webhook.Url, content, cancellationToken).ConfigureAwait(false);
            status = (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            error = ex.Message;
        }

        lock (_gate)
        {
            _sent.Add(new SentWebhook(webhook.Url, contentType, body, webhook.ImpUid, webhook.MerchantUid, webhook.Status, webhook.CancellationId, status, error));
        }
    }

    public void Dispose() => _client.Dispose();
}
