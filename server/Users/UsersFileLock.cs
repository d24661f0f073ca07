namespace LanTalk.Server.Users;

/// <summary>
/// The exclusive lock file beside Users.xml, through which a CLI process and the server take turns. Only a lock
/// held by someone else is waited for; any other failure (a read-only data directory, no permission, a full disk)
/// is thrown at once, because waiting cannot cure it.
/// </summary>
internal static class UsersFileLock
{
    // errno EWOULDBLOCK on Linux (11) and macOS (35); on Windows ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION.
    private const int LinuxWouldBlock = 11;
    private const int MacWouldBlock = 35;
    private const int WindowsSharingViolation = unchecked((int)0x80070020);
    private const int WindowsLockViolation = unchecked((int)0x80070021);

    /// <summary>Takes the lock, waiting up to <paramref name="wait"/> while another holder has it; null when it stays busy.</summary>
    /// <exception cref="UserStoreException">The lock file cannot be opened at all; the message names the directory and the fix.</exception>
    public static FileStream? TryAcquire(string usersPath, TimeSpan wait)
    {
        string path = usersPath + ".lock";
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        long deadline = Environment.TickCount64 + (long)wait.TotalMilliseconds;
        while (true)
        {
            try
            {
                // The first `user add` on a fresh machine runs before the server ever wrote the data directory.
                Settings.DataDirectory.EnsureExists(Path.GetDirectoryName(Path.GetFullPath(usersPath))!);
                // FileShare.None is an flock(LOCK_EX) on Unix: another holder (another process, or another thread of
                // this one) makes this throw, and the kernel releases it when the holder dies.
                return new FileStream(path, options);
            }
            catch (IOException ex) when (IsHeldByAnother(ex))
            {
                if (Environment.TickCount64 >= deadline)
                {
                    return null;
                }

                // Another writer holds it for the few milliseconds a write takes.
                Thread.Sleep(10);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UserStoreException(
                    $"cannot write in {Path.GetDirectoryName(Path.GetFullPath(usersPath))}: {ex.Message.TrimEnd('.')}. " +
                    "Users.xml cannot be updated until the data directory is writable by this user (is it mounted read-only, full, or owned by someone else?).");
            }
        }
    }

    /// <summary>Takes the lock or throws; for commands, which must either do their change or say why not.</summary>
    public static FileStream Acquire(string usersPath, TimeSpan wait) =>
        TryAcquire(usersPath, wait)
        ?? throw new UserStoreException($"{usersPath}.lock is still held by another process after {wait.TotalSeconds:0} s; try again, or stop the process that holds it.");

    /// <summary>Whether opening a FileShare.None lock file failed because another holder has it (not a disk problem).</summary>
    internal static bool IsHeldByAnother(IOException ex) =>
        ex.HResult is LinuxWouldBlock or MacWouldBlock or WindowsSharingViolation or WindowsLockViolation;
}
