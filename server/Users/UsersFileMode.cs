using static LanTalk.Server.Users.FileModes;

namespace LanTalk.Server.Users;

/// <summary>
/// Users.xml holds the password hashes: anyone who can read it can guess passwords offline at their own pace. Every
/// write makes it owner-only (0600); a file that group or others can read (restored with `cp` from a backup, say) is
/// put back to 0600 at start with a WARN, as the generated TLS key is, and `config check` warns about it.
/// </summary>
internal static class UsersFileMode
{
    /// <summary>`config check`: the warning to print when group or others can read the file, or null.</summary>
    public static string? Check(string usersPath) =>
        Open(usersPath) is { } mode
            ? $"{usersPath} is readable by group or others (mode {Octal(mode)}) and holds the password hashes; start-up makes it 0600"
            : null;

    /// <summary>At start: makes the file owner-only again; returns the warning to log, or null when it already was (or is not there).</summary>
    public static string? FixAtStart(string usersPath)
    {
        if (OperatingSystem.IsWindows() || Open(usersPath) is not { } mode)
        {
            return null;
        }

        string readers = $"{usersPath} was readable by group or others (mode {Octal(mode)}), and it holds the password hashes";
        try
        {
            // The owner and group stay: a server run as root keeps the data directory's files with the user they belong to.
            File.SetUnixFileMode(AtomicFile.FinalTarget(usersPath), FileModes.OwnerOnly);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"{readers}; it could not be made owner-only ({ex.Message.TrimEnd('.')}): run 'chmod 600 {usersPath}' as its owner. "
                + "If untrusted users could have copied it, have them change their passwords ('lantalk-server user passwd NAME')";
        }

        return $"{readers}; it is now 0600. If untrusted users could have copied it, change the passwords ('lantalk-server user passwd NAME')";
    }

    /// <summary>The file's mode when group or others have any access to it; null otherwise, when it does not exist, and off Linux.</summary>
    private static UnixFileMode? Open(string usersPath) =>
        UnixStat.Of(usersPath) is { Type: 0x8000 } stat && (stat.Mode & GroupOrOthers) != 0 ? stat.Mode : null;
}
