namespace LanTalk.Server.History;

/// <summary>The check that history.db and its log are still the files SQLite writes, before and after each group.</summary>
internal sealed partial class HistoryWriter
{
    /// <summary>
    /// Whether history.db and its -wal are still the files SQLite writes: both still in the data directory (SQLite
    /// keeps writing to a deleted file through its open descriptor, so with the file or the whole data directory
    /// deleted or moved away every message was acknowledged and then lost), and, once a group has committed, the log
    /// still starting with its header and no shorter than SQLite left it (a log cut short under the server took writes
    /// that no reader could read, and the checkpoint at close then wrote its zeros over history.db: with the header cut
    /// off, and equally with the header kept and the frames after it cut off). Checked before each group and after its
    /// commit, before anyone is told: a stat of each file and a 4-byte read of the log's header.
    /// </summary>
    /// <remarks>
    /// The log's length: SQLite itself only ever extends it, except when it starts the log over after a checkpoint and
    /// cuts a longer file back to journal_size_limit (<see cref="WalKeepBytes"/>), so a length below both the one seen
    /// at the last check and that limit was made by someone else.
    /// </remarks>
    private (string Why, bool Damaged)? FileProblem()
    {
        var wal = new FileInfo(_walPath);
        string? missing = !File.Exists(_dbPath) ? _dbPath : !wal.Exists ? _walPath : null;
        if (missing is not null)
        {
            return ($"{missing} was deleted or moved away while the server ran, so what is written now would be lost. Restart the server: "
                + $"messages acknowledged before are kept{(missing == _walPath ? $" (the stop copies them from the open log into {_dbPath})" : string.Empty)}; "
                + $"with {_dbPath} itself gone it starts a new, empty history, so restore a backup first to keep the old messages", false);
        }

        if (!_walWritten)
        {
            return null;
        }

        long length = wal.Length;
        if (length < Math.Min(_walLengthSeen, WalKeepBytes))
        {
            return ($"{_walPath}: it was cut short while the server ran ({length:N0} bytes, where SQLite had written {_walLengthSeen:N0}). {HistoryFile.DamagedAtRunTime}", true);
        }

        if (!WalHeaderIntact())
        {
            return ($"{_walPath}: its header is gone (the file was truncated or overwritten while the server ran). {HistoryFile.DamagedAtRunTime}", true);
        }

        _walLengthSeen = length;
        return null;
    }

    // When the idle writer next looks at its files (0 = not armed): a log deleted while no message came was found only
    // by the next commit, and a kill -9 before it lost what the deleted log held (fault injection, 2026-12-04).
    private long _fileCheckDueTicks;

    private const int FileWatchMs = 1000;

    private bool FileCheckDue() => _fileCheckDueTicks != 0 && Environment.TickCount64 >= _fileCheckDueTicks;

    /// <summary>Once a second while a log with commits is open: the same check a commit makes, acted on at once.</summary>
    private void WatchFiles()
    {
        _fileCheckDueTicks = _walWritten && !Health.RefuseNow() ? Environment.TickCount64 + FileWatchMs : 0;
        if (_fileCheckDueTicks != 0 && FileProblem() is { } problem)
        {
            _fileCheckDueTicks = 0;
            Health.Break(problem.Why, problem.Damaged);
            SaveDeletedLog();
        }
    }

    /// <summary>
    /// The log deleted under the server (history.db still there): its acknowledged messages live only in the open,
    /// unlinked file, which a crash would lose. A full checkpoint copies them into history.db now, through SQLite's
    /// open descriptor, instead of only at a clean stop. New messages are refused already (the store is broken).
    /// </summary>
    private void SaveDeletedLog()
    {
        if (File.Exists(_walPath) || !File.Exists(_dbPath))
        {
            return;
        }

        try
        {
            using var checkpoint = Command("PRAGMA wal_checkpoint(FULL)");
            checkpoint.ExecuteNonQuery();
            s_log.Warn("{Log} was deleted under the server: the messages acknowledged before were copied from the open log into {File}, so a crash cannot lose them", _walPath, _dbPath);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            s_log.Error("{Log} was deleted under the server, and copying its acknowledged messages into {File} failed ({Error}); stop the server cleanly, which tries again", _walPath, _dbPath, ex.Message);
        }
    }

    /// <summary>The log starts with SQLite's WAL magic (0x377f0682 or 0x377f0683, big-endian); false when cut short or overwritten.</summary>
    private bool WalHeaderIntact()
    {
        Span<byte> magic = stackalloc byte[4];
        try
        {
            using var wal = File.OpenHandle(_walPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (RandomAccess.Read(wal, magic, 0) < 4)
            {
                return false;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Cannot even read it: the commits themselves say what is wrong with the disk.
            return true;
        }

        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(magic) is 0x377f0682 or 0x377f0683;
    }
}
