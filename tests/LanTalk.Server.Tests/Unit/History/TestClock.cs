namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// A clock the test sets, for expiry and retention by age. Setting it is time passing: its monotonic timestamp moves
/// with it (unless <see cref="Jump"/> moves the wall clock alone, as someone setting the system clock does).
/// </summary>
internal sealed class TestClock : TimeProvider
{
    private readonly DateTimeOffset _start;
    private TimeSpan _jumped;

    public TestClock(DateTimeOffset start)
    {
        _start = start;
        Now = start;
    }

    public DateTimeOffset Now { get; set; }

    public override DateTimeOffset GetUtcNow() => Now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => (Now - _start - _jumped).Ticks;

    /// <summary>Sets the wall clock forward by <paramref name="by"/> without any time passing.</summary>
    public void Jump(TimeSpan by)
    {
        Now += by;
        _jumped += by;
    }
}
