namespace LanTalk.Server.Rooms;

/// <summary>One user's membership of one room. Guarded by the registry lock.</summary>
internal sealed class RoomMembership(long joinedAtMs)
{
    public long JoinedAtMs { get; } = joinedAtMs;

    /// <summary>
    /// The room's last id when this user last joined explicitly (docs/design/protocol-v3.md §The seam): the replay
    /// holds ids up to it, so live delivery skips them.
    /// </summary>
    public ulong JoinMark { get; set; }
}
