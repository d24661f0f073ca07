using Microsoft.Data.Sqlite;

namespace LanTalk.Server.History;

/// <summary>
/// The writer's page cache (up to <see cref="MessageStore.WriterCacheKiB"/>) is given back once the writer has been
/// idle for <see cref="IdleRelease"/>: SQLite keeps every page it read or wrote until the cache is full, and never
/// frees one by itself, so a server that had one busy afternoon held about 36 MB more for the rest of its months
/// (an audit measured 22.6 -> 60.9 MB over 294,000 messages, and no drop after the load; the plateau is this cache,
/// reached once history.db passes about 32 MB). The next message reads the few pages it needs from the OS's file
/// cache again, which costs microseconds; under steady traffic nothing is freed, so throughput is unchanged.
/// </summary>
internal sealed partial class HistoryWriter
{
    /// <summary>How long without a commit before the writer frees its page cache.</summary>
    public static readonly TimeSpan DefaultIdleRelease = TimeSpan.FromSeconds(60);

    // When the idle writer next frees its page cache (0 = nothing to free since the last time). Writer thread only.
    private long _releaseDueTicks;
    private long _idleReleaseMs = (long)DefaultIdleRelease.TotalMilliseconds;

    /// <summary>How long without a commit before the page cache is freed; tests shorten it.</summary>
    public TimeSpan IdleRelease
    {
        get => TimeSpan.FromMilliseconds(Interlocked.Read(ref _idleReleaseMs));
        set => Interlocked.Exchange(ref _idleReleaseMs, (long)value.TotalMilliseconds);
    }

    /// <summary>Raised on the writer thread after each release, with the page cache's bytes before and after.</summary>
    public event Action<long, long>? MemoryReleased;

    private bool ReleaseDue() => _releaseDueTicks != 0 && Environment.TickCount64 >= _releaseDueTicks;

    /// <summary>After a group or an index batch: the cache is freed once this much time passes without another.</summary>
    private void NoteWork() => _releaseDueTicks = Environment.TickCount64 + Interlocked.Read(ref _idleReleaseMs);

    private void ReleaseMemory()
    {
        _releaseDueTicks = 0;
        long before = CacheBytes();
        try
        {
            using var shrink = Command("PRAGMA shrink_memory");
            shrink.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            s_log.Debug("Freeing the history writer's page cache failed: {Error}", ex.Message);
        }

        long after = CacheBytes();
        NativeHeap.Trim();
        s_log.Debug("History writer idle: page cache {Before} -> {After} KB", before / 1024, after / 1024);
        MemoryReleased?.Invoke(before, after);
    }

    /// <summary>What the writer connection's page cache holds now, in bytes (SQLITE_DBSTATUS_CACHE_USED).</summary>
    internal long CacheBytes() =>
        _connection.Handle is { } handle && SQLitePCL.raw.sqlite3_db_status(handle, SQLitePCL.raw.SQLITE_DBSTATUS_CACHE_USED, out int current, out _, 0) == SQLitePCL.raw.SQLITE_OK
            ? current
            : 0;
}
