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

    /// <summary>Per server and user, the rooms that user was in at the last exit (v3 servers), rejoined on connect.</summary>
    public IReadOnlyList<RememberedRooms> Rooms { get; init; } = [];

    /// <summary>The rooms remembered for this user on this server; none for any other.</summary>
    public IReadOnlyList<string> RoomsFor(ServerAddress server, string user) =>
        Rooms.FirstOrDefault(r => r.IsFor(server, user))?.Rooms ?? [];

    /// <summary>Replaces this user's rooms on this server, keeping every other server's and user's.</summary>
    public ClientSettings WithRooms(ServerAddress server, string user, IReadOnlyList<string> rooms) => this with
    {
        Rooms = [.. Rooms.Where(r => !r.IsFor(server, user)), .. rooms.Count == 0 ? [] : new[] { new RememberedRooms(server.Host, server.Port, user, rooms) }],
    };

    /// <summary>The longest wait between reconnect tries, in seconds (the waits double from 1 s up to it, for ever).</summary>
    public int ReconnectMaxDelaySeconds { get; init; } = ReconnectPolicy.DefaultMaxDelaySeconds;

    /// <summary>1 s .. 1 h: shorter would hammer a server that is down; longer would leave people offline for hours.</summary>
    public const int MinReconnectDelaySeconds = 1;

    public const int MaxReconnectDelaySeconds = 3600;

    public static ClientSettings Default { get; } = new();
}
