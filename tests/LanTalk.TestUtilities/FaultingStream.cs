namespace LanTalk.TestUtilities;

/// <summary>
/// Passes everything to an inner stream until told to fail: then reads or writes throw the given exception, as a
/// TLS layer can with a type that is not an IOException (OpenSSL's own, on Linux).
/// </summary>
public sealed class FaultingStream(Stream inner) : Stream
{
    /// <summary>When set, every later read throws this (once the inner read returns).</summary>
    public Exception? ReadFault { get; set; }

    /// <summary>When set, every later write throws this.</summary>
    public Exception? WriteFault { get; set; }

    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await inner.ReadAsync(buffer, cancellationToken);
        return ReadFault is { } fault ? throw fault : read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        WriteFault is { } fault ? ValueTask.FromException(fault) : inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        WriteFault is { } fault ? Task.FromException(fault) : inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    // The code under test uses the async members only; the synchronous ones would hide a blocking call.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
