using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>
/// Every v3 room request (ListRooms, JoinRoom, LeaveRoom, SetTopic, Invite, Kick, DeleteRoom, SetAway, WhoIs,
/// SetRoomMode); the room travels in the frame's target. Fields a command does not use are zero or empty. The server
/// also sends it with Invite as the invitation (Name = the inviter).
/// </summary>
public sealed record RoomRequestPacket(uint Tag, RoomModes Flags = RoomModes.None, ulong SinceId = 0, string Name = "", string Text = "") : IPacket
{
    public PacketType Type => PacketType.RoomRequest;

    public int MeasureBody() => 4 + 4 + 8 + WireWriter.Utf8Size(Name) + WireWriter.Utf8Size(Text);

    // tag:u32 | flags:u32 | sinceId:u64 | name:str16 (<= 128 bytes) | text:str16 (<= 4096 bytes)
    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(Tag);
        writer.WriteUInt32((uint)Flags);
        writer.WriteUInt64(SinceId);
        writer.WriteString(Name);
        writer.WriteString(Text);
    }

    public static RoomRequestPacket Read(ref WireReader reader) => new(
        reader.ReadUInt32(),
        (RoomModes)reader.ReadUInt32(),
        reader.ReadUInt64(),
        reader.ReadString(WireStrings.MaxNameBytes, "name"),
        reader.ReadString(WireStrings.MaxTextBytes, "text"));

    public override string ToString() => $"RoomRequest tag={Tag} flags={Flags} since={SinceId} name='{Name}' ({Text.Length} chars)";
}
