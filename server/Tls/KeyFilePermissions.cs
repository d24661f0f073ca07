using static LanTalk.Server.Users.FileModes;

namespace LanTalk.Server.Tls;

/// <summary>
/// A private key readable by other users is no longer private. Like ssh with an "UNPROTECTED PRIVATE KEY FILE", an
/// operator's key that others can read is refused; the key the server generated itself is put back to 0600.
/// Group read is allowed for an operator's key: Debian's convention is 0640 root:ssl-cert in /etc/ssl/private.
/// </summary>
internal static class KeyFilePermissions
{
    /// <exception cref="InvalidDataException">Others can read or write the key.</exception>
    public static void RefuseIfOthersCanRead(string keyPath)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(keyPath))
        {
            return;
        }

        var mode = File.GetUnixFileMode(keyPath);
        if ((mode & Others) != 0)
        {
            throw new InvalidDataException($"the private key {keyPath} is accessible by other users (mode {Octal(mode)}), so it is not private any more. "
                + $"Run 'chmod o-rwx {keyPath}' (0600, or 0640 for a group such as ssl-cert), and replace the key if untrusted users could have copied it.");
        }
    }

    /// <summary>Makes the generated key owner-only again; returns the warning to shout, or null when it already was.</summary>
    public static string? FixGeneratedKey(string keyPath)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var mode = File.GetUnixFileMode(keyPath);
        if ((mode & GroupOrOthers) == 0)
        {
            return null;
        }

        try
        {
            File.SetUnixFileMode(keyPath, OwnerOnly);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"the private key {keyPath} is readable by other users (mode {Octal(mode)}) and could not be made owner-only: {ex.Message.TrimEnd('.')}. Run 'chmod 600 {keyPath}' as its owner.");
        }

        return $"The private key {keyPath} was readable by group or others (mode {Octal(mode)}); it is now 0600. If untrusted users could have copied it, make a new identity: stop the server, move server.crt and server.key away, and start it again.";
    }
}
