using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;
using LanTalk.Server.Rooms;

namespace LanTalk.Server.Net;

/// <summary>The session as the room registry, router and history see it (<see cref="IRoomSession"/>).</summary>
internal sealed partial class Session
{
    private readonly Lock _holdLock = new();
    private Dictionary<Room, List<byte[]>>? _held;
    private HeldFrames? _heldBudget;

    // The rooms this session takes live messages of, each with the join mark of what it was sent: its own replay's
    // mark, or the mark it entered at without one. Per session, not per user: only the joining session gets the
    // replay. Set and removed by the registry (under its lock) and read by every delivery, all under the hold lock,
    // so a delivery is judged against the membership as it is at that moment. Under the hold lock.
    private readonly JoinMarks _joinMarks = new();

    // Live messages held while the stored private messages are queued at login (docs/PROTOCOL.md, login order):
    // without it a message routed in that window would overtake older stored ones. Null when nothing is held.
    private List<byte[]>? _heldLive;
    private volatile bool _holdingLive;

    // Completed when the held live frames are queued (ReleaseLive); set before the session can be found, so before
    // the read loop sees Authenticated. A command, a Logout, the client's FIN and the flood cut-off wait for it: the
    // echoes of the messages sent before them sit among the held frames, and a Logout that closed the connection
    // first dropped them (the sender saw stored and delivered messages unacknowledged), a WhoIs was answered ahead
    // of them, and a catch-up JoinRoom's replay was followed by live copies of what it had just replayed (an outside
    // audit, 2026-12-07).
    private volatile TaskCompletionSource? _liveReleased;

    public ulong SessionId => (ulong)Connection.Id;

    string ISessionOutput.UserName => UserName ?? string.Empty;

    public string ClientName { get; private set; } = string.Empty;

    public long LoginTimeMs => LoginTime.ToUnixTimeMilliseconds();

    public string RemoteDescription => Peer;

    public void CloseByServer(ErrorCode code, string text, string logReason) =>
        Connection.Close(new DisconnectReason(DisconnectKind.Local, code, logReason), new ErrorPacket(code, text), ChatCommand.ServerDisconnected);

    public OnlineUserEntry? Entry { get; set; }

    public SendSequence Sequence { get; } = new();

    public bool IsClosing => Connection.IsClosing;

    // Set when a Logout or the client's FIN released the live frames held at login ahead of the stored messages not
    // yet queued (ReleaseLiveToClose): those stay stored for the next login rather than follow the live ones.
    private volatile bool _releasedToClose;

    public bool Enqueue(byte[] frame) => !_releasedToClose && Connection.Enqueue(frame);

    public long FramesQueued => Connection.FramesAccepted;

    public long FramesWritten => Connection.FramesWritten;

    public void Send(ChatCommand command, string target, IPacket packet) => Connection.Send(command, target, packet);

    public bool DeliverRoomFrame(Room room, ulong id, byte[] frame)
    {
        // One uncontended lock per delivery: the check and the queueing must be one step with respect to a leave (whose
        // RoomLeft follows ExitRoom) and a join (whose replay's HistoryEnd precedes ReleaseRoom).
        lock (_holdLock)
        {
            if (!_joinMarks.Admits(room, id))
            {
                // Not in the room any more, or the replay this session got holds the message: a fan-out that took
                // its recipients before a leave (and maybe a new join) must not show it again, or after the RoomLeft.
                return false;
            }

            if (_held is not null && _held.TryGetValue(room, out var held))
            {
                Hold(held, frame);
                return true;
            }

            if (_heldLive is not null)
            {
                Hold(_heldLive, frame);
                return true;
            }

            Connection.Enqueue(frame);
            return true;
        }
    }

    public bool DeliverPrivateFrame(byte[] frame)
    {
        if (_holdingLive)
        {
            lock (_holdLock)
            {
                if (_heldLive is not null)
                {
                    // Held frames go out when the flush ends; a session already closing would never send them.
                    if (Connection.IsClosing)
                    {
                        return false;
                    }

                    return Hold(_heldLive, frame);
                }
            }
        }

        return Connection.Enqueue(frame);
    }

    /// <summary>Holds <paramref name="frame"/> in <paramref name="list"/>, or cuts the session off past the queue's bounds. Under the hold lock.</summary>
    private bool Hold(List<byte[]> list, byte[] frame)
    {
        _heldBudget ??= new HeldFrames(Connection.Options.MaxQueuedFrames, Connection.Options.MaxQueuedBytes);
        if (_heldBudget.TryAdd(list, frame))
        {
            return true;
        }

        Connection.Abort(new DisconnectReason(DisconnectKind.SlowConsumer, ErrorCode.SlowConsumer, _heldBudget.Describe()));
        return false;
    }

    /// <summary>From before the session enters the roster until its stored messages are queued: live messages wait.</summary>
    private void HoldLive()
    {
        lock (_holdLock)
        {
            _heldLive = [];
            _holdingLive = true;
            _liveReleased = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>
    /// For a Logout or the client's FIN: queues the live frames held at login now, the echoes of what the session sent
    /// among them, so the close follows them. Waiting for the stored delivery instead held every closing session of
    /// the user open for as long as the deliveries took, one after another (a login-and-close loop hit
    /// MaxSessionsPerUser); the stored messages not yet queued are not sent after the live ones, but stay stored.
    /// </summary>
    private void ReleaseLiveToClose()
    {
        if (_holdingLive)
        {
            _releasedToClose = true;
            ReleaseLive();
        }
    }

    /// <summary>Runs <paramref name="action"/> now, or once the live frames held at login are queued.</summary>
    private void AfterLiveReleased(Action action)
    {
        var released = WhenLiveReleased();
        if (released.IsCompleted)
        {
            action();
            return;
        }

        released.ContinueWith(_ => action(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes once the live frames held at login are queued; completed when none are held.</summary>
    private Task WhenLiveReleased() => _liveReleased?.Task ?? Task.CompletedTask;

    /// <summary>Queues the live messages held during the flush, in arrival order, and stops holding.</summary>
    private void ReleaseLive()
    {
        lock (_holdLock)
        {
            if (_heldLive is null)
            {
                return;
            }

            foreach (var frame in _heldLive)
            {
                Connection.Enqueue(frame);
            }

            _heldBudget?.Released(_heldLive);
            _heldLive = null;
            _holdingLive = false;
            _liveReleased?.TrySetResult();
        }
    }

    public void HoldRoom(Room room, ulong joinMark)
    {
        lock (_holdLock)
        {
            _joinMarks.Set(room, joinMark);
            _held ??= [];
            _held.TryAdd(room, []);
        }
    }

    public void EnterRoom(Room room, ulong joinMark)
    {
        lock (_holdLock)
        {
            _joinMarks.Set(room, joinMark);
        }
    }

    public void ExitRoom(Room room)
    {
        lock (_holdLock)
        {
            _joinMarks.Remove(room);
            if (_held is not null && _held.TryGetValue(room, out var frames))
            {
                // Held for a replay still running: they belong to the membership that just ended. The hold itself
                // stays until that replay's ReleaseRoom.
                _heldBudget?.Released(frames);
                frames.Clear();
            }
        }
    }

    public void ReleaseRoom(Room room)
    {
        lock (_holdLock)
        {
            if (_held is null || !_held.Remove(room, out var frames))
            {
                return;
            }

            // Under the hold lock, so a frame delivered meanwhile waits and lands after these, in order; behind the
            // stored private messages when their flush is still running.
            if (_heldLive is not null)
            {
                // Still held (and still counted), now behind the stored private messages.
                _heldLive.AddRange(frames);
            }
            else
            {
                foreach (var frame in frames)
                {
                    Connection.Enqueue(frame);
                }

                _heldBudget?.Released(frames);
            }
        }
    }
}
