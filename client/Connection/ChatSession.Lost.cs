namespace LanTalk.Client.Connection;

internal sealed partial class ChatSession
{
    /// <summary>
    /// Completes when the current connection ends (at once when there is none): what a wait for "still connected" watches.
    /// Each connection has its own task, so read it once and keep it: read again after the drop it is another one
    /// (PipeChat compared the two, and a drop ended its wait for the lines as if they were all sent: a fault-injection
    /// audit, 2026-12-07).
    /// </summary>
    public Task ConnectionLost => Current?.Completion ?? Task.CompletedTask;
}
