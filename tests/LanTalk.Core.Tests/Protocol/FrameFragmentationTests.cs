using System.Buffers;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Tests.Support;

namespace LanTalk.Core.Tests.Protocol;

/// <summary>
/// TCP delivers bytes, not frames. A stream of several frames is replayed split at every offset and one byte at a
/// time: every frame must come out intact, and nothing may be consumed while a frame is incomplete.
/// </summary>
public sealed class FrameFragmentationTests
{
    private static readonly int MaxFrame = ProtocolLimits.Default.MaxFrameSize;

    private static readonly byte[][] Frames =
    [
        FrameCodec.Serialize(ChatCommand.Logout, string.Empty, EmptyPacket.Instance),
        FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, new SendTextPacket(1, "hello 👋🏽")),
        FrameCodec.Serialize(ChatCommand.PrivateMessage, "Zoë", new ChatMessagePacket(9, 1_732_000_000_000, "שלום", 2, "שלום עולם")),
        FrameCodec.Serialize(ChatCommand.Ping, string.Empty, new PingPacket(77)),
        FrameCodec.Serialize(ChatCommand.RequestUsers, string.Empty, new UserListPacket([new OnlineUser("a", 1), new OnlineUser("日本", 2)])),
    ];

    private static readonly byte[] Stream = Frames.SelectMany(f => f).ToArray();

    // What each frame's payload must be: its bytes after the length prefix.
    private static readonly byte[][] ExpectedPayloads = Frames.Select(f => f[4..]).ToArray();

    [Test]
    public void Every_frame_comes_out_intact_when_the_stream_is_split_into_two_segments_at_any_offset()
    {
        for (int split = 0; split <= Stream.Length; split++)
        {
            var buffer = Sequences.Of(Stream.AsMemory(0, split), Stream.AsMemory(split));

            var payloads = DrainFrames(ref buffer);

            payloads.Should().BeEquivalentTo(ExpectedPayloads, o => o.WithStrictOrdering(), $"split at offset {split}");
            buffer.IsEmpty.Should().BeTrue();
        }
    }

    [Test]
    public void Only_complete_frames_are_taken_when_the_stream_arrives_in_two_parts_split_at_any_offset()
    {
        for (int split = 0; split <= Stream.Length; split++)
        {
            // First only the bytes before the split have arrived.
            var buffer = Sequences.Of(Stream.AsMemory(0, split));
            var payloads = DrainFrames(ref buffer);

            int completeFrames = CompleteFramesWithin(split);
            payloads.Should().HaveCount(completeFrames, $"split at offset {split}");
            buffer.Length.Should().Be(split - EndOfFrame(completeFrames), "the incomplete frame's bytes stay unconsumed");

            // Then the rest arrives behind what is still unconsumed, in a separate segment.
            var unconsumed = buffer.ToArray();
            buffer = Sequences.Of(unconsumed, Stream.AsMemory(split));
            payloads.AddRange(DrainFrames(ref buffer));

            payloads.Should().BeEquivalentTo(ExpectedPayloads, o => o.WithStrictOrdering(), $"split at offset {split}");
            buffer.IsEmpty.Should().BeTrue();
        }
    }

    [Test]
    public void Every_frame_comes_out_intact_when_the_stream_arrives_one_byte_at_a_time()
    {
        var pending = new List<byte>();
        var payloads = new List<byte[]>();
        foreach (byte b in Stream)
        {
            pending.Add(b);
            // The worst case for the reader: every byte it has so far sits in its own segment.
            var buffer = Sequences.OneBytePerSegment(pending.ToArray());
            var taken = DrainFrames(ref buffer);
            payloads.AddRange(taken);
            pending.RemoveRange(0, pending.Count - (int)buffer.Length);
        }

        payloads.Should().BeEquivalentTo(ExpectedPayloads, o => o.WithStrictOrdering());
        pending.Should().BeEmpty();
    }

    [Test]
    public void Incomplete_frame_is_not_consumed_at_any_byte_count_short_of_its_length()
    {
        var frame = Frames[2];
        for (int available = 0; available < frame.Length; available++)
        {
            var buffer = Sequences.OneBytePerSegment(frame[..available]);
            var before = buffer;

            FrameCodec.TryReadFrame(ref buffer, MaxFrame, out var payload).Should().BeFalse($"{available} of {frame.Length} bytes");

            buffer.Start.Should().Be(before.Start, "TryReadFrame must consume nothing");
            buffer.End.Should().Be(before.End);
            payload.IsEmpty.Should().BeTrue();
        }
    }

    [Test]
    public void Multi_segment_payload_parses_to_the_same_packet_as_a_single_span()
    {
        var frame = Frames[2];
        var buffer = Sequences.OneBytePerSegment(frame);

        FrameCodec.TryReadFrame(ref buffer, MaxFrame, out var payload).Should().BeTrue();

        payload.IsSingleSegment.Should().BeFalse();
        DecodedFrame.From(payload.ToArray()).Should().BeEquivalentTo(DecodedFrame.FromWire(frame));
    }

    private static List<byte[]> DrainFrames(ref ReadOnlySequence<byte> buffer)
    {
        var payloads = new List<byte[]>();
        while (FrameCodec.TryReadFrame(ref buffer, MaxFrame, out var payload))
        {
            var bytes = payload.ToArray();
            // Every payload must also parse: the header and body are intact, not merely the right length.
            _ = DecodedFrame.From(bytes);
            payloads.Add(bytes);
        }

        return payloads;
    }

    private static int EndOfFrame(int frames) => Frames.Take(frames).Sum(f => f.Length);

    private static int CompleteFramesWithin(int bytes)
    {
        int count = 0;
        while (count < Frames.Length && EndOfFrame(count + 1) <= bytes)
        {
            count++;
        }

        return count;
    }
}
