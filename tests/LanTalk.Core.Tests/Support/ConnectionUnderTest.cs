using System.IO.Pipelines;
using System.Threading.Channels;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Tests.Support;

/// <summary>
/// A ChatConnection over an in-memory duplex stream, the peer at the other end, and the frames its handler saw.
/// Disposing aborts the connection and waits for it, so no test leaves loops running.
/// </summary>
internal sealed class ConnectionUnderTest : IAsyncDisposable
{
    private readonly Channel<DecodedFrame> _received = Channel.CreateUnbounded<DecodedFrame>();
    private Task<DisconnectReason>? _run;

    /// <param name="options">Transport options; defaults to <see cref="ChatConnectionOptions.Default"/>.</param>
    /// <param name="peerReadLimit">
    /// Bytes the connection may write ahead of the peer's reads before its writes block, like a socket send buffer.
    /// </param>
    public ConnectionUnderTest(ChatConnectionOptions? options = null, long peerReadLimit = 1024 * 1024)
    {
        var toConnection = new Pipe(new PipeOptions(useSynchronizationContext: false));
        var toPeer = new Pipe(new PipeOptions(
            pauseWriterThreshold: peerReadLimit, resumeWriterThreshold: peerReadLimit / 2, useSynchronizationContext: false));
        Stream = new DuplexPipeStream(toConnection.Reader, toPeer.Writer);
        Faults = new FaultingStream(Stream);
        Peer = new PeerEnd(toPeer.Reader, toConnection.Writer);
        Connection = new ChatConnection(Faults, options ?? ChatConnectionOptions.Default);
    }

    public ChatConnection Connection { get; }

    public DuplexPipeStream Stream { get; }

    /// <summary>Between the connection and <see cref="Stream"/>: makes reads or writes fail, as a TLS layer can.</summary>
    public FaultingStream Faults { get; }

    public PeerEnd Peer { get; }

    /// <summary>Runs in the handler before a frame is recorded; a test can make the handler fail.</summary>
    public Action<DecodedFrame>? OnFrame { get; init; }

    /// <summary>Starts the read and write loops; frames the handler gets are recorded for <see cref="NextFrameAsync"/>.</summary>
    public void Start() => _run = Connection.RunAsync((_, frame) =>
    {
        var decoded = new DecodedFrame(frame.Command, frame.TargetName, frame.ReadPacket(ProtocolLimits.Default));
        OnFrame?.Invoke(decoded);
        _received.Writer.TryWrite(decoded);
    });

    public async Task<DecodedFrame> NextFrameAsync() => await _received.Reader.ReadAsync().AsTask().WaitAsync(PeerEnd.Timeout);

    /// <summary>Frames the handler has seen that no test has taken yet.</summary>
    public int PendingFrames => _received.Reader.Count;

    /// <summary>The reason the connection ended, once both loops are done and the stream is closed.</summary>
    public async Task<DisconnectReason> ClosedAsync()
    {
        var reason = await Connection.Completion.WaitAsync(PeerEnd.Timeout);
        if (_run is not null)
        {
            (await _run.WaitAsync(PeerEnd.Timeout)).Should().Be(reason);
        }

        return reason;
    }

    public async ValueTask DisposeAsync()
    {
        Connection.Abort(DisconnectReason.Local("test finished"));
        if (_run is not null)
        {
            await _run.WaitAsync(PeerEnd.Timeout);
        }
        else
        {
            await Connection.DisposeAsync();
        }
    }
}
