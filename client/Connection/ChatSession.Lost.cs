namespace LanTalk.Client.Connection;

internal sealed partial class ChatSession
{
    /// <summary>Completes when the current connection ends (at once when there is none): what a wait for "still connected" watches.</summary>
    public Task ConnectionLost => Current?.Completion ?? Task.CompletedTask;
}
