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
