namespace LanTalk.Server.Rooms;

/// <summary>
/// A user's own presence goes out before anything they send. Presence is batched (.Presence), but a message is not:
/// without this, someone who joins a room and speaks at once reached the members as a message from a stranger, the
/// MemberJoined (IRC: JOIN) following up to a batch later, and a private message right after login arrived before the
/// UserConnected that says the sender is online. So every batch has a number; a user's join or login is stamped with
/// the number of the batch that will carry it; and a sender whose stamp is not yet sent has the batch written now,
/// before the message is routed. That costs one early batch per join, only when its user speaks within the batch
/// period, and a list frame per recipient, which the message itself costs anyway.
/// </summary>
internal sealed partial class RoomRegistry
{
    private readonly PresenceFlushSlot _flushSlot = new();

    // The batch being collected; changes noted now go out with it. Under the lock.
    private long _batchNumber = 1;

    // Every batch up to this one has been queued to its recipients. Written by the slot's holder only.
    private long _sentBatch;

    /// <summary>The timer's flush; a tick that finds a flush running leaves its work to the next.</summary>
    public void TickPresence()
    {
        if (!_flushSlot.TryEnter())
        {
            return;
        }

        try
        {
            FlushPresence();
        }
        finally
        {
            _flushSlot.Exit();
        }
    }

    /// <summary>The stop's flush: waits for a running one, writes the last batch and the final save; none follows.</summary>
    public void StopPresence()
    {
        _flushSlot.Close();
        FlushPresence(final: true);
    }

    /// <summary>
    /// Before <paramref name="sender"/>'s message is routed: writes the batch holding the sender's own login or room
    /// join if it is not out yet, or waits for the flush already writing it. At once (two reads) in the usual case.
    /// </summary>
    public void SendPresenceOf(IRoomSession sender)
    {
        if (sender.Entry is not { } entry || entry.PresenceBatch <= Volatile.Read(ref _sentBatch))
        {
            return;
        }

        if (!_flushSlot.Enter())
        {
            // Stopping: the stop's own flush writes it.
            return;
        }

        try
        {
            if (entry.PresenceBatch > Volatile.Read(ref _sentBatch))
            {
                // No save: Rooms.xml is the timer's job, and a message must not wait for a disk write.
                FlushPresence(save: false);
            }
        }
        finally
        {
            _flushSlot.Exit();
        }
    }

    /// <summary>Marks a user's join or login as going out with the batch being collected. Under the lock.</summary>
    private void StampPresence(string userName)
    {
        if (_online.TryGetValue(userName, out var entry))
        {
            entry.PresenceBatch = _batchNumber;
        }
    }
}
