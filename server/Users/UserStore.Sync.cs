namespace LanTalk.Server.Users;

public sealed partial class UserStore
{
    private static readonly NLog.Logger s_log = NLog.LogManager.GetLogger("LanTalk.Server.Users");

    /// <summary>How long a command waits for another process's lock: a write takes milliseconds, so 10 s means a stuck holder.</summary>
    private static readonly TimeSpan s_commandLockWait = TimeSpan.FromSeconds(10);

    /// <summary>The final write at shutdown may wait briefly for a CLI's write; it stays well inside the 2 s stop budget.</summary>
    private static readonly TimeSpan s_shutdownLockWait = TimeSpan.FromMilliseconds(500);

    private readonly Dictionary<string, (DateTimeOffset At, string Address)> _pendingLogins = new(UserNames.Comparer);
    private Timer? _watch;
    private int _syncRunning;
    private bool _syncFailing;
    private volatile BadFile? _badFile;

    /// <summary>
    /// Raised (on a timer thread) with the names that an outside edit removed, or removed and created again (a new
    /// account of an old name is another person: the old one's sessions, rooms and stored messages must not pass to it).
    /// </summary>
    public event Action<IReadOnlyList<string>>? UsersRemoved;

    /// <summary>
    /// Raised with the names of accounts just created, here or by an outside edit (after <see cref="UsersRemoved"/> for
    /// a name created again): an IRC guest online under such a name must give it up.
    /// </summary>
    public event Action<IReadOnlyList<string>>? UsersCreated;

    /// <summary>Whether two records of a name are one account: the same identity, whatever a correction did to created.</summary>
    private static bool SameAccount(UserRecord a, UserRecord b) => a.IdentityMs == b.IdentityMs;

    /// <summary>Raised when a background sync fails (bad file, read-only or full disk); the server reports it and keeps running.</summary>
    public event Action<Exception>? SyncFailed;

    /// <summary>Raised on the first successful sync after failures.</summary>
    public event Action? SyncRecovered;

    /// <summary>Logins recorded in memory and not yet written to Users.xml.</summary>
    public int PendingLogins
    {
        get
        {
            lock (_lock)
            {
                return _pendingLogins.Count;
            }
        }
    }

    /// <summary>Remembers a login in memory; the periodic sync writes it, so a login storm costs one file write a second.</summary>
    public void RecordLogin(string name, string address)
    {
        lock (_lock)
        {
            _pendingLogins[name] = (DateTimeOffset.UtcNow, address);
        }
    }

    /// <summary>
    /// <see cref="RecordLogin(string, string)"/> for a login admitted as <paramref name="account"/>, only while that is
    /// still the name's account. Its address would otherwise become a new account's of the name (removed and added
    /// again in the meantime), which exempts that address from the per-name failed-login limit. A reload that removes
    /// the account drops what was recorded before it, under the same lock (<see cref="ReloadIfChanged"/>).
    /// </summary>
    public void RecordLogin(UserRecord account, string address)
    {
        lock (_lock)
        {
            if (_users.TryGetValue(account.Name, out var current) && SameAccount(current, account))
            {
                _pendingLogins[account.Name] = (DateTimeOffset.UtcNow, address);
            }
        }
    }

    /// <summary>Polls the file each second for outside edits and writes pending login bookkeeping.</summary>
    public void StartWatching(TimeSpan? period = null)
    {
        var interval = period ?? TimeSpan.FromSeconds(1);
        _watch = new Timer(_ => SyncFromTimer(), null, interval, interval);
    }

    /// <summary>
    /// The timer's sync. What it raises (UsersRemoved: the server disconnects removed users) runs on this pool thread,
    /// where an exception would end the process; a bug there is logged instead, and the next tick tries again.
    /// </summary>
    private void SyncFromTimer()
    {
        try
        {
            Sync(TimeSpan.Zero);
        }
        catch (Exception ex)
        {
            s_log.Error(ex, "Watching {File} failed unexpectedly; trying again in a second", FilePath);
        }
    }

    public void StopWatching()
    {
        Interlocked.Exchange(ref _watch, null)?.Dispose();
        Sync(s_shutdownLockWait);
    }

    /// <summary>Reloads after outside edits and writes pending logins. Safe to call at any time.</summary>
    public void Sync() => Sync(s_commandLockWait);

    /// <summary>
    /// One sync, at most one at a time: a tick that finds the previous one still running returns, so a slow or failing
    /// disk can never pile syncs (and threads) up. <paramref name="lockWait"/> is how long another process's lock file
    /// is waited for; the timer waits not at all and simply tries again a second later.
    /// </summary>
    private void Sync(TimeSpan lockWait)
    {
        if (Interlocked.Exchange(ref _syncRunning, 1) == 1)
        {
            return;
        }

        try
        {
            CorrectHeldFutureCreated();
            if (PendingLogins == 0 && !_createdCorrected && !_accountsRestored)
            {
                ReloadIfChanged();
            }

            // A created date corrected by that reload, or accounts kept when the file came back without them, are
            // written back like login bookkeeping, so the file says what the server holds.
            if (PendingLogins > 0 || _createdCorrected || _accountsRestored)
            {
                Mutate(_ => { }, lockWait, mustWrite: false);
            }

            if (_syncFailing)
            {
                _syncFailing = false;
                SyncRecovered?.Invoke();
            }
        }
        catch (Exception ex) when (ex is IOException or UserStoreException or UnauthorizedAccessException)
        {
            _syncFailing = true;
            SyncFailed?.Invoke(ex);
        }
        finally
        {
            Volatile.Write(ref _syncRunning, 0);
        }
    }

    /// <summary>
    /// A created date held in memory that the clock now puts in the future: the clock was stepped back while the server
    /// runs (NTP after a fast start), which changes no file, so no reload would see it. Corrected as at a read, keeping
    /// the account's identity, and written back by this sync. One pass over the accounts a second, outside the lock
    /// (the dictionary is replaced whole, never changed in place).
    /// </summary>
    private void CorrectHeldFutureCreated()
    {
        Dictionary<string, UserRecord> held;
        lock (_lock)
        {
            held = _users;
        }

        var now = _clock.GetUtcNow();
        if (!held.Values.Any(u => u.Created > now))
        {
            return;
        }

        lock (_lock)
        {
            // A reload or a write since has replaced them; the next tick looks again.
            if (!ReferenceEquals(held, _users))
            {
                return;
            }

            var corrected = new Dictionary<string, UserRecord>(held, UserNames.Comparer);
            _createdCorrected |= CorrectFutureCreated(FilePath, corrected, null, now);
            _users = corrected;
        }
    }

    /// <summary>
    /// Read-modify-write under the cross-process lock file. The in-memory lock is only held to copy and to swap the
    /// dictionaries, never while waiting for the lock file or writing, so logins (which only read memory) go on while
    /// the disk is slow, full or read-only.
    /// </summary>
    private void Mutate(Action<Dictionary<string, UserRecord>> change, TimeSpan? lockWait = null, bool mustWrite = true)
    {
        // A file or directory that vanished is not written again: the operator may be moving it back, and the old
        // path of a renamed directory must not grow a new one.
        ThrowIfVanished(FileStamp.Of(FilePath));
        using var fileLock = mustWrite
            ? UsersFileLock.Acquire(FilePath, lockWait ?? s_commandLockWait, _mayCreateDirectory)
            : UsersFileLock.TryAcquire(FilePath, lockWait ?? TimeSpan.Zero, _mayCreateDirectory);
        if (fileLock is null)
        {
            // Another process is writing; the pending logins go out with the next tick.
            return;
        }

        // Under the lock file nobody else writes, so what is read here is what gets replaced.
        ReloadIfChanged();
        Dictionary<string, UserRecord> next;
        KeyValuePair<string, (DateTimeOffset At, string Address)>[] written;
        lock (_lock)
        {
            next = new Dictionary<string, UserRecord>(_users, UserNames.Comparer);
            written = [.. _pendingLogins];
        }

        foreach (var (name, login) in written)
        {
            if (next.TryGetValue(name, out var user))
            {
                next[name] = user with { LastLogin = login.At, LastLoginAddress = login.Address };
            }
        }

        change(next);
        DeleteStaleTempFiles();
        UsersFile.Write(FilePath, next.Values);
        var stamp = FileStamp.Of(FilePath);
        lock (_lock)
        {
            _users = next;
            _loadedStamp = stamp;
            _createdCorrected = false;
            _accountsRestored = false;
            foreach (var (name, login) in written)
            {
                // A login recorded while the file was being written stays pending for the next sync.
                if (_pendingLogins.TryGetValue(name, out var now) && now == login)
                {
                    _pendingLogins.Remove(name);
                }
            }
        }
    }

    /// <summary>
    /// <see cref="Find"/>, but an account the CLI added a moment ago (Users.xml changed, the once-a-second poll not yet
    /// run) is found too. A name held in memory costs nothing more, another one stat().
    /// </summary>
    public UserRecord? FindFresh(string name) => Find(name) ?? FindAfterRefresh(name);

    /// <summary>
    /// The account as Users.xml holds it now, for a password check: reloaded first when the file changed since it was
    /// read (another process's add, remove or passwd before the once-a-second poll). One stat() otherwise.
    /// </summary>
    public UserRecord? FindCurrent(string name)
    {
        Refresh();
        return Find(name);
    }

    /// <summary>Reloads when Users.xml changed since it was read, then looks the name up again. Costs one stat() otherwise.</summary>
    private UserRecord? FindAfterRefresh(string name) => Refresh() ? Find(name) : null;

    /// <summary>Reloads when Users.xml changed since it was read; false when it had not, or could not be read (reported).</summary>
    private bool Refresh()
    {
        if (FileStamp.Of(FilePath) == CurrentStamp)
        {
            return false;
        }

        try
        {
            ReloadIfChanged();
            return true;
        }
        catch (Exception ex) when (ex is IOException or UserStoreException or UnauthorizedAccessException)
        {
            SyncFailed?.Invoke(ex);
            return false;
        }
    }

    private FileStamp CurrentStamp
    {
        get
        {
            lock (_lock)
            {
                return _loadedStamp;
            }
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

    /// <summary>
    /// Reads the file again when it changed (size, time, inode). Needs no lock file: writers only ever rename a
    /// complete file into place, so a reader sees the old or the new content whole. Parsing happens outside the memory
    /// lock. Only a well-formed file that lacks a name removes that account: a file that is missing, unreadable, a
    /// directory or not valid is an error, and the accounts held stay as they are; the first file after a missing one,
    /// and an older copy, remove none (<see cref="RestoreHeldAccounts"/>, <see cref="KeepNewerAccounts"/>).
    /// </summary>
    private void ReloadIfChanged()
    {
        var stamp = FileStamp.Of(FilePath);
        if (stamp == CurrentStamp)
        {
            return;
        }

        ThrowIfVanished(stamp);
        // A bad file is parsed again only once it changed: 50 MB of garbage reparsed every second held half a core
        // and 200-320 MB for as long as it stayed.
        if (_badFile is { } bad && bad.Stamp == stamp)
        {
            throw bad.Error;
        }

        Dictionary<string, UserRecord> fresh;
        try
        {
            fresh = ReadFile(FilePath);
        }
        catch (UserStoreException ex) when (stamp.Exists)
        {
            // Only what the content is wrong about is remembered; an unreadable file (IOException) is tried again.
            _badFile = new BadFile(stamp, ex);
            throw;
        }

        _badFile = null;
        Dictionary<string, UserRecord> held;
        lock (_lock)
        {
            held = _users;
        }

        bool corrected = CorrectFutureCreated(FilePath, fresh, held, _clock.GetUtcNow());
        corrected |= PlaceNewAccountsAfterHistory(fresh, held);
        var source = ChangeSource.Edit;
        bool restored = false;
        if (IsOlderCopy(stamp, CurrentStamp))
        {
            source = ChangeSource.OlderCopy;
            restored = KeepNewerAccounts(fresh, held, stamp, CurrentStamp);
        }
        else if (_vanished)
        {
            source = ChangeSource.CameBack;
            restored = RestoreHeldAccounts(fresh, held);
        }

        _vanished = false;
        string[] removed;
        string[] created;
        string[] passwordChanged;
        lock (_lock)
        {
            _createdCorrected |= corrected;
            _accountsRestored |= restored;
            // Created differs: removed and added again between two polls (`user remove bob && user add bob`). Compared to
            // the millisecond, as Rooms.xml records it: a hand edit that only shortened the fraction evicted the user.
            removed = _users.Where(held => !fresh.TryGetValue(held.Key, out var now) || !SameAccount(now, held.Value)).Select(held => held.Key).ToArray();
            created = fresh.Where(now => !_users.TryGetValue(now.Key, out var held) || !SameAccount(held, now.Value)).Select(now => now.Key).ToArray();
            passwordChanged = fresh.Where(now => _users.TryGetValue(now.Key, out var held) && SameAccount(held, now.Value) && !SamePassword(held, now.Value))
                .Select(now => now.Key).ToArray();
            foreach (string name in removed)
            {
                // A login of the old account must not be written onto the new one.
                _pendingLogins.Remove(name);
            }

            _users = fresh;
            _loadedStamp = stamp;
        }

        LogChanges(source, removed, created, passwordChanged);
        if (removed.Length > 0)
        {
            UsersRemoved?.Invoke(removed);
        }

        if (created.Length > 0)
        {
            UsersCreated?.Invoke(created);
        }
    }

    /// <summary>
    /// Throws when the Users.xml this store read (or wrote) is gone. A missing file only means "no accounts" before
    /// there ever was one; while the server runs it is a file moved aside for a moment, a tool that deletes before it
    /// writes, or the whole data directory renamed, and reading it as "every account removed" disconnected everyone,
    /// dropped their rooms and their stored messages, for good.
    /// </summary>
    private void ThrowIfVanished(FileStamp stamp)
    {
        if (stamp.Exists || !CurrentStamp.Exists || Directory.Exists(FilePath))
        {
            return;
        }

        string directory = Path.GetDirectoryName(Path.GetFullPath(FilePath))!;
        if (!Directory.Exists(directory))
        {
            _vanished = true;
            throw new UserStoreException(DirectoryGone(directory));
        }

        _vanished = true;
        if (UnixStat.Unreachable(FilePath))
        {
            // The data directory chmod 000, or an I/O error: not a missing file (a fault-injection audit, 2026-12-07).
            throw new UserStoreException(
                $"cannot look at {FilePath} (permission denied on the data directory, or an I/O error). The {Count} accounts held in memory " +
                "are kept and nobody is removed; give the server's user access to the directory again, and the file is read again within a second.");
        }

        throw new UserStoreException(
            $"{FilePath} is missing (moved away, or being replaced by a tool that deletes before it writes?). The {Count} accounts held in memory " +
            "are kept and nobody is removed; put the file back, or restore it from a backup, and it is read again within a second. " +
            "To remove an account, use 'lantalk-server user remove NAME'.");
    }

    /// <summary>What is said when the data directory itself has gone while the server uses it.</summary>
    internal static string DirectoryGone(string directory) =>
        $"the data directory {directory} is gone (renamed or deleted while the server runs?). The accounts held in memory are kept, " +
        "nobody is removed and nothing is written there; put the directory back and Users.xml is read again within a second.";

    /// <summary>A Users.xml that failed to parse, and why, so the same bytes are not parsed again.</summary>
    private sealed record BadFile(FileStamp Stamp, UserStoreException Error);
}
