namespace LanTalk.Server.History;

/// <summary>
/// The last committed messages of one room, oldest first, at most a fixed number. Filled by the writer after each
/// commit and, the first time a join asks, from history.db; both under <see cref="_lock"/>, so a message committed
/// while the file is read is neither lost nor held twice (ids decide).
/// </summary>
internal sealed class RoomTail(int capacity)
{
    private readonly Lock _lock = new();
    private readonly List<StoredMessage> _messages = new(capacity);
    private bool _loaded;

    // How many messages the room has in all (known once loaded): what lies before the tail is _total - Count.
    private long _total;

    /// <summary>Adds a just-committed message (writer thread); ids arrive increasing, anything not newer is a repeat.</summary>
    public void Add(StoredMessage message)
    {
        lock (_lock)
        {
            if (_messages.Count > 0 && message.Id <= _messages[^1].Id)
            {
                return;
            }

            if (_messages.Count == capacity)
            {
                _messages.RemoveAt(0);
            }

            _messages.Add(message);
            _total++;
        }
    }

    /// <summary>
    /// The last <paramref name="limit"/> messages with ids up to <paramref name="upToId"/>, oldest first, with how
    /// many older ones the room has; null when the tail cannot answer (the caller asks the file).
    /// <paramref name="load"/> reads the room's last messages and its message count, in one snapshot, once.
    /// </summary>
    public HistoryPage? Latest(int limit, long upToId, Func<int, (IReadOnlyList<StoredMessage> Latest, long Count)> load)
    {
        lock (_lock)
        {
            if (!_loaded)
            {
                // Under the lock: the writer's Add of a message committed meanwhile waits, then drops it if the read saw it.
                var (fromFile, count) = load(capacity);
                long fileNewest = fromFile.Count > 0 ? fromFile[^1].Id : 0;
                // Messages the writer added before this load and the read did not see yet (committed after its snapshot).
                long unseen = _messages.Count(m => m.Id > fileNewest);
                var merged = fromFile.Concat(_messages).DistinctBy(m => m.Id).OrderBy(m => m.Id).ToList();
                _messages.Clear();
                _messages.AddRange(merged.Skip(Math.Max(0, merged.Count - capacity)));
                _total = count + unseen;
                _loaded = true;
            }

            int end = _messages.Count;
            while (end > 0 && _messages[end - 1].Id > upToId)
            {
                end--;
            }

            // Before the tail's first message there are _total - Count more; the tail must hold the whole page.
            long older = _total - _messages.Count;
            if (end < limit && older > 0)
            {
                return null;
            }

            int start = Math.Max(0, end - limit);
            return new HistoryPage(_messages.GetRange(start, end - start), older + start);
        }
    }

    /// <summary>Forgets what it holds (retention deleted rows): the next join reads the file again.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _messages.Clear();
            _loaded = false;
            _total = 0;
        }
    }
}
