using System.Buffers;
using System.IO.Pipelines;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Support;

/// <summary>The test's side of the wire: writes raw bytes to a ChatConnection and reads whole frames back.</summary>
internal sealed class PeerEnd(PipeReader input, PipeWriter output)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task SendAsync(ReadOnlyMemory<byte> bytes) => await output.WriteAsync(bytes);

    /// <summary>Signals end of stream to the connection, as a TCP FIN would.</summary>
    public Task CloseOutputAsync() => output.CompleteAsync().AsTask();

    /// <summary>The next whole frame the connection wrote, or null when it closed its output first.</summary>
    public async Task<DecodedFrame?> ReadFrameAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            var result = await input.ReadAsync(timeout.Token);
            var buffer = result.Buffer;
            if (FrameCodec.TryReadFrame(ref buffer, ProtocolLimits.Default.MaxFrameSize, out var payload))
            {
                var frame = DecodedFrame.From(payload.ToArray());
                input.AdvanceTo(buffer.Start);
                return frame;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                buffer.IsEmpty.Should().BeTrue("the connection must not close in the middle of a frame");
                return null;
            }
        }
    }

    public async Task<DecodedFrame> ExpectFrameAsync() =>
        await ReadFrameAsync() ?? throw new AssertionException("the connection closed instead of sending a frame");

    /// <summary>Waits for the connection to close its output, failing if any further frame arrives.</summary>
    public async Task ExpectEndOfStreamAsync()
    {
        var frame = await ReadFrameAsync();
        frame.Should().BeNull("nothing may follow the last frame");
    }
}

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
