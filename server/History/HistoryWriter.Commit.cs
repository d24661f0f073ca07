using Microsoft.Data.Sqlite;

namespace LanTalk.Server.History;

/// <summary>One group's transaction: commit, or roll back and refuse, and tell every operation which.</summary>
internal sealed partial class HistoryWriter
{
    /// <summary>Tests only: runs on the writer thread after each group's commit, before its operations complete (a slow disk's fsync).</summary>
    internal Action? Committed { get; set; }

    private void CommitGroup(List<WriteOp> group)
    {
        // Checked before BEGIN too: a group written into a deleted file or a log whose header is gone was committed
        // there, and SQLite's checkpoint at close copied those "refused" messages into history.db.
        if (!Health.RefuseNow() && FileProblem() is { } before)
        {
            if (before.Transient)
            {
                // Refused below, and retried after RetryAfterMs, as for a full disk.
                Health.Failed(new IOException(before.Why), 0);
            }
            else
            {
                Health.Break(before.Why, before.Damaged);
                SaveOpenLog();
            }
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
            Offline.Forget();
            _groupRooms.Clear();
            _groupMessages.Clear();
            if (ex is HistoryStoreException used)
            {
                // The ids are used up (IdReservation.Cover): no retry can help.
                Health.Break(used.Message, damaged: false);
                Health.Refused(group.Count);
            }
            else if (HistoryFile.IsDamage(ex) && HistoryFile.ConfirmDamage(_dbPath))
            {
                // Retrying cannot mend the file, and a checkpoint would copy the damage into history.db.
                Health.Break(HistoryFile.DamagedWhileRunning(_dbPath, ex), damaged: true);
                Health.Refused(group.Count);
            }
            else if (HistoryFile.IsStorageFailure(ex))
            {
                Health.Failed(ex, group.Count);
                if (ex is SqliteException { SqliteExtendedErrorCode: SqliteIoErrFsync } && !CutUnsyncedFrames())
                {
                    OverwriteUnsyncedCommit();
                }
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

            Offline.Forget();
            _groupRooms.Clear();
            _groupMessages.Clear();
            if (after.Transient)
            {
                Health.Failed(new IOException(after.Why), group.Count);
            }
            else
            {
                Health.Break(after.Why, after.Damaged);
                SaveOpenLog();
                Health.Refused(group.Count);
            }

            FailAll(group, AppendStatus.StorageUnavailable, null);
            return;
        }

        Committed?.Invoke();
        Health.Succeeded();
        // A group that changed nothing (deleting the messages of a room that had none) writes no frame, and the log
        // (pre-sized in zeros) has no header yet: it is checked once SQLite has written one. A start that deleted such
        // a room took that log for one whose header was cut off, and refused every message after it (a regression
        // audit, 2026-12-06).
        _walWritten = _walWritten || WalHeaderIntact();
        if (_fileCheckDueTicks == 0)
        {
            _fileCheckDueTicks = Environment.TickCount64 + FileWatchMs;
        }
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

    private static void FailAll(List<WriteOp> group, AppendStatus status, Exception? error)
    {
        foreach (var op in group)
        {
            op.Fail(status, error);
        }
    }

    // A group's BEGIN and COMMIT, without SqliteCommand's allocations (RawStatement). Only this process writes the
    // file (history.db.lock), so the lock is always free; if it ever is not, SqliteCommand waits for it as before.
    // SQLITE_IOERR_FSYNC: the group's frames, commit marker included, are in the log; only their flush failed.
    private const int SqliteIoErrFsync = 1034;

    /// <summary>
    /// After a commit whose flush failed: its frames are in the log with a valid commit marker, only SQLite's index does
    /// not count them, so a crash before the next commit made recovery take them, and a group the senders were told was
    /// refused came back after the restart (a private one delivered to its recipient; fault injection, 2026-12-05).
    /// This cuts the log after the last frame the index counts (mxFrame, read from the -shm header, which SQLite keeps
    /// in the machine's byte order), so no recovery finds them; the next commit writes there again. The cut needs no
    /// flush to count for a crash of the server. False when the header cannot be read or the log cannot be cut.
    /// </summary>
    private bool CutUnsyncedFrames()
    {
        const int FrameHeader = 24;
        const int LogHeader = 32;
        try
        {
            Span<byte> index = stackalloc byte[48 * 2];
            using (var shm = File.OpenHandle(_dbPath + "-shm", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                if (RandomAccess.Read(shm, index, 0) < index.Length)
                {
                    return false;
                }
            }

            // Two copies of the 48-byte header; SQLite writes them one after the other, so they agree when it is idle.
            if (!index[..48].SequenceEqual(index[48..]) || index[12] != 1)
            {
                return false;
            }

            ushort size = System.Runtime.InteropServices.MemoryMarshal.Read<ushort>(index[14..]);
            int pageSize = size == 1 ? 65536 : size; // 1 stands for 65,536, which 16 bits cannot hold
            uint lastFrame = System.Runtime.InteropServices.MemoryMarshal.Read<uint>(index[16..]);
            long keep = LogHeader + ((long)lastFrame * (FrameHeader + pageSize));
            using var wal = File.OpenHandle(_walPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            if (RandomAccess.GetLength(wal) > keep)
            {
                RandomAccess.SetLength(wal, keep);
            }

            // The file check must not take this cut for someone else's (a log cut short under the server).
            _walLengthSeen = keep;
            s_log.Warn("{File}: a commit's flush failed; its frames were cut from the log, so the refused messages cannot come back after a crash", _walPath);
            return true;
        }
        catch (Exception cut) when (cut is IOException or UnauthorizedAccessException)
        {
            s_log.Debug("Cutting the unflushed frames from {File} failed: {Error}", _walPath, cut.Message);
            return false;
        }
    }

    /// <summary>
    /// When the log cannot be cut: the next commit writes where the unflushed frames are and breaks their checksum
    /// chain, so one is made at once, a change that undoes itself in one transaction. Should its flush fail too, the
    /// disk keeps failing, and the operator is told what that can mean.
    /// </summary>
    private void OverwriteUnsyncedCommit()
    {
        try
        {
            Begin();
            using (var touch = Command("UPDATE fts_state SET indexed = indexed + 1; UPDATE fts_state SET indexed = indexed - 1"))
            {
                touch.ExecuteNonQuery();
            }

            Commit();
        }
        catch (SqliteException again)
        {
            Rollback();
            s_log.Error("{File}: the disk failed to flush a commit of messages the senders were then told were refused, and failed again ({Error}); "
                + "should the server stop before a commit succeeds, those messages may still be in the history after the restart, though refused",
                _dbPath, again.Message);
        }
    }

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

        Interlocked.Exchange(ref _indexedCommitted, _indexedId);
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

    private void LoadLastId()
    {
        // The rows too, not only sqlite_sequence: a row above it (a hand edit, a foreign tool) gave the next message a
        // lower id than a stored one, and a row above the ceiling started and was served (a store audit, 2026-12-06).
        // max(id) is one seek at the end of the rowid tree.
        _lastId = Math.Max(_lastId, Math.Max(
            Scalar("SELECT seq FROM sqlite_sequence WHERE name = 'messages'"),
            Scalar("SELECT max(id) FROM messages")));
        // ServerTimeMs never decreases as ids grow (PROTOCOL.md), but no time beyond what a DateTimeOffset holds (the
        // year 9999) is handed on: one such stored row gave every new message that time, which clients could not show.
        _lastTimeMs = Math.Max(_lastTimeMs, Math.Min(Scalar("SELECT time_ms FROM messages ORDER BY id DESC LIMIT 1"), LanTalk.Core.Protocol.UnixMilliseconds.Max));
    }

    /// <summary>
    /// A newest message dated ahead of this machine's clock (it jumped back, or history came from a machine ahead of
    /// it): new messages take that time until the clock passes it, since times never go back as ids grow. Said once
    /// at start; before, it happened without a word.
    /// </summary>
    private static string Span(TimeSpan span) => span.TotalDays >= 2
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{span.TotalDays:0} days")
        : span.TotalHours >= 2
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{span.TotalHours:0} hours")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} minutes");

    private void WarnOfFutureTimes()
    {
        long ahead = _lastTimeMs - _clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (ahead > 60_000)
        {
            _behindWarned = true;
            s_log.Warn("History: the newest message in {File} is dated {Time:u}, {Ahead} ahead of this machine's clock; new messages get that time until the clock passes it (message times never go back). Check the clock (timedatectl), or whether history.db came from a machine whose clock was ahead",
                _dbPath, LanTalk.Core.Protocol.UnixMilliseconds.ToTime(_lastTimeMs), Span(TimeSpan.FromMilliseconds(ahead)));
        }
    }

    /// <summary>
    /// The same while the server runs, once each time the clock falls more than a minute behind the time a message
    /// takes (an NTP step back, an operator's date command): every message then carried one time, for as long as the
    /// step, and only a restart said why (clock audit, 2026-12-07). Said again only after the clock has passed it.
    /// </summary>
    private void NoteClockBehind(long nowMs, long timeMs)
    {
        if (timeMs <= nowMs)
        {
            _behindWarned = false;
            return;
        }

        if (timeMs - nowMs > 60_000 && !_behindWarned)
        {
            _behindWarned = true;
            s_log.Warn("History: the system clock went back: it says {Now:u}, {Behind} behind the newest message in {File} ({Time:u}); new messages get that time until the clock passes it (message times never go back). Check the clock (timedatectl)",
                LanTalk.Core.Protocol.UnixMilliseconds.ToTime(nowMs), Span(TimeSpan.FromMilliseconds(timeMs - nowMs)), _dbPath, LanTalk.Core.Protocol.UnixMilliseconds.ToTime(timeMs));
        }
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
}
