using System.Buffers.Binary;
using System.Text;
using LanTalk.Core.Protocol;

namespace LanTalk.TestUtilities;

/// <summary>
/// Builds hand-made (often hostile) wire bytes, independently of the codec under test, so a test can say
/// exactly which byte is wrong.
/// </summary>
public sealed class Bytes
{
    private readonly List<byte> _bytes = new();

    public Bytes U16(int value)
    {
        Span<byte> span = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)value);
        return Raw(span);
    }

    public Bytes I32(int value)
    {
        Span<byte> span = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(span, value);
        return Raw(span);
    }

    public Bytes U32(uint value)
    {
        Span<byte> span = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(span, value);
        return Raw(span);
    }

    public Bytes I64(long value)
    {
        Span<byte> span = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(span, value);
        return Raw(span);
    }

    /// <summary>A uint16 length prefix and the UTF-8 bytes of <paramref name="value"/>.</summary>
    public Bytes Str(string value) => Utf8(Encoding.UTF8.GetBytes(value));

    /// <summary>A uint16 length prefix and the given bytes, valid UTF-8 or not.</summary>
    public Bytes Utf8(ReadOnlySpan<byte> value) => U16(value.Length).Raw(value);

    public Bytes Raw(ReadOnlySpan<byte> value)
    {
        foreach (byte b in value)
        {
            _bytes.Add(b);
        }

        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();

    /// <summary>The bytes after a frame's length prefix: command, target, packet type and body.</summary>
    public static byte[] Payload(int command, ReadOnlySpan<byte> target, int packetType, ReadOnlySpan<byte> body) =>
        new Bytes().I32(command).Utf8(target).U16(packetType).Raw(body).ToArray();

    public static byte[] Payload(ChatCommand command, PacketType type, ReadOnlySpan<byte> body) =>
        Payload((int)command, [], (int)type, body);

    /// <summary>A whole frame: a correct length prefix in front of <paramref name="payload"/>.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload) => new Bytes().I32(payload.Length).Raw(payload).ToArray();
}
