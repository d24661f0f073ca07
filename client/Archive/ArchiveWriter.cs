using System.Text;
using System.Threading.Channels;
using LanTalk.Client.Settings;
using LanTalk.Client.Text;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Archive;

/// <summary>
/// Appends messages to the day files on a background task. <see cref="Append"/> never blocks the caller (the UI or
/// the connection's read loop): it only queues. Dispose drains the queue, so a normal exit loses no line.
/// </summary>
internal sealed class ArchiveWriter : IAsyncDisposable
{
    // Unbounded on purpose: a chat produces a few lines per second, and dropping an archive line is worse than
    // holding a few kilobytes while the disk is slow.
    private readonly Channel<Entry> _queue = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private readonly Action<string>? _onError;
    private static readonly UTF8Encoding Utf8 = new(false);
    private bool _failed;

    private readonly ArchivedRanges _archived;

    // What the archive held when this window started, never added to: what an earlier run (or another window that
    // was open before this one) archived, as against what this window archives itself.
    private readonly ArchivedRanges _heldAtStart;

    // What older clients archived without ids (whole-second lines): held as well.
    private readonly OldClientLines _oldLines;

    public ArchiveWriter(string folder, Action<string>? onError = null)
    {
        Folder = folder;
        _onError = onError;
        _archived = ArchivedRanges.Load(folder);
        _heldAtStart = ArchivedRanges.Load(folder);
        _oldLines = new OldClientLines(folder);
        _writer = Task.Run(WriteLoopAsync);
    }

    public string Folder { get; }

    /// <summary>
    /// Queues a message for its day file. Replayed history (flag History) whose id is already archived, in this
    /// run or an earlier one, or that an older client's line without an id holds (<see cref="OldClientLines"/>), is
    /// skipped: history received from the server is archived once. A message that another
    /// lantalk window of the same user archived first (both receive it) is skipped when written. Live messages are
    /// otherwise always written: the chat drops live duplicates before they get here, and a v2 server that
    /// restarted numbers its messages from 1 again. Returns false when it was skipped at once.
    /// </summary>
    public bool Append(ChatMessage message)
    {
        string? key = null;
        bool replay = (message.Flags & MessageMarks.History) != 0;
        if (message.Id != 0)
        {
            key = ArchivedRanges.KeyOf(message.Room, message.To is null ? null : Pair(message.From, message.To));
            if (replay && message.To is null)
            {
                NoteReplayed(key, message.Id);
            }

            if (_archived.ContainsOrAdd(key, message.Id) && replay)
            {
                return false;
            }
        }

        if (replay && _oldLines.Holds(message))
        {
            // No line, only the id: archived-ids then knows it, and the next run need not look for it again.
            if (key is not null)
            {
                _queue.Writer.TryWrite(new Entry(null, null, key, message.Id, true, null));
            }

            return false;
        }

        _queue.Writer.TryWrite(new Entry(ArchiveFormat.DayFileName(message.ServerTime), ArchiveFormat.Line(message), key, message.Id, replay, null));
        return true;
    }

    /// <summary>
    /// True when the archive already held <paramref name="message"/> when this window started: an earlier run received
    /// it (and showed it: a quiet 'lantalk send' does not archive what it does not show). Ids are unique and persistent
    /// on a server with a history store, the only kind that stores private messages for later. A line an older client
    /// wrote without an id counts as well (<see cref="OldClientLines"/>): that client showed it.
    /// </summary>
    public bool HeldAtStart(ChatMessage message) =>
        message.Id != 0
        && (_heldAtStart.Contains(ArchivedRanges.KeyOf(message.Room, message.To is null ? null : Pair(message.From, message.To)), message.Id)
            || _oldLines.Holds(message));

    /// <summary>The newest private message id the archive held when this window started, 0 for none: where its first catch-up starts.</summary>
    public ulong NewestPrivateAtStart => _heldAtStart.NewestPrivate();

    /// <summary>
    /// The chat skipped <paramref name="missed"/> messages of <paramref name="room"/> between ids <paramref name="after"/>
    /// and <paramref name="before"/> (a catch-up that showed only the newest): they count as archived only once written,
    /// here and in archived-ids, so paging back into the gap archives them (<see cref="ArchivedRanges.Hole"/>).
    /// </summary>
    public void Hole(string room, ulong after, ulong before, long missed)
    {
        string key = ArchivedRanges.KeyOf(room, null);
        _archived.Hole(key, after, before, missed);
        _queue.Writer.TryWrite(new Entry(null, null, key, before, false, null, new ArchiveHole(after, before, missed, [])));
    }

    /// <summary>
    /// A room's replay (the recent history at a start or a /join, a page of /history or PageUp) whose oldest message
    /// was <paramref name="firstId"/> has been archived, and the server has <paramref name="older"/> messages of the room
    /// before it. When the archive's newest message of the room below it is older than the message just before it
    /// (a start after more was missed than the replay shows, a room left and joined again), the range of archived ids
    /// grew over messages never received: they count as archived only once written, as a catch-up's skipped ones
    /// (<see cref="Hole"/>). Without this, paging back to them showed them and never archived them (an archive audit,
    /// 2026-12-07: 70 of 120 messages missed between two runs). How many of the <paramref name="older"/> lie in the gap
    /// is not known: the hole counts them all, so it stays open until dropped as the oldest of
    /// <see cref="ArchivedRanges.MaxHoles"/>.
    /// </summary>
    public void ReplayEnded(string room, ulong firstId, long older)
    {
        string key = ArchivedRanges.KeyOf(room, null);
        ulong? below;
        lock (_replayed)
        {
            _replayed.TryGetValue((key, firstId), out below);
            _replayed.Keys.Where(k => k.Key == key).ToList().ForEach(k => _replayed.Remove(k));
        }

        if (older > 0 && below is > 0 && below.Value + 1 < firstId)
        {
            Hole(room, below.Value, firstId, older);
        }
    }

    // Per replayed room message, the archive's newest id of its room below it before it was added (null: it was
    // archived already); ReplayEnded looks up the replay's first. Cleared per room by ReplayEnded, and whole past a
    // bound, since a catch-up's replay never calls it.
    private readonly Dictionary<(string Key, ulong Id), ulong?> _replayed = [];

    private const int MaxReplayed = 10_000;

    private void NoteReplayed(string key, ulong id)
    {
        ulong? below = _archived.NewestBelow(key, id);
        lock (_replayed)
        {
            if (_replayed.Count >= MaxReplayed)
            {
                _replayed.Clear();
            }

            _replayed[(key, id)] = below;
        }
    }

    // A private conversation has the same key whichever side sent the message.
    private static string Pair(string from, string to) =>
        string.Compare(from, to, StringComparison.OrdinalIgnoreCase) <= 0 ? $"{from}+{to}" : $"{to}+{from}";

    /// <summary>Completes once every line queued before the call is on disk; /archive uses it to show the latest lines.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Entry(null, null, null, 0, false, done)))
        {
            done.TrySetResult();
        }

        return done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // Drain everything queued, then write it as one batch under the folder's lock.
            var flushed = new List<TaskCompletionSource>();
            var batch = new List<Entry>();
            while (reader.TryRead(out var entry))
            {
                if (entry.Done is not null)
                {
                    flushed.Add(entry.Done);
                }
                else
                {
                    batch.Add(entry);
                }
            }

            if (batch.Count > 0)
            {
                await TryWriteAsync(batch).ConfigureAwait(false);
            }

            foreach (var done in flushed)
            {
                done.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Under the lock: reads the ids archived so far (by any window) and the end of each day file, drops what is
    /// already there, appends the rest with one write per day file at the file's current end, and saves the ids.
    /// Another lantalk window of the same user does the same, so neither archives a message twice or writes over
    /// the other's lines. A replay is known by its id range; a live message by its id and its exact line near the
    /// end of the file, because a restarted v2 server reuses ids for new messages.
    /// </summary>
    private async Task WriteBatchAsync(List<Entry> batch, TimeSpan? lockWait)
    {
        PrivateFiles.CreateDirectory(Folder);
        using var folderLock = await ArchiveLock.AcquireAsync(Folder, maxWait: lockWait).ConfigureAwait(false);
        var onDisk = ArchivedRanges.Load(Folder);
        var files = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
        var tails = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var entry in batch)
        {
            if (entry.Hole is { } hole)
            {
                onDisk.Hole(entry.Key!, hole.After, hole.Before, hole.Missed);
                continue;
            }

            bool known = entry.Key is not null && onDisk.ContainsOrAdd(entry.Key, entry.Id);
            if (entry.Line is null)
            {
                // An id whose message an older client's line holds: recorded above, nothing to write.
                continue;
            }

            if (known && (entry.Replay || TailOf(tails, entry.FileName!).Contains(entry.Line!)))
            {
                continue;
            }

            // Tried again after a failure that may have come after its line was written (the ids file on a full disk).
            if (entry.Retry && TailOf(tails, entry.FileName!).Contains(entry.Line!))
            {
                continue;
            }

            // A replay whose id archived-ids does not cover although its line is there: the ids file was lost or
            // damaged (it is rebuilt from what is archived from now on). Without this every replay after that was
            // archived a second time (fault injection, 2026-12-05).
            if (!known && entry.Replay && TailOf(tails, entry.FileName!).Contains(entry.Line!))
            {
                continue;
            }

            if (!files.TryGetValue(entry.FileName!, out var text))
            {
                files[entry.FileName!] = text = new StringBuilder();
            }

            text.Append(entry.Line).Append('\n');
        }

        foreach (var (fileName, text) in files)
        {
            // Opened per batch, under the lock: FileMode.Append starts at the end as it is now, including lines the
            // other window added since this one last wrote.
            // Unbuffered: a write the disk refuses fails here, where it can be cut back, not at the close.
            using var stream = PrivateFiles.Create(Path.Combine(Folder, fileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
            if (EndsMidLine(stream))
            {
                // A write cut short (lantalk killed, a full disk) left half a line: the next line starts on its own,
                // not glued to the fragment, where search and /archive showed the two as one (fault injection, 2026-12-05).
                stream.WriteByte((byte)'\n');
            }

            long whole = stream.Position;
            try
            {
                stream.Write(Utf8.GetBytes(text.ToString()));
            }
            catch (IOException)
            {
                // A full disk took part of the batch: cut it back to the last whole line, so a fragment does not show
                // later as a message nobody sent ("u0: this"; fault injection, 2026-12-05), then report the failure.
                TryCutBack(stream, whole);
                throw;
            }
        }

        onDisk.Save();
        _archived.Merge(onDisk);
    }

    private static void TryCutBack(FileStream stream, long length)
    {
        try
        {
            stream.SetLength(length);
        }
        catch (IOException)
        {
            // The next write starts on a new line anyway (EndsMidLine).
        }
    }

    /// <summary>Moves to the end of <paramref name="stream"/>; true when the file's last byte is not a line end.</summary>
    private static bool EndsMidLine(FileStream stream)
    {
        long length = stream.Length;
        if (length == 0)
        {
            return false;
        }

        stream.Seek(length - 1, SeekOrigin.Begin);
        return stream.ReadByte() != '\n';
    }

    // Both windows receive a live message within moments of each other, so the other's copy is among the last
    // lines; 64 KiB is several hundred lines.
    private const int TailBytes = 64 * 1024;

    private HashSet<string> TailOf(Dictionary<string, HashSet<string>> tails, string fileName)
    {
        if (tails.TryGetValue(fileName, out var lines))
        {
            return lines;
        }

        lines = new HashSet<string>(StringComparer.Ordinal);
        string path = Path.Combine(Folder, fileName);
        if (File.Exists(path))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Max(0, stream.Length - TailBytes), SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Utf8);
            // The first line may be cut by the seek; it can only fail to match, never match wrongly.
            foreach (string line in LfLines.All(reader))
            {
                lines.Add(line);
            }
        }

        tails[fileName] = lines;
        return lines;
    }

    /// <summary>
    /// Writes the batch after what earlier batches could not write. A failure (a full disk, a folder gone) is reported
    /// once and its lines kept, up to <see cref="MaxUnwritten"/>, for the next batch to try again: before, the first
    /// failure stopped the archive until lantalk ended, although the disk was cleared a minute later (an archive
    /// audit, 2026-12-07). A line of a batch cut short may be on disk already: tried again, it is written only when
    /// the file's tail does not hold it.
    /// </summary>
    private async Task TryWriteAsync(List<Entry> batch)
    {
        if (_unwritten.Count > 0)
        {
            batch.InsertRange(0, _unwritten);
            _unwritten.Clear();
        }

        try
        {
            // While failing, one try at the lock: a read-only folder keeps its lock file unopenable, and waiting the
            // usual 10 s at every batch (and at the exit) would hold the archive and lantalk's end back.
            await WriteBatchAsync(batch, _failed ? TimeSpan.Zero : null).ConfigureAwait(false);
            if (_failed)
            {
                _failed = false;
                string lost = _dropped > 0 ? $" ({_dropped} lines received meanwhile could not be kept)" : string.Empty;
                _dropped = 0;
                _onError?.Invoke($"archive resumed: writing to {Folder} again{lost}");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Report once: a full disk must not flood the chat with the same error.
            if (!_failed)
            {
                _failed = true;
                _onError?.Invoke($"archive paused: cannot write to {Folder}: {ex.Message}; lantalk tries again with the next message");
            }

            _unwritten.AddRange(batch.Select(entry => entry with { Retry = true }));
            if (_unwritten.Count > MaxUnwritten)
            {
                _dropped += _unwritten.Count - MaxUnwritten;
                _unwritten.RemoveRange(0, _unwritten.Count - MaxUnwritten);
            }
        }
    }

    // Lines kept while the folder cannot be written (a few hundred kilobytes at most); the oldest go first. Used by the write loop only.
    private const int MaxUnwritten = 5_000;
    private readonly List<Entry> _unwritten = [];
    private long _dropped;

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private readonly record struct Entry(string? FileName, string? Line, string? Key, ulong Id, bool Replay, TaskCompletionSource? Done, ArchiveHole? Hole = null, bool Retry = false);
}
