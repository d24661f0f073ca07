using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace LanTalk.Core.Transport;

/// <summary>
/// One Linux io_uring, set up for one job: many non-blocking sends to different sockets in one system call
/// (<see cref="SendAll"/>). Used by one thread at a time: <see cref="SendBatch"/> rents it for one flush and returns it.
/// </summary>
/// <remarks>
/// Why: a fan-out makes one send per recipient, and each send that wakes a reader lets the kernel preempt the
/// sending thread on its way back to user space: about 20 context switches per design-32 message. Submitted
/// together, the sends return to user space once (docs/PERFORMANCE.md, "Sends submitted together").
/// Every send is flagged MSG_DONTWAIT, so each completes during the submission: with its byte count, or -EAGAIN
/// when the socket has no room. Nothing stays in the kernel after <see cref="SendAll"/> returns.
/// </remarks>
internal sealed unsafe class Uring : IDisposable
{
    public const int Entries = 256;

    private const int SqeSize = 64;
    private const int CqeSize = 16;
    private const int MapShared = 0x1;
    private const int MapPopulate = 0x8000;
    private const int ProtReadWrite = 0x3;
    private const int Enomem = 12;
    private const int Enfile = 23;
    private const int Emfile = 24;

    private static readonly ConcurrentStack<Uring> s_idle = new();
    private static readonly bool s_switchedOff = Environment.GetEnvironmentVariable("LANTALK_IO_URING") == "0";
    private static int s_unavailable;
    private static string? s_lastFailure;

    private readonly int _fd;
    private readonly nint _rings;
    private readonly nuint _ringsLength;
    private readonly nint _sqes;
    private readonly nuint _sqesLength;
    private readonly uint* _sqTail;
    private readonly uint* _sqArray;
    private readonly uint _sqMask;
    private readonly uint* _cqHead;
    private readonly uint* _cqTail;
    private readonly uint _cqMask;
    private readonly byte* _cqes;
    private bool _disposed;

    private Uring(int fd, nint rings, nuint ringsLength, nint sqes, nuint sqesLength, byte* parameters)
    {
        _fd = fd;
        _rings = rings;
        _ringsLength = ringsLength;
        _sqes = sqes;
        _sqesLength = sqesLength;
        byte* ring = (byte*)rings;
        byte* sqOff = parameters + 40;
        byte* cqOff = parameters + 80;
        _sqTail = (uint*)(ring + *(uint*)(sqOff + 4));
        _sqMask = *(uint*)(ring + *(uint*)(sqOff + 8));
        _sqArray = (uint*)(ring + *(uint*)(sqOff + 24));
        _cqHead = (uint*)(ring + *(uint*)cqOff);
        _cqTail = (uint*)(ring + *(uint*)(cqOff + 4));
        _cqMask = *(uint*)(ring + *(uint*)(cqOff + 8));
        _cqes = ring + *(uint*)(cqOff + 20);
    }

    ~Uring() => Release();

    /// <summary>False off Linux, with LANTALK_IO_URING=0, or once the kernel refused to set one up.</summary>
    public static bool Available => OperatingSystem.IsLinux() && !s_switchedOff && Volatile.Read(ref s_unavailable) == 0;

    /// <summary>An idle ring, or a new one; null when none can be had (and then none is tried again).</summary>
    public static Uring? Rent()
    {
        if (s_idle.TryPop(out var ring))
        {
            return ring;
        }

        if (!Available)
        {
            return null;
        }

        ring = TryCreate(out bool forGood);
        if (ring is null && forGood)
        {
            Volatile.Write(ref s_unavailable, 1);
        }

        return ring;
    }

    /// <summary>Sets up a ring now (and keeps it for the first fan-out) and says how fan-outs will send, for the start-up log.</summary>
    public static string Describe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "one send per copy (io_uring is Linux only)";
        }

        if (s_switchedOff)
        {
            return "one send per copy (LANTALK_IO_URING=0)";
        }

        if (Rent() is not { } ring)
        {
            return $"one send per copy (no io_uring here: {s_lastFailure})";
        }

        Return(ring, intact: true);
        return "io_uring, one submission per fan-out";
    }

    /// <summary>Gives back a ring whose last <see cref="SendAll"/> went through whole; any other is disposed.</summary>
    public static void Return(Uring ring, bool intact)
    {
        if (intact)
        {
            s_idle.Push(ring);
        }
        else
        {
            ring.Dispose();
        }
    }

    /// <summary>
    /// Sends <paramref name="lengths"/>[i] bytes at <paramref name="data"/>[i] to socket <paramref name="fds"/>[i] for
    /// every i, all in one submission, and waits until every submitted send has completed (at once: they do not wait).
    /// <paramref name="results"/>[i] gets the bytes sent or -errno; it stays <see cref="int.MinValue"/> for a send never
    /// submitted. Returns false when the ring must not be used again (the kernel refused a submission).
    /// </summary>
    public bool SendAll(ReadOnlySpan<int> fds, ReadOnlySpan<nint> data, ReadOnlySpan<int> lengths, Span<int> results)
    {
        int count = fds.Length;
        results[..count].Fill(int.MinValue);
        uint tail = *_sqTail; // only this thread moves the tail
        for (int i = 0; i < count; i++)
        {
            uint index = (tail + (uint)i) & _sqMask;
            byte* sqe = (byte*)_sqes + (index * SqeSize);
            new Span<byte>(sqe, SqeSize).Clear();
            sqe[0] = UringNative.OpSend;
            *(int*)(sqe + 4) = fds[i];
            *(ulong*)(sqe + 16) = (ulong)data[i];
            *(uint*)(sqe + 24) = (uint)lengths[i];
            *(int*)(sqe + 28) = UringNative.MsgDontWait | UringNative.MsgNoSignal;
            *(ulong*)(sqe + 32) = (ulong)i;
            _sqArray[index] = index;
        }

        Volatile.Write(ref *_sqTail, tail + (uint)count);
        long submitted = UringNative.Syscall(UringNative.SysEnter, _fd, count, count, UringNative.EnterGetEvents, 0, 0);
        if (submitted < 0)
        {
            // Nothing was taken, and the entries are still in the ring: it cannot be used again.
            return false;
        }

        int done = Reap(results);
        while (done < submitted)
        {
            // Every send is MSG_DONTWAIT, so this only happens when a signal cut the wait short.
            long waited = UringNative.Syscall(UringNative.SysEnter, _fd, 0, submitted - done, UringNative.EnterGetEvents, 0, 0);
            if (waited < 0 && Marshal.GetLastPInvokeError() != UringNative.Eintr)
            {
                return false;
            }

            done += Reap(results);
        }

        return submitted == count;
    }

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private int Reap(Span<int> results)
    {
        uint head = *_cqHead;
        uint tail = Volatile.Read(ref *_cqTail);
        int reaped = 0;
        for (; head != tail; head++, reaped++)
        {
            byte* cqe = _cqes + ((head & _cqMask) * CqeSize);
            ulong index = *(ulong*)cqe;
            if (index < (ulong)results.Length)
            {
                results[(int)index] = *(int*)(cqe + 8);
            }
        }

        Volatile.Write(ref *_cqHead, head);
        return reaped;
    }

    /// <param name="forGood">
    /// Whether a failure means this kernel will never give one (not only this moment: out of file descriptors or memory).
    /// </param>
    private static Uring? TryCreate(out bool forGood)
    {
        forGood = true;
        byte* parameters = stackalloc byte[120];
        new Span<byte>(parameters, 120).Clear();
        *(uint*)(parameters + 8) = UringNative.SetupSubmitAll | UringNative.SetupCoopTaskrun;
        long fd = UringNative.Syscall(UringNative.SysSetup, Entries, (nint)parameters, 0, 0, 0, 0);
        if (fd < 0)
        {
            // For good: ENOSYS, EPERM (a container's seccomp, io_uring_disabled) or EINVAL (a kernel before 5.19).
            // For now: EMFILE, ENFILE or ENOMEM; the fan-out writes one send each meanwhile, and the next one tries again.
            int errno = Marshal.GetLastPInvokeError();
            forGood = errno is not (Emfile or Enfile or Enomem);
            s_lastFailure = $"io_uring_setup failed with errno {errno}";
            return null;
        }

        uint features = *(uint*)(parameters + 20);
        if ((features & UringNative.FeatSingleMmap) == 0 || (features & UringNative.FeatLinkedFile) == 0)
        {
            s_lastFailure = "the kernel is older than Linux 6.0";
            _ = UringNative.Close((int)fd);
            return null;
        }

        uint sqEntries = *(uint*)parameters;
        uint cqEntries = *(uint*)(parameters + 4);
        uint sqArray = *(uint*)(parameters + 40 + 24);
        uint cqes = *(uint*)(parameters + 80 + 20);
        nuint ringsLength = Math.Max(sqArray + (sqEntries * 4), cqes + (cqEntries * CqeSize));
        nint rings = UringNative.Mmap(0, ringsLength, ProtReadWrite, MapShared | MapPopulate, (int)fd, UringNative.OffSqRing);
        if (rings == -1)
        {
            forGood = false; // mmap fails for want of memory, not for want of io_uring
            s_lastFailure = "mmap of its rings failed";
            _ = UringNative.Close((int)fd);
            return null;
        }

        nuint sqesLength = sqEntries * SqeSize;
        nint sqes = UringNative.Mmap(0, sqesLength, ProtReadWrite, MapShared | MapPopulate, (int)fd, UringNative.OffSqes);
        if (sqes == -1)
        {
            forGood = false;
            s_lastFailure = "mmap of its entries failed";
            _ = UringNative.Munmap(rings, ringsLength);
            _ = UringNative.Close((int)fd);
            return null;
        }

        return new Uring((int)fd, rings, ringsLength, sqes, sqesLength, parameters);
    }

    private void Release()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _ = UringNative.Munmap(_sqes, _sqesLength);
        _ = UringNative.Munmap(_rings, _ringsLength);
        _ = UringNative.Close(_fd);
    }
}
