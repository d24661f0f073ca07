using System.Buffers;
using LanTalk.Core.Transport;
using NLog;

namespace LanTalk.Server.Irc;

/// <summary>
/// The transport of one IRC client: a read loop that frames lines (<see cref="IrcLineFramer"/>) and the ChatSocket
/// connection's output path: a bounded <see cref="OutboundQueue"/> of shared line bytes, a line written straight
/// from the fan-out thread when nothing is queued, and a writer loop that drains the rest with one write. A peer
/// whose queue passes the byte or line limit is cut off as a slow consumer; it never stalls the others.
/// </summary>
/// <remarks>
/// The write token (see <see cref="OutboundQueue"/>) is the ownership rule for the stream, an SslStream on the TLS
/// port: only its holder writes, so the writer loop, a producer writing one line now, and the coalescer's tick never
/// write at once. Handing every line to the writer loop instead cost a thread-pool wake-up per delivery, the same
/// cost the ChatSocket path measured and removed.
/// </remarks>
internal sealed class IrcConnection : IDisposable, ITickFlush
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.Irc");
    private static long s_lastId;

    // The coalescer's thread only: the list swapped into the queue at the next flush (as ChatConnection's).
    [ThreadStatic]
    private static List<ReadOnlyMemory<byte>>? t_tickSpare;

    private readonly Stream _stream;
    private readonly OutboundQueue _queue;
    private readonly int _maxLines;
    private readonly long _maxBytes;
    private readonly CancellationTokenSource _closed = new();

    // Taken once: a producer may still write after the close started, and must not touch a disposed source for it.
    private readonly CancellationToken _token;
    private string? _closeReason;

    // A write a producer started with the lent token and did not finish at once; the writer loop finishes it.
    private Task? _inFlight;

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
        _queue = new OutboundQueue(maxLines, maxBytes, coalescer, this);
        _token = _closed.Token;
        Id = Interlocked.Increment(ref s_lastId);
        LastReceivedTicks = Environment.TickCount64;
        Label = $"irc#{Id}";
    }

    public long Id { get; }

    public string Label { get; set; }

    public long LastReceivedTicks { get; private set; }

    /// <summary>Why the connection is closing, or null while it is open.</summary>
    public string? CloseReason => Volatile.Read(ref _closeReason);

    public bool IsClosing => CloseReason is not null;

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
                WriteNow(line);
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
                int read = await _stream.ReadAsync(framer.FreeSpace, _token).ConfigureAwait(false);
                if (read == 0)
                {
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

    private async Task WriteLoopAsync()
    {
        var spare = new List<ReadOnlyMemory<byte>>();
        try
        {
            while (true)
            {
                var batch = await _queue.TakeAllAsync(spare).ConfigureAwait(false);
                if (Interlocked.Exchange(ref _inFlight, null) is { } inFlight)
                {
                    // Started by a producer with the lent token: finish it before anything queued after it.
                    await inFlight.ConfigureAwait(false);
                }

                if (batch is null)
                {
                    break;
                }

                if (batch.Count > 0)
                {
                    await WriteBatchAsync(batch).ConfigureAwait(false);
                }

                batch.Clear();
                spare = batch;
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            Abort(IsClosing ? CloseReason! : "write failed: " + ex.Message);
        }

        // The queue is complete and written (or the peer is gone): end the read loop too.
        Cancel(TimeSpan.Zero);
    }

    /// <summary>
    /// Writes one line from the producer's thread, holding the token the queue lent: when the kernel takes it at once
    /// (one send, no thread hand-off) the token goes straight back; otherwise the unfinished write goes to the writer
    /// loop, which finishes it before anything else. Never blocks.
    /// </summary>
    private void WriteNow(ReadOnlyMemory<byte> line)
    {
        var write = WriteAndFlushAsync(line);
        if (write.IsCompletedSuccessfully)
        {
            write.GetAwaiter().GetResult();
            _queue.ReturnToken(writeInFlight: false);
            return;
        }

        // Set before the token goes back: the writer reads _inFlight only after the queue wakes it.
        Volatile.Write(ref _inFlight, write.AsTask());
        _queue.ReturnToken(writeInFlight: true);
    }

    /// <summary>The coalescer's tick, holding the lent token: writes everything queued as one batch (see <see cref="WriteNow"/>).</summary>
    void ITickFlush.FlushAtTick()
    {
        var batch = _queue.TakeLent(t_tickSpare ?? []);
        t_tickSpare = null;
        var write = batch.Count == 0 ? ValueTask.CompletedTask : WriteBatchAsync(batch);
        if (write.IsCompletedSuccessfully)
        {
            write.GetAwaiter().GetResult();
            batch.Clear();
            t_tickSpare = batch;
            _queue.ReturnToken(writeInFlight: false);
            return;
        }

        Volatile.Write(ref _inFlight, write.AsTask());
        _queue.ReturnToken(writeInFlight: true);
    }

    private async ValueTask WriteAndFlushAsync(ReadOnlyMemory<byte> line)
    {
        await _stream.WriteAsync(line, _token).ConfigureAwait(false);
        await _stream.FlushAsync(_token).ConfigureAwait(false);
    }

    /// <summary>Copies the batch into as few writes as possible: one per 64 KiB.</summary>
    private async ValueTask WriteBatchAsync(List<ReadOnlyMemory<byte>> batch)
    {
        if (batch.Count == 1)
        {
            await WriteAndFlushAsync(batch[0]).ConfigureAwait(false);
            return;
        }

        // Rented per batch and returned at once, so an idle connection holds no send buffer.
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int used = 0;
            foreach (var line in batch)
            {
                if (used + line.Length > buffer.Length)
                {
                    if (used > 0)
                    {
                        await _stream.WriteAsync(buffer.AsMemory(0, used), _token).ConfigureAwait(false);
                        used = 0;
                    }

                    if (line.Length > buffer.Length)
                    {
                        await _stream.WriteAsync(line, _token).ConfigureAwait(false);
                        continue;
                    }
                }

                line.Span.CopyTo(buffer.AsSpan(used));
                used += line.Length;
            }

            if (used > 0)
            {
                await _stream.WriteAsync(buffer.AsMemory(0, used), _token).ConfigureAwait(false);
            }

            await _stream.FlushAsync(_token).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public override string ToString() => Label;
}
