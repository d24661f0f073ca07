using LanTalk.Server.Rooms;
using LanTalk.Server.Settings;
using Microsoft.Data.Sqlite;
using NLog;

namespace LanTalk.Server.History;

/// <summary>
/// Message history, the offline queue and delivery receipts in Data/history.db (SQLite, WAL). Appends go through
/// one writer thread with group commit and complete only after a durable commit, so an acknowledgement sent
/// after <see cref="AppendRoomAsync"/> completes survives kill -9 of the server and, with synchronous=FULL, a
/// power loss. Reads run on pooled connections beside the writer (WAL lets them see the last commit without
/// waiting). Split by concern: queries (.Queries), the offline queue (.Offline), retention (<see cref="HistoryPruner"/>).
/// </summary>
public sealed partial class MessageStore : IMessageLog, IAsyncDisposable, IDisposable
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.History");

    private readonly HistoryWriter _writer;
    private readonly HistoryPruner _pruner;
    private readonly FileStream _ownerLock;
    private readonly string _readConnectionString;
    private readonly TimeProvider _clock;
    // history.db.ids, whose content the clean-stop mark records (CleanStopMark).
    private readonly string _idsPath;
    private int _disposed;

    private MessageStore(string path, ServerSettings settings, TimeProvider clock, FileStream ownerLock, SqliteConnection connection, IdReservation ids)
    {
        FilePath = path;
        Settings = settings;
        _clock = clock;
        _openedWall = clock.GetUtcNow();
        _openedTimestamp = clock.GetTimestamp();
        _ownerLock = ownerLock;
        _idsPath = ids.FilePath;
        _readConnectionString = HistoryFile.ConnectionString(path, SqliteOpenMode.ReadWrite, pooled: true);
        _writer = new HistoryWriter(connection, path, clock, (settings.OfflineMessagesPerUser, settings.OfflineMessagesPerSender), new RoomTails(settings.HistoryOnJoin),
            settings.HistoryPowerSafe ? null : TimeSpan.FromMilliseconds(HistoryWriter.FlushDelayMs), ids);
        _pruner = new HistoryPruner(this, _writer);
    }

    /// <summary>
    /// How many of each room's last messages are kept in memory for the replay on join: HistoryOnJoin (50 by
    /// default; 1,000 rooms x 50 messages is a few MB). A longer replay (a catch-up, paging) reads the file.
    /// </summary>
    public int TailLength => Settings.HistoryOnJoin;

    public string FilePath { get; }

    public ServerSettings Settings { get; }

    /// <summary>False while commits fail (disk full, read-only); appends then return StorageUnavailable at once.</summary>
    public bool Available => _writer.Health.Available;

    /// <summary>Raised on the writer thread: false when commits start failing, true when they work again.</summary>
    public event Action<bool>? AvailabilityChanged
    {
        add => _writer.Health.Changed += value;
        remove => _writer.Health.Changed -= value;
    }

    /// <summary>For tests: the log size from which a checkpoint held back by another process's read is logged.</summary>
    internal long LogHeldWarnBytes
    {
        set => _writer.LogHeldWarnBytes = value;
    }

    /// <summary>The highest message id handed out; ids only grow, also across restarts.</summary>
    public long LastId => _writer.LastId;

    /// <summary>The highest committed id: every message up to it is in history.db and in the in-memory room tails.</summary>
    public long CommittedId => _writer.CommittedId;

    /// <summary>Transactions committed since open; with <see cref="Operations"/> it shows how well commits are grouped.</summary>
    public long Transactions => _writer.Transactions;

    public long Operations => _writer.Operations;

    /// <summary>Checkpoints so far: about one per 4 MB of write-ahead log, never one per commit.</summary>
    public long Checkpoints => _writer.Checkpoints;

    /// <summary>Delayed flushes of the WAL to the disk so far (only with HistoryPowerSafe off).</summary>
    public long Flushes => _writer.Flushes;

    /// <summary>Raised on the writer thread after each delayed flush; a handler must return at once.</summary>
    public event Action? Flushed
    {
        add => _writer.Flushed += value;
        remove => _writer.Flushed -= value;
    }

    /// <summary>
    /// Opens (creating or migrating) <paramref name="dataDirectory"/>/history.db and starts the writer and the
    /// background retention. Throws <see cref="HistoryStoreException"/> naming the file and the fix when the file is
    /// from a newer server, is not a database, cannot be written, or another server process holds it.
    /// </summary>
    public static MessageStore Open(string dataDirectory, ServerSettings settings, TimeProvider? clock = null, bool startRetention = true) =>
        Open(dataDirectory, settings, clock, startRetention, notifySocket: null);

    /// <param name="notifySocket">systemd's notify socket, when it is not the process's NOTIFY_SOCKET (tests).</param>
    internal static MessageStore Open(string dataDirectory, ServerSettings settings, TimeProvider? clock, bool startRetention, string? notifySocket)
    {
        SqliteNative.EnsureInitialized();
        DataDirectory.EnsureExists(dataDirectory);
        string path = HistoryFile.PathIn(dataDirectory);
        HistoryFile.RefuseDirectory(path);
        // history.db.ids stays in the data directory; the database, and the -wal, -shm and lock beside it, are where
        // a symbolic link leads: SQLite keeps its log beside the link's target, and the checks must look there too.
        var ids = IdReservation.Open(path);
        path = Users.AtomicFile.FinalTarget(path);
        HistoryFile.RefuseEmptied(path, ids);
        HistoryFile.RefuseOddCompanions(path);
        HistoryFileShape.RefuseTorn(path);
        var ownerLock = TakeOwnerLock(path);
        SqliteConnection? connection = null;
        try
        {
            HistoryFile.CreateIfMissing(path);
            // After the lock: the directory is writable, so a file we cannot write is the file's own fault.
            HistoryFile.RefuseReadOnly(path);
            // The checks below read every page of history.db (quick_check): about 6 s per GB from the page cache, 16 s
            // per GB from this VM's disk when cold, more from a spinning one. Under systemd's 90 s start timeout a
            // history of a few GB was then killed mid-check and restarted into the same check; the upgrade's reindex
            // asks for more time the same way (HistorySchema.Migrate).
            using var slowStart = notifySocket is null ? Hosting.StartTimeoutExtension.Begin() : Hosting.StartTimeoutExtension.Begin(notifySocket);
            bool logChecked = HistoryFile.RefuseUnfitLog(path, ids.FilePath);
            CleanStopMark.Clear(path);
            connection = new SqliteConnection(HistoryFile.ConnectionString(path, SqliteOpenMode.ReadWrite));
            connection.Open();
            // Before Configure, which would already switch a foreign file to WAL mode.
            HistoryFile.RefuseForeign(connection, path);
            HistoryFile.RefuseLostLog(connection, path, ids);
            if (!logChecked)
            {
                HistoryFile.RefuseDamaged(connection, path);
            }

            Configure(connection, settings.HistoryPowerSafe);
            SearchFold.Register(connection);
            HistorySchema.Migrate(connection, path);
            HistorySchema.RefuseIncomplete(connection, path);
            var store = new MessageStore(path, settings, clock ?? TimeProvider.System, ownerLock, connection, ids);
            if (startRetention)
            {
                store._pruner.Start();
            }

            return store;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            connection?.Dispose();
            ownerLock.Dispose();
            throw HistoryFile.Explain(path, ex);
        }
        catch
        {
            connection?.Dispose();
            ownerLock.Dispose();
            throw;
        }
    }

    /// <summary>Stores a room message; completes after the commit with the id and server time, or with why not.</summary>
    public Task<AppendResult> AppendRoomAsync(string room, string sender, string text, MessageKind kind = MessageKind.Normal) =>
        AsTask(done => AppendRoom(room, sender, text, kind, done));

    /// <inheritdoc/>
    public void AppendRoom(string room, string sender, string text, MessageKind kind, Action<AppendResult> committed) =>
        Append(new AppendOp(RoomKey(room), sender, null, text, kind, queueOffline: false, committed));

    /// <summary>
    /// Stores a private message. With <paramref name="queueForDelivery"/> (the recipient has no session) it also
    /// joins the recipient's offline queue, or is refused with TooManyStored when that queue is full.
    /// </summary>
    public Task<AppendResult> AppendPrivateAsync(string sender, string recipient, string text, MessageKind kind = MessageKind.Normal, bool queueForDelivery = false) =>
        AsTask(done => AppendPrivate(sender, recipient, text, kind, queueForDelivery, done));

    /// <inheritdoc/>
    public void AppendPrivate(string sender, string recipient, string text, MessageKind kind, bool queueForDelivery, Action<AppendResult> committed) =>
        Append(new AppendOp(null, sender, recipient, text, kind, queueForDelivery, committed));

    /// <inheritdoc/>
    public void AfterPending(Action done) => _writer.AfterPending(done);

    /// <inheritdoc/>
    public void QueueForDelivery(AppendResult stored, string sender, string recipient, Action<AppendResult> queued) =>
        _ = QueueAsync(stored, sender, recipient, queued);

    private async Task QueueAsync(AppendResult stored, string sender, string recipient, Action<AppendResult> queued)
    {
        AppendResult result;
        try
        {
            await WriteAsync(writer =>
            {
                using var command = writer.Connection.CreateCommand();
                command.CommandText = "INSERT OR IGNORE INTO offline(message_id, recipient, sender, stored_ms) VALUES ($id, $recipient, $sender, $now)";
                command.Parameters.AddWithValue("$id", stored.Id);
                command.Parameters.AddWithValue("$recipient", UserKey(recipient));
                command.Parameters.AddWithValue("$sender", UserKey(sender));
                command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                int added = command.ExecuteNonQuery();
                if (added > 0)
                {
                    // Counted like any queued message, so the caps see it (it was already stored, so it is not refused).
                    writer.Offline.Added(UserKey(recipient), UserKey(sender));
                }

                return added;
            }).ConfigureAwait(false);
            result = new AppendResult(AppendStatus.StoredForDelivery, stored.Id, stored.TimeMs);
        }
        catch (Exception ex) when (ex is HistoryUnavailableException or ObjectDisposedException or SqliteException or IOException)
        {
            s_log.Warn("A private message to {Recipient}, whose last session had just closed, could not be queued for delivery: {Error}", recipient, ex.Message);
            result = AppendResult.Failed(AppendStatus.StorageUnavailable);
        }

        queued(result);
    }

    /// <summary>Applies retention now (HistoryDays, HistoryMaxMessagesPerRoom, offline expiry); it also runs every minute.</summary>
    public Task<PruneResult> PruneAsync(CancellationToken cancellationToken = default) => _pruner.RunAsync(cancellationToken);

    /// <summary>The background retention, for tests that set its write budget.</summary>
    internal HistoryPruner Pruner => _pruner;

    /// <summary>The lower-cased key rooms are stored and looked up by: room names match case-insensitively.</summary>
    public static string RoomKey(string room) => room.ToLowerInvariant();

    /// <summary>The key of the private conversation between two users: both user keys, the smaller first, newline-joined.</summary>
    public static string PairKey(string user, string other)
    {
        string a = UserKey(user);
        string b = UserKey(other);
        return string.CompareOrdinal(a, b) <= 0 ? a + "\n" + b : b + "\n" + a;
    }

    /// <summary>The lower-cased key of a user name in the offline queue (user names match case-insensitively).</summary>
    public static string UserKey(string user) => user.ToLowerInvariant();

    /// <summary>Runs <paramref name="work"/> on the writer thread inside a group's transaction (retention, delivery marks, tests).</summary>
    internal Task<T> WriteAsync<T>(Func<HistoryWriter, T> work)
    {
        var op = new FuncOp<T>(work);
        if (!_writer.TryEnqueue(op))
        {
            op.Fail(AppendStatus.Closed, null);
        }

        return op.Task;
    }

    /// <summary>
    /// How long one request's read may take (<see cref="History.ReadBudget"/>); past it the read fails with
    /// SQLITE_INTERRUPT. Tests shorten it.
    /// </summary>
    internal TimeSpan ReadBudget { get; set; } = History.ReadBudget.Default;

    /// <summary>A pooled reader; a request's read (<paramref name="budgeted"/>) is stopped after <see cref="ReadBudget"/>.</summary>
    internal SqliteConnection OpenReader(bool budgeted = false)
    {
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        try
        {
            if (Health.NoCheckpoint)
            {
                // A reader that closes after the writer would be the file's last connection, whose close checkpoints.
                SqliteNative.NoCheckpointOnClose(connection);
            }

            History.ReadBudget.Start(connection, budgeted ? ReadBudget : null);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return connection;
    }

    internal TimeProvider Clock => _clock;

    /// <summary>How long the writer waits without a commit before it frees its page cache (<see cref="HistoryWriter.DefaultIdleRelease"/>); tests shorten it.</summary>
    internal TimeSpan IdleMemoryRelease
    {
        get => _writer.IdleRelease;
        set => _writer.IdleRelease = value;
    }

    /// <summary>Raised on the writer thread after it freed its page cache, with the cache's bytes before and after.</summary>
    internal event Action<long, long>? MemoryReleased
    {
        add => _writer.MemoryReleased += value;
        remove => _writer.MemoryReleased -= value;
    }

    /// <summary>Raised on the writer thread when a merge slice left nothing to merge (tests).</summary>
    internal event Action? IndexMerged
    {
        add => _writer.IndexMerged += value;
        remove => _writer.IndexMerged -= value;
    }

    /// <summary>Tests only: runs on the writer thread after each commit, before the group's operations complete.</summary>
    internal Action? AfterCommit
    {
        set => _writer.Committed = value;
    }

    /// <summary>The writer connection's page cache now, in bytes; only meaningful while the writer is idle.</summary>
    internal long WriterCacheBytes => _writer.CacheBytes();

    /// <summary>
    /// When an account created at <paramref name="created"/> (by the wall clock) is new to the server: not before the
    /// newest stored message's time plus a millisecond, and no message stored from now on is dated before it. Private
    /// messages dated before an account's creation are a removed namesake's and stay hidden from it; with the clock
    /// behind the history (stepped back: messages keep the newest time until it passes it), a name removed and
    /// created again got a date before the old account's last messages, which the new person then received and read
    /// (clock audit, 2026-12-07).
    /// </summary>
    public DateTimeOffset AfterNewestMessage(DateTimeOffset created)
    {
        long at = Math.Max(created.ToUnixTimeMilliseconds(), _writer.NewestTimeMs + 1);
        _writer.RaiseTimeFloor(at);
        return at > created.ToUnixTimeMilliseconds() ? DateTimeOffset.FromUnixTimeMilliseconds(at) : created;
    }

    /// <summary>
    /// From now on no message is dated before <paramref name="floor"/> (<see cref="ClockFloor"/>); the operator is told
    /// when the clock is earlier now. The running server's, not a test's store, whose clock may be set anywhere.
    /// </summary>
    public void DateNothingBefore(DateTimeOffset floor)
    {
        _writer.RaiseTimeFloor(floor.ToUnixTimeMilliseconds());
        var now = _clock.GetUtcNow();
        if (now < floor)
        {
            s_log.Warn("The system clock says {Now:u}, before this version of lantalk-server was made ({Floor:u}), so it is wrong: new messages are dated {Floor:u} "
                + "until it is set, so that none looks decades old once it is (retention would remove them at once). Set the clock (timedatectl, NTP)", now, floor, floor);
        }
    }

    // The wall clock and the monotonic clock at open: what is judged by age (retention, the offline queue's expiry)
    // trusts the wall clock only while it keeps pace with the time that really passed.
    private readonly DateTimeOffset _openedWall;
    private readonly long _openedTimestamp;

    /// <summary>How far the wall clock has run ahead of the time that passed since the store opened.</summary>
    internal TimeSpan ClockAhead => _clock.GetUtcNow() - _openedWall - _clock.GetElapsedTime(_openedTimestamp);

    /// <summary>False while the wall clock is more than <see cref="HistoryPruner.MaxClockJump"/> ahead: nothing is judged by age then.</summary>
    internal bool ClockTrusted => ClockAhead <= HistoryPruner.MaxClockJump;

    /// <summary>
    /// A read failed. SQLITE_NOTADB or SQLITE_CORRUPT means the file or its log is damaged (a log cut short under the
    /// server shows only to readers; the writer writes on): the store then refuses every write and never checkpoints
    /// again, so what history.db held stays. Anything else is left to the caller.
    /// </summary>
    internal void NoteReadFailure(Exception ex)
    {
        if (!HistoryFile.IsDamage(ex))
        {
            return;
        }

        if (HistoryFile.ConfirmDamage(FilePath))
        {
            Health.Break(HistoryFile.DamagedWhileRunning(FilePath, ex), damaged: true);
        }
        else
        {
            s_log.Warn("{File}: a read failed ({Error}), but a check of the whole file finds it intact: a passing read error of the disk, not damage; chat goes on", FilePath, ex.Message);
        }
    }

    internal StorageHealth Health => _writer.Health;

    private void Append(AppendOp op)
    {
        if (_writer.Health.RefuseNow())
        {
            _writer.Health.Refused(1);
            op.Fail(AppendStatus.StorageUnavailable, null);
            return;
        }

        if (!_writer.TryEnqueue(op))
        {
            op.Fail(AppendStatus.Closed, null);
        }
    }

    // Callers that await (tests, the bench, tools) continue on the pool, never on the writer thread.
    private static Task<AppendResult> AsTask(Action<Action<AppendResult>> append)
    {
        var done = new TaskCompletionSource<AppendResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        append(result => done.TrySetResult(result));
        return done.Task;
    }

    /// <summary>Stops retention, commits what is queued and closes the file, within the shutdown budget.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _pruner.StopAsync().ConfigureAwait(false);
        // The pooled readers close first, so that the writer's connection is the file's last: SQLite then checkpoints
        // and deletes history.db-wal, and a stopped server leaves one file (and its disk space) behind, not three.
        using (var connection = new SqliteConnection(_readConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _writer.Dispose();
        // Under the owner lock still: no other server can have started on the file in between.
        CleanStopMark.Write(FilePath, _idsPath);

        _ownerLock.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The writer connection's page cache limit, in KiB (PRAGMA cache_size takes a negative number as KiB).</summary>
    internal const int WriterCacheKiB = 32 * 1024;

    private static void Configure(SqliteConnection connection, bool powerSafe)
    {
        using var command = connection.CreateCommand();
        // WAL: readers never block the writer, and a commit appends to one file. synchronous=FULL: every commit
        // fsyncs the WAL, so an acknowledged message survives power loss and OS crashes too. NORMAL (HistoryPowerSafe
        // off) survives kill -9, since the commit is then in the OS page cache, and the writer's delayed flush
        // bounds what a power cut can take. Group commit pays a flush once per group either way.
        command.CommandText = powerSafe
            ? "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF;"
            : "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF;";
        // The writer's page cache: SQLite's default of 2 MB holds too little of the indexes once private messages of
        // hundreds of conversations interleave (each group touches a leaf of messages_by_pair per conversation), and
        // the writer then spent a sixth of its time re-reading pages from the OS cache. Pages are allocated as used,
        // so a small history costs nothing extra.
        command.CommandText += $" PRAGMA cache_size = -{WriterCacheKiB};";
        command.ExecuteNonQuery();
        command.CommandText = "PRAGMA journal_mode";
        if (command.ExecuteScalar() as string != "wal")
        {
            throw new HistoryStoreException($"{connection.DataSource}: SQLite could not switch the file to WAL mode; the file system may not support it (use a local disk for the data directory)");
        }
    }

    /// <summary>
    /// history.db.lock, held for the store's life: a second server on the same data directory would hand out the
    /// same ids, so it is refused at start with a clear message instead. The kernel drops the lock if we die.
    /// </summary>
    private static FileStream TakeOwnerLock(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        if (LockFileProblem.Describe(path + ".lock") is { } problem)
        {
            throw new HistoryStoreException(problem);
        }

        try
        {
            return new FileStream(path + ".lock", options);
        }
        catch (IOException ex) when (Users.UsersFileLock.IsHeldByAnother(ex))
        {
            throw new HistoryStoreException($"{path}: another lantalk-server process is using this data directory (it holds {Path.GetFileName(path)}.lock). Stop it, or give this one its own --data directory", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A read-only or full file system, not another server: the lock file cannot even be created.
            throw HistoryFile.Explain(path, ex);
        }
    }
}
