using LanTalk.Server.Settings;

namespace LanTalk.Server.Users;

/// <summary>
/// The accounts in Data/Users.xml, shared by the running server and the 'user' command line. Every change is a
/// read-modify-write of the whole file under a lock file, so a CLI edit and a server's login bookkeeping never
/// overwrite each other; the server notices outside edits by polling the file's timestamp.
/// </summary>
public sealed partial class UserStore : IDisposable
{
    private readonly Lock _lock = new();
    private readonly ServerSettings _settings;
    private Dictionary<string, UserRecord> _users;
    private FileStamp _loadedStamp;

    /// <summary>Set when a created date in the future was corrected in memory and the file still holds it.</summary>
    private volatile bool _createdCorrected;

    /// <summary>Set when Users.xml came back without accounts held in memory, which were kept; the file still lacks them.</summary>
    private volatile bool _accountsRestored;

    /// <summary>Users.xml (or its directory) was found missing; the next file read keeps the accounts it lacks.</summary>
    private volatile bool _vanished;

    /// <summary>Whether the data directory was missing at open, so the first write (a command's `user add`) may make it.</summary>
    private readonly bool _mayCreateDirectory;

    /// <summary>The wall clock: account creation, and what counts as a created date in the future. Tests step it.</summary>
    private readonly TimeProvider _clock;

    private UserStore(string path, ServerSettings settings, string? repairing, TimeProvider? clock)
    {
        _clock = clock ?? TimeProvider.System;
        FilePath = path;
        _mayCreateDirectory = !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(path)));
        _settings = settings;
        _loadedStamp = FileStamp.Of(path);
        _users = ReadFile(path, repairing);
        _createdCorrected = CorrectFutureCreated(path, _users, null, _clock.GetUtcNow());
    }

    public string FilePath { get; }

    /// <param name="repairing">
    /// An account whose damaged password entry is read as a placeholder instead of stopping the load: the
    /// 'user passwd' and 'user remove' commands for it, which mend exactly that (the load error advises them).
    /// </param>
    /// <param name="clock">The wall clock; the system's unless a test steps it.</param>
    public static UserStore Open(string dataDirectory, ServerSettings settings, string? repairing = null, TimeProvider? clock = null) =>
        new(Path.Combine(dataDirectory, UsersFile.FileName), settings, repairing, clock);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _users.Count;
            }
        }
    }

    public IReadOnlyList<UserRecord> All
    {
        get
        {
            lock (_lock)
            {
                return _users.Values.OrderBy(u => u.Name, StringComparer.OrdinalIgnoreCase).ToArray();
            }
        }
    }

    public UserRecord? Find(string name)
    {
        lock (_lock)
        {
            return _users.GetValueOrDefault(name);
        }
    }

    /// <summary>
    /// Checks a password. CPU-heavy by design (PBKDF2): call it off the network loop. An unknown name burns the
    /// same work as a wrong password, so timing cannot reveal which names exist.
    /// </summary>
    public UserRecord? Verify(string name, string password)
    {
        // An account the CLI added, removed or gave a new password a moment ago may not be loaded yet: checked against
        // the copy in memory, the old password still logged in for up to a second after `user passwd`, and the new
        // one failed and counted toward the login throttle (a spec-only client audit, 2026-12-07).
        var user = FindCurrent(name);
        if (user is null)
        {
            PasswordHasher.VerifyDecoy(password, _settings.PasswordIterations);
            return null;
        }

        return PasswordHasher.Verify(password, user) ? user : null;
    }

    /// <summary>Creates an account. <paramref name="iterations"/> overrides the configured cost (load tests use a low one).</summary>
    public UserRecord Add(string name, string password, int? iterations = null)
    {
        if (!UserNames.IsValid(name, _settings.MaxUserNameLength, out string problem))
        {
            throw new UserStoreException($"'{name}' is not a valid user name: {problem}.");
        }

        var (salt, hash) = PasswordHasher.Hash(password, iterations ?? _settings.PasswordIterations);
        var user = new UserRecord(name, salt, hash, iterations ?? _settings.PasswordIterations, NewAccountCreated(_clock.GetUtcNow()), null, null);
        Mutate(users =>
        {
            if (!users.TryAdd(name, user))
            {
                throw new UserStoreException($"user '{name}' already exists.");
            }
        });
        UsersCreated?.Invoke([name]);
        return user;
    }

    /// <summary>Adds many accounts in one write (load-test provisioning).</summary>
    /// <param name="replace">
    /// Whether an existing account of one of the names gets the new password; without it nothing is written and the
    /// error names them. The shared weak test password silently replaced a real account's (an ops audit, 2026-12-06).
    /// </param>
    public void AddMany(IEnumerable<(string Name, string Password)> accounts, int iterations, bool replace = false)
    {
        var created = accounts.Select(a =>
        {
            var (salt, hash) = PasswordHasher.Hash(a.Password, iterations);
            return new UserRecord(a.Name, salt, hash, iterations, NewAccountCreated(_clock.GetUtcNow()), null, null);
        }).ToList();
        Mutate(users =>
        {
            // Checked under the lock file, against what is written over: an account added a moment ago counts too.
            var existing = created.Where(user => users.ContainsKey(user.Name)).Select(user => users[user.Name].Name).ToList();
            if (existing.Count > 0 && !replace)
            {
                string names = string.Join(", ", existing.Take(20)) + (existing.Count > 20 ? $" and {existing.Count - 20} more" : string.Empty);
                throw new UserStoreException(
                    $"{FilePath} already has {existing.Count} account(s) of those names ({names}); nothing was written. Give test accounts another --prefix, "
                    + "or add --replace to give these the shared test password (never for real accounts).");
            }

            foreach (var user in created)
            {
                users[user.Name] = user;
            }
        });
    }

    /// <summary>Deletes an account; <see cref="UsersRemoved"/> fires so a server in this process disconnects the user.</summary>
    public bool Remove(string name)
    {
        bool removed = false;
        Mutate(users => removed = users.Remove(name));
        if (removed)
        {
            UsersRemoved?.Invoke([name]);
        }

        return removed;
    }

    public void SetPassword(string name, string password)
    {
        var (salt, hash) = PasswordHasher.Hash(password, _settings.PasswordIterations);
        Mutate(users =>
        {
            if (!users.TryGetValue(name, out var user))
            {
                throw new UserStoreException($"no user named '{name}'.");
            }

            users[name] = user with { Salt = salt, Hash = hash, Iterations = _settings.PasswordIterations };
        });
    }

    public void Dispose() => StopWatching();

    /// <summary>The accounts in the file, none when it does not exist; anything else that is not a readable file is an error.</summary>
    internal static Dictionary<string, UserRecord> ReadFile(string path, string? repairing = null)
    {
        if (History.FileKind.DescribeIfNotAFile(path) is { } kind)
        {
            throw new UserStoreException($"{path} is {kind}, not a file. Move it away (the server then starts with no accounts) or restore Users.xml from a backup.");
        }

        return File.Exists(path) ? UsersFile.Read(path, repairing) : new Dictionary<string, UserRecord>(UserNames.Comparer);
    }

    /// <summary>
    /// Replaces every created date later than now, so a clock that ran ahead at `user add` (or a file from a machine
    /// with a fast clock) cannot hide messages: private history, search and stored messages are filtered by the
    /// account's created time (older ones are a removed namesake's), and a date in the future hid every one of them.
    /// The date becomes the one already held for the same account when that was sane, else now: nothing could have
    /// been sent to the account before it was loaded, so "now" keeps the namesake rule. The account keeps its
    /// identity (originalCreated, <see cref="UserRecord.IdentityMs"/>): a correction is not a new account. True when
    /// any was corrected; the caller writes the file back.
    /// </summary>
    private static bool CorrectFutureCreated(string path, Dictionary<string, UserRecord> users, Dictionary<string, UserRecord>? held, DateTimeOffset now)
    {
        var future = users.Values.Where(u => u.Created > now).ToArray();
        foreach (var user in future)
        {
            // The same account is held with a sane date: the server's own correction (the file may not have it yet, or
            // another process corrected it to its own "now"), or a hand edit of the same account (same salt).
            var created = held is not null && held.TryGetValue(user.Name, out var before) && before.Created <= now
                && (before.IdentityMs == user.IdentityMs || before.Salt.AsSpan().SequenceEqual(user.Salt))
                ? before
                : null;
            users[user.Name] = user with
            {
                Created = created?.Created ?? now,
                OriginalCreated = created is not null ? created.OriginalCreated : user.OriginalCreated ?? user.Created,
            };
            // Once per account: the write-back reads the file, which still has the date the held copy was corrected
            // from, and warning again there doubled every WARN (a clock stepped back under the running server).
            bool warned = created?.OriginalCreated is { } original && original.ToUnixTimeMilliseconds() == user.Created.ToUnixTimeMilliseconds();
            if (!warned)
            {
                WarnCorrected(path, user, created?.Created ?? now);
            }
        }

        return future.Length > 0;
    }

    private static void WarnCorrected(string path, UserRecord user, DateTimeOffset created) =>
        Logging.OperatorAlert.Warn(s_log, $"{path}: account '{user.Name}' has created=\"{user.Created:o}\", which is in the future (a clock that ran ahead?); " +
            $"it is treated as created {created:o}, so the messages sent to it are not hidden as an earlier account's, and the file is corrected at its next write. " +
            "It is the same account: its sessions, rooms and messages stay");
}
