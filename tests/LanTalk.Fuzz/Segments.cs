using System.Buffers;

namespace LanTalk.Fuzz;

/// <summary>Builds a two-segment sequence, the shape a network read produces when a frame straddles reads.</summary>
internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Split(byte[] data, int at)
    {
        at = Math.Clamp(at, 0, data.Length);
        var first = new Segments(data.AsMemory(0, at), 0);
        var second = new Segments(data.AsMemory(at), at);
        first.Next = second;
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }
}
