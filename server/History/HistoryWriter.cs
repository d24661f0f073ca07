using Microsoft.Data.Sqlite;
using NLog;

namespace LanTalk.Server.History;

/// <summary>
/// The one thread that writes history.db, with group commit: everything queued while the previous transaction
/// committed goes into the next one, so under load one fsync covers hundreds of messages and an idle server
/// commits a lone message at once. Owns its connection, its prepared commands and <see cref="_gate"/>.
/// </summary>
internal sealed class HistoryWriter : IDisposable
{
    /// <summary>
    /// Most operations in one transaction. Bounds how long the first message of a group waits for its
    /// acknowledgement (a few ms of inserts plus one fsync) when a backlog has built up.
    /// </summary>
    public const int MaxGroup = 2048;

    /// <summary>
    /// WAL size that triggers a checkpoint (copying the log into history.db): SQLite's own default of 1000 pages.
    /// The writer checkpoints itself, after acknowledging, because SQLite's automatic checkpoint runs inside COMMIT
    /// and reports its own failure (a full disk while growing history.db) as the failure of a commit that did happen.
    /// </summary>
    private const long CheckpointWalBytes = 4 * 1024 * 1024;

    internal const long CheckpointWalBytesForTests = CheckpointWalBytes;

    /// <summary>
    /// With HistoryPowerSafe off: how long after a commit its WAL frames are flushed to the disk (<see cref="WalFlusher"/>).
    /// Short enough that a power cut loses at most a moment of chat; long enough that a steady trickle of messages
    /// costs one flush per second instead of one per message.
    /// </summary>
    public const int FlushDelayMs = 1000;

    /// <summary>Unindexed messages that make the next group index them (HistorySchema step 4).</summary>
    public const int IndexBatch = 1000;

    /// <summary>
    /// The longest a message waits for the full-text index on a quiet server. A search indexes what is pending
    /// first (<see cref="IndexPending"/>), so this bounds only the work left for an idle moment, not what a search sees.
    /// </summary>
    public const int IndexDelayMs = 1000;

    /// <summary>Free space the log's presizing leaves on the disk, for everything else the server and the host write.</summary>
    private const long PresizeReserveBytes = 256L * 1024 * 1024;

    /// <summary>Commits to wait before trying again after a checkpoint that a reader kept from finishing.</summary>
    private const int CheckpointRetryCommits = 64;

    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.History");

    // Guards _queue, _closing and _touchedRooms; held only to add or take, never while writing.
    private readonly object _gate = new();
    private readonly List<WriteOp> _queue = [];
    private readonly HashSet<string> _touchedRooms = new(StringComparer.Ordinal);
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly RawStatement _rawBegin;
    private readonly RawStatement _rawCommit;
    private readonly RawStatement _insertMessage;
    private readonly RawStatement _insertOffline;
    private readonly SqliteCommand _checkpoint;
    private readonly SqliteCommand _indexRows;
    private readonly CompletionLane _lane = new();

    // Operations ever enqueued and ever handed on (committed or refused, completions run or given to the lane), and
    // the barriers waiting for a count to be handed on (AfterPending). Under _gate.
    private readonly Queue<(long After, Action Done)> _barriers = new();
    private long _enqueued;
    private long _handedOn;
    private bool _stopped;
    private readonly string _walPath;
    private readonly long _pageSize;
    private readonly string _dbPath;
    private readonly Thread _thread;
    private readonly TimeProvider _clock;
    private readonly int _offlineCap;
    private readonly WalFlusher? _flusher;

    // Writer-thread state: the last id and time handed out, and undelivered counts per recipient key (lazily loaded).
    private readonly Dictionary<string, int> _offlinePending = new(StringComparer.Ordinal);
    private readonly List<string> _groupRooms = [];
    private readonly List<StoredMessage> _groupMessages = [];
    private long _lastId;
    private long _committedId;
    private long _lastTimeMs;
    private bool _closing;
    private long _transactions;
    private long _indexedId;
    private long _indexDueTicks;
    private long _operations;
    private long _checkpoints;
    private int _checkpointBackoff;
    private long _walPagesSinceCheckpoint;

    // A group has committed since open: from then on the log must start with its header (FileProblem).
    private bool _walWritten;

    /// <param name="flushDelay">Null: every commit is flushed (synchronous=FULL). Otherwise the delay of the flush thread's flush (NORMAL).</param>
    public HistoryWriter(SqliteConnection connection, string path, TimeProvider clock, int offlineCap, RoomTails tails, TimeSpan? flushDelay)
    {
        _connection = connection;
        Tails = tails;
        _clock = clock;
        _offlineCap = offlineCap;
        Health = new StorageHealth(path);
        // BEGIN IMMEDIATE takes the write lock up front, so a commit never fails half-way on a lock upgrade.
        _begin = Command("BEGIN IMMEDIATE");
        _commit = Command("COMMIT");
        _rawBegin = new RawStatement(connection, "BEGIN IMMEDIATE");
        _rawCommit = new RawStatement(connection, "COMMIT");
        // Parameters by position (?1..?8), bound in InsertMessage and InsertOffline.
        _insertMessage = new RawStatement(connection, "INSERT INTO messages(id, room, sender, recipient, kind, time_ms, text, pair) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        _insertOffline = new RawStatement(connection, "INSERT INTO offline(message_id, recipient, sender, stored_ms) VALUES (?1, ?2, ?3, ?4)");
        _checkpoint = Command("PRAGMA wal_checkpoint(PASSIVE)");
        _indexRows = Command("INSERT INTO messages_fts(rowid, text) SELECT id, text FROM messages WHERE id > $from AND id <= $to; UPDATE fts_state SET indexed = $to",
            "$from", "$to");
        _walPath = path + "-wal";
        _dbPath = path;
        // The log is reused in place after a checkpoint (SQLite writes it again from its start) and cut back only past
        // twice the checkpoint size. Reuse matters for every commit's cost: on ext4 an fdatasync of a file that grew
        // must also write its inode, and measured here (python3 sqlite3, synchronous=FULL, one insert per commit) a
        // commit cost 290-340 µs of CPU and 0.6-4 ms when each one extended the log, against 70-110 µs and 0.1 ms
        // when it overwrote the reused log. Since the file's size no longer says how much was written since the last
        // checkpoint, CheckpointIfLarge counts the pages SQLite wrote to the log instead.
        using (var manual = Command($"PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = {2 * CheckpointWalBytes}"))
        {
            manual.ExecuteNonQuery();
        }

        _pageSize = Scalar("PRAGMA page_size");
        LoadLastId();
        PresizeLog();
        _committedId = _lastId;
        _indexedId = Scalar("SELECT indexed FROM fts_state");
        if (_indexedId < _lastId)
        {
            // Left unindexed by the last run (a crash, or a stop inside the delay): the first group picks them up.
            _indexDueTicks = Environment.TickCount64;
        }

        // Last, with the writer thread: nothing after it can throw and leave its thread behind.
        _flusher = flushDelay is { } delay ? new WalFlusher(_walPath, delay) : null;
        _thread = new Thread(Run) { IsBackground = true, Name = "history writer" };
        _thread.Start();
    }

    public StorageHealth Health { get; }

    /// <summary>The rooms' in-memory tails, fed after each commit (replay on join).</summary>
    public RoomTails Tails { get; }

    /// <summary>The highest id handed out so far (it may still be in a transaction that is committing).</summary>
    public long LastId => Interlocked.Read(ref _lastId);

    /// <summary>The highest id that is committed and in the room tails; acknowledgements of ids up to it may have been sent.</summary>
    public long CommittedId => Interlocked.Read(ref _committedId);

    public long Transactions => Interlocked.Read(ref _transactions);

    public long Operations => Interlocked.Read(ref _operations);

    /// <summary>The highest message id in the full-text index (it trails <see cref="CommittedId"/> by at most a batch or a second).</summary>
    public long IndexedId => Interlocked.Read(ref _indexedId);

    /// <summary>Checkpoints run (the WAL copied into history.db); about one per 4 MB of log.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>Delayed flushes done (HistoryPowerSafe off).</summary>
    public long Flushes => _flusher?.Flushes ?? 0;

    /// <summary>Raised on the flush thread after each delayed flush (tests wait on it).</summary>
    public event Action? Flushed
    {
        add
        {
            if (_flusher is not null)
            {
                _flusher.Flushed += value;
            }
        }

        remove
        {
            if (_flusher is not null)
            {
                _flusher.Flushed -= value;
            }
        }
    }

    /// <summary>Queues <paramref name="op"/>; false once closing (the caller answers Closed).</summary>
    public bool TryEnqueue(WriteOp op)
    {
        lock (_gate)
        {
            if (_closing)
            {
                return false;
            }

            _queue.Add(op);
            _enqueued++;
            if (_queue.Count == 1)
            {
                Monitor.Pulse(_gate);
            }

            return true;
        }
    }

    /// <summary>
    /// Runs <paramref name="done"/> once every operation enqueued before this call is committed (or refused) and its
    /// completion has run, so every message accepted before it has been fanned out; at once when nothing is pending.
    /// Neither wakes the writer nor costs a transaction: the writer counts what it has handed on.
    /// </summary>
    public void AfterPending(Action done)
    {
        lock (_gate)
        {
            if (_handedOn < _enqueued && !_stopped)
            {
                _barriers.Enqueue((_enqueued, done));
                return;
            }
        }

        _lane.AfterDispatched(done);
    }

    /// <summary>The barriers whose operations have all been handed on; under the gate.</summary>
    private List<Action>? TakeDueBarriers(bool all)
    {
        List<Action>? due = null;
        while (_barriers.TryPeek(out var barrier) && (all || barrier.After <= _handedOn))
        {
            _barriers.Dequeue();
            (due ??= []).Add(barrier.Done);
        }

        return due;
    }

    private void ReleaseBarriers(List<Action>? due)
    {
        if (due is not null)
        {
            foreach (var done in due)
            {
                _lane.AfterDispatched(done);
            }
        }
    }

    /// <summary>The rooms written since the last call (for the per-room retention cap).</summary>
    public IReadOnlyCollection<string> TakeTouchedRooms()
    {
        lock (_gate)
        {
            var rooms = _touchedRooms.ToArray();
            _touchedRooms.Clear();
            return rooms;
        }
    }

    /// <summary>Commits what is queued, stops the thread and closes the file; waits at most <paramref name="budget"/>.</summary>
    public bool Close(TimeSpan budget)
    {
        lock (_gate)
        {
            _closing = true;
            Monitor.Pulse(_gate);
        }

        return _thread.Join(budget);
    }

    public void Dispose()
    {
        if (!Close(TimeSpan.FromSeconds(10)))
        {
            s_log.Warn("The history writer did not finish within 10 s; closing the file anyway");
            return;
        }

        foreach (var command in (SqliteCommand[])[_begin, _commit, _checkpoint, _indexRows])
        {
            command.Dispose();
        }

        foreach (var statement in (RawStatement[])[_rawBegin, _rawCommit, _insertMessage, _insertOffline])
        {
            statement.Dispose();
        }

        if (Health.NoCheckpoint)
        {
            // The last connection's close checkpoints the log into history.db: with the log or the file damaged that
            // wrote the damage over history.db (a log cut to zero bytes left it all zeros), so the close leaves it be.
            SqliteNative.NoCheckpointOnClose(_connection);
        }

        _connection.Dispose();
    }

    // ---- called by operations, on the writer thread, inside the transaction ----

    public SqliteConnection Connection => _connection;

    public TimeProvider Clock => _clock;

    /// <summary>Inserts a message with the next id; time never goes backwards as ids grow, even if the clock does.</summary>
    public (long Id, long TimeMs) InsertMessage(string? room, string sender, string? recipient, string text, MessageKind kind)
    {
        long id = _lastId + 1;
        long time = Math.Max(_clock.GetUtcNow().ToUnixTimeMilliseconds(), _lastTimeMs);
        var insert = _insertMessage;
        insert.Bind(1, id);
        insert.Bind(2, room);
        insert.Bind(3, sender);
        insert.Bind(4, recipient);
        insert.Bind(5, (long)kind);
        insert.Bind(6, time);
        insert.Bind(7, text);
        insert.Bind(8, recipient is null ? null : MessageStore.PairKey(sender, recipient));
        insert.Execute();
        _lastId = id;
        _lastTimeMs = time;
        if (room is not null)
        {
            _groupRooms.Add(room);
            _groupMessages.Add(new StoredMessage(id, room, sender, null, text, kind, time));
        }

        return (id, time);
    }

    /// <summary>
    /// Adds every message not yet in the full-text index to it, inside the current transaction (a search's write
    /// op calls this first, so a search sees every acknowledged message).
    /// </summary>
    public void IndexPending()
    {
        if (_indexedId >= _lastId)
        {
            return;
        }

        var p = _indexRows.Parameters;
        p[0].Value = _indexedId;
        p[1].Value = _lastId;
        _indexRows.ExecuteNonQuery();
        Interlocked.Exchange(ref _indexedId, _lastId);
        _indexDueTicks = 0;
    }

    /// <summary>Whether <paramref name="recipient"/>'s offline queue has room for one more (OfflineMessagesPerUser).</summary>
    public bool HasOfflineRoom(string recipient) => PendingOffline(MessageStore.UserKey(recipient)) < _offlineCap;

    public void InsertOffline(long id, string recipient, string sender, long time)
    {
        string key = MessageStore.UserKey(recipient);
        var insert = _insertOffline;
        insert.Bind(1, id);
        insert.Bind(2, key);
        insert.Bind(3, MessageStore.UserKey(sender));
        insert.Bind(4, time);
        insert.Execute();
        _offlinePending[key] = PendingOffline(key) + 1;
    }

    /// <summary>Adjusts the cached undelivered count after a delivery; <see cref="ForgetOfflineCounts"/> after bulk changes.</summary>
    public void OfflineDelivered(string recipientKey, int count)
    {
        if (_offlinePending.TryGetValue(recipientKey, out int pending))
        {
            _offlinePending[recipientKey] = Math.Max(0, pending - count);
        }
    }

    public void ForgetOfflineCounts() => _offlinePending.Clear();

    private int PendingOffline(string key)
    {
        if (!_offlinePending.TryGetValue(key, out int pending))
        {
            using var count = _connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM offline WHERE recipient = $r AND delivered_ms IS NULL";
            count.Parameters.AddWithValue("$r", key);
            pending = Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            _offlinePending[key] = pending;
        }

        return pending;
    }

    // ---- the thread ----

    private void Run()
    {
        var group = new List<WriteOp>(MaxGroup);
        int handedOn = 0;
        while (true)
        {
            List<Action>? due;
            lock (_gate)
            {
                // The last group's operations have all been completed or failed (inline or given to the lane).
                _handedOn += handedOn;
                handedOn = 0;
                due = _barriers.Count > 0 ? TakeDueBarriers(all: false) : null;
                while (due is null && _queue.Count == 0 && !_closing && !IndexDue())
                {
                    if (IdleWait() is { } wait)
                    {
                        Monitor.Wait(_gate, wait);
                    }
                    else
                    {
                        Monitor.Wait(_gate);
                    }
                }

                int take = Math.Min(_queue.Count, MaxGroup);
                group.AddRange(_queue.GetRange(0, take));
                _queue.RemoveRange(0, take);
            }

            ReleaseBarriers(due);
            if (group.Count == 0 && Volatile.Read(ref _closing))
            {
                // Stops the flush thread and flushes what it had left, so a clean stop leaves everything on the disk.
                _flusher?.Dispose();
                lock (_gate)
                {
                    _stopped = true;
                    due = TakeDueBarriers(all: true);
                }

                ReleaseBarriers(due);
                return;
            }

            if (group.Count > 0)
            {
                CommitGroup(group);
                handedOn = group.Count;
                group.Clear();
            }

            // Outside the gate: producers keep queueing while the index catches up.
            if (IndexDue())
            {
                IndexAlone();
            }
        }
    }

    private void CommitGroup(List<WriteOp> group)
    {
        // Checked before BEGIN too: a group written into a deleted file or a log whose header is gone was committed
        // there, and SQLite's checkpoint at close copied those "refused" messages into history.db.
        if (!Health.RefuseNow() && FileProblem() is { } before)
        {
            Health.Break(before.Why, before.Damaged);
        }

        if (Health.RefuseNow())
        {
            Health.Refused(group.Count);
            FailAll(group, AppendStatus.StorageUnavailable, null);
            return;
        }

        long savedId = _lastId;
        long savedTime = _lastTimeMs;
        long savedIndexed = _indexedId;
        long savedIndexDue = _indexDueTicks;
        try
        {
            Begin();
            foreach (var op in group)
            {
                op.Execute(this);
            }

            if (IndexDue())
            {
                IndexPending();
            }

            Commit();
        }
        catch (Exception ex)
        {
            Rollback();
            _lastId = savedId;
            _lastTimeMs = savedTime;
            Interlocked.Exchange(ref _indexedId, savedIndexed);
            _indexDueTicks = savedIndexDue;
            ReloadLastIdAfterFailure();
            _offlinePending.Clear();
            _groupRooms.Clear();
            _groupMessages.Clear();
            if (HistoryFile.IsDamage(ex))
            {
                // Retrying cannot mend the file, and a checkpoint would copy the damage into history.db.
                Health.Break(HistoryFile.DamagedWhileRunning(_dbPath, ex), damaged: true);
                Health.Refused(group.Count);
            }
            else if (HistoryFile.IsStorageFailure(ex))
            {
                Health.Failed(ex, group.Count);
            }
            else
            {
                // A bug, not the disk: nothing of this group is stored, and the next group gets a clean start.
                s_log.Error(ex, "History write failed unexpectedly; {Count} operation(s) refused", group.Count);
            }

            FailAll(group, AppendStatus.StorageUnavailable, ex);
            return;
        }

        // The file could have vanished (or its log been cut) between the check above and COMMIT: the group is then
        // in a file that is lost, or in a log whose checkpoint at close would store it after all; so it is taken out
        // again before it is refused. What was acknowledged before stays: only this group's ids are deleted.
        if (FileProblem() is { } after)
        {
            if (!after.Damaged)
            {
                UndoGroup(savedId);
            }

            _offlinePending.Clear();
            _groupRooms.Clear();
            _groupMessages.Clear();
            Health.Break(after.Why, after.Damaged);
            Health.Refused(group.Count);
            FailAll(group, AppendStatus.StorageUnavailable, null);
            return;
        }

        Health.Succeeded();
        _walWritten = true;
        if (_indexedId < _lastId && _indexDueTicks == 0)
        {
            _indexDueTicks = Environment.TickCount64 + IndexDelayMs;
        }

        _flusher?.NoteCommit();

        Interlocked.Exchange(ref _transactions, _transactions + 1);
        Interlocked.Exchange(ref _operations, _operations + group.Count);
        if (_groupRooms.Count > 0)
        {
            lock (_gate)
            {
                _touchedRooms.UnionWith(_groupRooms);
            }

            _groupRooms.Clear();
        }

        // Before the acknowledgements: a join that follows an acknowledged message finds it in the tail.
        foreach (var message in _groupMessages)
        {
            Tails.Add(message);
        }

        _groupMessages.Clear();
        Interlocked.Exchange(ref _committedId, _lastId);
        _lane.Complete(group);

        CheckpointIfLarge();
    }

    /// <summary>
    /// Whether history.db and its -wal are still the files SQLite writes: both still in the data directory (SQLite
    /// keeps writing to a deleted file through its open descriptor, so with the file or the whole data directory
    /// deleted or moved away every message was acknowledged and then lost), and, once a group has committed, the log
    /// still starting with its header (a log cut short under the server took writes that no reader could read, and the
    /// checkpoint at close then wrote its zeros over history.db). Checked before each group and after its commit,
    /// before anyone is told: a stat of each file and a 4-byte read of the log's header.
    /// </summary>
    private (string Why, bool Damaged)? FileProblem()
    {
        string? missing = !File.Exists(_dbPath) ? _dbPath : !File.Exists(_walPath) ? _walPath : null;
        if (missing is not null)
        {
            return ($"{missing} was deleted or moved away while the server ran, so what is written now would be lost. Restart the server: "
                + $"messages acknowledged before are kept{(missing == _walPath ? $" (the stop copies them from the open log into {_dbPath})" : string.Empty)}; "
                + $"with {_dbPath} itself gone it starts a new, empty history, so restore a backup first to keep the old messages", false);
        }

        if (_walWritten && !WalHeaderIntact())
        {
            return ($"{_walPath}: its header is gone (the file was truncated or overwritten while the server ran). {HistoryFile.DamagedAtRunTime}", true);
        }

        return null;
    }

    /// <summary>The log starts with SQLite's WAL magic (0x377f0682 or 0x377f0683, big-endian); false when cut short or overwritten.</summary>
    private bool WalHeaderIntact()
    {
        Span<byte> magic = stackalloc byte[4];
        try
        {
            using var wal = File.OpenHandle(_walPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (RandomAccess.Read(wal, magic, 0) < 4)
            {
                return false;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Cannot even read it: the commits themselves say what is wrong with the disk.
            return true;
        }

        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(magic) is 0x377f0682 or 0x377f0683;
    }

    /// <summary>
    /// Takes a committed group back out of the file: its messages (ids above <paramref name="savedId"/>), their offline
    /// entries and their full-text rows (the delete trigger), in a transaction of its own. Operations of other kinds
    /// in the group (delivery marks, retention, an offline entry for an older message) are not taken back.
    /// </summary>
    private void UndoGroup(long savedId)
    {
        try
        {
            Begin();
            using (var undo = Command("DELETE FROM offline WHERE message_id > $from; DELETE FROM messages WHERE id > $from; UPDATE fts_state SET indexed = $from WHERE indexed > $from", "$from"))
            {
                undo.Parameters[0].Value = savedId;
                undo.ExecuteNonQuery();
            }

            Commit();
            Interlocked.Exchange(ref _indexedId, Math.Min(_indexedId, savedId));
        }
        catch (Exception ex)
        {
            Rollback();
            s_log.Error(ex, "History: messages above id {Id}, refused with StorageUnavailable, could not be taken out of {File} again; a client that resends them may show them twice", savedId, _dbPath);
        }
    }

    private bool IndexDue() => _indexDueTicks != 0 && (_lastId - _indexedId >= IndexBatch || Environment.TickCount64 >= _indexDueTicks);

    // How long the idle writer may sleep before the index is due; null = until work arrives.
    private TimeSpan? IdleWait() =>
        _indexDueTicks != 0 ? TimeSpan.FromMilliseconds(Math.Max(0, _indexDueTicks - Environment.TickCount64)) : null;

    /// <summary>The index's catch-up on an idle writer: its own small transaction (no message waits on it).</summary>
    private void IndexAlone()
    {
        long savedIndexed = _indexedId;
        try
        {
            Begin();
            IndexPending();
            Commit();
        }
        catch (SqliteException ex)
        {
            Rollback();
            Interlocked.Exchange(ref _indexedId, savedIndexed);
            // Try again a delay later; a search meanwhile indexes in its own op, and commits report a broken disk.
            _indexDueTicks = Environment.TickCount64 + IndexDelayMs;
            s_log.Debug("Full-text indexing failed: {Error}", ex.Message);
        }
    }

    private void CheckpointIfLarge()
    {
        if (Health.NoCheckpoint)
        {
            return;
        }

        if (_checkpointBackoff > 0)
        {
            // The last checkpoint could not copy everything (a reader held old pages): the log cannot be reused yet,
            // so try again only after some commits instead of after every one.
            _checkpointBackoff--;
            return;
        }

        _walPagesSinceCheckpoint += TakePagesWritten();
        if (_walPagesSinceCheckpoint * _pageSize < CheckpointWalBytes)
        {
            return;
        }

        try
        {
            using var reader = _checkpoint.ExecuteReader();
            // (busy, frames in the log, frames copied): all copied means the next commit restarts the log.
            if (reader.Read() && reader.GetInt64(2) < reader.GetInt64(1))
            {
                _checkpointBackoff = CheckpointRetryCommits;
            }
            else
            {
                // Everything copied: the next commit writes the log again from its start.
                _walPagesSinceCheckpoint = 0;
            }

            Interlocked.Increment(ref _checkpoints);
        }
        catch (SqliteException ex)
        {
            // The WAL keeps the data safe meanwhile; a commit that then cannot grow the log reports the disk itself.
            s_log.Debug("History checkpoint failed: {Error}", ex.Message);
        }
    }

    /// <summary>
    /// Gives the log its working size at start-up, in zeros, so that the first commits of a newly started server also
    /// overwrite it instead of each extending it (the journal_size_limit note in the constructor). SQLite reads a log
    /// only up to the last frame that matches the salts and checksum chain of the header it wrote, so zeros past it
    /// are never taken for data, and a crash right after this leaves a log that recovery finds empty. Best effort: a
    /// log left short only makes the first 4 MB of commits slower.
    /// </summary>
    private void PresizeLog()
    {
        const long Target = CheckpointWalBytes + CheckpointWalBytes / 4;
        try
        {
            using var wal = new FileStream(_walPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            if (wal.Length >= Target)
            {
                return;
            }

            // Only with room to spare: on a nearly full disk the zeros took the last free bytes at every start, and
            // the next Users.xml save or message then failed for a speed-up worth a few ms.
            if (HistoryFile.FreeBytes(_walPath) is not { } free || free < PresizeReserveBytes + Target - wal.Length)
            {
                s_log.Info("History: {File} not given its working size, since the disk has little free space; the first commits extend it instead", _walPath);
                return;
            }

            wal.Seek(0, SeekOrigin.End);
            var zeros = new byte[64 * 1024];
            while (wal.Length < Target)
            {
                wal.Write(zeros, 0, (int)Math.Min(zeros.Length, Target - wal.Length));
            }

            wal.Flush(flushToDisk: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            s_log.Warn("History could not give {File} its working size: {Error}", _walPath, ex.Message);
        }
    }

    /// <summary>
    /// Pages written to the log since the last call (SQLITE_DBSTATUS_CACHE_WRITE, reset on read): in WAL mode, the
    /// frames this connection appended, which is what a checkpoint has to copy.
    /// </summary>
    private long TakePagesWritten()
    {
        const int CacheWrite = 9; // SQLITE_DBSTATUS_CACHE_WRITE
        return SQLitePCL.raw.sqlite3_db_status(_connection.Handle, CacheWrite, out int written, out _, 1) == SQLitePCL.raw.SQLITE_OK
            ? written
            : 0;
    }

    private void LoadLastId()
    {
        _lastId = Math.Max(_lastId, Scalar("SELECT seq FROM sqlite_sequence WHERE name = 'messages'"));
        _lastTimeMs = Math.Max(_lastTimeMs, Scalar("SELECT time_ms FROM messages ORDER BY id DESC LIMIT 1"));
    }

    /// <summary>
    /// After a failed group, reads the high-water mark back from the file: if SQLite committed although it reported
    /// an error, the next ids must still be new. The group's senders then hear StorageUnavailable for messages that
    /// are in fact stored; a resend may duplicate one, but an acknowledged message is never lost.
    /// </summary>
    private void ReloadLastIdAfterFailure()
    {
        try
        {
            LoadLastId();
        }
        catch (SqliteException)
        {
            // Cannot even read: the saved values stand, and the next group tries again.
        }
    }

    private static void FailAll(List<WriteOp> group, AppendStatus status, Exception? error)
    {
        foreach (var op in group)
        {
            op.Fail(status, error);
        }
    }

    // A group's BEGIN and COMMIT, without SqliteCommand's allocations (RawStatement). Only this process writes the
    // file (history.db.lock), so the lock is always free; if it ever is not, SqliteCommand waits for it as before.
    private void Begin()
    {
        if (!_rawBegin.TryExecuteUnlessBusy())
        {
            _begin.ExecuteNonQuery();
        }
    }

    private void Commit()
    {
        if (!_rawCommit.TryExecuteUnlessBusy())
        {
            _commit.ExecuteNonQuery();
        }
    }

    private void Rollback()
    {
        try
        {
            using var rollback = Command("ROLLBACK");
            rollback.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // No transaction was open (BEGIN itself failed), or SQLite already rolled it back after the error.
        }
    }

    private SqliteCommand Command(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (string name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private long Scalar(string sql)
    {
        using var command = Command(sql);
        return command.ExecuteScalar() is long value ? value : 0;
    }
}
