using System.Net.Sockets;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Transport;

/// <summary>Receives each frame on the read loop. The frame's bytes are only valid during the call.</summary>
public delegate void FrameHandler(ChatConnection connection, RawFrame frame);

/// <summary>
/// Runs the ChatSocket protocol over any duplex <see cref="Stream"/>: one read loop, one write loop and a bounded
/// outbound queue. Knows nothing of users or rooms; the server and <see cref="Client.ChatClient"/> build on it.
/// </summary>
public sealed partial class ChatConnection : IAsyncDisposable
{
    private static long s_nextId;

    private readonly Stream _stream;
    private readonly Socket? _socket;
    private readonly ChatConnectionOptions _options;
    private readonly StreamOutput _output;
    private readonly OutboundQueue _queue;
    private readonly CancellationTokenSource _readCancel = new();

    // Cancels a write stuck on a peer that stopped reading, once the close linger has run out.
    private readonly CancellationTokenSource _writeCancel = new();
    private readonly TaskCompletionSource<DisconnectReason> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DisconnectReason? _reason;
    private long _lastReceivedTicks = Environment.TickCount64;
    private long _partialFrameSinceTicks;
    private int _disposed;

    /// <param name="stream">The duplex byte stream: a NetworkStream, an SslStream, or an in-memory pipe in tests.</param>
    /// <param name="options">Limits and queue bounds.</param>
    /// <param name="socket">When given, used to half-close after a final frame so the peer can read it.</param>
    public ChatConnection(Stream stream, ChatConnectionOptions options, Socket? socket = null)
    {
        _stream = stream;
        _socket = socket;
        _options = options;
        _output = new StreamOutput(stream, options.MaxQueuedFrames, options.MaxQueuedBytes, options.Coalescer, options.WriteBufferSize, _writeCancel.Token);
        _queue = _output.Queue;
        Id = Interlocked.Increment(ref s_nextId);
        Label = $"#{Id}";
    }

    /// <summary>Process-wide connection number, used in log lines.</summary>
    public long Id { get; }

    /// <summary>How logs name this connection, e.g. <c>#17 alice@10.0.0.5:51234</c>. Set by the owner.</summary>
    public string Label { get; set; }

    public ChatConnectionOptions Options => _options;

    /// <summary><see cref="Environment.TickCount64"/> when bytes last arrived; idle sweeps compare against it.</summary>
    public long LastReceivedTicks => Volatile.Read(ref _lastReceivedTicks);

    /// <summary>
    /// <see cref="Environment.TickCount64"/> when the first byte of a frame that is still incomplete arrived, or 0
    /// when no frame is half-received. The server cuts a peer that trickles a frame (FrameDeadlineSeconds).
    /// </summary>
    public long PartialFrameSinceTicks => Volatile.Read(ref _partialFrameSinceTicks);

    /// <summary>
    /// Pongs (and other priority frames) queued but not yet written, without the first <paramref name="leading"/>
    /// frames ever sent on the priority lane; the server limits a ping flood with it.
    /// </summary>
    public int QueuedPriorityFramesBeyond(int leading) => _queue.PriorityCountBeyond(leading);

    /// <summary><see cref="Environment.TickCount64"/> when bytes were last written; clients ping after a quiet spell.</summary>
    public long LastSentTicks => _output.LastSentTicks;

    /// <summary>Set once the connection is closing or closed.</summary>
    public DisconnectReason? Reason => Volatile.Read(ref _reason);

    public bool IsClosing => Reason is not null;

    /// <summary>
    /// Raised once, on the thread pool, when the connection starts closing (before the final flush and linger),
    /// so the owner can stop routing to it at once.
    /// </summary>
    public event Action<ChatConnection, DisconnectReason>? Closing;

    /// <summary>Completes with the reason when both loops have finished and the stream is closed.</summary>
    public Task<DisconnectReason> Completion => _closed.Task;

    /// <summary>Frames the outbound queue has taken in all; see <see cref="FramesWritten"/>.</summary>
    public long FramesAccepted => _queue.Accepted;

    /// <summary>Frames written to the stream in all: a frame is written once this reaches the <see cref="FramesAccepted"/> read after queueing it.</summary>
    public long FramesWritten => _output.Written;

    /// <summary>Frames waiting in the outbound queue.</summary>
    public int QueuedFrames => _queue.Count;

    /// <summary>Runs both loops until the connection closes, then disposes the stream.</summary>
    public async Task<DisconnectReason> RunAsync(FrameHandler onFrame)
    {
        var writer = Task.Run(WriteLoopAsync);
        try
        {
            await ReadLoopAsync(onFrame).ConfigureAwait(false);
            // The reader ended first (EOF or error): let the writer flush what is queued, bounded by the linger time.
            StartClose(Reason ?? new DisconnectReason(DisconnectKind.RemoteClosed, ErrorCode.None, "peer closed the connection"), null);
            await writer.ConfigureAwait(false);
        }
        finally
        {
            // Completion must complete whatever happened above: owners (a session's end, a client's Ended) wait on it.
            await DisposeAsync().ConfigureAwait(false);
        }

        return Reason!;
    }

    /// <summary>Queues pre-serialized frame bytes, shared with other recipients. Overflow closes the connection.</summary>
    public bool Enqueue(ReadOnlyMemory<byte> frame)
    {
        switch (_queue.TryEnqueue(frame, mayWriteNow: _options.DirectWrites))
        {
            case EnqueueResult.Queued:
                return true;
            case EnqueueResult.WriteNow:
                _output.WriteNow(frame);
                return true;
            case EnqueueResult.Overflow:
                CloseSlowConsumer();
                return false;
            default:
                return false;
        }
    }

    public bool Send(ChatCommand command, string target, IPacket packet) => Enqueue(FrameCodec.Serialize(command, target, packet));

    /// <summary>Sends ahead of queued messages; for Ping and Pong.</summary>
    public bool SendPriority(ChatCommand command, IPacket packet)
    {
        var result = _queue.TryEnqueue(FrameCodec.Serialize(command, string.Empty, packet), priority: true);
        if (result == EnqueueResult.Overflow)
        {
            CloseSlowConsumer();
        }

        return result == EnqueueResult.Queued;
    }

    /// <summary>Sends a final Error (or ServerDisconnected) frame, flushes what is queued, and closes.</summary>
    public void Close(DisconnectReason reason, ErrorPacket? finalError = null, ChatCommand finalCommand = ChatCommand.Error)
    {
        ReadOnlyMemory<byte>? frame = finalError is null ? null : FrameCodec.Serialize(finalCommand, string.Empty, finalError);
        StartClose(reason, frame);
    }

    /// <summary>Closes without sending anything more.</summary>
    public void Abort(DisconnectReason reason)
    {
        SetReason(reason);
        _queue.CompleteWith(null);
        if (Volatile.Read(ref _disposed) == 0)
        {
            _readCancel.Cancel();
            _writeCancel.Cancel();
        }
    }

    /// <summary>
    /// A peer that stopped reading gets no final frame and no linger: nothing more can reach it, and lingering kept a
    /// dead session in the roster for two linger periods. The loops are cancelled on the thread pool because this runs
    /// inside a broadcast (perhaps under the roster lock), where the session's teardown must not run inline.
    /// </summary>
    private void CloseSlowConsumer()
    {
        if (SetReason(new DisconnectReason(DisconnectKind.SlowConsumer, ErrorCode.SlowConsumer, $"outbound queue overflowed ({_options.MaxQueuedFrames} frames or {_options.MaxQueuedBytes} bytes)")))
        {
            _queue.CompleteWith(null);
            ThreadPool.UnsafeQueueUserWorkItem(static connection => connection.CancelLoops(), this, preferLocal: false);
        }
    }

    private void CancelLoops()
    {
        _readCancel.Cancel();
        _writeCancel.Cancel();
    }

    /// <summary>
    /// Set by the owner: true while a final Error or ServerDisconnected must follow the frames already queued instead of
    /// jumping ahead of them. A session before login sets it: its queue then holds only the answers to its login, which
    /// the final frame must not overtake (a client that pipelined a message behind a refused login heard
    /// NotAuthenticated and never the AuthFailed, which came after the final frame).
    /// </summary>
    public bool FinalFrameAfterQueued
    {
        get => Volatile.Read(ref _finalFrameAfterQueued);
        set => Volatile.Write(ref _finalFrameAfterQueued, value);
    }

    private bool _finalFrameAfterQueued;

    private void StartClose(DisconnectReason reason, ReadOnlyMemory<byte>? finalFrame)
    {
        if (SetReason(reason))
        {
            _queue.CompleteWith(finalFrame, afterQueued: FinalFrameAfterQueued);
            _writeCancel.CancelAfter(_options.CloseLinger);
        }
    }

    private bool SetReason(DisconnectReason reason)
    {
        if (Interlocked.CompareExchange(ref _reason, reason, null) is not null)
        {
            return false;
        }

        if (Closing is { } closing)
        {
            // Raised off the caller's thread: a close can start inside a broadcast that holds the server's locks.
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.closing(state.connection, state.reason), (closing, connection: this, reason), preferLocal: false);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        SetReason(DisconnectReason.Local("disposed"));
        _queue.CompleteWith(null);
        _readCancel.Cancel();
        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The peer is already gone (an SslStream may say so with a type that is not an IOException); nothing
            // left to release.
        }

        _socket?.Dispose();
        _closed.TrySetResult(Reason!);
    }

    public override string ToString() => Label;
}
