using LanTalk.Core.Terminal;

namespace LanTalk.Client.Chat;

/// <summary>
/// The interactive prompt as a status line: who you are, the current room, the hotlist, and while offline the
/// reconnect countdown, e.g. <c>alice #dev [bob:1] (offline, try 3 in 12 s)&gt; </c>. One owner for the prompt text, so the network
/// threads and the keyboard never overwrite each other's parts.
/// </summary>
internal sealed class PromptState(LineEditor editor, Func<string> self)
{
    private readonly Lock _lock = new();
    private bool _offline;
    private string _countdown = string.Empty;

    public Hotlist Hotlist { get; } = new();

    /// <summary>The room plain text goes to; null (a v2 server, or no room) shows none.</summary>
    public Func<string?> Room { get; init; } = () => null;

    public void Connected(bool connected)
    {
        lock (_lock)
        {
            _offline = !connected;
            _countdown = string.Empty;
            Update();
        }
    }

    public void Countdown(TimeSpan remaining, int attempt)
    {
        lock (_lock)
        {
            _countdown = remaining > TimeSpan.Zero ? $", try {attempt} in {Math.Ceiling(remaining.TotalSeconds):0} s" : $", connecting (try {attempt})";
            Update();
        }
    }

    /// <summary>Something arrived for the hotlist, or it was cleared: repaint.</summary>
    public void Refresh()
    {
        lock (_lock)
        {
            Update();
        }
    }

    /// <summary>The prompt for the current state; public for tests.</summary>
    public string Text
    {
        get
        {
            lock (_lock)
            {
                return Render();
            }
        }
    }

    private void Update() => editor.Prompt = Render();

    private string Render()
    {
        string hot = Hotlist.Render();
        string offline = _offline ? $" (offline{_countdown})" : string.Empty;
        string room = Room() is { } current ? " " + RoomName.Display(MessageFormatter.Visible(current)) : string.Empty;
        return $"{MessageFormatter.Visible(self())}{room}{(hot.Length > 0 ? " " + hot : string.Empty)}{offline}> ";
    }
}
