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

    /// <summary>Users who have had the away answer since the user went away: each hears it once (IRC's 301).</summary>
    public HashSet<string> AwayToldTo { get; } = new(UserNames.Comparer);

    public override string ToString() => $"{Name} ({Sessions.Count} sessions)";
}
