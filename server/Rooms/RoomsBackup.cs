namespace LanTalk.Server.Rooms;

/// <summary>
/// The copy of Rooms.xml that `lantalk-server backup FILE` puts beside the history backup (FILE.rooms.xml). A room's
/// history is reachable only through the room's entry there: a restore of history.db alone brought back every room
/// message, but only the default room's could be read, and a room re-created under an old name hides the earlier
/// room's messages for good (docs/PROTOCOL.md, "A room is new even under an old name").
/// </summary>
internal static class RoomsBackup
{
    public const string Suffix = ".rooms.xml";

    /// <summary>Copies the data directory's Rooms.xml to <paramref name="historyBackup"/> + <see cref="Suffix"/>, replacing it whole; null when there is no Rooms.xml yet.</summary>
    public static string? CopyBeside(string dataDirectory, string historyBackup)
    {
        string source = Path.Combine(dataDirectory, RoomsFile.FileName);
        if (!File.Exists(source))
        {
            return null;
        }

        string target = Path.GetFullPath(historyBackup) + Suffix;
        string temp = $"{target}.{Environment.ProcessId}.tmp";
        try
        {
            // The server replaces Rooms.xml only by rename, so this reads one whole version of it; the rename here
            // keeps an older copy intact until the new one is complete.
            File.Copy(source, temp, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                // Owner-only, as the history backup beside it: the copy kept Rooms.xml's mode, often world-readable.
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }

        return target;
    }

    /// <summary>
    /// When there is no Rooms.xml to copy (no room but the default one was ever made): removes a FILE.rooms.xml left by
    /// an earlier backup to the same FILE, which belongs to an older history and must not be restored with this one.
    /// True when there was one.
    /// </summary>
    public static bool RemoveStale(string historyBackup)
    {
        string target = Path.GetFullPath(historyBackup) + Suffix;
        if (!File.Exists(target))
        {
            return false;
        }

        File.Delete(target);
        return true;
    }
}
