using System.Buffers;

namespace LanTalk.Core.Tests.Support;

/// <summary>Builds multi-segment sequences, the shape a PipeReader hands over when bytes arrive in pieces.</summary>
internal static class Sequences
{
    public static ReadOnlySequence<byte> Of(params ReadOnlyMemory<byte>[] chunks)
    {
        if (chunks.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        if (chunks.Length == 1)
        {
            return new ReadOnlySequence<byte>(chunks[0]);
        }

        var first = new Segment(chunks[0], 0);
        var last = first;
        for (int i = 1; i < chunks.Length; i++)
        {
            last = last.Append(chunks[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>One segment per byte: the most fragmented way the bytes could arrive.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] bytes) =>
        Of([.. Enumerable.Range(0, bytes.Length).Select(i => new ReadOnlyMemory<byte>(bytes, i, 1))]);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
