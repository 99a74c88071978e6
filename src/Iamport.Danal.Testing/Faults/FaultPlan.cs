using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace Iamport.Danal.Testing;

/// <summary>The script of faults a <see cref="FakeIamport"/> injects: queued faults for the next requests of a route,
/// and an optional seeded random plan for soak tests. Thread-safe.</summary>
public sealed class FaultPlan
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<Fault>> _queued = new(StringComparer.Ordinal);
    private readonly List<InjectedFault> _injected = [];
    private RandomPlan? _random;

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
    public void Next(string route, Fault fault, int count = 1)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (_gate)
        {
            if (!_queued.TryGetValue(route, out var queue))
            {
                _queued[route] = queue = new Queue<Fault>();
            }

            for (var i = 0; i < count; i++)
            {
                queue.Enqueue(fault);
            }
        }
    }

    /// <summary>Gives each request of <paramref name="routes"/> the chance <paramref name="rate"/> of one of
    /// <paramref name="faults"/>, drawn from a generator seeded with <paramref name="seed"/>: the same request sequence
    /// suffers the same faults. Queued faults (<see cref="Next"/>) take precedence.</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="rate">The chance of a fault per request, from 0 to 1.</param>
    /// <param name="routes">The route names, from <see cref="FakeRoutes"/>.</param>
    /// <param name="faults">The faults to choose from, uniformly.</param>
    /// <exception cref="ArgumentNullException"><paramref name="routes"/> or <paramref name="faults"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is outside 0..1.</exception>
    /// <exception cref="ArgumentException"><paramref name="faults"/> is empty.</exception>
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

        lock (_gate)
        {
#pragma warning disable CA5394 // Deterministic test faults, not security.
            _random = new RandomPlan(new Random(seed), rate, routes.ToHashSet(StringComparer.Ordinal), choices);
#pragma warning restore CA5394
        }
    }

    /// <summary>Removes every queued fault and the random plan; <see cref="Injected"/> is kept.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _queued.Clear();
            _random = null;
        }
    }

    /// <summary>The fault for this request of the route, if any, recorded as injected.</summary>
    internal Fault? Take(string route, int requestNumber)
    {
        lock (_gate)
        {
            Fault? fault = null;
            if (_queued.TryGetValue(route, out var queue) && queue.Count > 0)
            {
                fault = queue.Dequeue();
            }
            else if (_random is { } plan && plan.Routes.Contains(route))
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
                _injected.Add(new InjectedFault { Route = route, RequestNumber = requestNumber, Fault = fault });
            }

            return fault;
        }
    }

    private sealed record RandomPlan(Random Random, double Rate, HashSet<string> Routes, Fault[] Faults);
}
