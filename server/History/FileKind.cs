using LanTalk.Server.Users;

namespace LanTalk.Server.History;

/// <summary>
/// What kind of file a path names. .NET reports no file type on Unix (a device node or a FIFO looks like any file),
/// and the backup replaces its target by rename: run as root, `backup /dev/full` turned the device into a 36 MB
/// regular file. statx is used because its struct has one layout on every architecture (struct stat does not): see
/// UnixStat.
/// </summary>
internal static class FileKind
{
    private const int Regular = 0x8000;
    private const int SymbolicLink = 0xA000;

    /// <summary>
    /// Null when <paramref name="path"/> does not exist, is a regular file, or the type cannot be told (not Linux);
    /// otherwise what it is, in words ("a symbolic link", "a character device", ...). Does not follow a symbolic link.
    /// </summary>
    public static string? DescribeIfNotRegular(string path) =>
        UnixStat.Of(path, followLinks: false)?.Type switch
        {
            null or Regular => null,
            SymbolicLink => "a symbolic link",
            int type => Describe(type),
        };

    /// <summary>
    /// What a data file about to be read is, in words, when it is not one: "a directory", "a FIFO (named pipe)",
    /// "a symbolic link that leads nowhere (...)", ...; null when it is a regular file (a link to one included) or does
    /// not exist. The loaders refuse these up front: a FIFO blocked the start in open() for ever, deaf even to SIGTERM,
    /// and a link loop was reported as a missing file (fault injection, 2026-12-04).
    /// </summary>
    public static string? DescribeIfNotAFile(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Directory.Exists(path) ? "a directory" : null;
        }

        if (UnixStat.Of(path) is { } target)
        {
            return target.Type == Regular ? null : Describe(target.Type);
        }

        return UnixStat.Of(path, followLinks: false) is { Type: SymbolicLink }
            ? "a symbolic link that leads nowhere (its target is missing, or the links form a loop)"
            : null;
    }

    private static string Describe(int type) => type switch
    {
        0x2000 => "a character device",
        0x6000 => "a block device",
        0x1000 => "a FIFO (named pipe)",
        0xC000 => "a socket",
        0x4000 => "a directory",
        _ => "not a regular file",
    };
}
