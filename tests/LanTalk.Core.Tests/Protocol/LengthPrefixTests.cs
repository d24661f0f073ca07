using System.Buffers;
using LanTalk.Core.Protocol;
using LanTalk.Core.Tests.Support;

namespace LanTalk.Core.Tests.Protocol;

/// <summary>
/// The length prefix is checked the moment its 4 bytes arrive. The hostile cases below supply only those 4 bytes,
/// so a reader that waited for the body or allocated it first would return false or run out of memory instead.
/// </summary>
public sealed class LengthPrefixTests
{
    private static readonly int MaxFrame = ProtocolLimits.Default.MaxFrameSize;

    [Test]
    public void Length_prefix_of_int_max_is_rejected_as_FrameTooLarge_before_the_body_arrives()
    {
        var buffer = new ReadOnlySequence<byte>(new Bytes().I32(int.MaxValue).ToArray());
        ProtocolViolationException? thrown = null;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            FrameCodec.TryReadFrame(ref buffer, MaxFrame, out _);
        }
        catch (ProtocolViolationException ex)
        {
            thrown = ex;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        thrown.Should().NotBeNull("only the 4 prefix bytes are available, so returning false would mean waiting");
        thrown!.Code.Should().Be(ErrorCode.FrameTooLarge);
        // The exception and its message cost a little; a buffer for the declared length would cost 2 GiB.
        allocated.Should().BeLessThan(64 * 1024);
    }

    [TestCase(-1)]
    [TestCase(-8)]
    [TestCase(int.MinValue)]
    public void Negative_length_prefix_is_rejected_as_FrameTooLarge_before_the_body_arrives(int length) =>
        ReadCode(new Bytes().I32(length).ToArray()).Should().Be(ErrorCode.FrameTooLarge);

    [Test]
    public void Length_prefix_one_past_MaxFrameSize_is_rejected_as_FrameTooLarge() =>
        ReadCode(new Bytes().I32(MaxFrame + 1).ToArray()).Should().Be(ErrorCode.FrameTooLarge);

    [Test]
    public void Length_prefix_of_exactly_MaxFrameSize_is_accepted_and_waits_for_the_body()
    {
        var buffer = new ReadOnlySequence<byte>(new Bytes().I32(MaxFrame).ToArray());

        FrameCodec.TryReadFrame(ref buffer, MaxFrame, out _).Should().BeFalse();

        buffer.Length.Should().Be(4, "nothing is consumed while the frame is incomplete");
    }

    [Test]
    public void Length_prefix_is_checked_against_the_limit_the_caller_passes()
    {
        var buffer = new ReadOnlySequence<byte>(new Bytes().I32(1025).ToArray());

        var act = () => FrameCodec.TryReadFrame(ref buffer, 1024, out _);

        act.Should().Throw<ProtocolViolationException>().Which.Code.Should().Be(ErrorCode.FrameTooLarge);
    }

    [Test]
    public void Zero_length_prefix_is_rejected_as_ProtocolViolation() =>
        ReadCode(new Bytes().I32(0).ToArray()).Should().Be(ErrorCode.ProtocolViolation);

    [TestCase(1)]
    [TestCase(4)]
    [TestCase(7)]
    public void Length_prefix_shorter_than_the_8_byte_header_is_rejected_as_ProtocolViolation(int length) =>
        ReadCode(new Bytes().I32(length).ToArray()).Should().Be(ErrorCode.ProtocolViolation);

    [Test]
    public void Hostile_length_prefix_split_across_segments_is_still_rejected_on_its_fourth_byte()
    {
        var prefix = new Bytes().I32(int.MaxValue).ToArray();
        var buffer = Sequences.OneBytePerSegment(prefix[..3]);

        FrameCodec.TryReadFrame(ref buffer, MaxFrame, out _).Should().BeFalse("three bytes are not a length yet");

        buffer = Sequences.OneBytePerSegment(prefix);
        var act = () => FrameCodec.TryReadFrame(ref buffer, MaxFrame, out _);
        act.Should().Throw<ProtocolViolationException>().Which.Code.Should().Be(ErrorCode.FrameTooLarge);
    }

    [Test]
    public void Smallest_frame_is_12_bytes_on_the_wire_with_a_length_prefix_of_8()
    {
        var frame = FrameCodec.Serialize(ChatCommand.Logout, string.Empty, Packets.EmptyPacket.Instance);

        frame.Should().Equal(new Bytes().I32(8).I32((int)ChatCommand.Logout).U16(0).U16((int)PacketType.Empty).ToArray());
        DecodedFrame.FromWire(frame).Command.Should().Be(ChatCommand.Logout);
    }

    [Test]
    public void Length_prefix_counts_every_byte_after_itself()
    {
        var frame = FrameCodec.Serialize(ChatCommand.PrivateMessage, "bob", new Packets.SendTextPacket(5, "hi"));

        System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(frame).Should().Be(frame.Length - 4);
    }

    private static ErrorCode ReadCode(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        var act = () => FrameCodec.TryReadFrame(ref buffer, MaxFrame, out _);
        return act.Should().Throw<ProtocolViolationException>().Which.Code;
    }

    [TestCase(new byte[] { 0x16, 0x03, 0x01, 0x01 })]
    [TestCase(new byte[] { 0x16, 0x03, 0x01, 0x02 })]
    [TestCase(new byte[] { 0x16, 0x03, 0x03, 0x00 })]
    public void A_TLS_ClientHello_on_a_plaintext_port_is_named_as_such(byte[] first)
    {
        // What a TLS client sends first: a handshake record, 0x16, then version 3.x, then the record length.
        var buffer = new ReadOnlySequence<byte>(first);
        var act = () => FrameCodec.TryReadFrame(ref buffer, MaxFrame, out _);
        var thrown = act.Should().Throw<ProtocolViolationException>().Which;
        thrown.Code.Should().Be(ErrorCode.FrameTooLarge);
        thrown.Message.Should().Contain("TLS handshake").And.Contain("--plaintext").And.NotContain("frame length");
    }

    [Test]
    public void Other_oversized_lengths_keep_the_plain_message()
    {
        var buffer = new ReadOnlySequence<byte>(new Bytes().I32(MaxFrame + 1).ToArray());
        var act = () => FrameCodec.TryReadFrame(ref buffer, MaxFrame, out _);
        act.Should().Throw<ProtocolViolationException>().Which.Message.Should().Contain($"frame length {MaxFrame + 1}");
    }
}
