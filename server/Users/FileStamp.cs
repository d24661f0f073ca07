namespace LanTalk.Server.Users;

/// <summary>
/// What tells one version of Users.xml from another without reading it: size, write time, inode and change time.
/// The inode and change time catch a file replaced by one of the same size and time (a restore with `cp -p`, a rename
/// into place), and a chmod that makes an unreadable file readable again. default means there is no file.
/// </summary>
internal readonly record struct FileStamp(long Length, DateTime WriteTimeUtc, ulong Inode, long ChangeTimeNs)
{
    public bool Exists => this != default;

    public static FileStamp Of(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return default;
        }

        var stat = UnixStat.Of(path);
        return new FileStamp(info.Length, info.LastWriteTimeUtc, stat?.Inode ?? 0, stat?.ChangeTimeNs ?? 0);
    }
}
