using System;
using System.Threading;
using System.Threading.Tasks;

namespace Iamport.Danal.Testing;

/// <summary>Timers that fire at a time on the fake's clock, however a test moves that clock meanwhile.</summary>
internal static class ClockTimers
{
    /// <summary>The longest one arming waits; a later time is reached by arming again when the timer fires.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    /// <summary>How far a real clock may move while a timer is armed without the timer counting as late.</summary>
    private static readonly TimeSpan Drift = TimeSpan.FromMilliseconds(1);

    /// <summary>Arms <paramref name="timer"/> to fire when <paramref name="time"/> reaches <paramref name="deadline"/>
    /// (at once when it has), or after <see cref="LongestWait"/> if that comes first.</summary>
    /// <remarks>A timer counts its wait from the moment it is armed. Had the clock been advanced between reading the time
    /// and arming, it would fire late, and on a test's clock, which moves only when told, never. So it is armed again from
    /// the new time until the clock stood still across the arming (within <see cref="Drift"/> for a real clock).</remarks>
    public static void FireAt(ITimer timer, TimeProvider time, DateTimeOffset deadline)
    {
        while (true)
        {
            var now = time.GetUtcNow();
            var wait = TimeSpan.FromTicks(Math.Clamp((deadline - now).Ticks, 0, LongestWait.Ticks));
            timer.Change(wait, Timeout.InfiniteTimeSpan);
            if (wait == TimeSpan.Zero || time.GetUtcNow() - now < Drift)
            {
                return;
            }
        }
    }

    /// <summary>Waits until <paramref name="time"/> reaches <paramref name="deadline"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public static async Task WaitUntilAsync(TimeProvider time, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        while (time.GetUtcNow() < deadline)
        {
            var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var timer = time.CreateTimer(static state => ((TaskCompletionSource)state!).TrySetResult(), fired, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            FireAt(timer, time, deadline);
            await fired.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
