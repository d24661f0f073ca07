namespace LanTalk.Server.Rooms;

/// <summary>
/// Holds a new room's first messages until the rooms file holds the room. Its messages are acknowledged only once
/// stored, and a room a kill -9 lost from Rooms.xml after that would leave them acknowledged yet reachable by nobody
/// (its members gone with it). The wait is one rooms-file save, at most a presence batch (100 ms), once per room.
/// While the file cannot be saved (a full or read-only disk, no file descriptors left) each message waits for the next
/// attempt, which it asks for (at most one a presence batch), and is refused (StorageUnavailable) when that fails too,
/// as a message the history store cannot commit is: acknowledging them then lost them at the next kill -9. The first
/// save that works opens the gate for good.
/// </summary>
internal sealed class RoomSaveGate(Action requestSave)
{
    private readonly Lock _lock = new();
    private List<(Action Saved, Action Refused)> _waiting = [];
    private bool _saved;

    /// <summary>A save wrote the room: what waited runs, in order, and everything after runs at once.</summary>
    public void Open()
    {
        // Drained in rounds until empty before the gate counts as open: a message arriving while the first round runs
        // joins the list instead of running at once, so no message overtakes an earlier one (its id would be lower).
        while (true)
        {
            List<(Action Saved, Action Refused)> run;
            lock (_lock)
            {
                if (_saved)
                {
                    return;
                }

                if (_waiting.Count == 0)
                {
                    _saved = true;
                    return;
                }

                run = _waiting;
                _waiting = [];
            }

            foreach (var (saved, _) in run)
            {
                saved();
            }
        }
    }

    /// <summary>A save that should have written the room failed: what waited is refused; what comes later waits for the next attempt.</summary>
    public void Fail()
    {
        List<(Action Saved, Action Refused)> run;
        lock (_lock)
        {
            if (_saved)
            {
                return;
            }

            run = _waiting;
            _waiting = [];
        }

        foreach (var (_, refused) in run)
        {
            refused();
        }
    }

    /// <summary>Runs <paramref name="saved"/> once the room is saved (now, if it is), or <paramref name="refused"/> if the next save attempt fails.</summary>
    public void Then(Action saved, Action refused)
    {
        lock (_lock)
        {
            if (!_saved)
            {
                _waiting.Add((saved, refused));
                requestSave();
                return;
            }
        }

        // Outside the lock: the action queues work on other threads and must not run under it.
        saved();
    }
}
