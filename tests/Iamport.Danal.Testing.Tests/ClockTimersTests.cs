using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Iamport.Danal.Testing.Tests;

/// <summary>Every clock wait of the fake (a latency, a schedule coming due, a webhook's resend) arms a timer on a clock a
/// test moves from another thread. A timer counts from the moment it is armed, so each interleaving of a move with the
/// arming is tried here deterministically: the clock moves by seeded amounts exactly while the timer is being armed.</summary>
public class ClockTimersTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void FireAt_ClockMovedWhileArming_FiresWhenTheClockReachesTheDeadlineNeverBefore()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 200; trial++)
        {
            var wait = TimeSpan.FromSeconds(random.Next(1, 120));
            var movedWhileArming = TimeSpan.FromSeconds(random.Next(0, (int)wait.TotalSeconds + 30)); // before, at or past the deadline
            var time = new MovingWhileArming(Start, movedWhileArming);
            var fired = 0;
            using var timer = time.CreateTimer(_ => Interlocked.Increment(ref fired), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            var deadline = Start + wait;

            ClockTimers.FireAt(timer, time, deadline);
            var left = deadline - time.GetUtcNow();
            if (left > TimeSpan.Zero)
            {
                time.Advance(left - TimeSpan.FromTicks(1));
                Assert.That(fired, Is.Zero, $"trial {trial}: fired before the deadline (wait {wait}, moved {movedWhileArming} while arming)");
                time.Advance(TimeSpan.FromTicks(1));
            }

            Assert.That(fired, Is.GreaterThanOrEqualTo(1), $"trial {trial}: not fired at the deadline (wait {wait}, moved {movedWhileArming} while arming)");
        }
    }

    [Test]
    public async Task WaitUntilAsync_ClockMovedWhileArming_CompletesWhenTheClockReachesTheDeadline()
    {
        var random = new Random(6);
        for (var trial = 0; trial < 100; trial++)
        {
            var wait = TimeSpan.FromSeconds(random.Next(1, 120));
            var time = new MovingWhileArming(Start, TimeSpan.FromSeconds(random.Next(0, (int)wait.TotalSeconds + 30)));

            var waiting = ClockTimers.WaitUntilAsync(time, Start + wait, CancellationToken.None);
            if (time.GetUtcNow() < Start + wait)
            {
                Assert.That(waiting.IsCompleted, Is.False, $"trial {trial}: done before the deadline");
                time.Advance(Start + wait - time.GetUtcNow());
            }

            await waiting.WaitAsync(TimeSpan.FromSeconds(30)); // bounds a hang; it completes on the advance
        }
    }

    /// <summary>A test's clock that a test thread moves once, exactly while the first timer is being armed.</summary>
    private sealed class MovingWhileArming(DateTimeOffset start, TimeSpan move) : TimeProvider
    {
        private readonly FakeTimeProvider _clock = new(start);
        private readonly TimeSpan _move = move;
        private bool _moved;

        public override DateTimeOffset GetUtcNow() => _clock.GetUtcNow();

        public void Advance(TimeSpan by) => _clock.Advance(by);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            new Timer(this, _clock.CreateTimer(callback, state, dueTime, period));

        private sealed class Timer(MovingWhileArming owner, ITimer inner) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                if (!owner._moved && dueTime != Timeout.InfiniteTimeSpan)
                {
                    owner._moved = true;
                    owner._clock.Advance(owner._move);
                }

                return inner.Change(dueTime, period);
            }

            public void Dispose() => inner.Dispose();

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }
}
