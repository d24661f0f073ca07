using System.Diagnostics;
using Microsoft.Data.Sqlite;
using NLog;

namespace LanTalk.Server.History;

/// <summary>
/// Retention in the background: messages older than HistoryDays, rooms beyond HistoryMaxMessagesPerRoom, and
/// offline messages undelivered after OfflineMessageDays. It finds ids on a reader connection and deletes them
/// through the writer in batches of at most <see cref="Batch"/> rows and <see cref="WriteBudget"/> of writer time,
/// resting between batches as long as the last one took to get through the writer: appends queued meanwhile wait at
/// most one short batch, and a big backlog (a lowered cap after a year of history: 760,000 rows) is worked off at
/// half the writer's time, less while chat keeps the writer busy, instead of holding every commit behind back-to-back
/// deletes (measured: chat p99 about 1 s for 85 s; FTS index updates make a 500-row delete cost 25-100 ms of writer
/// time on such a database).
/// Undelivered offline messages are never deleted by age; they leave the queue only by delivery or expiry.
/// </summary>
internal sealed class HistoryPruner(MessageStore store, HistoryWriter writer)
{
    /// <summary>Rows found per batch; the delete stops earlier when its time budget is spent.</summary>
    public const int Batch = 500;

    /// <summary>Merge slices (HistoryWriter.MergeSlice) after one delete batch at most.</summary>
    internal const int MaxMergeSlices = 64;

    /// <summary>Writer time one delete may take before it hands the writer back to the appends waiting for it.</summary>
    internal TimeSpan WriteBudget { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The rest after a batch, given how long the batch took through the writer; tests record it instead.</summary>
    internal Func<TimeSpan, CancellationToken, Task> Rest { get; set; } = static (time, cancellationToken) => Task.Delay(time, cancellationToken);

    /// <summary>How often a long pass says how far it got: lowering HistoryDays on a year of history took 7.5 minutes in silence.</summary>
    private static readonly TimeSpan s_progressInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A minute: age limits are days, so nothing is late by much, and the per-room cap only looks at rooms written
    /// since the last pass, so a pass over an idle server costs nothing.
    /// </summary>
    private static readonly TimeSpan s_period = TimeSpan.FromMinutes(1);
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.History");

    /// <summary>How far the wall clock may run ahead of the time measured since start before retention by age stops.</summary>
    internal static readonly TimeSpan MaxClockJump = TimeSpan.FromHours(1);

    // Retention by age trusts the wall clock only while it keeps pace with the time that really passed
    // (MessageStore.ClockAhead). A clock set 400 days ahead for a minute made one pass delete the whole history and
    // the offline queue, with only an INFO line (fault injection, 2026-12-04).
    private long _nextJumpWarningMs;
    private long _nextStaleWarningMs;

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private bool _checkedAllRooms;

    public void Start() => _loop = Task.Run(LoopAsync);

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
    }

    public async Task<PruneResult> RunAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            bool trusted = ClockTrusted();
            // Expiry holds back by itself (OfflineCutoffMs); the history's age limit here.
            bool historyTooOld = trusted && EverythingTooOld();
            long expired = trusted ? await ExpireOfflineAsync(cancellationToken).ConfigureAwait(false) : 0;
            long byAge = trusted && !historyTooOld ? await DeleteByAgeAsync(cancellationToken).ConfigureAwait(false) : 0;
            long byCap = await DeleteOverRoomCapAsync(cancellationToken).ConfigureAwait(false);
            if (byAge + byCap > 0)
            {
                writer.Tails.ResetAll();
            }

            return new PruneResult(byAge, byCap, expired);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>True at most once an hour per <paramref name="nextMs"/>: a WARN that holds for days must not fill the log.</summary>
    private static bool HourlyDue(ref long nextMs)
    {
        long now = Environment.TickCount64;
        if (now < nextMs)
        {
            return false;
        }

        nextMs = now + (long)TimeSpan.FromHours(1).TotalMilliseconds;
        return true;
    }

    /// <summary>False, with a WARN once an hour, while the wall clock is more than <see cref="MaxClockJump"/> ahead of the time elapsed since start.</summary>
    private bool ClockTrusted()
    {
        var ahead = store.ClockAhead;
        if (ahead <= MaxClockJump)
        {
            return true;
        }

        if (HourlyDue(ref _nextJumpWarningMs))
        {
            s_log.Warn("The system clock has moved {Ahead:%d} day(s) {Ahead:hh\\:mm} ahead of the time that passed since the server started; "
                + "retention by age (HistoryDays, OfflineMessageDays) waits, since it would delete by that date. If the new time is wrong, "
                + "correct it; if it is right, restart the server, which then trusts it", ahead, ahead);
        }

        return false;
    }

    /// <summary>
    /// A WARN once an hour when even the newest stored message is older than a retention cutoff (HistoryDays, or
    /// OfflineMessageDays with messages waiting): a pass would then delete every message, or expire every waiting one;
    /// true when that holds for HistoryDays. That is what a clock wrong since the start looks like, which <see cref="ClockTrusted"/> cannot see (it
    /// measures jumps while running): restarted 400 days ahead, the first pass deleted the whole history and the
    /// offline queue, logged as INFO (fault injection, 2026-12-06). A server idle for longer than HistoryDays only
    /// keeps its old history until the next message, after which retention goes on as before.
    /// </summary>
    private bool EverythingTooOld()
    {
        if (store.NewestMessageMs() is not { } newest)
        {
            return false;
        }

        var now = store.Clock.GetUtcNow();
        int days = store.Settings.HistoryDays;
        bool history = days > 0 && newest < now.AddDays(-days).ToUnixTimeMilliseconds();
        bool offline = newest < now.AddDays(-store.Settings.OfflineMessageDays).ToUnixTimeMilliseconds() && store.HasPendingOffline();
        if (!history && !offline)
        {
            return false;
        }

        if (HourlyDue(ref _nextStaleWarningMs))
        {
            s_log.Warn("History retention by age waits: even the newest stored message ({Newest:yyyy-MM-dd HH:mm} UTC) is older than {What}, by the system clock, "
                + "which says it is now {Now:yyyy-MM-dd HH:mm} UTC, so a pass would remove every one. The clock may be wrong: if so, correct it. "
                + "Retention by age resumes once a newer message is stored",
                DateTimeOffset.FromUnixTimeMilliseconds(newest), history ? $"HistoryDays ({days} days)" : $"OfflineMessageDays ({store.Settings.OfflineMessageDays} days), and messages wait for delivery", now);
        }

        return history;
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(s_period);
        try
        {
            do
            {
                try
                {
                    var result = await RunAsync(_stop.Token).ConfigureAwait(false);
                    if (result.Total > 0)
                    {
                        s_log.Info("History retention removed {Removed}", result.Describe(store.Settings.HistoryDays, store.Settings.HistoryMaxMessagesPerRoom));
                    }
                }
                catch (Exception ex) when (ex is HistoryUnavailableException or SqliteException)
                {
                    // The writer already reports an unwritable disk; retention simply tries again next time.
                    store.NoteReadFailure(ex);
                    s_log.Debug(ex, "History retention skipped this pass");
                }
                catch (Exception ex) when (ex is not (OperationCanceledException or ObjectDisposedException))
                {
                    // A bug must not end retention for the rest of the server's life: log it, try again next minute.
                    s_log.Error(ex, "History retention failed; it runs again in a minute");
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (ObjectDisposedException)
        {
            // The store closed while a pass was queued.
        }
    }

    private async Task<long> ExpireOfflineAsync(CancellationToken cancellationToken)
    {
        long cutoff = store.OfflineCutoffMs();
        long total = 0;
        while (true)
        {
            var ids = Ids("SELECT message_id FROM offline WHERE delivered_ms IS NULL AND stored_ms < $cutoff LIMIT $batch", ("$cutoff", cutoff));
            if (ids.Count == 0)
            {
                return total;
            }

            long queued = store.Clock.GetTimestamp();
            total += await store.WriteAsync(w =>
            {
                int n = Execute(w.Connection, "DELETE FROM offline WHERE message_id = $id AND delivered_ms IS NULL", ids);
                w.ForgetOfflineCounts();
                return n;
            }).ConfigureAwait(false);
            await Rest(store.Clock.GetElapsedTime(queued), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<long> DeleteByAgeAsync(CancellationToken cancellationToken)
    {
        if (store.Settings.HistoryDays == 0)
        {
            return 0;
        }

        long cutoff = store.Clock.GetUtcNow().AddDays(-store.Settings.HistoryDays).ToUnixTimeMilliseconds();
        // Times never decrease as ids grow, so everything below the first new-enough id is old; that lookup walks
        // only the old rows, which this pass then deletes. With no new-enough row the bound is one past the newest
        // id *now*, never "everything": a message appended while the pass runs has a higher id and a fresh time,
        // and must survive (an unbounded range once deleted such a message, acknowledged and all). The time test
        // in the select is the second lock on the same door, cheap because the id range already bounds the walk.
        long boundary = FirstId(
            "SELECT coalesce((SELECT id FROM messages WHERE time_ms >= $cutoff ORDER BY id LIMIT 1), (SELECT ifnull(max(id), 0) + 1 FROM messages))",
            ("$cutoff", cutoff)) ?? 0;
        return await DeleteRangeAsync("SELECT id FROM messages WHERE id > $after AND id < $boundary AND time_ms < $cutoff ORDER BY id LIMIT $batch",
            ("$boundary", boundary), cancellationToken, ("$cutoff", cutoff)).ConfigureAwait(false);
    }

    private async Task<long> DeleteOverRoomCapAsync(CancellationToken cancellationToken)
    {
        int cap = store.Settings.HistoryMaxMessagesPerRoom;
        if (cap == 0)
        {
            return 0;
        }

        // The first pass after start looks at every room; later passes only at rooms written since.
        IReadOnlyCollection<string> rooms = _checkedAllRooms ? writer.TakeTouchedRooms() : AllRooms();
        _checkedAllRooms = true;
        long total = 0;
        foreach (string room in rooms)
        {
            // The id of the newest message beyond the cap, found by walking the room's index from the newest end.
            if (FirstId("SELECT id FROM messages WHERE room = $room ORDER BY id DESC LIMIT 1 OFFSET $cap", ("$room", room), ("$cap", cap)) is not { } last)
            {
                continue;
            }

            total += await DeleteRangeAsync("SELECT id FROM messages WHERE room = $room AND id > $after AND id <= $last ORDER BY id LIMIT $batch",
                ("$room", room), cancellationToken, ("$last", last)).ConfigureAwait(false);
        }

        return total;
    }

    /// <summary>Deletes, batch by batch, the ids <paramref name="select"/> finds after a moving $after cursor.</summary>
    private async Task<long> DeleteRangeAsync(string select, (string, object) bound, CancellationToken cancellationToken, params (string, object)[] more)
    {
        long after = 0;
        long total = 0;
        long reported = store.Clock.GetTimestamp();
        while (true)
        {
            var ids = Ids(select, [bound, ("$after", after), .. more]);
            if (ids.Count == 0)
            {
                return total;
            }

            // From the queue to the acknowledgement, not only the delete: the commit (an fsync), the index's and the
            // log's work, and the wait behind chat's own commits are writer time too. Resting only as long as the
            // delete left the writer busy most of the time: lowering HistoryDays on a year of history (2.9 million
            // rows) kept chat's p99 at 288-806 ms for 7.5 minutes (a history-at-scale audit, 2026-12-07). Timed by the
            // store's clock (the system's monotonic one), which a test can move.
            long queued = store.Clock.GetTimestamp();
            var (deleted, last, _) = await store.WriteAsync(w =>
            {
                w.NoteIndexWritten();
                return DeleteWithinBudget(w.Connection, ids, WriteBudget);
            }).ConfigureAwait(false);
            total += deleted;
            after = last;
            // The index's merging of these deletes is the batch's work too, so it is done here, a slice per op (chat
            // queued meanwhile goes between them), and the rest covers it: left to the writer's idle turns, it filled
            // the rests, and chat's median during a large pass went from 5 to 10 ms (retention audit, 2026-12-07).
            // What is left after MaxMergeSlices the writer merges on its own.
            for (int slice = 0; slice < MaxMergeSlices; slice++)
            {
                bool final = slice == MaxMergeSlices - 1;
                bool merging = await store.WriteAsync(w =>
                {
                    bool left = w.MergeSlice();
                    if (left && final)
                    {
                        w.NoteIndexWritten();
                    }

                    return left;
                }).ConfigureAwait(false);
                if (!merging)
                {
                    break;
                }
            }

            await Rest(store.Clock.GetElapsedTime(queued), cancellationToken).ConfigureAwait(false);
            if (store.Clock.GetElapsedTime(reported) >= s_progressInterval)
            {
                reported = store.Clock.GetTimestamp();
                s_log.Info("History retention: {Count} messages removed so far in this pass; it goes on in the background, chat first", total);
            }
        }
    }

    /// <summary>
    /// Deletes <paramref name="ids"/> in order until <see cref="WriteBudget"/> is spent (at least one); returns how
    /// many rows went, the last id handled (the next batch starts after it) and the time taken. A message still
    /// waiting in an offline queue stays until it is delivered or expires.
    /// </summary>
    private static (int Deleted, long Last, TimeSpan Took) DeleteWithinBudget(SqliteConnection connection, List<long> ids, TimeSpan budget)
    {
        long started = Stopwatch.GetTimestamp();
        using var offline = connection.CreateCommand();
        offline.CommandText = "DELETE FROM offline WHERE message_id = $id AND delivered_ms IS NOT NULL";
        var offlineId = offline.Parameters.AddWithValue("$id", 0L);
        using var message = connection.CreateCommand();
        message.CommandText = "DELETE FROM messages WHERE id = $id AND NOT EXISTS (SELECT 1 FROM offline WHERE message_id = $id)";
        var messageId = message.Parameters.AddWithValue("$id", 0L);
        int deleted = 0;
        long last = ids[0];
        foreach (long id in ids)
        {
            offlineId.Value = id;
            offline.ExecuteNonQuery();
            messageId.Value = id;
            deleted += message.ExecuteNonQuery();
            last = id;
            if (Stopwatch.GetElapsedTime(started) >= budget)
            {
                break;
            }
        }

        return (deleted, last, Stopwatch.GetElapsedTime(started));
    }

    private List<string> AllRooms()
    {
        using var connection = store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT room FROM messages WHERE room IS NOT NULL";
        var rooms = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rooms.Add(reader.GetString(0));
        }

        return rooms;
    }

    private List<long> Ids(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$batch", Batch);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var ids = new List<long>(Batch);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private long? FirstId(string sql, params (string Name, object Value)[] parameters)
    {
        var ids = Ids(sql, parameters);
        return ids.Count > 0 ? ids[0] : null;
    }

    /// <summary>Runs <paramref name="sql"/> once per id (bound as <c>$id</c>, beside <paramref name="parameters"/>); the rows changed.</summary>
    internal static int Execute(SqliteConnection connection, string sql, IEnumerable<long> ids, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var id = command.Parameters.AddWithValue("$id", 0L);
        int changed = 0;
        foreach (long value in ids)
        {
            id.Value = value;
            changed += command.ExecuteNonQuery();
        }

        return changed;
    }
}
