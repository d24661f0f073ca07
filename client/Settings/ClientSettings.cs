using LanTalk.Client.Connection;

namespace LanTalk.Client.Settings;

/// <summary>What lantalk remembers between runs. Never holds the password.</summary>
internal sealed record ClientSettings
{
    /// <summary>Null until the first successful login.</summary>
    public string? Host { get; init; }

    public int Port { get; init; } = ServerAddress.DefaultPort;

    public string? User { get; init; }

    public DisplayOptions Display { get; init; } = DisplayOptions.Default;

    public static ClientSettings Default { get; } = new();
}

/// <summary>How chat lines look.</summary>
internal sealed record DisplayOptions
{
    /// <summary>ANSI colour for names, private messages and errors; NO_COLOR or a redirected output turns it off anyway.</summary>
    public bool Color { get; init; } = true;

    /// <summary>HH:mm:ss instead of HH:mm.</summary>
    public bool Seconds { get; init; }

    public static DisplayOptions Default { get; } = new();
}
