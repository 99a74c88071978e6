using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace Iamport.Danal.Testing.Webhooks;

/// <summary>A webhook waiting to be sent once the state change that caused it is committed.</summary>
internal sealed record WebhookEvent(Uri Url, string ImpUid, string MerchantUid, string Status, string? CancellationId);

/// <summary>Sends webhooks in the background, on the fake's own schedule: a request that causes a webhook only queues
/// it, so the request's cancellation (a closed tab, an aborted connection) cannot stop it. Records every attempt and
/// never throws at the caller. Lives as long as the fake.</summary>
/// <remarks>
/// <para>The webhooks one change causes (one request, one schedule's run) go out one after another, in order, unless a
/// fault says otherwise; those of different changes go out concurrently. Nothing waits for an earlier change's
/// webhook: a shop whose webhook handler calls the fake back (a refund with <c>enable_webhook</c>) must not wait for
/// its own webhook's answer. Resends, delays, spacing and holds wait on the fake's <see cref="TimeProvider"/>, so a
/// <c>FakeTimeProvider</c> drives them.</para>
/// <para>A job is <em>settled</em> once it is done or waits for the clock; <see cref="WhenIdleAsync"/> completes when
/// every job is settled, <see cref="WhenSentAsync"/> when every job queued so far is done. Clock waits are timers whose
/// callback marks the job busy again before the clock's <c>Advance</c> returns, so a test that advances the clock and
/// then awaits <see cref="WhenIdleAsync"/> never sees a moment of false idleness.</para>
/// <para>The handler is read from the options at each attempt, so a <see cref="FakeIamportOptions.WebhookHandler"/>
/// set after the fake was created applies to later attempts.</para>
/// </remarks>
internal sealed class WebhookDispatcher : IAsyncDisposable
{
    /// <summary>How many times a failed webhook is sent again when <see cref="FakeIamportOptions.ResendWebhooks"/> is on.</summary>
    public const int MaxResends = 5;

    /// <summary>The time between resends.</summary>
    public static readonly TimeSpan ResendInterval = TimeSpan.FromMinutes(1);

    /// <summary>I'mport's read timeout for a webhook (10 s to connect, 30 s to read).</summary>
    public static readonly TimeSpan FirstTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The total time one resend may take.</summary>
    public static readonly TimeSpan ResendTimeout = TimeSpan.FromSeconds(15);

    private readonly FakeIamportOptions _options;
    private readonly FaultPlan _faults;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    // A fresh connection per attempt, as a sender that calls now and then would open: a pooled one that the receiver
    // aborted or closed between attempts could otherwise take the next attempt, which then waits for an answer that
    // never comes (and its timeout runs on the fake's clock, which a test may hold still).
    private readonly HttpClient _ownClient = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };
    private readonly Lock _gate = new();
    private readonly List<SentWebhook> _sent = [];
    private readonly HashSet<Job> _pending = [];
    private readonly Dictionary<string, List<Job>> _held = new(StringComparer.Ordinal);
    private HttpMessageHandler? _handler;
    private HttpClient? _handlerClient;
    private int _number;
    private int _busy;
    private TaskCompletionSource _idle = NewSignal(completed: true);
    private bool _disposed;

    public WebhookDispatcher(FakeIamportOptions options, FaultPlan faults, TimeProvider time)
    {
        _options = options;
        _faults = faults;
        _time = time;
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
                    _handlerClient = new HttpClient(handler, disposeHandler: false) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
                }

                return _handlerClient!;
            }
        }
    }

    /// <summary>Queues the webhooks of one change in the order given. Cheap and synchronous, so callers may hold the
    /// state's gate, which keeps the fault draws and webhook numbers in the order of the changes.</summary>
    /// <returns>A task that completes when each of them is settled: sent once, or waiting for the clock (a delay, a
    /// hold, a resend), or lost. It never faults.</returns>
    public Task Enqueue(IReadOnlyList<WebhookEvent> webhooks)
    {
        if (webhooks.Count == 0)
        {
            return Task.CompletedTask;
        }

        var settled = new List<Task>(webhooks.Count);
        var previous = Task.CompletedTask;
        foreach (var webhook in webhooks)
        {
            Job job;
            lock (_gate)
            {
                if (_disposed)
                {
                    break;
                }

                var number = ++_number;
                job = new Job(webhook, number, _faults.TakeWebhook(webhook.MerchantUid, number), Body(webhook));
                _pending.Add(job);
                MarkBusy();
                if (job.Fault?.Kind is FaultKind.WebhookReordered)
                {
                    if (!_held.TryGetValue(webhook.MerchantUid, out var held))
                    {
                        _held[webhook.MerchantUid] = held = [];
                    }

                    held.Add(job);
                }
                else if (job.Fault?.Kind is not (FaultKind.WebhookLost or FaultKind.WebhookDelayed))
                {
                    // The on-time webhooks of one change go out one after another, each after the previous one settled.
                    job.Previous = previous;
                    previous = job.Settled.Task;
                }
            }

            settled.Add(job.Settled.Task);
            _ = Task.Run(() => RunAsync(job));
        }

        return Task.WhenAll(settled);
    }

    /// <summary>Completes when every webhook queued so far has been sent, with its copies and resends, or lost.</summary>
    public Task WhenSentAsync(CancellationToken cancellationToken)
    {
        Task[] jobs;
        lock (_gate)
        {
            jobs = [.. _pending.Select(j => j.Done.Task)];
        }

        return Task.WhenAll(jobs).WaitAsync(cancellationToken);
    }

    /// <summary>Completes when no webhook is being sent: each is done or waits for the fake's clock.</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] jobs;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            jobs = [.. _pending.Select(j => j.Done.Task)];
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(jobs).ConfigureAwait(false);

        // A replaced handler's client is left to the GC: disposing it would not dispose the caller's handler anyway.
        _ownClient.Dispose();
        _handlerClient?.Dispose();
        _stopping.Dispose();
    }

    private static TaskCompletionSource NewSignal(bool completed = false)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            signal.SetResult();
        }

        return signal;
    }

    private (string Body, string ContentType) Body(WebhookEvent webhook)
    {
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

            // As FormUrlEncodedContent writes it (a space is '+'), built once so every copy and resend carries the same bytes.
            static string Encode(string text) => Uri.EscapeDataString(text).Replace("%20", "+", StringComparison.Ordinal);
            return (string.Join('&', pairs.Select(p => Encode(p.Key) + "=" + Encode(p.Value))), "application/x-www-form-urlencoded");
        }

        var json = new JsonObject { ["imp_uid"] = webhook.ImpUid, ["merchant_uid"] = webhook.MerchantUid, ["status"] = webhook.Status };
        if (webhook.CancellationId is { } cancellationId)
        {
            json["cancellation_id"] = cancellationId;
        }

        return (json.ToJsonString(), "application/json");
    }

    private async Task RunAsync(Job job)
    {
        try
        {
            switch (job.Fault?.Kind)
            {
                case FaultKind.WebhookLost:
                    return;
                case FaultKind.WebhookDelayed:
                    await WaitForClockAsync(job, job.Fault.Delay).ConfigureAwait(false);
                    break;
                case FaultKind.WebhookReordered:
                    await WaitForClockAsync(job, job.Fault.Delay, held: true).ConfigureAwait(false);
                    break;
                default:
                    await job.Previous.WaitAsync(_stopping.Token).ConfigureAwait(false);
                    break;
            }

            var copies = job.Fault?.Copies ?? 0;
            var spacing = job.Fault?.Spacing ?? TimeSpan.Zero;
            for (var copy = 0; copy <= copies; copy++)
            {
                if (copy > 0 && spacing > TimeSpan.Zero)
                {
                    await WaitForClockAsync(job, spacing).ConfigureAwait(false);
                }

                await SendWithResendsAsync(job, copy).ConfigureAwait(false);
                if (copy == 0)
                {
                    ReleaseHeld(job);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The fake is being disposed: what was not sent is dropped.
        }
        finally
        {
            Finish(job);
        }
    }

    private async Task SendWithResendsAsync(Job job, int copy)
    {
        var attempts = 1 + (_options.ResendWebhooks ? MaxResends : 0);
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (attempt > 1)
            {
                await WaitForClockAsync(job, ResendInterval).ConfigureAwait(false);
            }

            if (await AttemptAsync(job, copy, attempt).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>One POST; <see langword="true"/> when the receiver took it (any answer below 500, as I'mport counts).</summary>
    private async Task<bool> AttemptAsync(Job job, int copy, int attempt)
    {
        var timeout = attempt == 1 ? FirstTimeout : ResendTimeout;
        using var timer = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, _stopping.Token);
        var sentAt = _time.GetUtcNow();
        int? status = null;
        string? error = null;
        try
        {
            using var content = new StringContent(job.Body.Body, Encoding.UTF8, job.Body.ContentType);
            using var response = await Client.PostAsync(job.Webhook.Url, content, linked.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            error = "No answer within " + timeout.TotalSeconds + " s.";
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or InvalidOperationException)
        {
            error = ex.Message;
        }

        lock (_gate)
        {
            _sent.Add(new SentWebhook
            {
                Url = job.Webhook.Url,
                ContentType = job.Body.ContentType,
                Body = job.Body.Body,
                ImpUid = job.Webhook.ImpUid,
                MerchantUid = job.Webhook.MerchantUid,
                Status = job.Webhook.Status,
                CancellationId = job.Webhook.CancellationId,
                ResponseStatusCode = status,
                Error = error,
                Attempt = attempt,
                Copy = copy,
                SentAt = sentAt,
            });
        }

        return status is < 500;
    }

    /// <summary>Waits <paramref name="delay"/> on the fake's clock, settled meanwhile; a held job also wakes when another
    /// webhook of its payment has been sent.</summary>
    private async Task WaitForClockAsync(Job job, TimeSpan delay, bool held = false)
    {
        var wake = NewSignal();
        ITimer timer;
        lock (_gate)
        {
            if (held && job.Released)
            {
                // Released before it even began to wait: another webhook of its payment went out meanwhile.
                return;
            }

            job.Wake = wake;
            job.State = JobState.Waiting;
            // The timer runs before the job counts as idle: whoever advances the clock once the dispatcher is idle must
            // find it running, or the wait would start from the advanced time. Its callback marks the job busy inside
            // the clock's Advance, before any continuation runs.
            timer = _time.CreateTimer(_ => Wake(job), null, System.Threading.Timeout.InfiniteTimeSpan, System.Threading.Timeout.InfiniteTimeSpan);
            ClockTimers.FireAt(timer, _time, _time.GetUtcNow() + delay);
            job.Settled.TrySetResult();
            MarkIdleIfLast();
        }

        using var disposeTimer = timer;
        using var registration = _stopping.Token.Register(() => wake.TrySetCanceled());
        await wake.Task.ConfigureAwait(false);
        if (held)
        {
            lock (_gate)
            {
                job.Released = true;
                RemoveHeld(job);
            }
        }
    }

    /// <summary>Ends a job's clock wait, once (its timer and a release may both try).</summary>
    private void Wake(Job job)
    {
        TaskCompletionSource? wake = null;
        lock (_gate)
        {
            if (job.State == JobState.Waiting)
            {
                job.State = JobState.Busy;
                wake = job.Wake;
                MarkBusy();
            }
        }

        wake?.TrySetResult();
    }

    /// <summary>A webhook of a payment was sent: the payment's webhooks held back before it (reordered) go now, right after it.</summary>
    private void ReleaseHeld(Job sent)
    {
        List<Job> released = [];
        lock (_gate)
        {
            if (!_held.TryGetValue(sent.Webhook.MerchantUid, out var list))
            {
                return;
            }

            foreach (var job in list.Where(j => j.Number < sent.Number).ToList())
            {
                job.Released = true;
                RemoveHeld(job);
                released.Add(job);
            }
        }

        foreach (var job in released)
        {
            Wake(job);
        }
    }

    /// <summary>Caller holds the gate.</summary>
    private void RemoveHeld(Job job)
    {
        if (_held.TryGetValue(job.Webhook.MerchantUid, out var list) && list.Remove(job) && list.Count == 0)
        {
            _held.Remove(job.Webhook.MerchantUid);
        }
    }

    private void Finish(Job job)
    {
        lock (_gate)
        {
            _pending.Remove(job);

            if (job.State == JobState.Busy)
            {
                MarkIdleIfLast();
            }

            job.State = JobState.Finished;
            RemoveHeld(job);
        }

        job.Settled.TrySetResult();
        job.Done.TrySetResult();
    }

    /// <summary>One more job is busy. Caller holds the gate.</summary>
    private void MarkBusy()
    {
        if (_busy++ == 0)
        {
            _idle = NewSignal();
        }
    }

    /// <summary>One busy job settled. Caller holds the gate.</summary>
    private void MarkIdleIfLast()
    {
        if (--_busy == 0)
        {
            _idle.TrySetResult();
        }
    }

    private sealed class Job(WebhookEvent webhook, int number, Fault? fault, (string Body, string ContentType) body)
    {
        public WebhookEvent Webhook { get; } = webhook;

        public int Number { get; } = number;

        public Fault? Fault { get; } = fault;

        public (string Body, string ContentType) Body { get; } = body;

        /// <summary>The previous on-time webhook of the same change, settled before this one is sent.</summary>
        public Task Previous { get; set; } = Task.CompletedTask;

        public TaskCompletionSource Settled { get; } = NewSignal();

        public TaskCompletionSource Done { get; } = NewSignal();

        public TaskCompletionSource? Wake { get; set; }

        /// <summary>Guarded by the dispatcher's gate.</summary>
        public JobState State { get; set; }

        /// <summary>A held job whose hold is over. Guarded by the dispatcher's gate.</summary>
        public bool Released { get; set; }
    }

    private enum JobState
    {
        /// <summary>Queued or sending: counted as busy.</summary>
        Busy,

        /// <summary>Waiting for the fake's clock (a delay, a hold, spacing, a resend).</summary>
        Waiting,

        /// <summary>Sent, lost or stopped.</summary>
        Finished,
    }
}
