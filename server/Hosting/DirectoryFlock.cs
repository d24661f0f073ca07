using System.Runtime.InteropServices;

namespace LanTalk.Server.Hosting;

/// <summary>
/// flock(LOCK_EX) on the data directory itself (Linux). The lock files can be deleted under a running server (a
/// "stale lock" clean-up, tmpfiles on a data directory under /tmp, <c>find -empty -delete</c>); a second server then
/// started beside the first, handed out the same message ids and saved its own Rooms.xml over the first one's (fault
/// injection, 2026-12-05). A directory that holds files cannot be deleted, so this lock stays as long as the server runs;
/// the kernel drops it when the process dies, even by kill -9.
/// </summary>
internal sealed partial class DirectoryFlock : IDisposable
{
    private const int LockExclusiveNonBlocking = 2 | 4; // LOCK_EX | LOCK_NB
    private const int WouldBlock = 11; // EWOULDBLOCK

    private int _fd;

    private DirectoryFlock(int fd) => _fd = fd;

    /// <summary>
    /// The lock, or null where there is none to take (not Linux, or the directory cannot be opened: the lock file then
    /// guards alone). False in <paramref name="held"/> unless another process holds it.
    /// </summary>
    public static DirectoryFlock? TryTake(string directory, out bool held)
    {
        held = false;
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        int fd = Users.DiskFlush.OpenDirectory(directory);
        if (fd < 0)
        {
            return null;
        }

        if (Flock(fd, LockExclusiveNonBlocking) == 0)
        {
            return new DirectoryFlock(fd);
        }

        held = Marshal.GetLastPInvokeError() == WouldBlock;
        _ = Users.DiskFlush.Close(fd);
        return null;
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            _ = Users.DiskFlush.Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);
}
