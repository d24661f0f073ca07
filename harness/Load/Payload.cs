using System.Buffers.Binary;
using LanTalk.Core.Protocol;

namespace LanTalk.Harness.Load;

/// <summary>
/// The load message text: <c>LT</c> (public) or <c>LP</c> (private), sender index (6 hex), sequence (8 hex), intended send time (16 hex,
/// <see cref="Infra.Clock"/> ticks), then '.' padding to the requested size. Fixed-width ASCII, so a receiver
/// parses it from the frame bytes without allocating.
/// </summary>
internal static class Payload
{
    public const int HeaderLength = 2 + 6 + 8 + 16;

    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    /// <summary>Bytes of a SendText frame carrying <paramref name="textLength"/> bytes to <paramref name="targetLength"/>.</summary>
    public static int FrameSize(int targetLength, int textLength) => ProtocolLimits.FrameOverhead + targetLength + 4 + 2 + textLength;

    /// <summary>Writes the frame header and padded text once; <see cref="Stamp"/> fills the variable fields per send.</summary>
    public static void WriteTemplate(Span<byte> frame, ChatCommand command, ReadOnlySpan<byte> target, int textLength)
    {
        var writer = new WireWriter(frame);
        writer.WriteInt32(frame.Length - 4);
        writer.WriteInt32((int)command);
        writer.WriteUtf8(target);
        writer.WriteUInt16((ushort)PacketType.SendText);
        writer.WriteUInt32(0);
        BinaryPrimitives.WriteUInt16LittleEndian(frame[writer.Written..], (ushort)textLength);
        var text = frame[(writer.Written + 2)..];
        text.Fill((byte)'.');
        text[0] = (byte)'L';
        text[1] = (byte)'T';
    }

    /// <summary>Offset of the text inside a frame built by <see cref="WriteTemplate"/>.</summary>
    public static int TextOffset(int targetLength) => ProtocolLimits.FrameOverhead + targetLength + 4 + 2;

    public static void Stamp(Span<byte> text, int sender, uint sequence, long intendedTicks, bool isPrivate)
    {
        // Public and private messages are numbered separately: 'T' or 'P' after the 'L' says which sequence this is.
        text[1] = isPrivate ? (byte)'P' : (byte)'T';
        WriteHex(text.Slice(2, 6), (ulong)sender);
        WriteHex(text.Slice(8, 8), sequence);
        WriteHex(text.Slice(16, 16), (ulong)intendedTicks);
    }

    /// <summary>False when the text is not a harness payload (another tool's message, or corruption).</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out int sender, out uint sequence, out long intendedTicks, out bool isPrivate)
    {
        sender = 0;
        sequence = 0;
        intendedTicks = 0;
        isPrivate = false;
        if (text.Length < HeaderLength || text[0] != (byte)'L' || text[1] is not ((byte)'T' or (byte)'P'))
        {
            return false;
        }

        isPrivate = text[1] == (byte)'P';

        if (!TryReadHex(text.Slice(2, 6), out ulong s) || !TryReadHex(text.Slice(8, 8), out ulong q) || !TryReadHex(text.Slice(16, 16), out ulong t))
        {
            return false;
        }

        sender = (int)s;
        sequence = (uint)q;
        intendedTicks = (long)t;
        return true;
    }

    private static void WriteHex(Span<byte> destination, ulong value)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = Hex[(int)(value & 0xF)];
            value >>= 4;
        }
    }

    private static bool TryReadHex(ReadOnlySpan<byte> source, out ulong value)
    {
        value = 0;
        foreach (byte b in source)
        {
            int digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | (uint)digit;
        }

        return true;
    }
}
