using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Rooms;

namespace LanTalk.Server.Net;

/// <summary>The session as the room registry, router and history see it (<see cref="IRoomSession"/>).</summary>
internal sealed partial class Session
{
    private readonly Lock _holdLock = new();
    private Dictionary<Room, List<byte[]>>? _held;
    private int _holdCount;

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
        // The common case takes no lock: nothing is being replayed to this session.
        if (Volatile.Read(ref _holdCount) > 0)
        {
            lock (_holdLock)
            {
                if (_held is not null && _held.TryGetValue(room, out var held))
                {
                    held.Add(frame);
                    return;
                }
            }
        }

        Connection.Enqueue(frame);
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

            // Under the hold lock, so a frame delivered meanwhile waits and lands after these, in order.
            foreach (var frame in frames)
            {
                Connection.Enqueue(frame);
            }

            Interlocked.Decrement(ref _holdCount);
        }
    }
}
