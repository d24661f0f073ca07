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
    private FileProblemFound? FileProblem()
    {
        var db = Look(_dbPath);
        var wal = Look(_walPath);

        // Not missing but out of sight (the data directory chmod 000, an I/O error): nothing can be said about the files,
        // so this group is refused, and the next one looks again. Taken for "deleted", it broke the store until a restart
        // and told the operator to restore a backup, which would have lost the messages since (a fault-injection audit,
        // 2026-12-07).
        if ((db.Unreachable ? _dbPath : wal.Unreachable ? _walPath : null) is { } hidden)
        {
            return new FileProblemFound($"cannot look at {hidden} (permission denied on the data directory, or an I/O error), so whether it is still the file "
                + "SQLite writes cannot be checked. Give the server's user access to the data directory again", Damaged: false, Transient: true);
        }

        string? missing = !db.Exists ? _dbPath : !wal.Exists ? _walPath : null;
        if (missing is not null)
        {
            return new FileProblemFound($"{missing} was deleted or moved away while the server ran, so what is written now would be lost. Restart the server: "
                + $"messages acknowledged before are kept{(missing == _walPath ? $" (the stop copies them from the open log into {_dbPath})" : string.Empty)}; "
                + $"with {_dbPath} itself gone it starts a new, empty history, so restore a backup first to keep the old messages", Damaged: false);
        }

        // Another file renamed over one SQLite has open: it keeps writing to the old one, which is no longer at the
        // path. A backup moved over history.db took 233 acknowledged messages into the file moved away; a copy of the
        // log moved over it lost 232 at the next kill -9, with nothing logged (fault injection, 2026-12-04).
        if (Replaced(db, ref _dbInode))
        {
            return new FileProblemFound($"{_dbPath} was replaced by another file while the server ran (a backup moved over it?), so what is written now would go to the file "
                + $"that was moved away, not to the new one. The messages acknowledged until now are in that moved file. Restart the server to use the new {_dbPath} "
                + "(restore a backup only with the server stopped: README, History)", Damaged: false);
        }

        // The same file written by someone else: `cp BACKUP history.db` under a running server, or a truncate. SQLite
        // writes history.db only at checkpoints, which note what they leave (NoteDbWritten), so any other change of its
        // length or modification time is a stranger's. Unnoticed, 10 of 10 messages were acknowledged after such a copy,
        // and the stop then wrote the log's pages into the foreign file (fault injection, 2026-12-05).
        if (_dbStamp is { } stamp && db.Inode != 0 && (db.Length != stamp.Length || db.ModifyTimeNs != stamp.ModifyTimeNs))
        {
            _orphanLogAtClose = true;
            return new FileProblemFound($"{_dbPath} was changed in place while the server ran (copied over, truncated or edited: it is {db.Length:N0} bytes, SQLite left "
                + $"{stamp.Length:N0}), so it no longer matches SQLite's log of it. New messages are refused, and nothing is copied into it any more. Stop the server: "
                + $"the messages acknowledged since the last checkpoint stay in the log, which the stop moves aside to {_walPath}.orphaned so that it is never "
                + $"applied to the changed file. Restore a backup only with the server stopped (README, History)", Damaged: true);
        }

        if (Replaced(wal, ref _walInode))
        {
            return new FileProblemFound($"{_walPath} was replaced by another file while the server ran, so the log SQLite writes was no longer at its path and a crash would lose "
                + $"what it holds. The stranger is moved aside to {_walPath}.replaced and the acknowledged messages are copied into {_dbPath}; restart the server", Damaged: false);
        }

        if (!_walWritten)
        {
            return null;
        }

        long length = wal.Length;
        if (length < Math.Min(_walLengthSeen, WalKeepBytes))
        {
            return new FileProblemFound($"{_walPath}: it was cut short while the server ran ({length:N0} bytes, where SQLite had written {_walLengthSeen:N0}). {HistoryFile.DamagedAtRunTime}", Damaged: true);
        }

        if (!WalHeaderIntact())
        {
            return new FileProblemFound($"{_walPath}: its header is gone (the file was truncated or overwritten while the server ran). {HistoryFile.DamagedAtRunTime}", Damaged: true);
        }

        _walLengthSeen = length;
        return null;
    }

    // The inodes of history.db and its log when first seen (0 = not yet, or not Linux).
    private ulong _dbInode;
    private ulong _walInode;

    /// <summary>One stat: <paramref name="Unreachable"/> when the path could not be looked at (not: is not there).</summary>
    private readonly record struct FileLook(bool Exists, ulong Inode, long Length, long ModifyTimeNs, bool Unreachable = false);

    // history.db's length and modification time as SQLite left it (at open, and after each checkpoint); null until known.
    private FileLook? _dbStamp;

    // history.db was changed in place: at the close the log is moved aside instead of left for the next start to apply.
    private bool _orphanLogAtClose;

    /// <summary>One stat of <paramref name="path"/>: whether it exists, its inode (Linux), its length and modification time.</summary>
    private static FileLook Look(string path)
    {
        if (Users.UnixStat.Of(path, out bool unreachable) is { } stat)
        {
            return new FileLook(true, stat.Inode, stat.Size, stat.ModifyTimeNs);
        }

        if (OperatingSystem.IsLinux())
        {
            return new FileLook(false, 0, 0, 0, unreachable);
        }

        // Windows: an open file cannot be renamed over, so existence and length are what can change.
        var info = new FileInfo(path);
        return info.Exists ? new FileLook(true, 0, info.Length, 0) : default;
    }

    /// <summary>SQLite wrote history.db (the open, a checkpoint): what it left is the baseline of the in-place check.</summary>
    private void NoteDbWritten()
    {
        var db = Look(_dbPath);
        _dbStamp = db.Exists && db.Inode != 0 ? db : null;
    }

    /// <summary>
    /// At the close, after a change in place: the log belongs to the file as it was, so it goes aside (with the index
    /// beside it, which describes it) rather than be applied at the next start to whatever history.db is now.
    /// </summary>
    private void OrphanLog()
    {
        if (!_orphanLogAtClose || !File.Exists(_walPath))
        {
            return;
        }

        try
        {
            File.Move(_walPath, _walPath + ".orphaned", overwrite: true);
            File.Delete(_dbPath + "-shm");
            s_log.Error("{File} was changed in place while the server ran: its log, with the messages acknowledged since the last checkpoint, was moved aside to "
                + "{Log}.orphaned. To recover them, put history.db back as it was before the change and that log beside it as {Log}", _dbPath, _walPath, _walPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            s_log.Error("{File} was changed in place while the server ran, and its log could not be moved aside ({Error}): move {Log} away before the next start, "
                + "or it is applied to the changed file", _dbPath, ex.Message, _walPath);
        }
    }

    /// <summary>Learns a file's inode the first time; true once the path names another file than that.</summary>
    private static bool Replaced(FileLook look, ref ulong known)
    {
        if (known == 0)
        {
            known = look.Inode;
        }

        return IsOther(look, known);
    }

    /// <summary>The path names another file than the one with inode <paramref name="known"/> (false when either is unknown).</summary>
    private static bool IsOther(FileLook look, ulong known) => look.Inode != 0 && known != 0 && look.Inode != known;

    /// <summary>At open, after SQLite made its log: the files a later check compares against.</summary>
    private void NoteFiles()
    {
        _dbInode = Look(_dbPath).Inode;
        _walInode = Look(_walPath).Inode;
        NoteDbWritten();
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
        // Out of sight for now: the next commit refuses until the files can be looked at again; nothing to act on idle.
        if (_fileCheckDueTicks != 0 && FileProblem() is { Transient: false } problem)
        {
            _fileCheckDueTicks = 0;
            Health.Break(problem.Why, problem.Damaged);
            SaveOpenLog();
        }
    }

    /// <summary>
    /// After a file problem broke the store (new messages are refused already): keeps what SQLite's open log holds.
    /// history.db replaced: the log is emptied into the moved file (<see cref="SaveLogOfReplacedFile"/>). The log
    /// deleted or replaced (history.db still there): its acknowledged messages live only in the open, unlinked file,
    /// which a crash would lose, so a full checkpoint copies them into history.db now, through SQLite's open
    /// descriptor, instead of only at a clean stop; a replacing file is first moved aside.
    /// </summary>
    private void SaveOpenLog()
    {
        // Which file went wrong is read off the files again, not remembered from the check that found it.
        if (IsOther(Look(_dbPath), _dbInode))
        {
            SaveLogOfReplacedFile();
            return;
        }

        if (IsOther(Look(_walPath), _walInode))
        {
            // Out of the way first: left at the path, a restart after a crash would apply its stale pages to history.db.
            try
            {
                File.Move(_walPath, _walPath + ".replaced", overwrite: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                s_log.Error("{Log} was replaced under the server and could not be moved aside ({Error}); stop the server cleanly, then move it away before the next start", _walPath, ex.Message);
                return;
            }
        }

        if (File.Exists(_walPath) || !File.Exists(_dbPath))
        {
            return;
        }

        try
        {
            using var checkpoint = Command("PRAGMA wal_checkpoint(FULL)");
            checkpoint.ExecuteNonQuery();
            s_log.Warn("{Log} is gone from its path (deleted, or moved aside as a replaced file): the messages acknowledged before were copied from the open log into {File}, so a crash cannot lose them", _walPath, _dbPath);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            s_log.Error("{Log} was deleted under the server, and copying its acknowledged messages into {File} failed ({Error}); stop the server cleanly, which tries again", _walPath, _dbPath, ex.Message);
        }
    }

    /// <summary>
    /// history.db renamed over while the server ran: SQLite's open log belongs to the file moved away. A checkpoint that
    /// also empties the log copies its acknowledged messages into that moved file (through SQLite's descriptors) and
    /// leaves an empty log at the path, so a restart after a crash does not apply the old file's pages to the new one.
    /// </summary>
    private void SaveLogOfReplacedFile()
    {
        try
        {
            using var checkpoint = Command("PRAGMA wal_checkpoint(TRUNCATE)");
            checkpoint.ExecuteNonQuery();
            s_log.Warn("{File} was replaced under the server: the messages acknowledged before are in the file that was moved away, and the log was emptied into it so that the new file starts clean", _dbPath);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            s_log.Error("{File} was replaced under the server, and emptying its log into the moved file failed ({Error}); stop the server cleanly before the next start", _dbPath, ex.Message);
        }
    }

    /// <summary>The log starts with SQLite's WAL magic (0x377f0682 or 0x377f0683, big-endian); false when cut short or overwritten.</summary>
    private bool WalHeaderIntact()
    {
        Span<byte> magic = stackalloc byte[4];
        try
        {
            int read;
            if (KeptWalReader() is { } kept)
            {
                read = RandomAccess.Read(kept, magic, 0);
            }
            else
            {
                using var wal = OpenWalReader();
                read = RandomAccess.Read(wal, magic, 0);
            }

            if (read < 4)
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

    // The log, opened once for the header check and kept: an open, fstat and close of it before and after each commit
    // were 3.5 % of the server's CPU at design-32 (perf, 2026-12-07). Used only while its inode is the one SQLite
    // writes (_walInode), which FileProblem has just found at the path, so a read through it is a read of the path.
    // Linux only: on Windows an open handle would hold SQLite's delete of the log at close pending. Writer thread only.
    private Microsoft.Win32.SafeHandles.SafeFileHandle? _walReader;
    private ulong _walReaderInode;

    private Microsoft.Win32.SafeHandles.SafeFileHandle OpenWalReader() =>
        File.OpenHandle(_walPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    /// <summary>The kept handle of the log SQLite writes, opened on first use; null where none is kept (not Linux, inode unknown, another file now at the path).</summary>
    private Microsoft.Win32.SafeHandles.SafeFileHandle? KeptWalReader()
    {
        if (_walInode == 0 || !OperatingSystem.IsLinux())
        {
            return null;
        }

        if (_walReader is { } kept && _walReaderInode == _walInode)
        {
            return kept;
        }

        CloseWalReader();
        var opened = OpenWalReader();
        // Checked on the descriptor itself: a file renamed over the path between the last look and this open is not kept.
        if (Users.UnixStat.Of(opened)?.Inode != _walInode)
        {
            opened.Dispose();
            return null;
        }

        _walReader = opened;
        _walReaderInode = _walInode;
        return opened;
    }

    private void CloseWalReader()
    {
        _walReader?.Dispose();
        _walReader = null;
        _walReaderInode = 0;
    }
}
