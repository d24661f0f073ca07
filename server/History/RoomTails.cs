using System.Collections.Concurrent;

namespace LanTalk.Server.History;

/// <summary>
/// The in-memory tails of every room written or joined since start: the replay on join (the last HistoryOnJoin
/// messages) is served from memory, so thousands of joins a second cost no database reads. The writer adds each
/// room message after its commit and before its acknowledgement, so a tail never misses an acknowledged message.
/// </summary>
internal sealed class RoomTails(int capacity)
{
    private readonly ConcurrentDictionary<string, RoomTail> _rooms = new(StringComparer.Ordinal);

    public int Capacity => capacity;

    /// <summary>Rooms with a tail in memory.</summary>
    internal int Count => _rooms.Count;

    /// <summary>Called by the writer, after the commit, for each room message of the group.</summary>
    public void Add(StoredMessage message)
    {
        if (capacity > 0 && message.Room is { } room)
        {
            _rooms.GetOrAdd(room, static (_, c) => new RoomTail(c), capacity).Add(message);
        }
    }

    /// <summary>The last <paramref name="limit"/> messages of <paramref name="roomKey"/> up to <paramref name="upToId"/>, or null when the file must answer.</summary>
    public HistoryPage? Latest(string roomKey, int limit, long upToId, Func<int, (IReadOnlyList<StoredMessage> Latest, long Count)> load)
    {
        if (limit > capacity)
        {
            return null;
        }

        return _rooms.GetOrAdd(roomKey, static (_, c) => new RoomTail(c), capacity).Latest(limit, upToId, load);
    }

    /// <summary>
    /// A deleted room: its tail is dropped, so a room created later under the name starts empty (its new tail loads
    /// from the file), and a server whose rooms come and go for months keeps only the tails of the rooms it has, not
    /// one per name ever used. A message the writer adds to the removed tail meanwhile is committed already, so the
    /// new tail's load finds it.
    /// </summary>
    public void Reset(string roomKey)
    {
        if (_rooms.TryRemove(roomKey, out var tail))
        {
            tail.Reset();
        }
    }

    /// <summary>After retention deleted rows: every tail reloads from the file at its next use.</summary>
    public void ResetAll()
    {
        foreach (var tail in _rooms.Values)
        {
            tail.Reset();
        }
    }
}
