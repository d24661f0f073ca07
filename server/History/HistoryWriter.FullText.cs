using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace LanTalk.Server.History;

/// <summary>
/// The full-text index, filled in batches: inside a group's transaction when due, or alone on an idle writer. While
/// retention or a room's deletion removes messages, its segments are merged by the writer in small slices of its own
/// (<see cref="MergeAlone"/>) instead of by FTS5's automerge, which is on again once that merging is done.
/// </summary>
/// <remarks>
/// FTS5's automerge does 64 x (number of levels) pages of merging each time 64 pages of index were written, inside
/// whatever statement wrote them: the 'delete' of one message by retention, or the COMMIT of a chat group. Lowering
/// HistoryDays on 1.3 million messages (six levels), single message deletes then took 45-63 ms of CPU now and then,
/// inside a batch the pruner meant to stop after 10 ms, and chat's p99 was 130 ms (max 250 ms; a year's history
/// removed at once: p99 1.45 s). With automerge off the same deletes stayed within the budget (CPU p99 9.9 ms) and the
/// merging went into slices of <see cref="MergePages"/> pages (CPU p50 0.7 ms), each its own transaction, one per turn
/// of the writer's loop, so a queued message waits for one slice at most (retention audit, 2026-12-07). Only for
/// deletions: with automerge off for good, the slices' own commits made burst-32 and crowd 7-9 % dearer per delivery
/// (interleaved runs, same day), where ordinary inserts' automerge costs nothing noticeable.
/// </remarks>
internal sealed partial class HistoryWriter
{
    /// <summary>Pages one 'merge' command of a slice may write (FTS5 stops at the first term boundary past it).</summary>
    internal const int MergePages = 16;

    /// <summary>Writer time a merge slice may take before the writer turns to what is queued.</summary>
    internal static readonly TimeSpan MergeBudget = TimeSpan.FromMilliseconds(4);

    // FTS5's automerge setting the writer turns off (0) while deletions are merged by slices, and back to FTS5's default (4).
    private const string AutomergeOffSql = "INSERT INTO messages_fts(messages_fts, rank) VALUES ('automerge', 0)";
    private const string AutomergeOnSql = "INSERT INTO messages_fts(messages_fts, rank) VALUES ('automerge', 4)";

    // Writer thread only: whether the file's automerge is already 0, and whether the index may hold merge work.
    private bool _automergeOff;
    private bool _mergeDue;
    private long _mergeSlices;

    /// <summary>Raised on the writer thread when a merge slice left nothing to merge (tests wait on it).</summary>
    public event Action? IndexMerged;

    /// <summary>Merge slices committed (tests).</summary>
    internal long MergeSlices => Interlocked.Read(ref _mergeSlices);

    /// <summary>
    /// Inside a write op that deletes messages (retention, a room's deletion), before its deletes: FTS5's automerge is
    /// turned off in the file, so no single delete runs a merge, and the writer's idle turns merge what the deletes
    /// left, in slices, then turn it on again. If the op's group rolls back, the flag stays set and the next slice
    /// turns automerge on again all the same.
    /// </summary>
    public void NoteIndexWritten()
    {
        if (!_automergeOff)
        {
            using var off = Command(AutomergeOffSql);
            off.ExecuteNonQuery();
            _automergeOff = true;
        }

        _mergeDue = true;
    }

    private bool MergeDue() => _mergeDue;

    /// <summary>True when the file's automerge is 0 already (FTS5's default, no row, is 4).</summary>
    private bool ReadAutomergeOff()
    {
        using var read = Command("SELECT v FROM messages_fts_config WHERE k = 'automerge'");
        return read.ExecuteScalar() is long value && value == 0;
    }

    /// <summary>
    /// Inside the current transaction (a retention op): one slice of the index's merging, as <see cref="MergeAlone"/>
    /// does it; true while more is left to merge.
    /// </summary>
    public bool MergeSlice()
    {
        var (merged, more) = MergeWithinBudget();
        if (merged)
        {
            Interlocked.Increment(ref _mergeSlices);
        }

        return more;
    }

    private (bool Merged, bool More) MergeWithinBudget()
    {
        long started = Stopwatch.GetTimestamp();
        var handle = _connection.Handle!;
        bool merged = false;
        bool more;
        do
        {
            int before = SQLitePCL.raw.sqlite3_total_changes(handle);
            _mergeIndex.ExecuteNonQuery();
            more = SQLitePCL.raw.sqlite3_total_changes(handle) - before >= 2;
            merged |= more;
        }
        while (more && Stopwatch.GetElapsedTime(started) < MergeBudget);

        return (merged, more);
    }

    /// <summary>
    /// One slice of the index's merging, in its own transaction: 'merge' commands of <see cref="MergePages"/> pages
    /// until <see cref="MergeBudget"/> is spent or FTS5 finds nothing left to merge (it then changes fewer than two
    /// rows, as its documentation says). Levels are merged once they hold four segments, as automerge did.
    /// </summary>
    private void MergeAlone()
    {
        if (Health.RefuseNow())
        {
            _mergeDue = false;
            return;
        }

        bool more = false;
        try
        {
            Begin();
            var (merged, moreLeft) = MergeWithinBudget();
            more = moreLeft;
            // The deletions' merging is done: FTS5 merges ordinary inserts again, inside their own commits.
            bool turnOn = !more && _automergeOff;
            if (turnOn)
            {
                using var on = Command(AutomergeOnSql);
                on.ExecuteNonQuery();
            }

            if (merged || turnOn)
            {
                Commit();
                _automergeOff &= !turnOn;
                Interlocked.Increment(ref _mergeSlices);
            }
            else
            {
                // Nothing to merge: no commit (and no flush) for a structure record rewritten as it was.
                Rollback();
            }

            _mergeDue = more;
            if (!more)
            {
                IndexMerged?.Invoke();
            }
        }
        catch (SqliteException ex)
        {
            Rollback();
            // The next index write asks again; commits report a broken disk themselves.
            _mergeDue = false;
            s_log.Debug("Merging the full-text index failed: {Error}", ex.Message);
        }
    }

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
