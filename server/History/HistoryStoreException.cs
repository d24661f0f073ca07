namespace LanTalk.Server.History;

/// <summary>history.db cannot be used (newer schema, not a database, unreadable). The message names the file and the fix.</summary>
public sealed class HistoryStoreException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The file or its directory cannot be written now (read-only, full, no permission), as opposed to a bad file.</summary>
    public bool Unwritable { get; init; }
}
