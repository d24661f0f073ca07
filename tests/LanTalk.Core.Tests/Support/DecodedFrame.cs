using System.Buffers;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Support;

/// <summary>A frame copied out of the wire: its command, target and decoded body.</summary>
internal sealed record DecodedFrame(ChatCommand Command, string Target, IPacket Packet)
{
    /// <summary>Parses the bytes after the length prefix.</summary>
    public static DecodedFrame From(ReadOnlySpan<byte> payload)
    {
        var frame = RawFrame.Parse(payload);
        return new DecodedFrame(frame.Command, frame.TargetName, frame.ReadPacket(ProtocolLimits.Default));
    }

    /// <summary>Parses a whole frame as serialized, length prefix included, and checks the prefix.</summary>
    public static DecodedFrame FromWire(byte[] frame)
    {
        var buffer = new ReadOnlySequence<byte>(frame);
        FrameCodec.TryReadFrame(ref buffer, ProtocolLimits.Default.MaxFrameSize, out var payload).Should().BeTrue();
        buffer.IsEmpty.Should().BeTrue("the length prefix must cover the whole frame");
        return From(payload.ToArray());
    }

    /// <summary>Asserts that the frame is an Error packet, and returns it.</summary>
    public ErrorPacket ExpectError() => Packet.Should().BeOfType<ErrorPacket>().Subject;
}
