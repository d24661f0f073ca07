using System.Globalization;
using System.Text;
using LanTalk.Server.Users;

namespace LanTalk.Server.History;

/// <summary>
/// history.db.ids beside history.db: an id at or above every id this data directory has handed out. history.db's own
/// high-water mark goes back when a backup is restored over it (or with HistoryPowerSafe false, after a power cut),
/// and the ids after it were then handed out a second time, to other messages: a client that had seen the old ones
/// and caught up with SinceId skipped the new ones without a word (fault injection, 2026-12-03). The file is not part
/// of a backup and a restore does not touch it, so ids continue above everything handed out before the restore.
/// </summary>
/// <remarks>
/// Written ahead in blocks of <see cref="Block"/> ids (one atomic rewrite, flushed to disk, per block: two a second at
/// 20,000 messages a second), before the first id of a block is committed, and set back to the exact last id at a
/// clean close, so a restart after a clean stop leaves no gap; after a crash the ids jump by less than a block.
/// Written by the history writer's thread only.
/// </remarks>
internal sealed class IdReservation
{
    public const string Suffix = ".ids";

    public const long Block = 10_000;

    /// <summary>
    /// The highest id handed out, 2^62: 146,000 years of a million messages a second, and far enough below
    /// long.MaxValue that a block reserved above it cannot overflow. A file (or history.db) claiming more is damaged:
    /// 9223372036854775000 was taken, the next block wrapped to a negative number, and the server then refused to
    /// start on the file it had written itself (a fault audit).
    /// </summary>
    public const long MaxId = 1L << 62;

    private readonly string _path;
    private long _reserved;

    /// <summary>
    /// How far ids jump when history.db holds messages but history.db.ids is missing (a backup restored on a new
    /// machine, or the file lost): the ids the old server handed out after the backup are unknown, and a client that
    /// saw them would drop new messages with the same ids as already seen. No LAN sends this many after a backup.
    /// </summary>
    public const long UnknownGap = 1_000_000_000;

    private IdReservation(string path, long reserved, bool existed)
    {
        _path = path;
        _reserved = reserved;
        Existed = existed;
    }

    /// <summary>Whether the file was there at open.</summary>
    public bool Existed { get; }

    /// <summary>Where the ids are kept: history.db.ids in the data directory.</summary>
    public string FilePath => _path;

    /// <summary>Ids up to this one may have been handed out already; the next start continues above it.</summary>
    public long Reserved => _reserved;

    /// <summary>Reads the file beside <paramref name="databasePath"/>; 0 reserved when there is none yet.</summary>
    /// <exception cref="HistoryStoreException">The file holds something else than one id; the message names the file and the fix.</exception>
    public static IdReservation Open(string databasePath)
    {
        string path = databasePath + Suffix;
        if (FileKind.DescribeIfNotAFile(path) is { } kind)
        {
            // A directory here let the server listen and then refuse every message, "until space returns" (never).
            throw new HistoryStoreException(
                $"{path} is {kind}, not the file of message ids. Remove it: ids then continue after the highest one in history.db, which may repeat ids handed out before a restore");
        }

        if (!File.Exists(path))
        {
            return new IdReservation(path, 0, existed: false);
        }

        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // "Access to the path ... is denied." alone, with exit 1, where every other data file gets exit 2 and the fix.
            throw new HistoryStoreException(Settings.DataFileProblem.Explain(ex), ex);
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long reserved) || reserved > MaxId)
        {
            // Shown to an operator: control characters (a NUL-filled file after a crash) as '?', not raw to the terminal.
            throw new HistoryStoreException(
                $"{path}: holds \"{Settings.ShownValue.Of(text, 40)}\", not the highest message id handed out (a whole number from 0 to {MaxId}). "
                + "Put back the number it held, or delete the file: ids then continue after the highest one in history.db, which may repeat ids handed out before a restore");
        }

        return new IdReservation(path, reserved, existed: true);
    }

    /// <summary>Makes sure <paramref name="id"/> is covered before it is committed: writes a new block when it is not.</summary>
    /// <exception cref="IOException">The file could not be written (a full or read-only disk): the id must not be handed out.</exception>
    /// <exception cref="HistoryStoreException">The ids are used up.</exception>
    public void Cover(long id)
    {
        if (id > MaxId)
        {
            // No retry helps, and no disk space: the store stops taking messages and says why (not "disk full").
            throw new HistoryStoreException($"message ids are used up: {id} would be above {MaxId}, the highest this server hands out. "
                + $"Only a hand edit or a damaged file gets this far ({_path}, or history.db itself): stop the server and restore history.db and {System.IO.Path.GetFileName(_path)} from a backup");
        }

        if (id > _reserved)
        {
            // Never past the ceiling: a reservation above it was a file the next start refused (fault injection, 2026-12-05).
            Write(Math.Min(id + Block - 1, MaxId));
        }
    }

    /// <summary>At a clean close: the exact last id, so the next start goes on without a gap. Best effort.</summary>
    public void Settle(long lastId)
    {
        if (lastId >= _reserved)
        {
            return;
        }

        try
        {
            Write(lastId);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The reservation written before still covers every id handed out; the next start only skips the rest.
        }
    }

    private void Write(long reserved)
    {
        AtomicFile.Write(_path, stream => stream.Write(Encoding.ASCII.GetBytes(reserved.ToString(CultureInfo.InvariantCulture) + "\n")), ownerOnly: true);
        _reserved = reserved;
    }
}
