using System.Text;
using LanTalk.Server.Users;

namespace LanTalk.Server.History;

/// <summary>
/// history.db.stopped beside history.db: written when the store closed cleanly and SQLite deleted its log, removed
/// (durably) at the next start before SQLite opens the file. A clean stop leaves no history.db-wal, so a log with
/// frames found while the mark is there was put there since: another history's log, or one from another copy of this
/// file. SQLite would apply it without a word, as long as the pages fit together: 200 acknowledged messages were
/// replaced by another server's 200, and a start and `config check` both said nothing (a fault-injection audit,
/// 2026-12-07). Without the mark (a crash, or a server from before it), a log is this history's own, as before.
/// </summary>
internal static class CleanStopMark
{
    public const string Suffix = ".stopped";

    /// <summary>After the clean close: the mark, when SQLite deleted the log. Best effort: without it the next start only checks less.</summary>
    public static void Write(string databasePath)
    {
        if (File.Exists(databasePath + "-wal"))
        {
            return;
        }

        try
        {
            AtomicFile.Write(databasePath + Suffix, stream => stream.Write(Encoding.ASCII.GetBytes(
                "history.db was closed cleanly and its log deleted; the next start refuses a history.db-wal that appears meanwhile\n")), ownerOnly: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The start after it checks the log as after a crash.
        }
    }

    /// <summary>A log SQLite has written to (its header is not zeros) while the mark says the last stop left none: refused, naming the fix.</summary>
    public static void RefuseForeignLog(string databasePath)
    {
        if (!File.Exists(databasePath + Suffix) || !Written(databasePath + "-wal"))
        {
            return;
        }

        string name = Path.GetFileName(databasePath);
        throw new HistoryStoreException(
            $"{databasePath}-wal appeared after the server stopped cleanly ({name}{Suffix} says so, and a clean stop leaves no log), so it is not this history's log: "
            + $"applied, its pages would replace messages in {databasePath}. The log was not applied and neither file was changed. "
            + $"Move {name}-wal and {name}-shm out of the data directory, then start. If it is this history's own log after all (copied back from a crash of this "
            + $"same server), delete {name}{Suffix} instead, then start");
    }

    private static bool Written(string walPath)
    {
        Span<byte> header = stackalloc byte[4];
        using var log = File.OpenHandle(walPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return RandomAccess.Read(log, header, 0) == header.Length && header.IndexOfAnyExcept((byte)0) >= 0;
    }

    /// <summary>At start, once the checks passed and before SQLite opens the file: from now on a log may be this history's own.</summary>
    /// <exception cref="IOException">The mark could not be removed; starting anyway would refuse this history's own log after a crash.</exception>
    public static void Clear(string databasePath)
    {
        string mark = databasePath + Suffix;
        if (!File.Exists(mark))
        {
            return;
        }

        File.Delete(mark);
        // Durably gone before the first frame: a crash then must not find the mark beside this history's own log.
        DiskFlush.Directory(Path.GetDirectoryName(Path.GetFullPath(mark))!);
    }
}
