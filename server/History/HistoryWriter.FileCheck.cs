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
