using LanTalk.Server.Users;

namespace LanTalk.Server.Rooms;

internal sealed partial class RoomRegistry
{
    /// <summary>
    /// After a failed save, how long until the state is written again even if nothing changes: before, a failed save
    /// waited for the next room change, and a server stopped before one lost every change since (a disk full for a
    /// moment, then a clean stop). Five seconds keeps a read-only disk from costing a rewrite per presence tick.
    /// </summary>
    private const long SaveRetryMs = 5000;

    private readonly RoomsFile? _roomsFile;

    /// <summary>How often the batch loop looks whether the rooms file is still there (one stat).</summary>
    private const long VanishCheckMs = 1000;

    // Whether the rooms file exists as far as this server knows (it was there at start, or a save wrote it), and when
    // to look again. Only the batch loop touches them.
    private bool _roomsFileKnown;
    private long _nextVanishCheckMs;
    private readonly Logging.RepeatingFailure _saveFailure = new(TimeSpan.FromMinutes(5));

    /// <summary>When the last save failed, the tick count at which to try again; 0 when the file is up to date.</summary>
    private long _saveRetryAt;

    // What waits for the next save of the rooms file: a new room's first messages, a deletion's Done and the removal
    // of its history. Under the lock; run by the batch loop after the save, outside the lock.
    private readonly List<Action> _afterSave = [];

    // Rooms created at run time that no save has written yet, each with its RoomSaveGate. Under the lock.
    private readonly List<Room> _unsavedRooms = [];

    // 1 when a message waits in a RoomSaveGate for a save: the next batch tries one, failing disk or not.
    private int _saveWanted;

    // What the rooms file holds (as loaded, then as last written) and when that was: the ERROR of a failed save at
    // stop names what differs, so the operator knows which changes to make again. Only the batch loop touches them.
    private RoomsSnapshot _lastSaved = RoomsSnapshot.Empty;
    private DateTimeOffset _lastSavedAt = DateTimeOffset.UtcNow;

    /// <summary>
    /// Null unless the last save, at stop, failed: then what was not saved, as the ERROR said it. The process then
    /// exits with 1 (RunningServer), so a supervisor or a script sees that room changes were lost.
    /// </summary>
    public string? NotSavedAtStop { get; private set; }

    /// <summary>A message waits for a new room to be saved; any thread, no lock.</summary>
    private void RequestSave() => Volatile.Write(ref _saveWanted, 1);

    /// <summary>
    /// Runs <paramref name="action"/> once the rooms file holds the change just made, or at once without a rooms file
    /// (still under the lock, so it must only queue work). Under the lock.
    /// </summary>
    private void AfterSave(Action action)
    {
        if (_roomsFile is null)
        {
            action();
            return;
        }

        _afterSave.Add(action);
    }

    /// <summary>Runs what waited for a save; one failing action does not keep the others waiting.</summary>
    private static void RunAfterSave(Action[] actions)
    {
        foreach (var action in actions)
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                s_log.Error(ex, "An action waiting for the rooms file to be saved failed");
            }
        }
    }

    /// <summary>Raised after each write of the rooms file: true when it was written, false when it failed.</summary>
    public event Action<bool>? Saved;

    /// <summary>Whether an earlier failed save should be retried now. Under the lock.</summary>
    private bool SaveRetryDue(bool final)
    {
        long retryAt = Interlocked.Read(ref _saveRetryAt);
        return retryAt != 0 && (final || Environment.TickCount64 >= retryAt);
    }

    /// <summary>
    /// Whether the rooms file, there before, is gone (deleted or moved away under the running server): the batch then
    /// writes it again from memory. Looked at once a second and at stop, by the batch loop, outside the lock. Before,
    /// nothing noticed, nothing rewrote it (not even the stop, with no room change to save), and the next start had
    /// no rooms: their messages, stored and acknowledged, were reachable by nobody (fault injection, 2026-12-03).
    /// </summary>
    private bool RoomsFileVanished(bool final)
    {
        if (_roomsFile is null || !_roomsFileKnown)
        {
            return false;
        }

        long now = Environment.TickCount64;
        if (!final && now < _nextVanishCheckMs)
        {
            return false;
        }

        _nextVanishCheckMs = now + VanishCheckMs;
        // Out of sight (the data directory chmod 000) is not deleted: the save that fails says so (a fault-injection audit, 2026-12-07).
        if (File.Exists(_roomsFile.Path) || Users.UnixStat.Unreachable(_roomsFile.Path))
        {
            return false;
        }

        // Once per disappearance: the save that follows sets it again.
        _roomsFileKnown = false;
        s_log.Error("{File} was deleted or moved away under the running server; writing it again from memory (the rooms, members and topics as they are now). "
            + "Without it the next start would have only the default room, and the other rooms' stored messages would be reachable by nobody", _roomsFile.Path);
        return true;
    }

    /// <summary>The state to save. Under the lock.</summary>
    private RoomsSnapshot Snapshot() => new(
        _rooms.Values.Select(r => new SavedRoom(
            r.Name, r.Modes, r.Topic, r.TopicBy, r.TopicTimeMs, r.Owners.ToArray(), r.Invited.ToArray(),
            r.Members.Select(m => (m.Key, m.Value.JoinedAtMs)).ToArray(), r.HistoryFrom)).ToArray(),
        _leftDefault.ToArray(),
        _default.Name,
        AccountsNamed(),
        PurgesToSave());

    /// <summary>The creation time of every account the rooms name, so a start can tell a new account of an old name. Under the lock.</summary>
    private Dictionary<string, long>? AccountsNamed()
    {
        if (_accountCreatedMs is null)
        {
            return null;
        }

        var accounts = new Dictionary<string, long>(UserNames.Comparer);
        foreach (var room in _rooms.Values)
        {
            foreach (string name in room.Members.Keys.Concat(room.Invited))
            {
                AddAccount(accounts, name);
            }
        }

        foreach (string name in _leftDefault)
        {
            AddAccount(accounts, name);
        }

        return accounts;
    }

    private void AddAccount(Dictionary<string, long> accounts, string name)
    {
        // Guests (no account, 0) are not recorded: nothing of theirs outlives their session.
        if (!accounts.ContainsKey(name) && _accountCreatedMs!(name) is > 0 and var created)
        {
            accounts[name] = created;
        }
    }

    /// <summary>
    /// After a save of the rooms in <paramref name="rooms"/> (those unsaved when its snapshot was taken): opens their
    /// gates when it worked, so their held messages are stored, or refuses what waits when it failed. Outside the lock.
    /// </summary>
    private void SettleNewRooms(Room[] rooms, bool saved)
    {
        if (saved)
        {
            lock (_lock)
            {
                _unsavedRooms.RemoveAll(rooms.Contains);
            }
        }

        foreach (var room in rooms)
        {
            var gate = room.SaveGate!;
            if (saved)
            {
                gate.Open();
                // Read without the lock by the router: a stale gate only runs its action inline.
                room.SaveGate = null;
            }
            else
            {
                gate.Fail();
            }
        }
    }

    /// <summary>
    /// Writes the rooms file; called from the batch loop only, outside the lock. A failure is logged and retried every
    /// <see cref="SaveRetryMs"/>; at stop (<paramref name="final"/>) there is no retry, and the ERROR says what is lost.
    /// </summary>
    private bool Save(RoomsSnapshot snapshot, bool final)
    {
        try
        {
            _roomsFile!.Save(snapshot);
            _roomsFileKnown = true;
            _lastSaved = snapshot;
            _lastSavedAt = DateTimeOffset.UtcNow;
            Interlocked.Exchange(ref _saveRetryAt, 0);
            if (_saveFailure.Resolved(out var lasted))
            {
                s_log.Info("The rooms are saved to {File} again, after {Seconds:0} s of failures", _roomsFile.Path, lasted.TotalSeconds);
            }

            Saved?.Invoke(true);
            return true;
        }
        catch (Exception ex)
        {
            // Any failure, not only the disk's: this runs on the presence timer's thread, where an exception the catch
            // let through ended the process (a topic with a character XML cannot hold did, before topics were checked).
            Interlocked.Exchange(ref _saveRetryAt, Environment.TickCount64 + SaveRetryMs);
            if (final)
            {
                FailedAtStop(snapshot, ex);
            }
            else if (_saveFailure.Occurred(out int silenced, out var failingFor))
            {
                // The first report has no count to give ("0 more failures in 0 s" said nothing); reminders do.
                if (failingFor == TimeSpan.Zero)
                {
                    s_log.Error("Could not save the rooms to {File}: {Error}; the rooms live on in memory, and the save is retried every {Seconds} s and at stop",
                        _roomsFile!.Path, ex.Message, SaveRetryMs / 1000);
                }
                else
                {
                    s_log.Error("Could not save the rooms to {File}: {Error}; the rooms live on in memory, and the save is retried every {Seconds} s and at stop ({Silenced} more failures in {Failing:0} s)",
                        _roomsFile!.Path, ex.Message, SaveRetryMs / 1000, silenced, failingFor.TotalSeconds);
                }
            }

            Saved?.Invoke(false);
            return false;
        }
    }

    /// <summary>
    /// The save at stop failed: nothing retries it after this, so the changes since the last save that worked are
    /// lost. Before, the stop logged nothing about it and exited 0, and the operator learnt of it from users whose
    /// rooms were gone after the restart.
    /// </summary>
    private void FailedAtStop(RoomsSnapshot snapshot, Exception ex)
    {
        string lost = RoomsDiff.Describe(_lastSaved, snapshot);
        NotSavedAtStop = lost.Length > 0 ? lost : "no change since the last save, but the file could not be written";
        s_log.Error("At stop, the rooms could not be saved to {File}: {Error}. NOT SAVED, so lost with this stop: {Lost} "
            + "(every room change since {LastSaved:yyyy-MM-dd HH:mm:ss} UTC, when this server last read or wrote the file). "
            + "Fix the cause before the next start (free disk space, make the data directory writable by the server's account, or move away whatever is in the place of the file); "
            + "the server then starts with the rooms as saved at that time, and these changes must be made again (rooms created again, members joined again)",
            _roomsFile!.Path, ex.Message, NotSavedAtStop, _lastSavedAt.UtcDateTime);
    }

    /// <summary>
    /// A room's saved historyFrom against the ids handed out so far (<paramref name="lastId"/>; -1 without a store). It
    /// is the last id at the room's creation, so a higher one is damage or a restore without history.db.ids: it hid the
    /// room's whole history, and every message sent to it afterwards (their ids are lower), without a word (fault
    /// injection, 2026-12-04). It is lowered to <paramref name="lastId"/> with a warning: the room's messages from now
    /// on are shown, nothing an earlier room of that name held is (all of those are at or below it), and the operator
    /// can lower it further by hand. The repair is saved with the first batch.
    /// </summary>
    private long CheckedHistoryFrom(SavedRoom saved, long lastId)
    {
        if (lastId < 0 || saved.HistoryFrom <= lastId)
        {
            return saved.HistoryFrom;
        }

        s_log.Warn(
            "{File}: room '{Room}': historyFrom=\"{From}\" is above every message id handed out so far ({Last}), so it hid all of the room's messages, "
            + "also those sent from now on. It is now {Last}: new messages are shown. To show the room's older messages too, stop the server and "
            + "lower it in the file (0 shows all of them), or restore Rooms.xml from the same backup as history.db",
            _roomsFile!.Path, saved.Name, saved.HistoryFrom, lastId, lastId);
        _historyFromRepaired.Add(saved.Name);
        return lastId;
    }
}
