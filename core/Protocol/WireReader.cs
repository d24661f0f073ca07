using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace LanTalk.Core.Protocol;

/// <summary>
/// Bounds-checked little-endian reader over one frame's bytes. Every overrun or bad string
/// becomes a single <see cref="ProtocolViolationException"/>, so callers never index out of range.
/// </summary>
public ref struct WireReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte() => Take(1)[0];

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>Reads a uint16-prefixed UTF-8 string as raw bytes, checking the byte limit and UTF-8 validity.</summary>
    public ReadOnlySpan<byte> ReadUtf8(int maxBytes, string field)
    {
        int length = ReadUInt16();
        if (length > maxBytes)
        {
            throw ProtocolViolationException.Violation($"{field} is {length} bytes; the limit is {maxBytes}");
        }

        var bytes = Take(length);
        if (!Utf8.IsValid(bytes))
        {
            throw ProtocolViolationException.Violation($"{field} is not valid UTF-8");
        }

        return bytes;
    }

    public string ReadString(int maxBytes, string field) => Encoding.UTF8.GetString(ReadUtf8(maxBytes, field));

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw ProtocolViolationException.Violation($"truncated body: needed {count} more bytes, {Remaining} left");
        }

        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}
