using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>
/// A message from a client. <see cref="Tag"/> is the client's own number for it; the server copies it
/// into the echoed ChatMessage so the sender can match the confirmation. Version 3 appends <see cref="Kind"/>.
/// </summary>
public sealed record SendTextPacket(uint Tag, string Text, ChatMessageKind Kind = ChatMessageKind.Text) : IPacket
{
    public PacketType Type => PacketType.SendText;

    public int MeasureBody() => 4 + WireWriter.Utf8Size(Text) + 1;

    // tag:u32 | text:str16 | v3: kind:u8 (0 Text, 1 Action; absent = Text)
    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(Tag);
        writer.WriteString(Text);
        writer.WriteByte((byte)Kind);
    }

    public static SendTextPacket Read(ref WireReader reader, ProtocolLimits limits)
    {
        uint tag = reader.ReadUInt32();
        string text = reader.ReadString(ushort.MaxValue, "message text");
        var kind = reader.Remaining >= 1 ? (ChatMessageKind)reader.ReadByte() : ChatMessageKind.Text;
        return new SendTextPacket(tag, text, kind);
    }

    public override string ToString() => $"SendText tag={Tag} ({Text.Length} chars){(Kind == ChatMessageKind.Text ? string.Empty : $" {Kind}")}";
}
