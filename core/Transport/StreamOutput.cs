using System.Buffers;
using System.Diagnostics;

namespace LanTalk.Core.Transport;

/// <summary>
/// The output side of one connection, shared by <see cref="ChatConnection"/> and the server's IRC connection: the
/// bounded <see cref="OutboundQueue"/>, the frame written straight from a producer's thread when nothing is queued,
/// the coalescer's tick, and the writer loop that drains the rest. Both connections carried a copy of this until
/// they were made to share it; they differ only in what they do when the stream fails or the queue completes.
/// </summary>
/// <remarks>
/// The queue's write token is the ownership rule for the stream, which may be an <see cref="System.Net.Security.SslStream"/>
/// (not safe for two writers): only its holder writes. The writer loop holds it except while parked with nothing
/// queued; then a producer (<see cref="WriteNow"/>) or the coalescer's tick (<see cref="ITickFlush.FlushAtTick"/>) borrows
/// it, and a write the stream does not finish at once is handed to the writer loop, which finishes it before
/// anything else. So nothing ever blocks a producer, and frames go out in queue order.
/// </remarks>
internal sealed class StreamOutput : ITickFlush
{
    // The coalescer's thread only: the list swapped into the queue at the next tick. A batch whose write completes at
    // once becomes the next spare; one still being written belongs to that write.
    [ThreadStatic]
    private static List<ReadOnlyMemory<byte>>? t_tickSpare;

    private readonly Stream _stream;

    // The socket under a plain NetworkStream, whose direct writes a fan-out may gather (SendBatch); null under TLS.
    private readonly System.Net.Sockets.Socket? _socket;
    private readonly WriteCoalescer? _coalescer;
    private readonly int _bufferSize;
    private readonly CancellationToken _token;

    // A write a producer or the tick started with the lent token and did not finish at once; the writer loop finishes it.
    private Task? _inFlight;

    // How many frames that write holds: set before _inFlight, read after it.
    private int _inFlightFrames;

    // Frames whose write completed (handed to the kernel, or to TLS and then the kernel). Only the token holder adds.
    private long _written;

    // When the write in progress started, or 0 when nothing is being written.
    private long _writeStartedTicks;
    private long _lastSentTicks = Environment.TickCount64;

    /// <param name="stream">Written only by the holder of the queue's token.</param>
    /// <param name="maxFrames">The queue's frame bound (a slow consumer is cut off past it).</param>
    /// <param name="maxBytes">The queue's byte bound.</param>
    /// <param name="coalescer">The process's write coalescer, or null for none.</param>
    /// <param name="bufferSize">The most bytes copied into one write when a batch is coalesced.</param>
    /// <param name="token">Cancels a write stuck on a peer that stopped reading.</param>
    public StreamOutput(Stream stream, int maxFrames, long maxBytes, WriteCoalescer? coalescer, int bufferSize, CancellationToken token)
    {
        _stream = stream;
        _socket = (stream as System.Net.Sockets.NetworkStream)?.Socket;
        _coalescer = coalescer;
        _bufferSize = bufferSize;
        _token = token;
        Queue = new OutboundQueue(maxFrames, maxBytes, coalescer, this);
    }

    public OutboundQueue Queue { get; }

    /// <summary>
    /// How many frames have been written, in queue order (a priority frame can go ahead of frames queued before it).
    /// Once this reaches the <see cref="OutboundQueue.Accepted"/> read after queueing a frame, that frame was written.
    /// </summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary><see cref="Environment.TickCount64"/> when bytes were last written.</summary>
    public long LastSentTicks => Volatile.Read(ref _lastSentTicks);

    /// <summary>How long the current write has been blocked, in ms (0 when nothing is being written).</summary>
    public long WriteBlockedMs(long nowTicks)
    {
        long started = Volatile.Read(ref _writeStartedTicks);
        return started == 0 ? 0 : nowTicks - started;
    }

    /// <summary>
    /// Writes one frame from the producer's thread, holding the token the queue lent (<see cref="EnqueueResult.WriteNow"/>).
    /// When the stream takes it at once (one send syscall, no thread hand-off) the token goes straight back; otherwise
    /// the unfinished write goes to the writer loop. Never blocks.
    /// </summary>
    public void WriteNow(ReadOnlyMemory<byte> frame)
    {
        if (_socket is { } socket && SendBatch.TryAdd(this, socket, frame))
        {
            return; // the token stays lent until the scope's flush (CompleteGathered)
        }

        long started = Stopwatch.GetTimestamp();
        var write = WriteAndFlushAsync(frame);
        // Timed on the producer's thread only: that is the time the fan-out could have spent on the next recipient.
        _coalescer?.NoteDirectWrite(Stopwatch.GetTimestamp() - started);
        Finish(write, null, 1);
    }

    /// <summary>
    /// The end of a <see cref="WriteNow"/> that a <see cref="SendBatch"/> gathered, on the thread that gathered it, which
    /// still holds the lent token: <paramref name="sent"/> bytes went to the kernel (negative: none; an errno or never
    /// submitted). What the socket did not take is written through the stream, which finishes it or reports the
    /// failure as any write would.
    /// </summary>
    internal void CompleteGathered(ReadOnlyMemory<byte> frame, int sent, long stopwatchTicks, int frames = 1, byte[]? rented = null, bool tick = false)
    {
        if (!tick)
        {
            // Only a producer's direct writes count toward "busy", as when they were written one by one.
            _coalescer?.NoteDirectWrite(stopwatchTicks);
        }

        ValueTask write;
        if (sent == frame.Length)
        {
            write = ValueTask.CompletedTask;
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
        else
        {
            var rest = WriteAndFlushAsync(sent > 0 ? frame[sent..] : frame);
            write = rented is null ? rest : ReturnWhenWrittenAsync(rest, rented);
        }

        Finish(write, null, frames);
    }

    // The buffer a gathered tick batch was copied into goes back to the pool once the rest of it is written, or failed.
    private static async ValueTask ReturnWhenWrittenAsync(ValueTask write, byte[] rented)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The coalescer's tick, holding the lent token: writes everything queued as one coalesced batch.</summary>
    void ITickFlush.FlushAtTick()
    {
        var batch = Queue.TakeLent(t_tickSpare ?? []);
        t_tickSpare = null;
        if (batch.Count > 0 && _socket is { } socket && TryGatherTick(batch, socket))
        {
            return;
        }

        Finish(batch.Count == 0 ? ValueTask.CompletedTask : WriteBatchAsync(batch), batch, batch.Count);
    }

    // The most bytes of a tick's batch that are gathered. Small batches (crowd: a few frames per connection per tick)
    // are where a send per connection costs most per byte; large ones (a burst) are written at once as before, since
    // gathering them held a rented buffer per connection until the submission and made burst-32 slower.
    private const int TickGatherLimit = 4096;

    // The tick's batch for a plain socket, as one buffer for the tick's SendBatch scope (the coalescer's): copied into
    // a rented buffer when it holds several frames, as WriteBatchAsync would. The lent token stays out until
    // CompleteGathered.
    private bool TryGatherTick(List<ReadOnlyMemory<byte>> batch, System.Net.Sockets.Socket socket)
    {
        if (batch.Count == 1)
        {
            if (batch[0].Length > TickGatherLimit || !SendBatch.TryAdd(this, socket, batch[0], tick: true))
            {
                return false;
            }
        }
        else
        {
            long total = 0;
            foreach (var frame in batch)
            {
                total += frame.Length;
            }

            if (total > TickGatherLimit)
            {
                return false;
            }

            var buffer = ArrayPool<byte>.Shared.Rent((int)total);
            int used = 0;
            foreach (var frame in batch)
            {
                frame.Span.CopyTo(buffer.AsSpan(used));
                used += frame.Length;
            }

            if (!SendBatch.TryAdd(this, socket, buffer.AsMemory(0, used), batch.Count, buffer, tick: true))
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return false;
            }
        }

        batch.Clear();
        t_tickSpare = batch;
        return true;
    }

    /// <summary>
    /// The writer loop: drains the queue until it completes, finishing any write a producer left unfinished first.
    /// Stream failures propagate to the caller, which decides what they mean for its connection.
    /// </summary>
    public async Task DrainAsync()
    {
        var spare = new List<ReadOnlyMemory<byte>>();
        while (true)
        {
            var batch = await Queue.TakeAllAsync(spare).ConfigureAwait(false);
            if (Interlocked.Exchange(ref _inFlight, null) is { } inFlight)
            {
                // Started by a producer with the lent token (which set _writeStartedTicks): it goes out before anything queued after it.
                await inFlight.ConfigureAwait(false);
                Sent(Volatile.Read(ref _inFlightFrames));
            }

            if (batch is null)
            {
                return;
            }

            if (batch.Count > 0)
            {
                Volatile.Write(ref _writeStartedTicks, Environment.TickCount64);
                await WriteBatchAsync(batch).ConfigureAwait(false);
                Sent(batch.Count);
            }

            batch.Clear();
            spare = batch;
        }
    }

    // Gives the lent token back: at once when the write completed, else after handing the write to the writer loop.
    private void Finish(ValueTask write, List<ReadOnlyMemory<byte>>? tickBatch, int frames)
    {
        if (write.IsCompletedSuccessfully)
        {
            write.GetAwaiter().GetResult();
            Interlocked.Add(ref _written, frames);
            Volatile.Write(ref _lastSentTicks, Environment.TickCount64);
            if (tickBatch is not null)
            {
                tickBatch.Clear();
                t_tickSpare = tickBatch;
            }

            Queue.ReturnToken(writeInFlight: false);
            return;
        }

        // Set before the token goes back: the writer reads _inFlight only after the queue wakes it.
        Volatile.Write(ref _writeStartedTicks, Environment.TickCount64);
        Volatile.Write(ref _inFlightFrames, frames);
        Volatile.Write(ref _inFlight, write.AsTask());
        Queue.ReturnToken(writeInFlight: true);
    }

    private void Sent(int frames)
    {
        Interlocked.Add(ref _written, frames);
        Volatile.Write(ref _writeStartedTicks, 0);
        Volatile.Write(ref _lastSentTicks, Environment.TickCount64);
    }

    private async ValueTask WriteAndFlushAsync(ReadOnlyMemory<byte> frame)
    {
        await _stream.WriteAsync(frame, _token).ConfigureAwait(false);
        await _stream.FlushAsync(_token).ConfigureAwait(false);
    }

    /// <summary>Coalesces the batch into as few writes as possible: one per buffer size.</summary>
    private async ValueTask WriteBatchAsync(List<ReadOnlyMemory<byte>> batch)
    {
        if (batch.Count == 1)
        {
            await WriteAndFlushAsync(batch[0]).ConfigureAwait(false);
            return;
        }

        // Rented per batch and returned at once, so an idle connection holds no send buffer.
        var buffer = ArrayPool<byte>.Shared.Rent(_bufferSize);
        try
        {
            int used = 0;
            foreach (var frame in batch)
            {
                if (used + frame.Length > buffer.Length)
                {
                    if (used > 0)
                    {
                        await _stream.WriteAsync(buffer.AsMemory(0, used), _token).ConfigureAwait(false);
                        used = 0;
                    }

                    if (frame.Length > buffer.Length)
                    {
                        await _stream.WriteAsync(frame, _token).ConfigureAwait(false);
                        continue;
                    }
                }

                frame.Span.CopyTo(buffer.AsSpan(used));
                used += frame.Length;
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
}
