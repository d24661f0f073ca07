using System.Runtime.InteropServices;

namespace LanTalk.Server.History;

/// <summary>
/// What kind of file a path names, without following a symbolic link. .NET reports no file type on Unix (a device
/// node or a FIFO looks like any file), and the backup replaces its target by rename: run as root, `backup /dev/full`
/// turned the device into a 36 MB regular file. statx is used because its struct has one layout on every
/// architecture (struct stat does not). Source-generated P/Invoke, so AOT-safe.
/// </summary>
internal static partial class FileKind
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28; // struct statx: u32 mask, u32 blksize, u64 attributes, u32 nlink, u32 uid, u32 gid, u16 mode
    private const int TypeMask = 0xF000;

    /// <summary>
    /// Null when <paramref name="path"/> does not exist, is a regular file, or the type cannot be told (not Linux);
    /// otherwise what it is, in words ("a symbolic link", "a character device", ...).
    /// </summary>
    public static unsafe string? DescribeIfNotRegular(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        byte* buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) != 0)
        {
            return null;
        }

        int type = *(ushort*)(buffer + ModeOffset) & TypeMask;
        return type switch
        {
            0x8000 => null,
            0xA000 => "a symbolic link",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0x1000 => "a FIFO (named pipe)",
            0xC000 => "a socket",
            0x4000 => "a directory",
            _ => "not a regular file",
        };
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directoryFd, string path, int flags, uint mask, byte* buffer);
}
