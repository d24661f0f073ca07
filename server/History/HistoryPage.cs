namespace LanTalk.Server.History;

/// <summary>A page of messages, oldest first, and how many more lie beyond its bound (0 when complete).</summary>
public sealed record HistoryPage(IReadOnlyList<StoredMessage> Messages, long Remaining)
{
    public static HistoryPage Empty { get; } = new([], 0);
}
