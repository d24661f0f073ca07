using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>A message as the server relays it: server id and clock, sender, the sender's tag and the text.</summary>
public sealed record ChatMessagePacket(ulong MessageId, long ServerTimeMs, string From, uint Tag, string Text) : IPacket
{
    public PacketType Type => PacketType.ChatMessage;

    public int MeasureBody() => 8 + 8 + WireWriter.Utf8Size(From) + 4 + WireWriter.Utf8Size(Text);

    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt64(MessageId);
        writer.WriteInt64(ServerTimeMs);
        writer.WriteString(From);
        writer.WriteUInt32(Tag);
        writer.WriteString(Text);
    }

    public static ChatMessagePacket Read(ref WireReader reader, ProtocolLimits limits) => new(
        reader.ReadUInt64(),
        reader.ReadInt64(),
        reader.ReadString(limits.MaxUserNameLength * 4, "sender"),
        reader.ReadUInt32(),
        reader.ReadString(ushort.MaxValue, "message text"));

    // Bodies stay out of logs by default: only their size is shown.
    public override string ToString() => $"ChatMessage #{MessageId} from '{From}' tag={Tag} ({Text.Length} chars)";
}
