using Microsoft.Data.Sqlite;

namespace LanTalk.Server.History;

/// <summary>The write-ahead log: its working size, and the checkpoints that copy it into history.db.</summary>
internal sealed partial class HistoryWriter
{
    private void CheckpointIfLarge()
    {
        if (Health.NoCheckpoint)
        {
            return;
        }

        if (_checkpointBackoff > 0)
        {
            // The last checkpoint could not copy everything (a reader held old pages): the log cannot be reused yet,
            // so try again only after some commits instead of after every one.
            _checkpointBackoff--;
            return;
        }

        _walPagesSinceCheckpoint += TakePagesWritten();
        if (_walPagesSinceCheckpoint * _pageSize < CheckpointWalBytes)
        {
            return;
        }

        try
        {
            using var reader = _checkpoint.ExecuteReader();
            NoteDbWritten();
            // (busy, frames in the log, frames copied): all copied means the next commit restarts the log.
            if (reader.Read() && reader.GetInt64(2) < reader.GetInt64(1))
            {
                _checkpointBackoff = CheckpointRetryCommits;
                WarnIfLogHeld(reader.GetInt64(1) * _pageSize);
            }
            else
            {
                // Everything copied: the next commit writes the log again from its start.
                _walPagesSinceCheckpoint = 0;
                if (_logHeldWarnedAt > 0)
                {
                    _logHeldWarnedAt = 0;
                    s_log.Info("History: {File} is copied into history.db again: the process that held an old read of it has let go", _walPath);
                }
            }

            Interlocked.Increment(ref _checkpoints);
        }
        catch (SqliteException ex)
        {
            // It may have written part of its pages before it failed.
            NoteDbWritten();
            // The WAL keeps the data safe meanwhile; a commit that then cannot grow the log reports the disk itself.
            s_log.Debug("History checkpoint failed: {Error}", ex.Message);
        }
    }

    /// <summary>
    /// A checkpoint that cannot copy the log because another process keeps an old read of history.db open lets the log
    /// grow with every message until that read ends. Said once it passes <see cref="LogHeldWarnBytes"/> and again at
    /// each doubling: a `lantalk-server backup` suspended with Ctrl+Z grew history.db-wal to 49 MB in 4 s of load
    /// with no word in the log (a fault-injection audit, 2026-12-07), and nothing bounds it.
    /// </summary>
    private void WarnIfLogHeld(long logBytes)
    {
        if (logBytes < LogHeldWarnBytes || (_logHeldWarnedAt > 0 && logBytes < 2 * _logHeldWarnedAt))
        {
            return;
        }

        _logHeldWarnedAt = logBytes;
        s_log.Warn("History: {File} has grown to {Size} MB and cannot be copied into history.db: another process keeps an old read of the file open "
            + "(a 'lantalk-server backup' that is suspended or very slow, a sqlite3 shell inside a transaction). Nothing is lost, but the log grows "
            + "with every message until that process ends its read; 'fuser {Db}' names it", _walPath, logBytes / (1024 * 1024), _dbPath);
    }

    /// <summary>
    /// Gives the log its working size at start-up, in zeros, so that the first commits of a newly started server also
    /// overwrite it instead of each extending it (the journal_size_limit note in the constructor). SQLite reads a log
    /// only up to the last frame that matches the salts and checksum chain of the header it wrote, so zeros past it
    /// are never taken for data, and a crash right after this leaves a log that recovery finds empty. Best effort: a
    /// log left short only makes the first 4 MB of commits slower.
    /// </summary>
    private void PresizeLog()
    {
        const long Target = CheckpointWalBytes + CheckpointWalBytes / 4;
        try
        {
            using var wal = new FileStream(_walPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            if (wal.Length >= Target)
            {
                return;
            }

            // Only with room to spare: on a nearly full disk the zeros took the last free bytes at every start, and
            // the next Users.xml save or message then failed for a speed-up worth a few ms.
            if (HistoryFile.FreeBytes(_walPath) is not { } free || free < PresizeReserveBytes + Target - wal.Length)
            {
                s_log.Info("History: {File} not given its working size, since the disk has little free space; the first commits extend it instead", _walPath);
                return;
            }

            wal.Seek(0, SeekOrigin.End);
            var zeros = new byte[64 * 1024];
            while (wal.Length < Target)
            {
                wal.Write(zeros, 0, (int)Math.Min(zeros.Length, Target - wal.Length));
            }

            wal.Flush(flushToDisk: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            s_log.Warn("History could not give {File} its working size: {Error}", _walPath, ex.Message);
        }
    }

    /// <summary>
    /// Pages written to the log since the last call (SQLITE_DBSTATUS_CACHE_WRITE, reset on read): in WAL mode, the
    /// frames this connection appended, which is what a checkpoint has to copy.
    /// </summary>
    private long TakePagesWritten()
    {
        const int CacheWrite = 9; // SQLITE_DBSTATUS_CACHE_WRITE
        return SQLitePCL.raw.sqlite3_db_status(_connection.Handle, CacheWrite, out int written, out _, 1) == SQLitePCL.raw.SQLITE_OK
            ? written
            : 0;
    }
}
