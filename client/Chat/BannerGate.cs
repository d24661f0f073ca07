namespace LanTalk.Client.Chat;

/// <summary>
/// Holds what the session prints before its "connected" banner (the stored private messages and the room replays
/// that follow the login on the network threads) until the banner is out: the banner says which connection the
/// lines after it came on, so it must come first. Bounded in time: it opens as soon as the login returns.
/// </summary>
internal sealed class BannerGate(IChatOutput inner) : IChatOutput
{
    private readonly Lock _lock = new();
    private List<(bool Status, string Text)>? _waiting = [];

    public void Line(string text) => Write(status: false, text);

    public void Status(string text) => Write(status: true, text);

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
            foreach (var (status, text) in waiting)
            {
                Pass(status, text);
            }

            _waiting = null;
        }
    }

    private void Write(bool status, string text)
    {
        lock (_lock)
        {
            if (_waiting is not null)
            {
                _waiting.Add((status, text));
                return;
            }
        }

        Pass(status, text);
    }

    private void Pass(bool status, string text)
    {
        if (status)
        {
            inner.Status(text);
        }
        else
        {
            inner.Line(text);
        }
    }
}
