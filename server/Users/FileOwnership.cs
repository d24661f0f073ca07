namespace LanTalk.Server.Users;

/// <summary>
/// Keeps the data directory's files with the user who runs the server when root writes them. `sudo lantalk-server
/// user add` on a directory a `lantalk` server uses replaced Users.xml and created Users.xml.lock as root:root 0600:
/// the server could then neither take the lock nor write, and refused the new account's login.
/// Keeping the owner was chosen over refusing to run as root: it is right for every caller (sudo on a service's
/// directory, a server run as root in a container on a volume that belongs to uid 1000, root on its own files),
/// while a refusal would break the root-run server and `docker exec ... user add`, and asks the operator to know
/// which user the service runs as. It needs nothing but root, which is exactly when the owner could change.
/// </summary>
internal static class FileOwnership
{
    /// <summary>
    /// When this process is root, gives <paramref name="written"/> the owner and group of <paramref name="replaced"/>
    /// (or, when that does not exist yet, of the directory it goes in), and, with <paramref name="keepMode"/>, the
    /// permission bits of the file it replaces. Does nothing otherwise: a non-root process cannot change owners, and
    /// its files are its own as before.
    /// </summary>
    public static void Keep(string written, string replaced, bool keepMode)
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            return;
        }

        var target = UnixStat.Of(replaced);
        var owner = target ?? UnixStat.Of(Path.GetDirectoryName(Path.GetFullPath(replaced))!);
        if (owner is not { } wanted || UnixStat.Of(written) is not { } now)
        {
            return;
        }

        if (now.Uid != wanted.Uid || now.Gid != wanted.Gid)
        {
            UnixStat.ChangeOwner(written, wanted.Uid, wanted.Gid);
            if (keepMode && target is { } file)
            {
                File.SetUnixFileMode(written, file.Mode);
            }
        }
    }
}
