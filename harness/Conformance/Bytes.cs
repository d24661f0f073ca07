using System.Buffers.Binary;
using System.Text;
using LanTalk.Core.Protocol;

namespace LanTalk.Harness.Conformance;

/// <summary>Frames written byte by byte, including ones no correct encoder would produce.</summary>
internal static class Bytes
{
    /// <summary>A frame with any command and packet-type number, and a correct length prefix.</summary>
    public static byte[] Frame(int command, ReadOnlySpan<byte> target, ushort packetType, ReadOnlySpan<byte> body)
    {
        var frame = new byte[ProtocolLimits.FrameOverhead + target.Length + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, frame.Length - 4);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(4), command);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(8), (ushort)target.Length);
        target.CopyTo(frame.AsSpan(10));
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(10 + target.Length), packetType);
        body.CopyTo(frame.AsSpan(12 + target.Length));
        return frame;
    }

    /// <summary>Only a length prefix: what a hostile peer sends to make a server allocate or wait.</summary>
    public static byte[] LengthPrefix(int length)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
        return bytes;
    }

    /// <summary>A uint16-prefixed string from raw bytes (which need not be valid UTF-8).</summary>
    public static byte[] Str(ReadOnlySpan<byte> utf8)
    {
        var bytes = new byte[2 + utf8.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)utf8.Length);
        utf8.CopyTo(bytes.AsSpan(2));
        return bytes;
    }

    public static byte[] Str(string text) => Str(Encoding.UTF8.GetBytes(text));

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static byte[] UInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }
}
