using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace Iamport.Danal.Testing;

/// <summary>The script of faults a <see cref="FakeIamport"/> injects: queued faults for the next requests of a route
/// or the next webhooks, and optional seeded random plans for soak tests. Thread-safe.</summary>
/// <remarks>Webhook faults are scripted under the pseudo-route <see cref="FakeRoutes.Webhook"/> (the next webhooks, of
/// any payment) or per payment with <see cref="NextWebhook"/>; request faults under the other route names. A webhook
/// takes its payment's queued fault first, then the route's, then the random plan's.</remarks>
public sealed class FaultPlan
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<Fault>> _queued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<Fault>> _queuedWebhooks = new(StringComparer.Ordinal);
    private readonly List<InjectedFault> _injected = [];
    private readonly Dictionary<string, RandomPlan> _random = new(StringComparer.Ordinal);

    /// <summary>Gets every fault injected so far, in order.</summary>
    public IReadOnlyList<InjectedFault> Injected
    {
        get
        {
            lock (_gate)
            {
                return _injected.ToArray();
            }
        }
    }

    /// <summary>Makes the next <paramref name="count"/> requests of <paramref name="route"/> suffer <paramref name="fault"/>.</summary>
    /// <param name="route">The route name, one of <see cref="FakeRoutes"/>.</param>
    /// <param name="fault">The fault.</param>
    /// <param name="count">How many consecutive requests; queued after faults already queued for the route.</param>
    /// <exception cref="ArgumentNullException"><paramref name="route"/> or <paramref name="fault"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="fault"/> is a webhook fault and <paramref name="route"/> is not
    /// <see cref="FakeRoutes.Webhook"/>, or the other way round.</exception>
    public void Next(string route, Fault fault, int count = 1)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        CheckFits(route, fault, nameof(fault));
        lock (_gate)
        {
            Enqueue(_queued, route, fault, count);
        }
    }

    /// <summary>Makes the next <paramref name="count"/> webhooks of <paramref name="merchantUid"/> suffer <paramref name="fault"/>.</summary>
    /// <param name="merchantUid">The payment's <c>merchant_uid</c>.</param>
    /// <param name="fault">A webhook fault (<see cref="Fault.LoseWebhook"/>, <see cref="Fault.DuplicateWebhook"/>,
    /// <see cref="Fault.DelayWebhook"/>, <see cref="Fault.ReorderWebhook"/>).</param>
    /// <param name="count">How many consecutive webhooks of that payment; queued after faults already queued for it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="merchantUid"/> or <paramref name="fault"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="fault"/> is not a webhook fault.</exception>
    public void NextWebhook(string merchantUid, Fault fault, int count = 1)
    {
        ArgumentNullException.ThrowIfNull(merchantUid);
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        CheckFits(FakeRoutes.Webhook, fault, nameof(fault));
        lock (_gate)
        {
            Enqueue(_queuedWebhooks, merchantUid, fault, count);
        }
    }

    /// <summary>Gives each request of <paramref name="routes"/> the chance <paramref name="rate"/> of one of
    /// <paramref name="faults"/>, drawn from a generator seeded with <paramref name="seed"/>: the same request sequence
    /// suffers the same faults. Queued faults (<see cref="Next"/>, <see cref="NextWebhook"/>) take precedence. A later call
    /// replaces the plan of the routes it names and keeps the plans of other routes.</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="rate">The chance of a fault per request, from 0 to 1.</param>
    /// <param name="routes">The route names, from <see cref="FakeRoutes"/>; <see cref="FakeRoutes.Webhook"/> for webhooks.</param>
    /// <param name="faults">The faults to choose from, uniformly; webhook faults for <see cref="FakeRoutes.Webhook"/>, request faults for the others.</param>
    /// <exception cref="ArgumentNullException"><paramref name="routes"/> or <paramref name="faults"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is outside 0..1.</exception>
    /// <exception cref="ArgumentException"><paramref name="faults"/> is empty, or a fault does not fit a route (a webhook fault on a request route or the other way round).</exception>
    public void UseRandom(int seed, double rate, IEnumerable<string> routes, IEnumerable<Fault> faults)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(faults);
        ArgumentOutOfRangeException.ThrowIfLessThan(rate, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rate, 1);
        var choices = faults.ToArray();
        if (choices.Length == 0)
        {
            throw new ArgumentException("At least one fault is needed.", nameof(faults));
        }

        var names = routes.ToArray();
        foreach (var route in names)
        {
            foreach (var fault in choices)
            {
                CheckFits(route, fault, nameof(faults));
            }
        }

        lock (_gate)
        {
#pragma warning disable CA5394 // Deterministic test faults, not security.
            var plan = new RandomPlan(new Random(seed), rate, choices);
#pragma warning restore CA5394
            foreach (var route in names)
            {
                _random[route] = plan;
            }
        }
    }

    /// <summary>Removes every queued fault and every random plan; <see cref="Injected"/> is kept.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _queued.Clear();
            _queuedWebhooks.Clear();
            _random.Clear();
        }
    }

    /// <summary>The fault for this request of the route, if any, recorded as injected.</summary>
    internal Fault? Take(string route, int requestNumber) => Take(route, requestNumber, merchantUid: null);

    /// <summary>The fault for a webhook of <paramref name="merchantUid"/>, if any, recorded as injected.</summary>
    internal Fault? TakeWebhook(string merchantUid, int webhookNumber) => Take(FakeRoutes.Webhook, webhookNumber, merchantUid);

    private static void CheckFits(string route, Fault fault, string paramName)
    {
        if (fault.IsWebhookFault != (route == FakeRoutes.Webhook))
        {
            throw new ArgumentException(
                fault.IsWebhookFault
                    ? "A webhook fault (" + fault.Kind + ") is scripted under FakeRoutes.Webhook or with NextWebhook, not under the route '" + route + "'."
                    : "The fault " + fault.Kind + " applies to requests; FakeRoutes.Webhook takes only webhook faults.",
                paramName);
        }
    }

    private static void Enqueue(Dictionary<string, Queue<Fault>> queues, string key, Fault fault, int count)
    {
        if (!queues.TryGetValue(key, out var queue))
        {
            queues[key] = queue = new Queue<Fault>();
        }

        for (var i = 0; i < count; i++)
        {
            queue.Enqueue(fault);
        }
    }

    private static Fault? Dequeue(Dictionary<string, Queue<Fault>> queues, string key)
    {
        if (!queues.TryGetValue(key, out var queue))
        {
            return null;
        }

        var fault = queue.Dequeue();
        if (queue.Count == 0)
        {
            queues.Remove(key);
        }

        return fault;
    }

    private Fault? Take(string route, int number, string? merchantUid)
    {
        lock (_gate)
        {
            var fault = (merchantUid is null ? null : Dequeue(_queuedWebhooks, merchantUid)) ?? Dequeue(_queued, route);
            if (fault is null && _random.TryGetValue(route, out var plan))
            {
#pragma warning disable CA5394 // Deterministic test faults, not security.
                if (plan.Random.NextDouble() < plan.Rate)
                {
                    fault = plan.Faults[plan.Random.Next(plan.Faults.Length)];
                }
#pragma warning restore CA5394
            }

            if (fault is not null)
            {
                _injected.Add(new InjectedFault { Route = route, RequestNumber = number, Fault = fault, MerchantUid = merchantUid });
            }

            return fault;
        }
    }

    private sealed record RandomPlan(Random Random, double Rate, Fault[] Faults);
}
