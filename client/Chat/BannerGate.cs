namespace LanTalk.Client.Chat;

/// <summary>
/// Holds what the session prints before its "connected" banner (the stored private messages and the room replays
/// that follow the login on the network threads) until the banner is out: the banner says which connection the
/// lines after it came on, so it must come first. Bounded in time: it opens as soon as the login returns.
/// </summary>
internal sealed class BannerGate(IChatOutput inner) : IChatOutput
{
    private readonly Lock _lock = new();
    // Indent -1: not a message (Line(string) or Status); otherwise the column a message's text starts at.
    private List<(bool Status, string Text, int Indent)>? _waiting = [];

    public void Line(string text) => Write(status: false, text, -1);

    public void Line(string text, int indent) => Write(status: false, text, indent);

    public void Status(string text) => Write(status: true, text, -1);

    public void Bell() => inner.Bell();

    /// <summary>Prints the banner through <paramref name="banner"/>, then what waited, in order; from then on everything passes.</summary>
    public void Open(Action<IChatOutput> banner)
    {
        lock (_lock)
        {
            if (_waiting is not { } waiting)
            {
                return;
            }

            // Under the lock, so a line arriving meanwhile waits and lands after the ones held.
            banner(inner);
            foreach (var (status, text, indent) in waiting)
            {
                Pass(status, text, indent);
            }

            _waiting = null;
        }
    }

    private void Write(bool status, string text, int indent)
    {
        lock (_lock)
        {
            if (_waiting is not null)
            {
                _waiting.Add((status, text, indent));
                return;
            }
        }

        Pass(status, text, indent);
    }

    private void Pass(bool status, string text, int indent)
    {
        if (status)
        {
            inner.Status(text);
        }
        else if (indent < 0)
        {
            inner.Line(text);
        }
        else
        {
            inner.Line(text, indent);
        }
    }
}
