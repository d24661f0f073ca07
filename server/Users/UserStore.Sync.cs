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
            UsersFile.Write(FilePath, next.Values);
            _users = next;
            _pendingLogins.Clear();
            _loadedStamp = FileStamp.Of(FilePath);
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
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(FilePath))!);
        var deadline = Environment.TickCount64 + 10_000;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                // Another process holds it for the few milliseconds a write takes.
                Thread.Sleep(10);
            }
        }
    }
}
