namespace LanTalk.Server.Users;

public sealed partial class UserStore
{
    private readonly Dictionary<string, (DateTimeOffset At, string Address)> _pendingLogins = new(UserNames.Comparer);
    private Timer? _watch;

    /// <summary>Raised (on a timer thread) with the names that an outside edit removed.</summary>
    public event Action<IReadOnlyList<string>>? UsersRemoved;

    /// <summary>Remembers a login in memory; the periodic sync writes it, so a login storm costs one file write a second.</summary>
    public void RecordLogin(string name, string address)
    {
        lock (_lock)
        {
            _pendingLogins[name] = (DateTimeOffset.UtcNow, address);
        }
    }

    /// <summary>Polls the file each second for outside edits and writes pending login bookkeeping.</summary>
    public void StartWatching(TimeSpan? period = null)
    {
        var interval = period ?? TimeSpan.FromSeconds(1);
        _watch = new Timer(_ => Sync(), null, interval, interval);
    }

    public void StopWatching()
    {
        Interlocked.Exchange(ref _watch, null)?.Dispose();
        Sync();
    }

    /// <summary>Reloads after outside edits and writes pending logins. Safe to call at any time.</summary>
    public void Sync()
    {
        try
        {
            bool hasPending;
            lock (_lock)
            {
                hasPending = _pendingLogins.Count > 0;
            }

            if (hasPending)
            {
                Mutate(_ => { });
            }
            else if (FileStamp.Of(FilePath) != _loadedStamp)
            {
                lock (_lock)
                {
                    using var fileLock = AcquireFileLock();
                    ReloadIfChanged();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UserStoreException or UnauthorizedAccessException)
        {
            SyncFailed?.Invoke(ex);
        }
    }

    /// <summary>Raised when a background sync fails (bad file, disk full); the server logs it and keeps running.</summary>
    public event Action<Exception>? SyncFailed;

    /// <summary>Read-modify-write under the process lock and the cross-process lock file.</summary>
    private void Mutate(Action<Dictionary<string, UserRecord>> change)
    {
        lock (_lock)
        {
            using var fileLock = AcquireFileLock();
            ReloadIfChanged();
            var next = new Dictionary<string, UserRecord>(_users, UserNames.Comparer);
            foreach (var (name, login) in _pendingLogins)
            {
                if (next.TryGetValue(name, out var user))
                {
                    next[name] = user with { LastLogin = login.At, LastLoginAddress = login.Address };
                }
            }

            change(next);
            DeleteStaleTempFiles();
            UsersFile.Write(FilePath, next.Values);
            _users = next;
            _pendingLogins.Clear();
            _loadedStamp = FileStamp.Of(FilePath);
        }
    }

    /// <summary>Reloads when Users.xml changed since it was read, then looks the name up again. Costs one stat() otherwise.</summary>
    private UserRecord? FindAfterRefresh(string name)
    {
        if (FileStamp.Of(FilePath) == _loadedStamp)
        {
            return null;
        }

        try
        {
            lock (_lock)
            {
                using var fileLock = AcquireFileLock();
                ReloadIfChanged();
                return _users.GetValueOrDefault(name);
            }
        }
        catch (Exception ex) when (ex is IOException or UserStoreException or UnauthorizedAccessException)
        {
            SyncFailed?.Invoke(ex);
            return null;
        }
    }

    /// <summary>
    /// Deletes temp files that a writer killed mid-write left behind. Only called under the lock file, when no
    /// other writer can be between creating its temp file and renaming it.
    /// </summary>
    private void DeleteStaleTempFiles()
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(FilePath))!;
        foreach (var stale in Directory.EnumerateFiles(directory, Path.GetFileName(FilePath) + ".*.tmp"))
        {
            try
            {
                File.Delete(stale);
            }
            catch (IOException)
            {
                // Harmless: the loader never reads *.tmp.
            }
        }
    }

    private void ReloadIfChanged()
    {
        var stamp = FileStamp.Of(FilePath);
        if (stamp == _loadedStamp)
        {
            return;
        }

        var fresh = File.Exists(FilePath) ? UsersFile.Read(FilePath) : new Dictionary<string, UserRecord>(UserNames.Comparer);
        var removed = _users.Keys.Where(name => !fresh.ContainsKey(name)).ToArray();
        _users = fresh;
        _loadedStamp = stamp;
        if (removed.Length > 0)
        {
            UsersRemoved?.Invoke(removed);
        }
    }

    /// <summary>An exclusive lock file beside Users.xml; a CLI process and the server take turns through it.</summary>
    private FileStream AcquireFileLock()
    {
        string path = FilePath + ".lock";
        LanTalk.Server.Settings.DataDirectory.EnsureExists(Path.GetDirectoryName(Path.GetFullPath(FilePath))!);
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var deadline = Environment.TickCount64 + 10_000;
        while (true)
        {
            try
            {
                // FileShare.None is an flock(LOCK_EX) on Unix: another process's lock makes this throw, and the
                // kernel releases it when the holder dies, so a killed CLI never leaves the store locked.
                return new FileStream(path, options);
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                // Another process holds it for the few milliseconds a write takes.
                Thread.Sleep(10);
            }
        }
    }
}
