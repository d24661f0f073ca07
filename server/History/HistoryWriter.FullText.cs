using Microsoft.Data.Sqlite;

namespace LanTalk.Server.History;

/// <summary>The full-text index, filled in batches: inside a group's transaction when due, or alone on an idle writer.</summary>
internal sealed partial class HistoryWriter
{
    /// <summary>
    /// Adds every message not yet in the full-text index to it, inside the current transaction (a search's write
    /// op calls this first, so a search sees every acknowledged message).
    /// </summary>
    public void IndexPending()
    {
        if (_indexedId >= _lastId)
        {
            return;
        }

        var p = _indexRows.Parameters;
        p[0].Value = _indexedId;
        p[1].Value = _lastId;
        _indexRows.ExecuteNonQuery();
        Interlocked.Exchange(ref _indexedId, _lastId);
        _indexDueTicks = 0;
    }

    private bool IndexDue() => _indexDueTicks != 0 && (_lastId - _indexedId >= IndexBatch || Environment.TickCount64 >= _indexDueTicks);

    // How long the idle writer may sleep before the index, the file watch or the cache release is due; null = until work arrives.
    private TimeSpan? IdleWait()
    {
        long due = 0;
        foreach (long ticks in (ReadOnlySpan<long>)[_indexDueTicks, _fileCheckDueTicks, _releaseDueTicks])
        {
            if (ticks != 0 && (due == 0 || ticks < due))
            {
                due = ticks;
            }
        }

        return due != 0 ? TimeSpan.FromMilliseconds(Math.Max(0, due - Environment.TickCount64)) : null;
    }

    /// <summary>The index's catch-up on an idle writer: its own small transaction (no message waits on it).</summary>
    private void IndexAlone()
    {
        long savedIndexed = _indexedId;
        try
        {
            Begin();
            IndexPending();
            Commit();
        }
        catch (SqliteException ex)
        {
            Rollback();
            Interlocked.Exchange(ref _indexedId, savedIndexed);
            // Try again a delay later; a search meanwhile indexes in its own op, and commits report a broken disk.
            _indexDueTicks = Environment.TickCount64 + IndexDelayMs;
            s_log.Debug("Full-text indexing failed: {Error}", ex.Message);
        }
    }
}
