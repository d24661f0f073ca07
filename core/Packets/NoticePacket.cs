using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>A notice from the server operator to everyone (ServerNotice).</summary>
public sealed record NoticePacket(long TimeMs, string Text) : IPacket
{
    public PacketType Type => PacketType.Notice;

    public int MeasureBody() => 8 + WireWriter.Utf8Size(Text);

    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteInt64(TimeMs);
        writer.WriteString(Text);
    }

    public static NoticePacket Read(ref WireReader reader) => new(reader.ReadInt64(), reader.ReadString(ushort.MaxValue, "notice text"));

    public override string ToString() => $"Notice ({Text.Length} chars)";
}
