using LanTalk.Core.Transport;
using NLog;

namespace LanTalk.Server.Irc;

/// <summary>
/// The transport of one IRC client: a read loop that frames lines (<see cref="IrcLineFramer"/>) and the ChatSocket
/// connection's output path: a bounded <see cref="OutboundQueue"/> of shared line bytes, a line written straight
/// from the fan-out thread when nothing is queued, and a writer loop that drains the rest with one write. A peer
/// whose queue passes the byte or line limit is cut off as a slow consumer, and so is one whose write has been
/// blocked past the server's send-stall limit (<see cref="WriteBlockedMs"/>, judged by the sweep); it never stalls the others.
/// </summary>
/// <remarks>
/// The output side is <see cref="StreamOutput"/>, the ChatSocket connection's own: its write token is the ownership
/// rule for the stream (an SslStream on the TLS port). Handing every line to the writer loop instead cost a
/// thread-pool wake-up per delivery, the same cost the ChatSocket path measured and removed.
/// </remarks>
internal sealed class IrcConnection : IDisposable
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.Irc");
    private static long s_lastId;

    private readonly Stream _stream;
    private readonly StreamOutput _output;
    private readonly OutboundQueue _queue;
    private readonly int _maxLines;
    private readonly long _maxBytes;
    private readonly CancellationTokenSource _closed = new();

    // Taken once: a producer may still write after the close started, and must not touch a disposed source for it.
    private readonly CancellationToken _token;
    private string? _closeReason;

    public IrcConnection(Stream stream, int maxLines, long maxBytes)
        : this(stream, maxLines, maxBytes, WriteCoalescer.Shared)
    {
    }

    /// <param name="coalescer">The process's coalescer (shared with the ChatSocket connections), or null for none.</param>
    public IrcConnection(Stream stream, int maxLines, long maxBytes, WriteCoalescer? coalescer)
    {
        _stream = stream;
        _maxLines = maxLines;
        _maxBytes = maxBytes;
        _token = _closed.Token;
        _output = new StreamOutput(stream, maxLines, maxBytes, coalescer, 64 * 1024, _token);
        _queue = _output.Queue;
        Id = Interlocked.Increment(ref s_lastId);
        LastReceivedTicks = Environment.TickCount64;
        Label = $"irc#{Id}";
    }

    public long Id { get; }

    public string Label { get; set; }

    public long LastReceivedTicks { get; private set; }

    /// <summary>The queue's line bound; also bounds the live frames a session holds during a replay.</summary>
    public int MaxLines => _maxLines;

    /// <summary>The queue's byte bound; also bounds the live frames a session holds during a replay.</summary>
    public long MaxBytes => _maxBytes;

    /// <summary>How long the current write has been blocked, in ms (0 when nothing is being written); the sweep cuts a stalled peer off.</summary>
    public long WriteBlockedMs(long nowTicks) => _output.WriteBlockedMs(nowTicks);

    /// <summary>Why the connection is closing, or null while it is open.</summary>
    public string? CloseReason => Volatile.Read(ref _closeReason);

    public bool IsClosing => CloseReason is not null;

    /// <summary>Lines the queue has taken in all; a line is written once <see cref="LinesWritten"/> reaches the count read after sending it.</summary>
    public long LinesAccepted => _queue.Accepted;

    public long LinesWritten => _output.Written;

    /// <summary>
    /// Queues shared line bytes (CR LF included), or writes them at once from this thread when nothing is queued.
    /// The bytes are only read, never kept past their write, so one array may go to many connections.
    /// False when closing or when this overflowed the queue.
    /// </summary>
    public bool Send(ReadOnlyMemory<byte> line)
    {
        switch (_queue.TryEnqueue(line, mayWriteNow: true))
        {
            case EnqueueResult.Queued:
                return true;
            case EnqueueResult.WriteNow:
                _output.WriteNow(line);
                return true;
            case EnqueueResult.Overflow:
                s_log.Warn("{Connection} disconnected as a slow consumer: more than {Lines} lines or {Bytes} bytes queued", Label, _maxLines, _maxBytes);
                Abort("slow consumer");
                return false;
            default:
                return false;
        }
    }

    /// <summary>Sends <paramref name="finalLine"/> (an ERROR line) after what is queued, then closes. Idempotent.</summary>
    public void Close(string reason, ReadOnlyMemory<byte> finalLine = default)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is not null)
        {
            return;
        }

        _queue.CompleteWith(finalLine.IsEmpty ? null : finalLine, afterQueued: true);
        // The writer gets a moment to flush the final line; a peer that does not read cannot hold the socket.
        Cancel(TimeSpan.FromSeconds(2));
    }

    /// <summary>Closes at once, dropping what is queued.</summary>
    public void Abort(string reason)
    {
        Interlocked.CompareExchange(ref _closeReason, reason, null);
        _queue.CompleteWith(null);
        Cancel(TimeSpan.Zero);
    }

    /// <summary>A close may race the end of the session (shutdown, a late fan-out): once disposed it has nothing left to stop.</summary>
    private void Cancel(TimeSpan after)
    {
        try
        {
            _closed.CancelAfter(after);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose() => _closed.Dispose();

    /// <summary>
    /// Awaited when the peer has closed its side (end of stream), before the close: the session answers what it
    /// accepted, since a client that half-closes after its last message may still read that message's echo.
    /// </summary>
    public Func<ValueTask>? BeforePeerClose { get; set; }

    /// <summary>Runs until the peer leaves or the connection is closed; <paramref name="onLine"/> runs on the read loop.</summary>
    public async Task<string> RunAsync(Func<IrcFrameResult, ReadOnlyMemory<byte>, ValueTask> onLine)
    {
        var writer = Task.Run(WriteLoopAsync);
        var framer = new IrcLineFramer();
        var line = new byte[IrcLimits.MaxFramedBytes + 2];
        try
        {
            while (!IsClosing)
            {
                int read = await ReadAsync(framer.FreeSpace).ConfigureAwait(false);
                if (read == 0)
                {
                    if (BeforePeerClose is { } answerFirst)
                    {
                        await answerFirst().ConfigureAwait(false);
                    }

                    Abort("the client closed the connection");
                    break;
                }

                LastReceivedTicks = Environment.TickCount64;
                framer.Advance(read);
                while (!IsClosing)
                {
                    var result = framer.TryTake(out var span);
                    if (result == IrcFrameResult.NeedMore)
                    {
                        break;
                    }

                    // Copied out: the handler may await, and the framer's buffer moves on the next read.
                    span.CopyTo(line);
                    await onLine(result, line.AsMemory(0, span.Length)).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            Abort(IsClosing ? CloseReason! : "connection lost: " + ex.Message);
        }
        catch (Exception ex)
        {
            s_log.Error(ex, "{Connection} failed", Label);
            Abort("internal error");
            await writer.ConfigureAwait(false);
            await _stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await writer.ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        return CloseReason ?? "closed";
    }

    /// <summary>
    /// Reads from the stream; any failure of the stream itself is an IOException here. An SslStream on Linux can throw
    /// OpenSSL's own exception type when the peer is gone, and that must end the session as "connection lost", not
    /// as an internal error. Handlers' failures are not stream failures and keep their own path in RunAsync.
    /// </summary>
    private async ValueTask<int> ReadAsync(Memory<byte> buffer)
    {
        try
        {
            return await _stream.ReadAsync(buffer, _token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (IOException or OperationCanceledException or ObjectDisposedException or OutOfMemoryException))
        {
            throw new IOException(ex.Message, ex);
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await _output.DrainAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The writer only writes to the stream, so any failure is the stream's (OpenSSL's own exception type too).
            Abort(IsClosing ? CloseReason! : "write failed: " + ex.Message);
        }

        // The queue is complete and written (or the peer is gone): end the read loop too.
        Cancel(TimeSpan.Zero);
    }

    public override string ToString() => Label;
}
