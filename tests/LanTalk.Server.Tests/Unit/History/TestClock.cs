namespace LanTalk.Server.Tests.Unit.History;

/// <summary>A clock the test sets, for expiry and retention by age.</summary>
internal sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
