namespace LanTalk.Server.Settings;

/// <summary>The words for a data file the server may not read or write: the system's reason and what to do about it.</summary>
internal static class DataFileProblem
{
    /// <summary>
    /// <paramref name="ex"/>'s message, with the fix when it is a permission problem: "Access to the path ... is denied"
    /// alone named the file but left the operator to guess (fault injection, 2026-12-04).
    /// </summary>
    public static string Explain(Exception ex) => ex is UnauthorizedAccessException
        ? ex.Message.TrimEnd('.') + ". Make the file (and the data directory) readable and writable by the account the server runs as "
          + $"({Environment.UserName}): chown or chmod u+rw it, or run the server as the file's owner"
        : ex.Message;
}
