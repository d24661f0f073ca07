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
    private int _holdCount;

    // Live messages held while the stored private messages are queued at login (docs/PROTOCOL.md, login order):
    // without it a message routed in that window would overtake older stored ones. Null when nothing is held.
    private List<byte[]>? _heldLive;
    private volatile bool _holdingLive;

    public ulong SessionId => (ulong)Connection.Id;

    string ISessionOutput.UserName => UserName ?? string.Empty;

    public string ClientName { get; private set; } = string.Empty;

    public long LoginTimeMs => LoginTime.ToUnixTimeMilliseconds();

    public OnlineUserEntry? Entry { get; set; }

    public SendSequence Sequence { get; } = new();

    public bool IsClosing => Connection.IsClosing;

    public bool Enqueue(byte[] frame) => Connection.Enqueue(frame);

    public void Send(ChatCommand command, string target, IPacket packet) => Connection.Send(command, target, packet);

    public void DeliverRoomFrame(Room room, byte[] frame)
    {
        // The common case takes no lock: nothing is being replayed or flushed to this session.
        if (Volatile.Read(ref _holdCount) > 0 || _holdingLive)
        {
            lock (_holdLock)
            {
                if (_held is not null && _held.TryGetValue(room, out var held))
                {
                    Hold(held, frame);
                    return;
                }

                if (_heldLive is not null)
                {
                    Hold(_heldLive, frame);
                    return;
                }
            }
        }

        Connection.Enqueue(frame);
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
        }
    }

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
        }
    }

    public void HoldRoom(Room room)
    {
        lock (_holdLock)
        {
            _held ??= [];
            if (_held.TryAdd(room, []))
            {
                Interlocked.Increment(ref _holdCount);
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

            Interlocked.Decrement(ref _holdCount);
        }
    }
}
