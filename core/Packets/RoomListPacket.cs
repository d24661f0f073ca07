using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>
/// The answer to ListRooms: open rooms and the caller's invite-only rooms. A list larger than one frame is sent in
/// parts, every part but the last with <see cref="More"/> set, as the online list is.
/// </summary>
public sealed record RoomListPacket(IReadOnlyList<RoomSummary> Rooms, bool More = false) : IPacket
{
    // Smallest entry: empty name (2), flags (4), member count (4), empty topic (2).
    private const int MinEntrySize = 2 + 4 + 4 + 2;

    public PacketType Type => PacketType.RoomList;

    public int MeasureBody()
    {
        int size = 4 + 1;
        foreach (var room in Rooms)
        {
            size += WireWriter.Utf8Size(room.Name) + 4 + 4 + WireWriter.Utf8Size(room.Topic);
        }

        return size;
    }

    // count:i32 | (name:str16 | flags:u32 | memberCount:i32 | topic:str16) × count | flags:u8 (bit 0 More)
    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteInt32(Rooms.Count);
        foreach (var room in Rooms)
        {
            writer.WriteString(room.Name);
            writer.WriteUInt32((uint)room.Flags);
            writer.WriteInt32(room.MemberCount);
            writer.WriteString(room.Topic);
        }

        writer.WriteByte(More ? (byte)1 : (byte)0);
    }

    public static RoomListPacket Read(ref WireReader reader)
    {
        int count = reader.ReadInt32();
        WireStrings.CheckCount(count, MinEntrySize, reader.Remaining, "room list");
        var rooms = new RoomSummary[count];
        for (int i = 0; i < count; i++)
        {
            rooms[i] = new RoomSummary(
                reader.ReadString(WireStrings.MaxNameBytes, "room name"),
                (RoomModes)reader.ReadUInt32(),
                reader.ReadInt32(),
                reader.ReadString(WireStrings.MaxTextBytes, "topic"));
        }

        bool more = (reader.ReadByte() & 1) != 0;
        return new RoomListPacket(rooms, more);
    }

    public override string ToString() => $"RoomList [{string.Join(", ", Rooms.Select(r => r.Name))}]{(More ? " (more follows)" : string.Empty)}";
}
