using LanTalk.Server.Users;

namespace LanTalk.Server.Rooms;

/// <summary>A user with at least one session. Guarded by the registry lock, except <see cref="Sessions"/>' snapshot.</summary>
internal sealed class OnlineUserEntry(string name, long connectedAtMs)
{
    public string Name { get; } = name;

    /// <summary>When the first of the current sessions logged in: the user's online time in lists.</summary>
    public long ConnectedAtMs { get; } = connectedAtMs;

    public List<IRoomSession> Sessions { get; } = [];

    /// <summary>Copy of <see cref="Sessions"/> for delivery without the lock; replaced on every change.</summary>
    public IRoomSession[] SessionSnapshot { get; set; } = [];

    /// <summary>Away text; empty = here.</summary>
    public string Away { get; set; } = string.Empty;

    public long AwayTimeMs { get; set; }

    /// <summary>The presence batch that carries the user's latest login or room join (RoomRegistry.PresenceOrder).</summary>
    /// <remarks>Written under the registry lock; read without it by the user's senders, hence volatile.</remarks>
    public long PresenceBatch
    {
        get => Volatile.Read(ref _presenceBatch);
        set => Volatile.Write(ref _presenceBatch, value);
    }

    private long _presenceBatch;

    /// <summary>Users who have had the away answer since the user went away: each hears it once (IRC's 301).</summary>
    public HashSet<string> AwayToldTo { get; } = new(UserNames.Comparer);

    public override string ToString() => $"{Name} ({Sessions.Count} sessions)";
}
