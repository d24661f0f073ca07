using System.Buffers;
using LanTalk.Core.Protocol;

namespace LanTalk.Fuzz;

/// <summary>
/// Feeds mutated frames to the decoder, whole and split at a random offset. The only acceptable failure is
/// <see cref="ProtocolViolationException"/>, and decoding one case must never allocate more than a bounded amount.
/// </summary>
internal static class FrameFuzzer
{
    // Generous bound: two frame-sized copies plus decoded packets; a decoder trusting a hostile length would blow it.
    private const long AllocationBudget = 4L * 64 * 1024 + 256 * 1024;

    public static string? Run(byte[] input, int split)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            Decode(new ReadOnlySequence<byte>(input));
            Decode(Segments.Split(input, split));
        }
        catch (ProtocolViolationException)
        {
            // The specified answer to hostile input.
        }
        catch (Exception ex)
        {
            return ex.ToString();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return allocated > AllocationBudget ? $"decoding allocated {allocated} bytes for a {input.Length}-byte input" : null;
    }

    private static void Decode(ReadOnlySequence<byte> buffer)
    {
        var limits = ProtocolLimits.Default;
        // Bounded: each successful read consumes at least the 4-byte prefix.
        for (int i = 0; i < 1000 && FrameCodec.TryReadFrame(ref buffer, limits.MaxFrameSize, out var payload); i++)
        {
            var bytes = payload.ToArray();
            var frame = RawFrame.Parse(bytes);
            _ = frame.ReadPacket(limits).ToString();
        }
    }
}
