using System.Globalization;
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
/// <remarks>
/// The mark names the state it vouches for: history.db's size and modification time and what history.db.ids held.
/// When either has changed since, something ran on or replaced the history after the clean stop without clearing the
/// mark: an older lantalk-server after a downgrade (it knows no mark), or a restore. Its log is then the history's own,
/// as after any crash: refused, and the fix "move the log away" followed, the older server's acknowledged messages were
/// lost (upgrade audit, 2026-12-07).
/// </remarks>
internal static class CleanStopMark
{
    public const string Suffix = ".stopped";

    private static readonly NLog.Logger s_log = NLog.LogManager.GetLogger("LanTalk.Server.History");

    private const string FileLine = "file ";

    private const string IdsLine = "ids ";

    /// <summary>After the clean close: the mark, when SQLite deleted the log. Best effort: without it the next start only checks less.</summary>
    /// <param name="idsPath">history.db.ids, whose content the mark records (it is in the data directory, also when history.db is a link).</param>
    public static void Write(string databasePath, string idsPath)
    {
        if (File.Exists(databasePath + "-wal"))
        {
            return;
        }

        try
        {
            string state = FileLine + FileState(databasePath) + "\n" + IdsLine + IdsState(idsPath) + "\n";
            AtomicFile.Write(databasePath + Suffix, stream => stream.Write(Encoding.ASCII.GetBytes(
                "history.db was closed cleanly and its log deleted; the next start refuses a history.db-wal that appears meanwhile\n" + state)), ownerOnly: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The start after it checks the log as after a crash.
        }
    }

    /// <summary>A log SQLite has written to (its header is not zeros) while the mark says the last stop left none: refused, naming the fix.</summary>
    public static void RefuseForeignLog(string databasePath, string idsPath)
    {
        if (!File.Exists(databasePath + Suffix) || !Written(databasePath + "-wal"))
        {
            return;
        }

        if (Outdated(databasePath, idsPath) is { } change)
        {
            s_log.Warn("{Mark} says the last stop was clean and left no log, but {Change} since, so a server that does not know the mark "
                + "(an older lantalk-server) ran on this history or it was restored: {Log} is taken as the history's own log, as after a crash",
                databasePath + Suffix, change, databasePath + "-wal");
            return;
        }

        string name = Path.GetFileName(databasePath);
        throw new HistoryStoreException(
            $"{databasePath}-wal appeared after the server stopped cleanly ({name}{Suffix} says so, and a clean stop leaves no log), so it is not this history's log: "
            + $"applied, its pages would replace messages in {databasePath}. The log was not applied and neither file was changed. "
            + $"Move {name}-wal and {name}-shm out of the data directory, then start. If it is this history's own log after all (copied back from a crash of this "
            + $"same server), delete {name}{Suffix} instead, then start");
    }

    /// <summary>What changed since the mark was written, or null when the history is as the clean stop left it (or the mark names no state).</summary>
    private static string? Outdated(string databasePath, string idsPath)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(databasePath + Suffix);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        string? file = lines.FirstOrDefault(l => l.StartsWith(FileLine, StringComparison.Ordinal))?[FileLine.Length..];
        string? ids = lines.FirstOrDefault(l => l.StartsWith(IdsLine, StringComparison.Ordinal))?[IdsLine.Length..];
        if (file is null || ids is null)
        {
            // A mark from before it named its state: written after history.db closed and history.db.ids settled, so
            // either one written later was changed since (the times are all there is to go by).
            DateTime marked = File.GetLastWriteTimeUtc(databasePath + Suffix);
            return File.GetLastWriteTimeUtc(databasePath) > marked ? $"{Path.GetFileName(databasePath)} was changed or replaced"
                : File.Exists(idsPath) && File.GetLastWriteTimeUtc(idsPath) > marked ? $"{Path.GetFileName(idsPath)} was written"
                : null;
        }

        string name = Path.GetFileName(databasePath);
        if (file != FileState(databasePath))
        {
            return $"{name} was changed or replaced";
        }

        return ids != IdsState(idsPath) ? $"{Path.GetFileName(idsPath)} was written" : null;
    }

    private static string FileState(string databasePath)
    {
        var info = new FileInfo(databasePath);
        return info.Exists
            ? string.Create(CultureInfo.InvariantCulture, $"{info.Length} {info.LastWriteTimeUtc.Ticks}")
            : "none";
    }

    private static string IdsState(string idsPath)
    {
        try
        {
            return File.Exists(idsPath) ? File.ReadAllText(idsPath).Trim() : "none";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "unreadable";
        }
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
