using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;

namespace LanTalk.Core.Transport;

public sealed partial class ChatConnection
{
    // When the write in progress started, or 0 when the writer is not writing.
    private long _writeStartedTicks;

    // A write a producer started with the lent token and did not finish at once; the writer loop finishes it.
    private Task? _inFlight;

    /// <summary>
    /// How long the current write has been blocked, in ms (0 when nothing is being written). A peer that stopped
    /// reading shows up here once the kernel's send buffer is full; the server cuts it off past a limit.
    /// </summary>
    public long WriteBlockedMs(long nowTicks)
    {
        long started = Volatile.Read(ref _writeStartedTicks);
        return started == 0 ? 0 : nowTicks - started;
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
                    // Started by a producer with the lent token (and _writeStartedTicks set by it): finish it first.
                    await inFlight.ConfigureAwait(false);
                    Volatile.Write(ref _writeStartedTicks, 0);
                    Volatile.Write(ref _lastSentTicks, Environment.TickCount64);
                }

                if (batch is null)
                {
                    break;
                }

                if (batch.Count > 0)
                {
                    Volatile.Write(ref _writeStartedTicks, Environment.TickCount64);
                    await WriteBatchAsync(batch).ConfigureAwait(false);
                    Volatile.Write(ref _writeStartedTicks, 0);
                }

                batch.Clear();
                spare = batch;
            }

            await HalfCloseAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            SetReason(new DisconnectReason(DisconnectKind.ConnectionLost, Protocol.ErrorCode.None, ex.InnerException?.Message ?? ex.Message));
        }
        finally
        {
            // The queue is done: give the peer the linger time to read our last frame, then stop reading.
            _readCancel.CancelAfter(_options.CloseLinger);
        }
    }

    /// <summary>
    /// Writes one frame from the producer's thread, holding the token the queue lent. When the stream takes it at
    /// once (the kernel's send buffer had room: one send syscall, no thread hand-off), the token goes straight
    /// back; otherwise the unfinished write is handed to the writer loop, which finishes it before anything else.
    /// Never blocks: a full socket buffer leaves the write pending, it does not wait.
    /// </summary>
    private void WriteNow(ReadOnlyMemory<byte> frame)
    {
        var write = WriteAndFlushAsync(frame);
        if (write.IsCompletedSuccessfully)
        {
            write.GetAwaiter().GetResult();
            Volatile.Write(ref _lastSentTicks, Environment.TickCount64);
            _queue.ReturnToken(writeInFlight: false);
            return;
        }

        // Set before the token goes back: the writer reads _inFlight only after the queue wakes it.
        Volatile.Write(ref _writeStartedTicks, Environment.TickCount64);
        Volatile.Write(ref _inFlight, write.AsTask());
        _queue.ReturnToken(writeInFlight: true);
    }

    // The coalescer's thread only: the list swapped into the queue at the next flush. A batch whose write
    // completes at once becomes the next spare; one still being written belongs to that write.
    [ThreadStatic]
    private static List<ReadOnlyMemory<byte>>? t_tickSpare;

    /// <summary>
    /// The coalescer's tick, holding the token the queue lent it: writes everything queued as one coalesced batch,
    /// and hands an unfinished write to the writer loop as <see cref="WriteNow"/> does.
    /// </summary>
    void ITickFlush.FlushAtTick()
    {
        var batch = _queue.TakeLent(t_tickSpare ?? new List<ReadOnlyMemory<byte>>());
        t_tickSpare = null;
        var write = batch.Count == 0 ? ValueTask.CompletedTask : WriteBatchAsync(batch);
        if (write.IsCompletedSuccessfully)
        {
            write.GetAwaiter().GetResult();
            Volatile.Write(ref _lastSentTicks, Environment.TickCount64);
            batch.Clear();
            t_tickSpare = batch;
            _queue.ReturnToken(writeInFlight: false);
            return;
        }

        Volatile.Write(ref _writeStartedTicks, Environment.TickCount64);
        Volatile.Write(ref _inFlight, write.AsTask());
        _queue.ReturnToken(writeInFlight: true);
    }

    private async ValueTask WriteAndFlushAsync(ReadOnlyMemory<byte> frame)
    {
        await _stream.WriteAsync(frame, _writeCancel.Token).ConfigureAwait(false);
        await _stream.FlushAsync(_writeCancel.Token).ConfigureAwait(false);
    }

    /// <summary>Coalesces the batch into as few writes as possible: one per WriteBufferSize bytes.</summary>
    private async ValueTask WriteBatchAsync(List<ReadOnlyMemory<byte>> batch)
    {
        if (batch.Count == 1)
        {
            await _stream.WriteAsync(batch[0], _writeCancel.Token).ConfigureAwait(false);
            await _stream.FlushAsync(_writeCancel.Token).ConfigureAwait(false);
            Volatile.Write(ref _lastSentTicks, Environment.TickCount64);
            return;
        }

        // Rented per batch and returned at once, so an idle connection holds no send buffer.
        var buffer = ArrayPool<byte>.Shared.Rent(_options.WriteBufferSize);
        try
        {
            int used = 0;
            foreach (var frame in batch)
            {
                if (used + frame.Length > buffer.Length)
                {
                    if (used > 0)
                    {
                        await _stream.WriteAsync(buffer.AsMemory(0, used), _writeCancel.Token).ConfigureAwait(false);
                        used = 0;
                    }

                    if (frame.Length > buffer.Length)
                    {
                        await _stream.WriteAsync(frame, _writeCancel.Token).ConfigureAwait(false);
                        continue;
                    }
                }

                frame.Span.CopyTo(buffer.AsSpan(used));
                used += frame.Length;
            }

            if (used > 0)
            {
                await _stream.WriteAsync(buffer.AsMemory(0, used), _writeCancel.Token).ConfigureAwait(false);
            }

            await _stream.FlushAsync(_writeCancel.Token).ConfigureAwait(false);
            Volatile.Write(ref _lastSentTicks, Environment.TickCount64);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Signals end of output (TLS close_notify, then FIN) while still reading, so our last frame arrives intact.</summary>
    private async ValueTask HalfCloseAsync()
    {
        if (_stream is SslStream ssl)
        {
            await ssl.ShutdownAsync().ConfigureAwait(false);
        }

        _socket?.Shutdown(SocketShutdown.Send);
    }
}
