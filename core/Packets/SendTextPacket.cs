using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>
/// A message from a client. <see cref="Tag"/> is the client's own number for it; the server copies it
/// into the echoed ChatMessage so the sender can match the confirmation.
/// </summary>
public sealed record SendTextPacket(uint Tag, string Text) : IPacket
{
    public PacketType Type => PacketType.SendText;

    public int MeasureBody() => 4 + WireWriter.Utf8Size(Text);

    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(Tag);
        writer.WriteString(Text);
    }

    public static SendTextPacket Read(ref WireReader reader, ProtocolLimits limits) =>
        new(reader.ReadUInt32(), reader.ReadString(ushort.MaxValue, "message text"));

    public override string ToString() => $"SendText tag={Tag} ({Text.Length} chars)";
}
