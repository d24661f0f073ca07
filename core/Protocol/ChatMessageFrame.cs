using System.Buffers.Binary;
using LanTalk.Core.Packets;

namespace LanTalk.Core.Protocol;

/// <summary>
/// Builds a relayed ChatMessage frame straight from the sender's UTF-8 bytes, so the server's fan-out path
/// never decodes the text into a string. The layout is exactly what <see cref="ChatMessagePacket"/> writes,
/// v3 trailing fields included.
/// </summary>
public static class ChatMessageFrame
{
    /// <summary>Kind, flags and origin session: the v3 fields after the text.</summary>
    public const int TrailerSize = 1 + 1 + 8;

    public static int Measure(int targetBytes, int fromBytes, int textBytes) =>
        ProtocolLimits.FrameOverhead + targetBytes + 8 + 8 + 2 + fromBytes + 4 + 2 + textBytes + TrailerSize;

    public static void Write(
        Span<byte> destination,
        ChatCommand command,
        ReadOnlySpan<byte> targetUtf8,
        ulong messageId,
        long serverTimeMs,
        ReadOnlySpan<byte> fromUtf8,
        uint tag,
        ReadOnlySpan<byte> textUtf8,
        ChatMessageKind kind = ChatMessageKind.Text,
        MessageMarks flags = MessageMarks.None,
        ulong originSessionId = 0)
    {
        var writer = new WireWriter(destination);
        writer.WriteInt32(destination.Length - 4);
        writer.WriteInt32((int)command);
        writer.WriteUtf8(targetUtf8);
        writer.WriteUInt16((ushort)PacketType.ChatMessage);
        writer.WriteUInt64(messageId);
        writer.WriteInt64(serverTimeMs);
        writer.WriteUtf8(fromUtf8);
        writer.WriteUInt32(tag);
        writer.WriteUtf8(textUtf8);
        writer.WriteByte((byte)kind);
        writer.WriteByte((byte)flags);
        writer.WriteUInt64(originSessionId);
    }

    /// <summary>Reads a SendText body without allocating: returns the tag, and the validated UTF-8 text.</summary>
    public static uint ReadSendText(ReadOnlySpan<byte> body, int maxTextBytes, out ReadOnlySpan<byte> text) =>
        ReadSendText(body, maxTextBytes, out text, out _);

    /// <summary>As above, also returning the v3 kind (Text when the body ends after the text).</summary>
    public static uint ReadSendText(ReadOnlySpan<byte> body, int maxTextBytes, out ReadOnlySpan<byte> text, out ChatMessageKind kind)
    {
        var reader = new WireReader(body);
        uint tag = reader.ReadUInt32();
        text = reader.ReadUtf8(maxTextBytes, "message text");
        kind = reader.Remaining >= 1 ? (ChatMessageKind)reader.ReadByte() : ChatMessageKind.Text;
        return tag;
    }

    /// <summary>Offset of the text length field inside a ChatMessage body, for readers that skip decoding.</summary>
    public static int TextOffset(ReadOnlySpan<byte> body) => 8 + 8 + 2 + BinaryPrimitives.ReadUInt16LittleEndian(body[16..]) + 4;
}
