using Microsoft.Data.Sqlite;
using NLog;

namespace LanTalk.Server.History;

/// <summary>
/// The one thread that writes history.db, with group commit: everything queued while the previous transaction
/// committed goes into the next one, so under load one fsync covers hundreds of messages and an idle server
/// commits a lone message at once. Owns its connection, its prepared commands and <see cref="_gate"/>.
/// </summary>
internal sealed partial class HistoryWriter : IDisposable
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

    /// <summary>journal_size_limit: the length SQLite cuts a longer log back to when it starts it over.</summary>
    private const long WalKeepBytes = 2 * CheckpointWalBytes;

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

    /// <summary>Log size from which a checkpoint held back by another process's read is logged (8 times the size it usually stays under).</summary>
    internal long LogHeldWarnBytes { get; set; } = 64L * 1024 * 1024;

    // The log size last warned about as held back; 0 when the last checkpoint copied everything. Writer thread only.
    private long _logHeldWarnedAt;

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
    private readonly SqliteCommand _mergeIndex;
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
    private readonly WalFlusher? _flusher;

    // Writer-thread state: the last id and time handed out, the messages of the open group.
    private readonly List<string> _groupRooms = [];
    private readonly List<StoredMessage> _groupMessages = [];
    private long _lastId;

    // history.db.ids: written ahead of the ids committed, so a restore never hands an id out twice. Writer thread only.
    private readonly IdReservation? _ids;
    private long _committedId;
    private long _lastTimeMs;

    // No message is stamped earlier than this (Unix ms): raised from any thread when an account is created, so that
    // what is sent to it is dated after its creation even while the clock is behind the history (AfterNewestMessage).
    private long _timeFloorMs;

    // Whether the clock's falling behind the message times was told (WarnOfFutureTimes, NoteClockBehind). Writer thread only.
    private bool _behindWarned;
    private bool _closing;
    private long _transactions;
    private long _indexedId;

    // _indexedId as of the last commit: what a reader on another connection can see. _indexedId moves inside the
    // transaction, before its commit, and a search that trusted it in that window skipped the newest messages.
    private long _indexedCommitted;
    private long _indexDueTicks;
    private long _operations;
    private long _checkpoints;
    private int _checkpointBackoff;
    private long _walPagesSinceCheckpoint;

    // A group has committed since open: from then on the log must start with its header (FileProblem).
    private bool _walWritten;

    // The log's length at the last file check that found nothing wrong (FileProblem): it may not shrink below this,
    // or below journal_size_limit, by anyone but SQLite.
    private long _walLengthSeen;

    /// <param name="flushDelay">Null: every commit is flushed (synchronous=FULL). Otherwise the delay of the flush thread's flush (NORMAL).</param>
    /// <param name="ids">The ids handed out so far (history.db.ids); null keeps only history.db's own mark (tools, tests).</param>
    /// <param name="offlineCaps">OfflineMessagesPerUser and OfflineMessagesPerSender (<see cref="OfflineCounts"/>).</param>
    public HistoryWriter(SqliteConnection connection, string path, TimeProvider clock, (int PerUser, int PerSender) offlineCaps, RoomTails tails, TimeSpan? flushDelay, IdReservation? ids = null)
    {
        _connection = connection;
        _ids = ids;
        Tails = tails;
        _clock = clock;
        Offline = new OfflineCounts(connection, offlineCaps.PerUser, offlineCaps.PerSender);
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
        _indexRows = Command($"INSERT INTO messages_fts(rowid, text) SELECT id, {SearchScope.IndexText(string.Empty)} FROM messages WHERE id > $from AND id <= $to; UPDATE fts_state SET indexed = $to",
            "$from", "$to");
        _mergeIndex = Command($"INSERT INTO messages_fts(messages_fts, rank) VALUES ('merge', {MergePages})");
        _walPath = path + "-wal";
        _dbPath = path;
        // The log is reused in place after a checkpoint (SQLite writes it again from its start) and cut back only past
        // twice the checkpoint size. Reuse matters for every commit's cost: on ext4 an fdatasync of a file that grew
        // must also write its inode, and measured here (python3 sqlite3, synchronous=FULL, one insert per commit) a
        // commit cost 290-340 µs of CPU and 0.6-4 ms when each one extended the log, against 70-110 µs and 0.1 ms
        // when it overwrote the reused log. Since the file's size no longer says how much was written since the last
        // checkpoint, CheckpointIfLarge counts the pages SQLite wrote to the log instead.
        using (var manual = Command($"PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = {WalKeepBytes}"))
        {
            manual.ExecuteNonQuery();
        }

        _pageSize = Scalar("PRAGMA page_size");
        // Off at open: a deletion's merging was cut short (a crash, a stop); the idle turns finish it and turn it on.
        _automergeOff = ReadAutomergeOff();
        _mergeDue = _automergeOff;
        LoadLastId();
        if (_lastId > IdReservation.MaxId)
        {
            throw new HistoryStoreException($"{_dbPath}: its highest message id, {_lastId}, is above {IdReservation.MaxId}, the highest this server hands out, so the file is damaged. Restore it from a backup");
        }

        WarnOfFutureTimes();
        // Above whatever was handed out before, also when history.db went back in time (a restore). Only here: after a
        // failed group the reservation is ahead of the ids committed, and jumping to it would skip a block each time.
        _lastId = Math.Max(_lastId, _ids?.Reserved ?? 0);
        if (_ids is { Existed: false } && _lastId > 0 && _lastId <= IdReservation.MaxId - IdReservation.UnknownGap)
        {
            // Messages but no record of the ids handed out: a backup restored on a new machine (an ops audit,
            // 2026-12-05: a sleeping laptop that had seen the old server's newest ids dropped the new server's).
            s_log.Warn("History: {File} is missing, so the ids the server handed out after the newest in history.db are unknown (a backup restored on a new machine?); new ids start at {Next}, {Gap} above it, so no client mistakes a new message for one it saw",
                _ids.FilePath, _lastId + IdReservation.UnknownGap + 1, IdReservation.UnknownGap);
            _lastId += IdReservation.UnknownGap;
        }

        // The first block of ids now, not at the first message: after a kill -9 the log already has its space, so on a
        // full disk everything else here succeeded, the server listened, and then refused every message (a chaos
        // audit, 2026-12-05); this write fails instead, and the start waits for space as it does after a clean stop.
        // (At the id ceiling there is nothing to reserve: the store opens and refuses messages with that reason.)
        if (_lastId < IdReservation.MaxId)
        {
            _ids?.Cover(_lastId + 1);
        }

        PresizeLog();
        NoteFiles();
        _committedId = _lastId;
        _indexedId = Scalar("SELECT indexed FROM fts_state");
        _indexedCommitted = _indexedId;
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

    /// <summary>
    /// The highest message id in the committed full-text index (it trails <see cref="CommittedId"/> by at most a batch
    /// or a second): what a search on a read connection finds.
    /// </summary>
    public long IndexedId => Interlocked.Read(ref _indexedCommitted);

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

        foreach (var command in (SqliteCommand[])[_begin, _commit, _checkpoint, _indexRows, _mergeIndex])
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

        CloseWalReader();
        _connection.Dispose();
        OrphanLog();
        _ids?.Settle(_lastId);
    }

    // ---- called by operations, on the writer thread, inside the transaction (also .Operations) ----

    public SqliteConnection Connection => _connection;

    /// <summary>Undelivered offline messages per recipient and sender (writer thread only).</summary>
    public OfflineCounts Offline { get; }

    public TimeProvider Clock => _clock;

    /// <summary>The time of the newest message stamped (any thread; a commit that fails may take it back, never below a committed one).</summary>
    public long NewestTimeMs => Volatile.Read(ref _lastTimeMs);

    /// <summary>From now on no message is stamped before <paramref name="ms"/> (any thread; only ever raised).</summary>
    public void RaiseTimeFloor(long ms)
    {
        long seen = Volatile.Read(ref _timeFloorMs);
        while (ms > seen)
        {
            long was = Interlocked.CompareExchange(ref _timeFloorMs, ms, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
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
                while (due is null && _queue.Count == 0 && !_closing && !IndexDue() && !MergeDue() && !FileCheckDue() && !ReleaseDue())
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
                NoteWork();
            }

            // Outside the gate: producers keep queueing while the index catches up.
            if (IndexDue())
            {
                IndexAlone();
                NoteWork();
            }

            // One slice per turn: what was queued meanwhile is taken first on the next.
            if (MergeDue())
            {
                MergeAlone();
                NoteWork();
            }

            if (FileCheckDue())
            {
                WatchFiles();
            }

            if (ReleaseDue())
            {
                ReleaseMemory();
            }
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
