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

    /// <summary>Whether the user is away: shown as "(away)", since /away had no sign of it on your own screen (a UX audit).</summary>
    public Func<bool> Away { get; init; } = () => false;

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

    /// <summary>
    /// The prompt in at most <paramref name="columns"/> columns, for a narrow window: without the hotlist and the
    /// countdown, then with the room name cut ("#a-rather…"), then without the user name. Set as the editor's
    /// <see cref="LineEditor.FitPrompt"/>.
    /// </summary>
    public string Fit(int columns)
    {
        // No _lock: the editor calls this under its own lock, and Update takes _lock before the editor's.
        string user = MessageFormatter.Visible(self());
        string? room = Room() is { } current ? RoomName.Display(MessageFormatter.Visible(current)) : null;
        string offline = Volatile.Read(ref _offline) ? " (offline)" : Away() ? " (away)" : string.Empty;
        string Form(string? name, string? place) =>
            $"{name}{(name is not null && place is not null ? " " : string.Empty)}{place}{offline}> ";

        string full = Form(user, room);
        if (room is null || DisplayWidth.Of(full) <= columns)
        {
            return full;
        }

        // "#ab…" is the least of a room name worth showing.
        const int MinRoom = 4;
        int roomColumns = columns - DisplayWidth.Of(Form(user, string.Empty));
        if (roomColumns >= MinRoom)
        {
            return Form(user, DisplayWidth.Truncate(room, roomColumns));
        }

        return Form(null, DisplayWidth.Truncate(room, Math.Max(MinRoom, columns - DisplayWidth.Of(Form(null, string.Empty)))));
    }

    private string Render()
    {
        string hot = Hotlist.Render();
        string offline = _offline ? $" (offline{_countdown})" : Away() ? " (away)" : string.Empty;
        string room = Room() is { } current ? " " + RoomName.Display(MessageFormatter.Visible(current)) : string.Empty;
        return $"{MessageFormatter.Visible(self())}{room}{(hot.Length > 0 ? " " + hot : string.Empty)}{offline}> ";
    }
}
