using LanTalk.Core.Packets;

namespace LanTalk.Core.Client;

/// <summary>
/// Being in a room (v3): its state from RoomInfo. <see cref="Tag"/> is 0 when the server joined us by itself (at
/// login, or because another session of ours joined), otherwise the tag of our JoinRoom.
/// </summary>
public sealed record RoomJoin(string Room, RoomInfoPacket Info)
{
    public uint Tag => Info.Tag;
}
