using System.Buffers.Binary;
using System.Text;

namespace LanTalk.Core.Protocol;

/// <summary>Little-endian writer into a span that was sized exactly by the packet's measurement.</summary>
public ref struct WireWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;
    private int _position;

    public readonly int Written => _position;

    public static int Utf8Size(string value) => 2 + Encoding.UTF8.GetByteCount(value);

    public void WriteByte(byte value) => Take(1)[0] = value;

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Take(2), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Take(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Take(8), value);

    public void WriteString(string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        WriteUInt16(checked((ushort)length));
        Encoding.UTF8.GetBytes(value, Take(length));
    }

    public void WriteUtf8(ReadOnlySpan<byte> utf8)
    {
        WriteUInt16(checked((ushort)utf8.Length));
        utf8.CopyTo(Take(utf8.Length));
    }

    private Span<byte> Take(int count)
    {
        var slice = _destination.Slice(_position, count);
        _position += count;
        return slice;
    }
}
