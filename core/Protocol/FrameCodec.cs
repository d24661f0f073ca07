using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using LanTalk.Core.Packets;

namespace LanTalk.Core.Protocol;

/// <summary>
/// Frame grammar (all integers little-endian):
/// <c>length:int32 | command:int32 | targetLength:uint16 | target:UTF-8 | packetType:uint16 | body</c>,
/// where length counts every byte after itself.
/// </summary>
public static class FrameCodec
{
    /// <summary>
    /// Takes one complete frame's payload off the front of <paramref name="buffer"/>. Returns false and consumes
    /// nothing while the frame is incomplete. The length prefix is checked as soon as its 4 bytes arrive, so a
    /// hostile length is rejected before anything is allocated or awaited.
    /// </summary>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxFrameSize, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        if (buffer.Length < 4)
        {
            return false;
        }

        int length = ReadLength(buffer);
        ValidateLength(length, maxFrameSize);
        if (buffer.Length - 4 < length)
        {
            return false;
        }

        payload = buffer.Slice(4, length);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    public static void ValidateLength(int length, int maxFrameSize)
    {
        if (length < 0 || length > maxFrameSize)
        {
            throw new ProtocolViolationException(ErrorCode.FrameTooLarge, LooksLikeTls(length)
                ? "the peer started a TLS handshake (bytes 16 03 ...) instead of a LanTalk frame: it uses TLS and this end does not. Connect with --plaintext, or run the server with TlsMode Required"
                : $"frame length {length} is outside 8..{maxFrameSize}");
        }

        if (length < ProtocolLimits.FrameOverhead - 4)
        {
            throw ProtocolViolationException.Violation($"frame length {length} is shorter than the 8-byte header");
        }
    }

    /// <summary>
    /// A TLS record starts 0x16 (handshake) 0x03 (major version): read as a little-endian length, such a prefix
    /// is always far too large, so the check costs nothing on the normal path.
    /// </summary>
    public static bool LooksLikeTls(int length) => (length & 0xFFFF) == 0x0316;

    public static int Measure(string target, IPacket packet) =>
        ProtocolLimits.FrameOverhead + Encoding.UTF8.GetByteCount(target) + packet.MeasureBody();

    /// <summary>Writes one frame into <paramref name="output"/> in a single pass.</summary>
    public static int Write(IBufferWriter<byte> output, ChatCommand command, string target, IPacket packet)
    {
        int size = Measure(target, packet);
        var span = output.GetSpan(size)[..size];
        WriteTo(span, command, target, packet);
        output.Advance(size);
        return size;
    }

    /// <summary>Serializes a frame into its own array: one allocation shared by every recipient of a broadcast.</summary>
    public static byte[] Serialize(ChatCommand command, string target, IPacket packet)
    {
        var bytes = new byte[Measure(target, packet)];
        WriteTo(bytes, command, target, packet);
        return bytes;
    }

    private static void WriteTo(Span<byte> span, ChatCommand command, string target, IPacket packet)
    {
        var writer = new WireWriter(span);
        writer.WriteInt32(span.Length - 4);
        writer.WriteInt32((int)command);
        writer.WriteString(target);
        writer.WriteUInt16((ushort)packet.Type);
        packet.WriteBody(ref writer);
    }

    private static int ReadLength(ReadOnlySequence<byte> buffer)
    {
        var first = buffer.FirstSpan;
        if (first.Length >= 4)
        {
            return BinaryPrimitives.ReadInt32LittleEndian(first);
        }

        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        return BinaryPrimitives.ReadInt32LittleEndian(prefix);
    }
}
