using System.Buffers;
using System.IO.Pipelines;

namespace LanTalk.Core.Tests.Support;

/// <summary>
/// One end of an in-memory duplex byte stream: reads from one pipe and writes to another, so ChatConnection can
/// run in unit tests without a socket. Disposing it completes both pipes, which the peer sees as end of stream.
/// </summary>
internal sealed class DuplexPipeStream(PipeReader input, PipeWriter output) : Stream
{
    [ThreadStatic]
    private static bool t_insideCaller;

    private int _writeCalls;
    private int _writesOnCallerThread;
    private int _activeWrites;
    private int _writesOnCoalescer;
    private int _overlappingWrites;

    /// <summary>How many WriteAsync calls the stream has seen; shows whether queued frames were coalesced.</summary>
    public int WriteCalls => Volatile.Read(ref _writeCalls);

    /// <summary>Writes that started on a thread inside <see cref="RunAsCaller"/>, i.e. inline in the caller's call.</summary>
    public int WritesOnCallerThread => Volatile.Read(ref _writesOnCallerThread);

    /// <summary>Writes made by the write coalescer's own thread (its tick flush).</summary>
    public int WritesOnCoalescerThread => Volatile.Read(ref _writesOnCoalescer);

    /// <summary>Writes that started while another was still running; an SslStream would throw on the first one.</summary>
    public int OverlappingWrites => Volatile.Read(ref _overlappingWrites);

    /// <summary>Runs <paramref name="action"/> marked as the caller, so writes it makes inline are counted.</summary>
    public static void RunAsCaller(Action action)
    {
        t_insideCaller = true;
        try
        {
            action();
        }
        finally
        {
            t_insideCaller = false;
        }
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var result = await input.ReadAsync(cancellationToken);
        var available = result.Buffer;
        if (buffer.IsEmpty)
        {
            // A zero-byte read only waits for data (PipeReader.Create uses them): consume and examine nothing.
            input.AdvanceTo(available.Start);
            return 0;
        }

        int count = (int)Math.Min(available.Length, buffer.Length);
        available.Slice(0, count).CopyTo(buffer.Span);
        input.AdvanceTo(available.GetPosition(count));
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _writeCalls);
        if (t_insideCaller)
        {
            Interlocked.Increment(ref _writesOnCallerThread);
        }

        if (Thread.CurrentThread.Name == "lantalk write coalescer")
        {
            Interlocked.Increment(ref _writesOnCoalescer);
        }

        if (Interlocked.Increment(ref _activeWrites) > 1)
        {
            Interlocked.Increment(ref _overlappingWrites);
        }

        try
        {
            // Blocks while the peer is behind by more than the pipe's pause threshold, like a full socket buffer.
            await output.WriteAsync(buffer, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _activeWrites);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    // ChatConnection only uses the async members; the synchronous ones would hide a blocking call.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            input.Complete();
            output.Complete();
        }

        base.Dispose(disposing);
    }
}
