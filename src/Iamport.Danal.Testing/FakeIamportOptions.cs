using System;
using System.Net.Http;

namespace Iamport.Danal.Testing;

/// <summary>Settings of a <see cref="FakeIamport"/>.</summary>
public sealed class FakeIamportOptions
{
    /// <summary>Gets or sets the REST API key the fake accepts at <c>POST /users/getToken</c>.</summary>
    /// <value><c>fake_imp_key</c>.</value>
    public string ImpKey { get; set; } = "fake_imp_key";

    /// <summary>Gets or sets the REST API secret the fake accepts at <c>POST /users/getToken</c>.</summary>
    /// <value><c>fake_imp_secret</c>.</value>
    public string ImpSecret { get; set; } = "fake_imp_secret";

    /// <summary>Gets or sets the merchant code the fake <c>iamport.js</c> expects in <c>IMP.init</c>.</summary>
    /// <value><see langword="null"/>: any code is accepted.</value>
    public string? MerchantCode { get; set; }

    /// <summary>Gets or sets the Danal CPID reported as <c>pg_id</c>.</summary>
    /// <value><c>9810030929</c>.</value>
    public string PgId { get; set; } = "9810030929";

    /// <summary>Gets or sets whether the Danal channel is a test channel: payments and keys carry <c>sandbox: true</c>
    /// and <c>GET /payments/{imp_uid}</c> hides such a payment unless the caller sends <c>include_sandbox=true</c>, the
    /// only look-up where I'mport documents that parameter (see <see cref="HideSandboxFromSearches"/> for the others).</summary>
    /// <value><see langword="false"/>: a live channel, whose payments every look-up finds, as in the sample shop's
    /// embedded fake; a client then needs no <c>include_sandbox</c>.</value>
    public bool Sandbox { get; set; }

    /// <summary>Gets or sets whether <c>find</c>, <c>findAll</c>, <c>GET /payments/status/…</c> and the multi-get
    /// <c>GET /payments?imp_uid[]=…</c> also hide test-channel payments unless the caller sends <c>include_sandbox=true</c>.</summary>
    /// <value><see langword="false"/>: as documented, only <c>GET /payments/{imp_uid}</c> hides them; whether the other
    /// look-ups do is undocumented. <see langword="true"/> shows whether a client depends on them not hiding.</value>
    public bool HideSandboxFromSearches { get; set; }

    /// <summary>Gets or sets how a look-up of something that does not exist is answered.</summary>
    /// <value><see cref="NotFoundStyle.PerRoute"/>: as the real service answers each route.</value>
    public NotFoundStyle NotFoundStyle { get; set; } = NotFoundStyle.PerRoute;

    /// <summary>Gets or sets whether the simulated checkout window answers in the legacy SDK shape, with
    /// <c>success</c> and <c>imp_success</c>.</summary>
    /// <value><see langword="false"/>: the current <c>v1/iamport.js</c> shape (<c>imp_uid</c>, <c>merchant_uid</c>,
    /// <c>error_code</c>, <c>error_msg</c>, …) without either flag.</value>
    public bool LegacyCallback { get; set; }

    /// <summary>Gets or sets the webhook address used when a payment has no <c>notice_url</c>.</summary>
    /// <value><see langword="null"/>: webhooks go only to a payment's own <c>notice_url</c>.</value>
    public Uri? WebhookUrl { get; set; }

    /// <summary>Gets or sets the body encoding of webhooks (an I'mport console setting).</summary>
    /// <value><see cref="WebhookFormat.Json"/>.</value>
    public WebhookFormat WebhookFormat { get; set; } = WebhookFormat.Json;

    /// <summary>Gets or sets the handler webhooks are sent through, e.g. a test server's handler.</summary>
    /// <value><see langword="null"/>: a <see cref="SocketsHttpHandler"/> owned by the fake.</value>
    /// <remarks>The fake does not dispose a handler it was given.</remarks>
    public HttpMessageHandler? WebhookHandler { get; set; }

    /// <summary>Gets or sets whether a webhook the receiver did not take (a network error, no answer within the timeout,
    /// or HTTP 5xx) is sent again, as I'mport does when resending is enabled in its console: up to 5 resends, one
    /// minute apart on the fake's clock, each with a 15-second timeout.</summary>
    /// <value><see langword="false"/>: each webhook is tried once (I'mport's default).</value>
    public bool ResendWebhooks { get; set; }

    /// <summary>Gets or sets whether a request that causes webhooks is answered only once each of them was tried (or
    /// waits for the clock: a resend, or a <see cref="Fault.DelayWebhook"/> or <see cref="Fault.ReorderWebhook"/> fault).</summary>
    /// <value><see langword="true"/>: the webhook reaches the shop before the browser callback or the REST answer, as
    /// I'mport often does. <see langword="false"/>: the answer and the webhook race. Either way the webhook is sent in
    /// the background, so a request that is aborted (a closed tab) does not stop it.</value>
    public bool AnswerAfterWebhooks { get; set; } = true;

    /// <summary>Gets or sets whether a billing-key charge (<c>again</c>) of a merchant_uid that is already paid is
    /// charged again instead of refused.</summary>
    /// <value><see langword="false"/>: refused (<c>code 1</c>), this project's assumption for the real REST API, where it
    /// is undocumented. <see langword="true"/> shows whether a shop's retries depend on that refusal: every second
    /// charge it sends is a second payment.</value>
    public bool ChargePaidMerchantUidAgain { get; set; }

    /// <summary>Gets or sets how far the fake's server clock is ahead of its <see cref="TimeProvider"/> (negative: behind).</summary>
    /// <value><see cref="TimeSpan.Zero"/>. It shifts the <c>now</c> and <c>expired_at</c> that <c>getToken</c> reports.</value>
    public TimeSpan ServerClockSkew { get; set; }

    /// <summary>Gets or sets whether schedules run by themselves when the clock passes <c>schedule_at</c>.</summary>
    /// <value><see langword="true"/>. Either way, <see cref="FakeIamport.RunDueSchedulesAsync"/> runs them on demand.</value>
    public bool RunSchedulesAutomatically { get; set; } = true;

    /// <summary>Gets or sets the seed of generated identifiers (<c>imp_uid</c>, tokens, <c>pg_tid</c>).</summary>
    /// <value><see langword="null"/>: a random seed, so two fakes hand out different tokens as two real services would.
    /// Equal seeds and equal request sequences give equal identifiers.</value>
    public int? Seed { get; set; }
}

/// <summary>How the fake answers a look-up of something that does not exist; both exist in reality.</summary>
public enum NotFoundStyle
{
    /// <summary>As the real service answers each route: HTTP 404 for unknown payments, orders and schedules, HTTP 200
    /// with <c>code</c> 1 for an unknown <c>GET /subscribe/customers/{customer_uid}</c> and an unknown prepared amount.</summary>
    PerRoute,

    /// <summary>Every route: HTTP 404 with an envelope whose <c>code</c> is not 0 (the schema's description).</summary>
    Http404,

    /// <summary>Every route: HTTP 200 with an envelope whose <c>code</c> is not 0.</summary>
    Http200,
}

/// <summary>The body encoding of webhooks.</summary>
public enum WebhookFormat
{
    /// <summary><c>application/json</c>.</summary>
    Json,

    /// <summary><c>application/x-www-form-urlencoded</c>.</summary>
    Form,
}
