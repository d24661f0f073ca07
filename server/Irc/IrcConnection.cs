using System.Threading.Channels;
using NLog;

namespace LanTalk.Server.Irc;

/// <summary>
/// The transport of one IRC client: a read loop that frames lines (<see cref="IrcLineFramer"/>) and a writer loop
/// that drains a bounded queue of shared line bytes and writes them with one call. A peer whose queue passes the
/// byte or line limit is cut off as a slow consumer; it never stalls the others.
/// </summary>
internal sealed class IrcConnection : IDisposable
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.Irc");
    private static long s_lastId;

    private readonly Stream _stream;
    private readonly Channel<ReadOnlyMemory<byte>> _queue = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int _maxLines;
    private readonly long _maxBytes;
    private readonly CancellationTokenSource _closed = new();
    private int _queuedLines;
    private long _queuedBytes;
    private string? _closeReason;

    public IrcConnection(Stream stream, int maxLines, long maxBytes)
    {
        _stream = stream;
        _maxLines = maxLines;
        _maxBytes = maxBytes;
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

    /// <summary>Queues shared line bytes (CR LF included). False when closing or when this overflowed the queue.</summary>
    public bool Send(ReadOnlyMemory<byte> line)
    {
        if (IsClosing)
        {
            return false;
        }

        if (Interlocked.Increment(ref _queuedLines) > _maxLines || Interlocked.Add(ref _queuedBytes, line.Length) > _maxBytes)
        {
            s_log.Warn("{Connection} disconnected as a slow consumer: more than {Lines} lines or {Bytes} bytes queued", Label, _maxLines, _maxBytes);
            Abort("slow consumer");
            return false;
        }

        return _queue.Writer.TryWrite(line);
    }

    /// <summary>Sends <paramref name="finalLine"/> (an ERROR line) after what is queued, then closes. Idempotent.</summary>
    public void Close(string reason, ReadOnlyMemory<byte> finalLine = default)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is not null)
        {
            return;
        }

        if (!finalLine.IsEmpty)
        {
            _queue.Writer.TryWrite(finalLine);
        }

        _queue.Writer.TryComplete();
        // The writer gets a moment to flush the final line; a peer that does not read cannot hold the socket.
        Cancel(TimeSpan.FromSeconds(2));
    }

    /// <summary>Closes at once, dropping what is queued.</summary>
    public void Abort(string reason)
    {
        Interlocked.CompareExchange(ref _closeReason, reason, null);
        _queue.Writer.TryComplete();
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
                int read = await _stream.ReadAsync(framer.FreeSpace, _closed.Token).ConfigureAwait(false);
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
        var buffer = new byte[64 * 1024];
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_closed.Token).ConfigureAwait(false))
            {
                int used = 0;
                int lines = 0;
                while (reader.TryPeek(out var next) && (used == 0 || used + next.Length <= buffer.Length))
                {
                    reader.TryRead(out _);
                    lines++;
                    if (next.Length > buffer.Length)
                    {
                        await _stream.WriteAsync(next, _closed.Token).ConfigureAwait(false);
                        continue;
                    }

                    next.Span.CopyTo(buffer.AsSpan(used));
                    used += next.Length;
                }

                Interlocked.Add(ref _queuedLines, -lines);
                Interlocked.Add(ref _queuedBytes, -used);
                if (used > 0)
                {
                    await _stream.WriteAsync(buffer.AsMemory(0, used), _closed.Token).ConfigureAwait(false);
                    await _stream.FlushAsync(_closed.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            Abort(IsClosing ? CloseReason! : "write failed: " + ex.Message);
        }

        // The queue is complete and written (or the peer is gone): end the read loop too.
        Cancel(TimeSpan.Zero);
    }

    public override string ToString() => Label;
}
