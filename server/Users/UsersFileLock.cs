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
    /// <param name="createDirectory">
    /// Whether a missing data directory may be made: for a command's first `user add` on a fresh machine, never for a
    /// store that found the directory there (a running server whose directory was renamed away must not recreate the
    /// old path and write an empty account list into it).
    /// </param>
    /// <exception cref="UserStoreException">The lock file cannot be opened at all; the message names the directory and the fix.</exception>
    public static FileStream? TryAcquire(string usersPath, TimeSpan wait, bool createDirectory)
    {
        string path = usersPath + ".lock";
        if (History.LockFileProblem.Describe(path) is { } problem)
        {
            throw new UserStoreException(problem);
        }

        string directory = Path.GetDirectoryName(Path.GetFullPath(usersPath))!;
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
                if (createDirectory)
                {
                    // The first `user add` on a fresh machine runs before the server ever wrote the data directory.
                    Settings.DataDirectory.EnsureExists(directory);
                }
                else if (!Directory.Exists(directory))
                {
                    throw new UserStoreException(UserStore.DirectoryGone(directory));
                }

                // FileShare.None is an flock(LOCK_EX) on Unix: another holder (another process, or another thread of
                // this one) makes this throw, and the kernel releases it when the holder dies.
                var held = new FileStream(path, options);
                try
                {
                    // Made by root (sudo ... user add), the lock file must still open for the user the server runs as.
                    FileOwnership.Keep(path, usersPath, keepMode: false);
                }
                catch
                {
                    held.Dispose();
                    throw;
                }

                return held;
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
                    $"cannot write in {directory}: {ex.Message.TrimEnd('.')}. " +
                    "Users.xml cannot be updated until the data directory is writable by this user (is it mounted read-only, full, or owned by someone else?).");
            }
        }
    }

    /// <summary>Takes the lock or throws; for commands, which must either do their change or say why not.</summary>
    public static FileStream Acquire(string usersPath, TimeSpan wait, bool createDirectory) =>
        TryAcquire(usersPath, wait, createDirectory)
        ?? throw new UserStoreException($"{usersPath}.lock is still held by another process after {wait.TotalSeconds:0} s; try again, or stop the process that holds it.");

    /// <summary>Whether opening a FileShare.None lock file failed because another holder has it (not a disk problem).</summary>
    internal static bool IsHeldByAnother(IOException ex) =>
        ex.HResult is LinuxWouldBlock or MacWouldBlock or WindowsSharingViolation or WindowsLockViolation;
}
