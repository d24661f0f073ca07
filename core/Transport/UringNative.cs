using System.Runtime.InteropServices;

namespace LanTalk.Core.Transport;

/// <summary>
/// The few libc calls an io_uring needs (<see cref="Uring"/>). There is no libc wrapper for io_uring, so its two
/// system calls go through syscall(2); the numbers are the same on every architecture since Linux 5.1.
/// Source-generated P/Invoke: no runtime marshalling, so it is AOT-safe.
/// </summary>
internal static partial class UringNative
{
    public const long SysSetup = 425;
    public const long SysEnter = 426;

    public const uint SetupSubmitAll = 1u << 7;
    public const uint SetupCoopTaskrun = 1u << 8;
    public const uint FeatSingleMmap = 1u << 0;

    // Present from Linux 6.0 on; used as the floor for what this code relies on: a send flagged MSG_DONTWAIT
    // completes at once with -EAGAIN instead of waiting in the kernel for room in the socket.
    public const uint FeatLinkedFile = 1u << 12;

    public const uint EnterGetEvents = 1u << 0;
    public const byte OpSend = 26;
    public const int MsgDontWait = 0x40;
    public const int MsgNoSignal = 0x4000;
    public const long OffSqRing = 0;
    public const long OffSqes = 0x10000000;
    public const int Eintr = 4;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    public static partial int Munmap(nint address, nuint length);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int fd);
}
