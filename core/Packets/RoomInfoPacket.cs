using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>A room's state as one receiver sees it: sent on join (and at login), and to members after SetRoomMode.</summary>
public sealed record RoomInfoPacket(
    uint Tag,
    RoomModes Flags,
    string Topic,
    string TopicBy,
    long TopicTimeMs,
    int MemberCount,
    IReadOnlyList<string> Owners) : IPacket
{
    /// <summary>The topic, cut to <see cref="WireStrings.MaxTextBytes"/> UTF-8 bytes (what a receiver reads).</summary>
    public string Topic { get; init => field = WireStrings.Fit(value, WireStrings.MaxTextBytes); } = WireStrings.Fit(Topic, WireStrings.MaxTextBytes);

    // Smallest owner entry: an empty string's length prefix.
    private const int MinOwnerSize = 2;

    public PacketType Type => PacketType.RoomInfo;

    public int MeasureBody()
    {
        int size = 4 + 4 + WireWriter.Utf8Size(Topic) + WireWriter.Utf8Size(TopicBy) + 8 + 4 + 4;
        foreach (string owner in Owners)
        {
            size += WireWriter.Utf8Size(owner);
        }

        return size;
    }

    // tag:u32 | flags:u32 | topic:str16 | topicBy:str16 | topicTimeMs:i64 | memberCount:i32 | ownerCount:i32 | owner:str16 × ownerCount
    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(Tag);
        writer.WriteUInt32((uint)Flags);
        writer.WriteString(Topic);
        writer.WriteString(TopicBy);
        writer.WriteInt64(TopicTimeMs);
        writer.WriteInt32(MemberCount);
        writer.WriteInt32(Owners.Count);
        foreach (string owner in Owners)
        {
            writer.WriteString(owner);
        }
    }

    /// <summary>
    /// This state with as many owners as fit in one frame to <paramref name="target"/> of at most
    /// <see cref="ProtocolLimits.LargestFrame"/> bytes; the later ones are left out (Flags still says YouOwn). A room
    /// gets one owner at a time, but a hand-edited Rooms.xml may list hundreds, and the list has no More flag.
    /// </summary>
    public RoomInfoPacket FittedTo(string target)
    {
        int budget = ProtocolLimits.LargestFrame + 4 - FrameCodec.Measure(target, this with { Owners = [] });
        int count = 0;
        foreach (string owner in Owners)
        {
            budget -= WireWriter.Utf8Size(owner);
            if (budget < 0)
            {
                break;
            }

            count++;
        }

        return count == Owners.Count ? this : this with { Owners = Owners.Take(count).ToArray() };
    }

    public static RoomInfoPacket Read(ref WireReader reader)
    {
        uint tag = reader.ReadUInt32();
        var flags = (RoomModes)reader.ReadUInt32();
        string topic = reader.ReadString(WireStrings.MaxTextBytes, "topic");
        string topicBy = reader.ReadString(WireStrings.MaxNameBytes, "topic setter");
        long topicTime = reader.ReadInt64();
        int members = reader.ReadInt32();
        int count = reader.ReadInt32();
        WireStrings.CheckCount(count, MinOwnerSize, reader.Remaining, "owner list");
        var owners = new string[count];
        for (int i = 0; i < count; i++)
        {
            owners[i] = reader.ReadString(WireStrings.MaxNameBytes, "owner");
        }

        return new RoomInfoPacket(tag, flags, topic, topicBy, topicTime, members, owners);
    }

    public override string ToString() =>
        $"RoomInfo tag={Tag} {Flags} members={MemberCount} owners=[{string.Join(", ", Owners)}] topic by '{TopicBy}' ({Topic.Length} chars)";
}
