using LanTalk.Server.Users;

namespace LanTalk.Server.Hosting;

/// <summary>
/// lantalk-server.lock in the data directory, held for the running server's life. history.db.lock already refuses a
/// second server, but only while history is on and writable: with History false (or history.db unwritable) two
/// servers on one data directory each rewrote Rooms.xml from their own memory and one server's rooms were lost. This
/// lock is taken whatever the history setting, so the second server is refused at start instead. On Linux the data
/// directory itself is locked too (<see cref="DirectoryFlock"/>), since a lock file can be deleted under the server.
/// </summary>
internal static class DataDirectoryLock
{
    public const string FileName = "lantalk-server.lock";

    /// <summary>
    /// The held lock, or null when the directory cannot hold a lock file at all (a read-only data directory: then the
    /// server writes nothing there, so a second one cannot overwrite its files either).
    /// </summary>
    /// <exception cref="StartupException">Another process holds the lock.</exception>
    public static IDisposable? Take(string dataDirectory, Action<string> warn)
    {
        string path = Path.Combine(dataDirectory, FileName);
        if (History.LockFileProblem.Describe(path) is { } problem)
        {
            throw new StartupException(Cli.ExitCodes.Usage, problem);
        }

        // The directory first: it cannot be deleted under the server, as the lock file can.
        var directory = DirectoryFlock.TryTake(dataDirectory, out bool held);
        if (held)
        {
            throw Held(path);
        }

        try
        {
            var file = TakeFile(path, warn);
            return directory is null ? file : new BothLocks(directory, file);
        }
        catch
        {
            directory?.Dispose();
            throw;
        }
    }

    /// <summary>Both locks, released together.</summary>
    private sealed class BothLocks(DirectoryFlock directory, FileStream? file) : IDisposable
    {
        public void Dispose()
        {
            file?.Dispose();
            directory.Dispose();
        }
    }

    private static FileStream? TakeFile(string path, Action<string> warn)
    {
        try
        {
            return Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite);
        }
        catch (IOException ex) when (UsersFileLock.IsHeldByAnother(ex))
        {
            throw Held(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A read-only directory may still hold the lock file from an earlier run; flock works on a read-only handle.
            try
            {
                return Open(path, FileMode.Open, FileAccess.Read);
            }
            catch (IOException again) when (UsersFileLock.IsHeldByAnother(again))
            {
                throw Held(path);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                warn($"{path} cannot be created ({ex.Message.TrimEnd('.')}), so nothing stops a second lantalk-server on this data directory; make the directory writable");
                return null;
            }
        }
    }

    private static FileStream Open(string path, FileMode mode, FileAccess access)
    {
        // FileShare.None is flock(LOCK_EX) on Unix; the kernel drops it when the process dies, even by kill -9.
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.None };
        if (!OperatingSystem.IsWindows() && mode != FileMode.Open)
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }

    private static StartupException Held(string path) => new(
        Cli.ExitCodes.Usage,
        $"another lantalk-server process is using the data directory {Path.GetDirectoryName(path)} (it holds {path}). Stop it, or give this one its own --data directory");
}
