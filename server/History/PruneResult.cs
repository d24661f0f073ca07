namespace LanTalk.Server.History;

/// <summary>What one retention pass removed.</summary>
public readonly record struct PruneResult(long ByAge, long ByRoomCap, long ExpiredOffline)
{
    public long Total => ByAge + ByRoomCap + ExpiredOffline;

    /// <summary>
    /// What the pass removed, as the log says it, naming only the rules in force: with HistoryDays 0 (keep for ever)
    /// it said "0 message(s) older than 0 days", and with HistoryMaxMessagesPerRoom 0 "beyond 0 per room" (a settings
    /// audit, 2026-12-06).
    /// </summary>
    public string Describe(int historyDays, int maxPerRoom)
    {
        var parts = new List<string>(3);
        if (historyDays > 0)
        {
            parts.Add($"{ByAge} message(s) older than {historyDays} day{(historyDays == 1 ? string.Empty : "s")}");
        }

        if (maxPerRoom > 0)
        {
            parts.Add($"{ByRoomCap} beyond {maxPerRoom} per room");
        }

        parts.Add($"{ExpiredOffline} expired offline message(s)");
        return string.Join(", ", parts);
    }
}
