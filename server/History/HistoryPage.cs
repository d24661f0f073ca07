namespace LanTalk.Server.History;

/// <summary>Messages after an id, oldest first, and how many more there are beyond the bound (0 when complete).</summary>
public sealed record HistoryPage(IReadOnlyList<StoredMessage> Messages, long Remaining);
