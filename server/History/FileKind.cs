using LanTalk.Server.Users;

namespace LanTalk.Server.History;

/// <summary>
/// What kind of file a path names, without following a symbolic link. .NET reports no file type on Unix (a device
/// node or a FIFO looks like any file), and the backup replaces its target by rename: run as root, `backup /dev/full`
/// turned the device into a 36 MB regular file. statx is used because its struct has one layout on every
/// architecture (struct stat does not): see UnixStat.
/// </summary>
internal static class FileKind
{
    /// <summary>
    /// Null when <paramref name="path"/> does not exist, is a regular file, or the type cannot be told (not Linux);
    /// otherwise what it is, in words ("a symbolic link", "a character device", ...).
    /// </summary>
    public static string? DescribeIfNotRegular(string path) =>
        UnixStat.Of(path, followLinks: false)?.Type switch
        {
            null or 0x8000 => null,
            0xA000 => "a symbolic link",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0x1000 => "a FIFO (named pipe)",
            0xC000 => "a socket",
            0x4000 => "a directory",
            _ => "not a regular file",
        };
}
