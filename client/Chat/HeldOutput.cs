namespace LanTalk.Client.Chat;

/// <summary>
/// While the user reads an earlier page (PageUp), new chat lines wait here instead of pushing that page off the
/// screen; PageDown prints them. Status lines (the connection, errors) are never held: they need seeing at once.
/// </summary>
internal sealed class HeldOutput(IChatOutput inner) : IChatOutput
{
    /// <summary>A reader who never presses PageDown must not grow memory without bound: beyond this, everything is printed.</summary>
    public const int MaxHeld = 10_000;

    private readonly Lock _lock = new();
    // Indent -1: a plain line (Line(string)); otherwise a message and the column its text starts at.
    private List<(string Text, int Indent)>? _held;

    /// <summary>True while lines are held (scrolled back).</summary>
    public bool Holding
    {
        get
        {
            lock (_lock)
            {
                return _held is not null;
            }
        }
    }

    public void Line(string text) => Hold(text, -1);

    public void Line(string text, int indent) => Hold(text, indent);

    private void Hold(string text, int indent)
    {
        lock (_lock)
        {
            if (_held is not null)
            {
                _held.Add((text, indent));
                if (_held.Count >= MaxHeld)
                {
                    ReleaseHeld(null);
                }

                return;
            }
        }

        Pass(text, indent);
    }

    public void Status(string text) => inner.Status(text);

    public void Bell() => inner.Bell();

    /// <summary>Starts holding new lines (no-op when already holding).</summary>
    public void Hold()
    {
        lock (_lock)
        {
            _held ??= [];
        }
    }

    /// <summary>A line of the page being read: printed at once, past the hold.</summary>
    public void Direct(string text) => inner.Line(text);

    public void Direct(string text, int indent) => inner.Line(text, indent);

    /// <summary>Stops holding: prints <paramref name="first"/> and then the held lines, in order. Null when nothing was held.</summary>
    public int? Release(string? first)
    {
        lock (_lock)
        {
            // Under the lock, so a line arriving meanwhile waits and lands after the held ones.
            return _held is null ? null : ReleaseHeld(first);
        }
    }

    private int ReleaseHeld(string? first)
    {
        var held = _held!;
        _held = null;
        if (first is not null)
        {
            inner.Line(first);
        }

        foreach (var (text, indent) in held)
        {
            Pass(text, indent);
        }

        return held.Count;
    }

    private void Pass(string text, int indent)
    {
        if (indent < 0)
        {
            inner.Line(text);
        }
        else
        {
            inner.Line(text, indent);
        }
    }
}
