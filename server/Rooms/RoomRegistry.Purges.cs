namespace LanTalk.Server.Rooms;

/// <summary>
/// The removal of a deleted room's stored messages, made to finish whatever interrupts it. The room leaves Rooms.xml
/// and a &lt;DeletedRoom&gt; entry (<see cref="PendingPurge"/>) enters it in one write; the removal starts after that
/// write and runs in batches through the history writer; its entry leaves the file only once it is complete. A
/// removal cut short (kill -9, a stop, a disk that fails for a while) is started again a minute later, and at the next
/// start. Before, a kill -9 right after the owner's Done left all 20,000 rows of the room in history.db for good,
/// where no client could see them and every backup copied them (a fault-injection audit, 2026-12-07). Only rooms
/// deleted by an owner or by their last member's leave are removed so: the rows of a room that is merely missing from
/// Rooms.xml (a file moved aside or lost) stay, since putting the file back shows them again.
/// </summary>
internal sealed partial class RoomRegistry
{
    /// <summary>How long after a removal failed it is started again (retention's period: a full disk is not freed at once).</summary>
    private const long PurgeRetryMs = 60_000;

    // Deleted rooms whose stored messages are not all removed yet, by name. Under the lock.
    private readonly Dictionary<string, PendingPurge> _purges = new(RoomNames.Comparer);

    // Removes a deleted room's stored messages up to an id; true when that was complete. Null without history.
    private readonly Func<string, long, Task<bool>>? _forgetHistory;

    // No removal is started again before this tick count (after a failed one). Under the lock.
    private long _purgeRetryAt;

    /// <summary>The deleted rooms whose stored messages are still being removed, for tests and the operator console.</summary>
    public IReadOnlyList<string> PendingPurges
    {
        get
        {
            lock (_lock)
            {
                return _purges.Keys.ToArray();
            }
        }
    }

    /// <summary>The names to save as &lt;DeletedRoom&gt;. Under the lock.</summary>
    private string[] PurgesToSave() => _purges.Values.Select(p => p.Name).ToArray();

    /// <summary>
    /// The entries the rooms file listed at start. One for a room whose historyFrom was repaired at load is dropped:
    /// that room's own messages may be at or below the new bound (CheckedHistoryFrom), and the removal would take them.
    /// Constructor only.
    /// </summary>
    private void LoadPurges(IReadOnlyList<string>? names)
    {
        foreach (string name in names ?? [])
        {
            if (_historyFromRepaired.Contains(name, RoomNames.Comparer))
            {
                s_log.Warn("{File}: the removal of the stored messages of the deleted room '{Room}' is given up: the room of that name now has a repaired historyFrom, "
                    + "so the removal could take its own messages. Those of the deleted room stay in history.db, shown to nobody", _roomsFile!.Path, name);
                RequestSave();
                continue;
            }

            _purges[name] = new PendingPurge(name);
        }
    }

    /// <summary>
    /// A room just left the registry: lists it as deleted (saved with the removal of the room) and starts the removal of
    /// its stored messages after that save. Under the lock.
    /// </summary>
    private void NotePurge(string name)
    {
        if (_forgetHistory is not null)
        {
            if (!_purges.TryGetValue(name, out var purge))
            {
                purge = new PendingPurge(name);
                _purges[name] = purge;
            }

            // Nothing may start it before the save that drops the room: a kill -9 before that brings the room back whole.
            purge.Queued = true;
            purge.Resumed = false;
        }

        AfterSave(() => StartPurge(name));
    }

    /// <summary>
    /// Starts the removal of a deleted room's stored messages (it only queues the first batch with the writer, so it
    /// may run under the lock without a rooms file), then raises <see cref="RoomDeleted"/>.
    /// </summary>
    private void StartPurge(string name)
    {
        long upTo = PurgeBound(name);
        long attempt = 0;
        if (_forgetHistory is { } forget)
        {
            lock (_lock)
            {
                if (_purges.TryGetValue(name, out var purge))
                {
                    attempt = ++purge.Attempt;
                    purge.Queued = true;
                }
            }

            Task<bool> removal;
            try
            {
                removal = forget(name, upTo);
            }
            catch (Exception ex)
            {
                removal = Task.FromException<bool>(ex);
            }

            _ = removal.ContinueWith(t => PurgeFinished(name, attempt, t.IsCompletedSuccessfully && t.Result),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        RoomDeleted?.Invoke(name, upTo);
    }

    /// <summary>The outcome of a removal: complete, its entry goes with the next save; else it is started again later.</summary>
    private void PurgeFinished(string name, long attempt, bool complete)
    {
        lock (_lock)
        {
            // A later deletion of the name started another removal, whose outcome decides.
            if (!_purges.TryGetValue(name, out var purge) || purge.Attempt != attempt)
            {
                return;
            }

            purge.Queued = false;
            if (complete)
            {
                _purges.Remove(name);
                RequestSave();
                if (purge.Resumed)
                {
                    s_log.Info("The stored messages of the deleted room '{Room}' are removed", name);
                }
            }
            else
            {
                _purgeRetryAt = Environment.TickCount64 + PurgeRetryMs;
            }
        }
    }

    /// <summary>
    /// Starts the removals that are due: those the rooms file listed at start, and those that failed a minute ago. By
    /// the batch loop, before it takes the batch's snapshot, so a room created meanwhile under such a name either is
    /// seen by the removal's bound (its HistoryFrom) or has its first messages held until after that save, behind the
    /// removal's first batch in the writer's queue.
    /// </summary>
    private void ResumePurges()
    {
        List<string>? due = null;
        lock (_lock)
        {
            if (_purges.Count == 0 || _forgetHistory is null || Environment.TickCount64 < _purgeRetryAt)
            {
                return;
            }

            foreach (var purge in _purges.Values)
            {
                if (!purge.Queued)
                {
                    purge.Queued = true;
                    purge.Resumed = true;
                    (due ??= []).Add(purge.Name);
                }
            }
        }

        foreach (string name in due ?? [])
        {
            s_log.Info("Removing the stored messages of the deleted room '{Room}' (a removal that did not finish before)", name);
            StartPurge(name);
        }
    }
}
