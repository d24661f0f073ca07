using System.Text;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Harness.Load;

internal sealed partial class LoadClient
{
    /// <summary>The join's tag; any tag works, since a session has one join in flight.</summary>
    private const uint JoinTag = 1;

    private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The room this client speaks version 3 in and sends its public messages to; empty = version 3 in the default room (no join); null = version 2, the default room.</summary>
    public string? Room { get; private set; }

    /// <summary>The room's number in the scenario: receivers expect public messages only from senders with the same number.</summary>
    public int RoomIndex { get; private set; } = -1;

    private byte[] _roomUtf8 = [];

    /// <summary>Makes this client a version 3 session that joins <paramref name="room"/> after login. Call before connecting.</summary>
    public void AssignRoom(int roomIndex, string room)
    {
        RoomIndex = roomIndex;
        Room = room;
        _roomUtf8 = Encoding.UTF8.GetBytes(room);
    }

    private ushort HelloVersion => Room is null ? ProtocolLimits.CurrentVersion : (ushort)3;

    /// <summary>JoinRoom (creating the room if it does not exist), answered with RoomInfo, the member list, and HistoryEnd last.</summary>
    private async Task JoinRoomAsync(ChatConnection connection, CancellationToken cancellationToken)
    {
        // Every user is in the default room at login: nothing to join.
        if (Room is not { Length: > 0 } room)
        {
            return;
        }

        connection.Send(ChatCommand.JoinRoom, room, new RoomRequestPacket(JoinTag));
        await _joined.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void OnJoinFrame(RawFrame frame)
    {
        if (frame.Type == PacketType.HistoryEnd)
        {
            _joined.TrySetResult();
        }
    }
}
