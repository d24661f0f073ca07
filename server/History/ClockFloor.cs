namespace LanTalk.Server.History;

/// <summary>
/// The earliest time a running server's clock can be right: this version was made after it. A machine whose clock is
/// earlier (a dead RTC battery boots it in 2001 until NTP steps it) dated its messages 2001; once the clock was set
/// and the server restarted, the first retention pass removed them all as 25 years old, and a private message waiting
/// for delivery expired unseen (a clock audit, 2026-12-07). Messages are dated no earlier than this instead, and
/// generated certificates start no earlier, so that neither looks decades old once the clock is right.
/// </summary>
internal static class ClockFloor
{
    /// <summary>2026-12-01T00:00Z, when this version of LanTalk was made. Raise it with each release.</summary>
    public static readonly DateTimeOffset Time = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary><paramref name="now"/>, or the floor when the clock is earlier than it.</summary>
    public static DateTimeOffset AtLeast(DateTimeOffset now) => now < Time ? Time : now;
}
