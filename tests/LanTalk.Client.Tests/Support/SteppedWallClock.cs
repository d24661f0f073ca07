namespace LanTalk.Client.Tests.Support;

/// <summary>
/// The system clock with a wall clock the test steps (as NTP or an operator does): <see cref="Step"/> moves
/// GetUtcNow only; the monotonic timestamp and timers stay real.
/// </summary>
internal sealed class SteppedWallClock : TimeProvider
{
    private long _offsetTicks;

    /// <summary>Called at every read of the wall clock, before it is read: a test steps the clock from here.</summary>
    public Action<SteppedWallClock>? OnRead { get; set; }

    public override DateTimeOffset GetUtcNow()
    {
        OnRead?.Invoke(this);
        return System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
    }

    public void Step(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
