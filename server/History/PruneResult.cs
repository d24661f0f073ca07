namespace LanTalk.Server.History;

/// <summary>What one retention pass removed.</summary>
public readonly record struct PruneResult(long ByAge, long ByRoomCap, long ExpiredOffline)
{
    public long Total => ByAge + ByRoomCap + ExpiredOffline;
}
