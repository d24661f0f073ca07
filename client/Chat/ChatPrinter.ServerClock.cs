namespace LanTalk.Client.Chat;

/// <summary>
/// The server's clock as this printer knows it: the times of messages and presence are the server's, and a line the
/// client makes up (someone "is online", "is back", a mode change) is dated by the same clock, so it neither runs
/// backwards nor jumps ahead among them when this machine's clock is wrong.
/// </summary>
internal sealed partial class ChatPrinter
{
    // How far the server's clock was ahead of this machine's at the last login (ticks; negative when behind).
    private long _serverAheadTicks;

    /// <summary>This machine's wall clock (tests set one).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Now, by the server's clock as the last login's Welcome told it.</summary>
    public DateTimeOffset ServerNow => Clock.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _serverAheadTicks));

    /// <summary>A login's Welcome said the server's clock read <paramref name="serverTimeMs"/> (Unix ms; 0 unknown).</summary>
    public void NoteServerTime(long serverTimeMs)
    {
        if (serverTimeMs > 0)
        {
            var ahead = LanTalk.Core.Protocol.UnixMilliseconds.ToTime(serverTimeMs) - Clock.GetUtcNow();
            Interlocked.Exchange(ref _serverAheadTicks, ahead.Ticks);
        }
    }
}
