using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LanTalk.Server.Users;

/// <summary>
/// fsync that fails when the disk fails. FileStream.Flush(flushToDisk: true) returned normally on Linux when fsync
/// failed with EIO (seen under strace's fault injection, 2026-12-05): a Users.xml, Rooms.xml or history.db.ids write
/// was renamed into place and reported saved, and a room deletion answered Done, though the data might never reach the
/// disk. Also flushes a directory, so that a rename into it is on the disk too.
/// </summary>
internal static partial class DiskFlush
{
    private const int ReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC
    private const int ReadOnlyFileSystem = 30; // EROFS: nothing is written there, so nothing needs flushing
    private const int Invalid = 22; // EINVAL: a file (or directory) that does not support syncing

    /// <summary>Puts what was written to <paramref name="stream"/> on the disk; IOException naming the file when that fails.</summary>
    public static void File(FileStream stream)
    {
        stream.Flush();
        if (!OperatingSystem.IsLinux())
        {
            stream.Flush(flushToDisk: true);
            return;
        }

        Sync(stream.SafeFileHandle, stream.Name);
    }

    /// <summary>Puts the file at <paramref name="path"/> on the disk, opened for this (the log SQLite writes).</summary>
    public static void Path(string path)
    {
        using var handle = System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        if (!OperatingSystem.IsLinux())
        {
            using var stream = new FileStream(handle, FileAccess.Write);
            stream.Flush(flushToDisk: true);
            return;
        }

        Sync(handle, path);
    }

    /// <summary>Puts <paramref name="directory"/>'s entries on the disk (after a rename into it). Linux only; elsewhere a no-op.</summary>
    public static void Directory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        int fd = OpenDirectory(directory);
        if (fd < 0)
        {
            // Cannot even open it (permissions on a directory we could rename into are unusual): the rename stands.
            return;
        }

        try
        {
            if (FSync(fd) != 0 && Marshal.GetLastPInvokeError() is int errno && errno is not (ReadOnlyFileSystem or Invalid))
            {
                throw new IOException($"{directory}: the disk did not take its new entries (fsync failed, errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static void Sync(SafeFileHandle handle, string path)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (FSync((int)handle.DangerousGetHandle()) != 0 && Marshal.GetLastPInvokeError() is int errno && errno is not (ReadOnlyFileSystem or Invalid))
            {
                throw new IOException($"{path}: the disk did not take what was written (fsync failed, errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)})");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    /// <summary>open(2) of a directory, read-only and close-on-exec: a descriptor, or -1 (also for DirectoryFlock).</summary>
    internal static int OpenDirectory(string path) => Open(path, ReadOnlyCloseOnExec);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    internal static partial int Close(int fd);
}
