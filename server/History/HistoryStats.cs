namespace LanTalk.Server.History;

/// <summary>What the operator console's stats shows about history.db.</summary>
public sealed record HistoryStats(string FilePath, long DatabaseBytes, long WalBytes, long Messages, long PendingOffline, long LastId, bool Available);
