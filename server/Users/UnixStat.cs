using System.Runtime.InteropServices;

namespace LanTalk.Server.Users;

/// <summary>
/// Who owns a file and which inode it is, which .NET does not report on Unix. statx because its struct has one layout
/// on every architecture (struct stat does not); source-generated P/Invoke, so AOT-safe. Follows symbolic links, as
/// reading and replacing the file do, unless asked not to (the backup's check of its target, FileKind). The one statx
/// wrapper of the server.
/// </summary>
internal static partial class UnixStat
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint BasicStats = 0x7FF;

    // struct statx: u32 mask @0, u32 blksize @4, u64 attributes @8, u32 nlink @16, u32 uid @20, u32 gid @24,
    // u16 mode @28, u64 ino @32, u64 size @40, ..., statx_timestamp ctime @96 and mtime @112 (i64 sec, u32 nsec).
    private const int UidOffset = 20;
    private const int GidOffset = 24;
    private const int ModeOffset = 28;
    private const int InodeOffset = 32;
    private const int SizeOffset = 40;
    private const int ChangeTimeOffset = 96;
    private const int ModifyTimeOffset = 112;

    /// <summary>What statx says about <paramref name="path"/>, or null when it does not exist or this is not Linux.</summary>
    /// <param name="followLinks">False: about a symbolic link itself, not what it points to.</param>
    public static Info? Of(string path, bool followLinks = true) => Of(path, out _, followLinks);

    /// <summary>
    /// <see cref="Of(string, bool)"/>, telling a path that cannot be looked at (<paramref name="unreachable"/>: a directory
    /// on the way without search permission, an I/O error) from one that is not there (ENOENT, ENOTDIR): a data directory
    /// chmod 000 for a moment is not a deleted file (a fault-injection audit, 2026-12-07).
    /// </summary>
    public static unsafe Info? Of(string path, out bool unreachable, bool followLinks = true)
    {
        unreachable = false;
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        byte* buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, BasicStats, buffer) != 0)
        {
            unreachable = Marshal.GetLastPInvokeError() is not (NoSuchFile or NotADirectory);
            return null;
        }

        return Read(buffer);
    }

    /// <summary>Whether <paramref name="path"/> cannot be looked at (see <see cref="Of(string, out bool, bool)"/>); false when it is there or simply absent, and off Linux.</summary>
    public static bool Unreachable(string path)
    {
        _ = Of(path, out bool unreachable);
        return unreachable;
    }

    private const int NoSuchFile = 2;
    private const int NotADirectory = 20;

    private static unsafe Info Read(byte* buffer)
    {
        return new Info(
            *(ulong*)(buffer + InodeOffset),
            *(uint*)(buffer + UidOffset),
            *(uint*)(buffer + GidOffset),
            (UnixFileMode)(*(ushort*)(buffer + ModeOffset) & 0xFFF),
            (*(long*)(buffer + ChangeTimeOffset) * 1_000_000_000L) + *(uint*)(buffer + ChangeTimeOffset + 8),
            *(ushort*)(buffer + ModeOffset) & 0xF000,
            *(long*)(buffer + SizeOffset),
            (*(long*)(buffer + ModifyTimeOffset) * 1_000_000_000L) + *(uint*)(buffer + ModifyTimeOffset + 8));
    }

    /// <summary>What statx says about the open file <paramref name="handle"/> (AT_EMPTY_PATH: the descriptor itself, wherever its path is now), or null when not Linux.</summary>
    public static unsafe Info? Of(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            byte* buffer = stackalloc byte[256];
            return Statx((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath, BasicStats, buffer) != 0 ? null : Read(buffer);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>Gives <paramref name="path"/> to another owner and group; only root may. Throws IOException with the errno.</summary>
    public static void ChangeOwner(string path, uint uid, uint gid)
    {
        if (Chown(path, uid, gid) != 0)
        {
            throw new IOException($"cannot give {path} to uid {uid}, gid {gid} (chown errno {Marshal.GetLastPInvokeError()})");
        }
    }

    /// <summary>
    /// Inode, owner, group, permission bits, the change time (any write, rename, chmod or chown) in ns, the file
    /// type bits of st_mode (S_IFMT: 0x8000 regular, 0x4000 directory, 0xA000 symbolic link, ...), the length, and the
    /// modification time (a write of the contents or a truncation; not a chmod) in ns.
    /// </summary>
    public readonly record struct Info(ulong Inode, uint Uid, uint Gid, UnixFileMode Mode, long ChangeTimeNs, int Type, long Size, long ModifyTimeNs);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Statx(int directoryFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, uint uid, uint gid);
}
