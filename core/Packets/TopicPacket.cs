using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>A room's new topic (target = room): sent to every member, and to the setter as the answer to its tag.</summary>
public sealed record TopicPacket(uint Tag, string Text, string SetBy, long TimeMs) : IPacket
{
    /// <summary>The topic, cut to <see cref="WireStrings.MaxTextBytes"/> UTF-8 bytes (what a receiver reads).</summary>
    public string Text { get; init => field = WireStrings.Fit(value, WireStrings.MaxTextBytes); } = WireStrings.Fit(Text, WireStrings.MaxTextBytes);

    public PacketType Type => PacketType.Topic;

    public int MeasureBody() => 4 + WireWriter.Utf8Size(Text) + WireWriter.Utf8Size(SetBy) + 8;

    // tag:u32 | text:str16 | setBy:str16 | timeMs:i64
    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(Tag);
        writer.WriteString(Text);
        writer.WriteString(SetBy);
        writer.WriteInt64(TimeMs);
    }

    public static TopicPacket Read(ref WireReader reader) => new(
        reader.ReadUInt32(),
        reader.ReadString(WireStrings.MaxTextBytes, "topic"),
        reader.ReadString(WireStrings.MaxNameBytes, "topic setter"),
        reader.ReadInt64());

    public override string ToString() => $"Topic tag={Tag} by '{SetBy}' ({Text.Length} chars)";
}
