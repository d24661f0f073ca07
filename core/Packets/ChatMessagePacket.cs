using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>
/// A message as the server relays it: server id and clock, sender, the sender's tag and the text. Version 3 appends
/// the kind, flags and the sending session; they are always written (a v2 receiver ignores trailing bytes) and read as
/// defaults when absent.
/// </summary>
public sealed record ChatMessagePacket(
    ulong MessageId,
    long ServerTimeMs,
    string From,
    uint Tag,
    string Text,
    ChatMessageKind Kind = ChatMessageKind.Text,
    MessageMarks Flags = MessageMarks.None,
    ulong OriginSessionId = 0) : IPacket
{
    public PacketType Type => PacketType.ChatMessage;

    public int MeasureBody() => 8 + 8 + WireWriter.Utf8Size(From) + 4 + WireWriter.Utf8Size(Text) + 1 + 1 + 8;

    // messageId:u64 | serverTimeMs:i64 | from:str16 | tag:u32 | text:str16 | v3: kind:u8 | flags:u8 | originSessionId:u64
    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt64(MessageId);
        writer.WriteInt64(ServerTimeMs);
        writer.WriteString(From);
        writer.WriteUInt32(Tag);
        writer.WriteString(Text);
        writer.WriteByte((byte)Kind);
        writer.WriteByte((byte)Flags);
        writer.WriteUInt64(OriginSessionId);
    }

    public static ChatMessagePacket Read(ref WireReader reader, ProtocolLimits limits)
    {
        var message = new ChatMessagePacket(
            reader.ReadUInt64(),
            reader.ReadInt64(),
            reader.ReadString(limits.MaxUserNameBytes, "sender"),
            reader.ReadUInt32(),
            reader.ReadString(ushort.MaxValue, "message text"));

        // A v2 server ends here; each v3 field is read only when its bytes are present.
        if (reader.Remaining >= 1)
        {
            message = message with { Kind = (ChatMessageKind)reader.ReadByte() };
        }

        if (reader.Remaining >= 1)
        {
            message = message with { Flags = (MessageMarks)reader.ReadByte() };
        }

        return reader.Remaining >= 8 ? message with { OriginSessionId = reader.ReadUInt64() } : message;
    }

    // Bodies stay out of logs by default: only their size is shown.
    public override string ToString() =>
        $"ChatMessage #{MessageId} from '{From}' tag={Tag} ({Text.Length} chars){(Kind == ChatMessageKind.Text ? string.Empty : $" {Kind}")}{(Flags == MessageMarks.None ? string.Empty : $" [{Flags}]")} session={OriginSessionId}";
}
