namespace LanTalk.Client.Settings;

/// <summary>How chat lines look.</summary>
internal sealed record DisplayOptions
{
    /// <summary>ANSI colour for names, private messages and errors; NO_COLOR or a redirected output turns it off anyway.</summary>
    public bool Color { get; init; } = true;

    /// <summary>HH:mm:ss instead of HH:mm.</summary>
    public bool Seconds { get; init; }

    /// <summary>Ring the terminal bell (BEL) for a private message or a message that mentions you.</summary>
    public bool Bell { get; init; } = true;

    public static DisplayOptions Default { get; } = new();
}
