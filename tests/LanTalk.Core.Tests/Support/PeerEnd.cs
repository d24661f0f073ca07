using System.Buffers;
using System.IO.Pipelines;
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
