using LanTalk.Core.Packets;
using LanTalk.Server.Rooms;

namespace LanTalk.Server.Irc;

/// <summary>
/// Replay on JOIN: a client that negotiated server-time gets the room's last HistoryOnJoin messages, each with the
/// time it was sent, between the JOIN burst (JOIN, 332, 353, 366) and the first live message. The replay and the
/// seam are the ChatSocket join's (<see cref="IRoomHistory.ReplayOnJoin"/> up to the registry's join mark, live frames
/// of the room held meanwhile), so nothing is shown twice or lost. Without server-time the lines would look live, so
/// such a client gets none, as before.
/// </summary>
internal sealed partial class IrcSession
{
    // Live frames of a room whose replay is being queued, in arrival order; null while no replay runs, so a delivery
    // tests a field of the session instead of reading a dictionary of its own. Under the delivery lock.
    private Dictionary<Room, List<byte[]>>? _held;

    // What _held holds, bounded like the outbound queue (as the ChatSocket session's hold is): a replay that takes
    // long (a stalled history store) must not let live frames pile up past the bounds a slow consumer is cut off at.
    // Under the delivery lock; created at the first hold.
    private HeldFrames? _heldBudget;

    // Rooms whose replay (or CHATHISTORY answer) is running: the batch id (null without the batch cap), whether
    // BATCH + went out yet (so an empty join replay sends no empty batch), and the id a shown message must exceed.
    // Under the delivery lock.
    private readonly Dictionary<string, (string? Batch, bool Opened, ulong AboveId)> _replays = new(RoomNames.Comparer);

    // The rooms this session takes live messages of, with the join mark of what it was sent (as the ChatSocket
    // session's, see Session.Output): set by the registry under its lock, judged by every delivery. Under the delivery lock.
    private readonly JoinMarks _joinMarks = new();
    private int _lastBatch;

    public bool DeliverRoomFrame(Room room, ulong id, byte[] frame)
    {
        // The judgement and the translation are one step under the delivery lock (re-entered by Enqueue), so a PART
        // or a new JOIN cannot come between them.
        lock (_deliveryLock)
        {
            if (!_joinMarks.Admits(room, id))
            {
                // A late delivery from an earlier membership: its fan-out took its recipients before a PART (and maybe
                // a new JOIN, whose replay holds it).
                return false;
            }

            if (_held is not null && _held.TryGetValue(room, out var held))
            {
                Hold(held, frame);
                return true;
            }

            Enqueue(frame);
            return true;
        }
    }

    /// <summary>Holds <paramref name="frame"/> in <paramref name="list"/>, or cuts the session off past the queue's bounds. Under the delivery lock.</summary>
    private void Hold(List<byte[]> list, byte[] frame)
    {
        if (Connection.IsClosing)
        {
            // Cut off already (or leaving): held frames would never be sent, and one warning is enough.
            return;
        }

        _heldBudget ??= new HeldFrames(Connection.MaxLines, Connection.MaxBytes);
        if (_heldBudget.TryAdd(list, frame))
        {
            return;
        }

        s_log.Warn("{Session} disconnected as a slow consumer: {Reason}", this, _heldBudget.Describe());
        Connection.Abort("slow consumer: " + _heldBudget.Describe());
    }

    /// <summary>Called by the registry under its lock as this session joins <paramref name="room"/>.</summary>
    public void HoldRoom(Room room, ulong joinMark)
    {
        lock (_deliveryLock)
        {
            _joinMarks.Set(room, joinMark);
            (_held ??= []).TryAdd(room, []);
        }
    }

    public void EnterRoom(Room room, ulong joinMark)
    {
        lock (_deliveryLock)
        {
            _joinMarks.Set(room, joinMark);
        }
    }

    public void ExitRoom(Room room)
    {
        lock (_deliveryLock)
        {
            _joinMarks.Remove(room);
            // Frames held for a replay still running belong to the membership that ended; the hold stays until its ReleaseRoom.
            if (_held is not null && _held.TryGetValue(room, out var frames))
            {
                _heldBudget?.Released(frames);
                frames.Clear();
            }
        }
    }

    public void ReleaseRoom(Room room)
    {
        lock (_deliveryLock)
        {
            if (_held is null || !_held.Remove(room, out var frames))
            {
                return;
            }

            if (_held.Count == 0)
            {
                _held = null;
            }

            // Under the delivery lock (re-entered by Enqueue), so a frame delivered meanwhile lands after these.
            foreach (var frame in frames)
            {
                Enqueue(frame);
            }

            _heldBudget?.Released(frames);
        }
    }

    private async Task ReplayAsync(Room room, ulong joinMark)
    {
        try
        {
            if (Caps.HasFlag(IrcCaps.ServerTime))
            {
                lock (_deliveryLock)
                {
                    _replays[room.Name] = (NewBatchId(), false, 0);
                }

                await _server.RoomHistory.ReplayOnJoin(this, room.Name, ReplayStart.Recent, joinMark, 0).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            s_log.Error(ex, "{Session} replay of '{Room}' failed", this, room.Name);
        }
        finally
        {
            lock (_deliveryLock)
            {
                if (_replays.Remove(room.Name, out var replay) && replay is { Batch: { } id, Opened: true })
                {
                    SendRaw(ServerPrefix, "BATCH", "-" + id);
                }

                ReleaseRoom(room);
            }

            _answers.Queued(this);
        }
    }

    /// <summary>A batch id unique on this connection, or null when the client did not ask for batches.</summary>
    private string? NewBatchId() =>
        Caps.HasFlag(IrcCaps.Batch) ? "h" + Interlocked.Increment(ref _lastBatch).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>A stored message (flag History): shown only inside this session's replay of that room, with its own time.</summary>
    private void OnReplayedMessage(string room, ChatMessagePacket message)
    {
        if (!_replays.TryGetValue(room, out var replay) || message.MessageId <= replay.AboveId)
        {
            return;
        }

        if (replay is { Batch: { } id, Opened: false })
        {
            SendRaw(ServerPrefix, "BATCH", "+" + id, "chathistory", "#" + room);
            _replays[room] = replay with { Opened = true };
        }

        DeliverMessage(message.From, message.Kind == ChatMessageKind.Notice ? "NOTICE" : "PRIVMSG", "#" + room, ActionText(message, out bool action), action, message.ServerTimeMs, message.MessageId, batch: replay.Batch, stored: true);
    }
}
