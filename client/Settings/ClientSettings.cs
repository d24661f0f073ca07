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

    /// <summary>The longest wait between reconnect tries, in seconds (the waits double from 1 s up to it, for ever).</summary>
    public int ReconnectMaxDelaySeconds { get; init; } = ReconnectPolicy.DefaultMaxDelaySeconds;

    /// <summary>1 s .. 1 h: shorter would hammer a server that is down; longer would leave people offline for hours.</summary>
    public const int MinReconnectDelaySeconds = 1;

    public const int MaxReconnectDelaySeconds = 3600;

    public static ClientSettings Default { get; } = new();
}

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
