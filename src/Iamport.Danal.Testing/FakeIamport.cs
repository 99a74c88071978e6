using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Testing.Hosting;
using Iamport.Danal.Testing.Routes;
using Iamport.Danal.Testing.State;
using Iamport.Danal.Testing.Webhooks;
using Microsoft.AspNetCore.Builder;

namespace Iamport.Danal.Testing;

/// <summary>
/// A fake I'mport V1 service with Danal's behaviour: one state machine served in-process through an ASP.NET Core test
/// server (<see cref="CreateHandler"/>), on a loopback port through Kestrel (<see cref="StartAsync"/>), both at once, or
/// as the <c>iamport-fake</c> tool.
/// </summary>
/// <remarks>
/// Time comes from the <see cref="TimeProvider"/> given to the constructor: token expiry, <c>schedule_at</c> and
/// <see cref="FaultKind.Latency"/>, webhook resends and delays all follow it, so tests drive it with a
/// <c>FakeTimeProvider</c>. Webhooks go out in the background, on the fake's own schedule: a request only queues them,
/// so aborting it (a closed tab) cannot stop them. By default (<see cref="FakeIamportOptions.AnswerAfterWebhooks"/>) the
/// request is answered once its webhooks were tried, so a test sees them as soon as its call returns;
/// <see cref="WhenWebhooksSentAsync"/> waits for the rest (resends, copies, delayed and held webhooks).
/// </remarks>
/// <seealso href="https://developers.portone.io/api/rest-v1"/>
public sealed partial class FakeIamport : IAsyncDisposable
{
    private readonly FakeState _state;
    private readonly WebhookDispatcher _webhooks;
    private readonly TimeProvider _time;
    private readonly ITimer _scheduleTimer;
    private readonly SemaphoreSlim _scheduleRun = new(1, 1);
    private readonly Lock _timerGate = new();
    private Task _timerRun = Task.CompletedTask;
    private readonly Lock _hostGate = new();
    private WebApplication? _inProcess;
    private WebApplication? _kestrel;
    private Uri? _address;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="FakeIamport"/> class.</summary>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The fake's clock, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public FakeIamport(FakeIamportOptions? options = null, TimeProvider? timeProvider = null)
    {
        Options = options ?? new FakeIamportOptions();
        _time = timeProvider ?? TimeProvider.System;
        _state = new FakeState(Options, _time);
        _webhooks = new WebhookDispatcher(Options, Faults, _time);

        _scheduleTimer = _time.CreateTimer(_ => OnScheduleTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Gets the settings; changes apply to later requests.</summary>
    public FakeIamportOptions Options { get; }

    /// <summary>Gets the script of injected faults.</summary>
    public FaultPlan Faults { get; } = new();

    /// <summary>Gets the loopback address the fake listens on after <see cref="StartAsync"/>, ending in <c>/</c>.</summary>
    public Uri? BaseAddress => _address;

    /// <summary>Gets how many <c>POST /users/getToken</c> requests arrived.</summary>
    public int TokenRequestCount => RequestCount(FakeRoutes.GetToken);

    /// <summary>Gets how many distinct access tokens were issued.</summary>
    public int TokensIssuedCount
    {
        get
        {
            lock (_state.Gate)
            {
                return _state.TokensIssued;
            }
        }
    }

    /// <summary>Gets how many requests arrived per route name (<see cref="FakeRoutes"/>).</summary>
    public IReadOnlyDictionary<string, int> RequestsPerRoute
    {
        get
        {
            lock (_state.Gate)
            {
                return new Dictionary<string, int>(_state.RequestsPerRoute, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Gets every payment the fake recorded, oldest first, sandbox or not.</summary>
    public IReadOnlyList<FakePayment> Payments
    {
        get
        {
            lock (_state.Gate)
            {
                return _state.Payments.Select(ToPublic).ToArray();
            }
        }
    }

    /// <summary>Gets every webhook attempt (first tries, resends and duplicated copies), in the order they ended.
    /// A webhook lost by a <see cref="Fault.LoseWebhook"/> fault never appears.</summary>
    public IReadOnlyList<SentWebhook> Webhooks => _webhooks.Sent;

    /// <summary>Creates a handler that serves the fake in-process, for an <see cref="HttpClient"/> with any base address.</summary>
    /// <returns>A new handler; dispose it with its client.</returns>
    /// <exception cref="ObjectDisposedException">The fake is disposed.</exception>
    public HttpMessageHandler CreateHandler()
    {
        lock (_hostGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _inProcess ??= FakeApp.StartInProcess(NewPipeline(inProcess: true));
            return FakeApp.CreateHandler(_inProcess);
        }
    }

    /// <summary>Starts serving the fake on a loopback port through Kestrel.</summary>
    /// <param name="port">The port, or 0 for any free one.</param>
    /// <param name="cancellationToken">The token to cancel the start.</param>
    /// <returns>The base address, e.g. <c>http://127.0.0.1:5099/</c>.</returns>
    /// <exception cref="InvalidOperationException">The fake is already started.</exception>
    /// <exception cref="ObjectDisposedException">The fake is disposed.</exception>
    public async Task<Uri> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_kestrel is not null)
        {
            throw new InvalidOperationException("The fake is already started.");
        }

        (_kestrel, _address) = await FakeApp.StartKestrelAsync(NewPipeline(inProcess: false), port, cancellationToken).ConfigureAwait(false);
        return _address;
    }

    /// <summary>Gets how many requests arrived for a route.</summary>
    /// <param name="route">The route name, one of <see cref="FakeRoutes"/>.</param>
    /// <returns>The count; 0 when none.</returns>
    public int RequestCount(string route)
    {
        lock (_state.Gate)
        {
            return _state.RequestsPerRoute.GetValueOrDefault(route);
        }
    }

    /// <summary>Gets the payments recorded for a <c>merchant_uid</c>, oldest first.</summary>
    /// <param name="merchantUid">The merchant's order id.</param>
    /// <returns>The payments; empty when none.</returns>
    public IReadOnlyList<FakePayment> GetPayments(string merchantUid)
    {
        lock (_state.Gate)
        {
            return _state.PaymentsOfOrder(merchantUid).Select(ToPublic).ToArray();
        }
    }

    /// <summary>Gets how many times a <c>merchant_uid</c>'s card was charged: its payments that were approved
    /// (<c>paid</c>, or <c>cancelled</c> after being paid). Declined, abandoned and closed attempts do not count.</summary>
    /// <param name="merchantUid">The merchant's order id.</param>
    /// <returns>0 or 1 when all is well; more would be a double charge.</returns>
    public int PaidChargeCount(string merchantUid)
    {
        lock (_state.Gate)
        {
            return _state.PaymentsOfOrder(merchantUid).Count(p => p.Status is "paid" or "cancelled");
        }
    }

    /// <summary>Gets how many payment records a <c>merchant_uid</c> has: every attempt, approved, declined
    /// (<c>failed</c>), closed or abandoned (<c>ready</c>).</summary>
    /// <param name="merchantUid">The merchant's order id.</param>
    /// <returns>The number of attempts; 0 when none reached the fake.</returns>
    public int ChargeAttemptCount(string merchantUid)
    {
        lock (_state.Gate)
        {
            return _state.PaymentsOfOrder(merchantUid).Count;
        }
    }

    /// <summary>Gets whether a billing key exists for <paramref name="customerUid"/>.</summary>
    /// <param name="customerUid">The customer id.</param>
    /// <returns><see langword="true"/> when a key is stored.</returns>
    public bool HasBillingKey(string customerUid)
    {
        lock (_state.Gate)
        {
            return _state.Customers.ContainsKey(customerUid);
        }
    }

    /// <summary>Stores a billing key as if the buyer had completed the Danal window (seeding for tests and the tool).
    /// No payment is recorded and no webhook is sent. An existing key for the same <paramref name="customerUid"/> is replaced.</summary>
    /// <param name="customerUid">The customer id.</param>
    /// <param name="cardNumber">A card from <see cref="TestCards"/>; it decides how charges end.</param>
    /// <param name="customerName">The card holder's name, shown as <c>customer_name</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="customerUid"/> is empty or longer than 80 characters, or the card cannot be issued.</exception>
    public void IssueBillingKey(string customerUid, string cardNumber = TestCards.Approve, string? customerName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerUid);
        if (customerUid.Length > 80)
        {
            throw new ArgumentException("A customer_uid has at most 80 characters.", nameof(customerUid));
        }

        var card = TestCard.Find(cardNumber);
        if (card.FailsIssuance)
        {
            throw new ArgumentException("This test card fails at issuance: " + TestCards.IssuanceFailedReason, nameof(cardNumber));
        }

        lock (_state.Gate)
        {
            Issuance.Store(_state, customerUid, card, customerName, tel: null, email: null);
        }
    }

    /// <summary>Makes the next charge of <paramref name="customerUid"/>'s key decline (<c>code 0</c>, <c>status "failed"</c>).</summary>
    /// <param name="customerUid">The customer id.</param>
    /// <param name="reason">The <c>fail_reason</c>.</param>
    /// <remarks>Calls queue: two calls decline the next two charges.</remarks>
    /// <exception cref="ArgumentException"><paramref name="customerUid"/> or <paramref name="reason"/> is empty.</exception>
    public void DeclineNext(string customerUid, string reason = TestCards.LimitExceededReason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerUid);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_state.Gate)
        {
            if (!_state.PendingDeclines.TryGetValue(customerUid, out var queue))
            {
                _state.PendingDeclines[customerUid] = queue = new Queue<string>();
            }

            queue.Enqueue(reason);
        }
    }

    /// <summary>Revokes every access token: the next API call is answered HTTP 401, and <c>getToken</c> issues a new one.</summary>
    public void RevokeTokens()
    {
        lock (_state.Gate)
        {
            TokenRoutes.RevokeAll(_state);
        }
    }

    /// <summary>Runs every schedule whose <c>schedule_at</c> has passed on the fake's clock and queues their webhooks.</summary>
    /// <param name="cancellationToken">The token to cancel waiting.</param>
    /// <returns>A task that completes when every due schedule has run, including a run the clock already started, and
    /// their webhooks were tried once (or wait for the clock: a resend, a delay, a hold).</returns>
    public async Task RunDueSchedulesAsync(CancellationToken cancellationToken = default)
    {
        Task timerRun;
        lock (_timerGate)
        {
            timerRun = _timerRun;
        }

        await timerRun.WaitAsync(cancellationToken).ConfigureAwait(false);
        await RunSchedulesCoreAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refunds a payment as an operator would in I'mport's admin console, and sends its webhook (status
    /// <c>cancelled</c> once nothing is left to refund, with a <c>cancellation_id</c>) whatever <c>enable_webhook</c>
    /// says, since the console always notifies. The payment gets a cancel history entry as a REST cancel would.</summary>
    /// <param name="impUid">The payment's <c>imp_uid</c>.</param>
    /// <param name="amount">The amount to refund, or <see langword="null"/> for all that is left.</param>
    /// <param name="reason">The cancel reason shown in the history, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to stop waiting for the webhook's first attempt; the refund and the
    /// webhook are not undone.</param>
    /// <returns>The payment after the refund.</returns>
    /// <exception cref="ArgumentException"><paramref name="impUid"/> is empty or names no payment.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is not positive or exceeds what is left to refund.</exception>
    /// <exception cref="InvalidOperationException">The payment is not <c>paid</c> (failed, ready, or already fully cancelled).</exception>
    /// <exception cref="ObjectDisposedException">The fake is disposed.</exception>
    public async Task<FakePayment> CancelFromConsoleAsync(string impUid, decimal? amount = null, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(impUid);
        if (amount is { } requested)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(requested, 0m, nameof(amount));
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        FakePayment result;
        Task webhooksSettled;
        lock (_state.Gate)
        {
            var payment = _state.Payment(impUid) ?? throw new ArgumentException("No payment has this imp_uid.", nameof(impUid));
            if (payment.Status != "paid")
            {
                throw new InvalidOperationException(payment.Status == "cancelled"
                    ? PaymentRoutes.AlreadyCancelled
                    : "Only a paid payment can be refunded; this one is " + payment.Status + ".");
            }

            var refund = amount ?? payment.Amount - payment.CancelAmount;
            if (PaymentRoutes.ExceedsRefundable(payment, refund) is { } exceeds)
            {
                throw new ArgumentOutOfRangeException(nameof(amount), refund, exceeds);
            }

            var cancellationId = PaymentRoutes.Refund(_state, payment, refund, reason);
            var webhooks = new List<WebhookEvent>();
            Charges.QueueWebhook(_state, payment, webhooks, cancellationId);
            webhooksSettled = _webhooks.Enqueue(webhooks);
            result = ToPublic(payment);
        }

        if (Options.AnswerAfterWebhooks)
        {
            await webhooksSettled.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Waits until every webhook queued so far has been sent: each first try, resend and duplicated copy, and
    /// every delayed or held webhook. On a <c>FakeTimeProvider</c>, advance the clock for those that wait on it.</summary>
    /// <param name="cancellationToken">The token to stop waiting.</param>
    /// <returns>A task that completes when nothing queued before the call is left to send.</returns>
    public Task WhenWebhooksSentAsync(CancellationToken cancellationToken = default) => _webhooks.WhenSentAsync(cancellationToken);

    /// <summary>Waits until no webhook is being sent: each is sent, or waits for the fake's clock (a resend, a delay, a
    /// hold, spaced copies). With a <c>FakeTimeProvider</c>, await this before each <c>Advance</c> to step through
    /// resends deterministically.</summary>
    /// <param name="cancellationToken">The token to stop waiting.</param>
    /// <returns>A task that completes when the webhook sender is idle.</returns>
    public Task WhenWebhooksIdleAsync(CancellationToken cancellationToken = default) => _webhooks.WhenIdleAsync(cancellationToken);

    /// <summary>Stops the Kestrel host, if started, the schedule timer and the webhook sender (unsent webhooks are dropped).</summary>
    /// <returns>A task that completes when the fake has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        WebApplication?[] apps;
        lock (_hostGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            apps = [_inProcess, _kestrel];
        }

        await _scheduleTimer.DisposeAsync().ConfigureAwait(false);
        foreach (var app in apps)
        {
            if (app is not null)
            {
                await app.StopAsync().ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
            }
        }

        Task timerRun;
        lock (_timerGate)
        {
            timerRun = _timerRun;
        }

        await timerRun.ConfigureAwait(false);
        await _webhooks.DisposeAsync().ConfigureAwait(false);
        _scheduleRun.Dispose();
    }

    private Pipeline NewPipeline(bool inProcess) => new(_state, Faults, _webhooks, _time, ArmScheduleTimer, inProcess);

    private static FakePayment ToPublic(PaymentRecord p) => new()
    {
        ImpUid = p.ImpUid,
        MerchantUid = p.MerchantUid,
        CustomerUid = p.CustomerUid,
        CustomerUidUsage = p.CustomerUidUsage,
        Amount = p.Amount,
        CancelAmount = p.CancelAmount,
        Currency = p.Currency,
        Status = p.Status,
        FailReason = p.FailReason,
        IsSandbox = p.Sandbox,
        Tier = p.Tier,
    };

    private async Task RunSchedulesCoreAsync(CancellationToken cancellationToken)
    {
        await _scheduleRun.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Task webhooksSettled;
            lock (_state.Gate)
            {
                webhooksSettled = Task.WhenAll(ScheduleRoutes.RunDue(_state).Select(_webhooks.Enqueue));
            }

            // Scheduled runs' webhooks take the same dispatcher and faults as any other; this run waits for their first tries.
            await webhooksSettled.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _scheduleRun.Release();
        }

        ArmScheduleTimer();
    }

    private void ArmScheduleTimer()
    {
        if (!Options.RunSchedulesAutomatically || _disposed)
        {
            return;
        }

        long? next;
        lock (_state.Gate)
        {
            next = ScheduleRoutes.NextDue(_state);
        }

        if (next is { } due)
        {
            // A far schedule is re-armed when this one fires.
            ClockTimers.FireAt(_scheduleTimer, _time, DateTimeOffset.FromUnixTimeSeconds(due));
        }
    }

    private void OnScheduleTimer()
    {
        lock (_timerGate)
        {
            var previous = _timerRun;
            _timerRun = RunAfterAsync(previous);
        }
    }

    private async Task RunAfterAsync(Task previous)
    {
        await previous.ConfigureAwait(false);
        if (!_disposed)
        {
            await RunSchedulesCoreAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
