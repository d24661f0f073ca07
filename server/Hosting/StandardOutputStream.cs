using System.Runtime.InteropServices;

namespace LanTalk.Server.Hosting;

/// <summary>
/// Standard output (file descriptor 1) as a write-only stream that writes with write(2) at the descriptor's shared
/// offset. A FileStream over the same descriptor keeps its own position and writes with pwrite(2) whenever the
/// output is a regular file (`lantalk-server &gt;server.log 2&gt;&amp;1`, nohup): its lines then overwrote what
/// went to standard error through the shared offset, and the other way round, so a start-up error or a "logging
/// failed" report vanished or was glued into the middle of a log line. Found by the full-disk fault run, which lost
/// the report one start in three. Blocking writes, as the queue's own thread expects.
/// </summary>
internal sealed partial class StandardOutputStream : Stream
{
    private const int StandardOutput = 1;
    private const int Interrupted = 4;    // EINTR
    private const int WouldBlock = 11;    // EAGAIN: someone made our descriptor non-blocking

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            nint written;
            fixed (byte* p = buffer)
            {
                written = SysWrite(StandardOutput, p, (nuint)buffer.Length);
            }

            if (written >= 0)
            {
                buffer = buffer[(int)written..];
                continue;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == WouldBlock)
            {
                // Only this thread writes here, and it exists to wait for the terminal.
                Thread.Sleep(1);
            }
            else if (errno != Interrupted)
            {
                throw new IOException($"standard output: write failed (errno {errno})");
            }
        }
    }

    public override void Flush()
    {
        // Unbuffered: every Write is in the kernel when it returns.
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint SysWrite(int fd, byte* buffer, nuint count);
}
