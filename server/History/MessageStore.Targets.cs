using Microsoft.Data.Sqlite;

namespace LanTalk.Server.History;

/// <summary>
/// What IRC's draft/chathistory asks beyond paging by id: a time turned into an id (its <c>timestamp=</c>
/// references), and the conversations whose newest message falls in a time window (<c>CHATHISTORY TARGETS</c>).
/// </summary>
public sealed partial class MessageStore
{
    /// <summary>
    /// The first id stored at or after <paramref name="timeMs"/>, or one past the newest when none is. Every id below
    /// it is older than <paramref name="timeMs"/>, so a time becomes an id bound that the id pages already take.
    /// </summary>
    public long FirstIdAtOrAfter(long timeMs)
    {
        using var connection = OpenReader(budgeted: true);
        using var transaction = connection.BeginTransaction(deferred: true);
        return FirstIdAtOrAfter(connection, timeMs);
    }

    /// <summary>
    /// The newest message of each of <paramref name="rooms"/> (its ids above <paramref name="from"/>, the room's
    /// current generation) and (<paramref name="includePrivate"/>) of each private conversation of <paramref name="user"/> (from <paramref name="sinceMs"/>
    /// on, the account's creation) whose time lies strictly between <paramref name="afterMs"/> and
    /// <paramref name="beforeMs"/>; a conversation with a newer message than that is not in the window. In no order.
    /// </summary>
    public List<StoredMessage> NewestOfConversations(string user, IReadOnlyCollection<string> rooms, bool includePrivate, Func<string, long> from, long sinceMs, long afterMs, long beforeMs)
    {
        using var connection = OpenReader(budgeted: true);
        using var transaction = connection.BeginTransaction(deferred: true);
        var newest = new List<StoredMessage>();
        foreach (string room in rooms)
        {
            // One index seek a room (messages_by_room), newest first.
            newest.AddRange(Query(connection, $"SELECT {Columns} FROM messages m WHERE m.room = $room AND m.id > $from ORDER BY m.id DESC LIMIT 1",
                ("$room", RoomKey(room)), ("$from", from(room))));
        }

        if (includePrivate)
        {
            // A conversation's newest message is in the window only if it is above the window's start, so the scan
            // starts there: the newest ids of each pair from that id on are the pairs' newest of all. Bounded by the
            // read budget.
            long low = FirstIdAtOrAfter(connection, afterMs == long.MaxValue ? afterMs : afterMs + 1);
            newest.AddRange(Query(connection,
                $"SELECT {Columns} FROM messages m WHERE m.id IN (SELECT max(m.id) FROM messages m WHERE m.id >= $low AND {OwnPrivate(null)} GROUP BY m.pair)",
                ("$low", low), ("$user", UserKey(user)), ("$since", sinceMs)));
        }

        newest.RemoveAll(m => m.TimeMs <= afterMs || m.TimeMs >= beforeMs);
        return newest;
    }

    /// <summary>
    /// A binary search over the ids: it works because the writer never gives a message a time below the one before it
    /// (<see cref="HistoryWriter"/>), so "the first row from id x on is at or after the time" turns true once and stays
    /// true as x grows. About log2(newest id) index seeks, where a scan of the time column would read the whole table.
    /// </summary>
    private static long FirstIdAtOrAfter(SqliteConnection connection, long timeMs)
    {
        long low = Count(connection, "SELECT ifnull(min(id), 0) FROM messages");
        long high = Count(connection, "SELECT ifnull(max(id), 0) FROM messages");
        if (high == 0)
        {
            // Nothing stored (or all pruned): one past the highest id ever given, which sqlite_sequence keeps.
            return Count(connection, "SELECT ifnull(max(seq), 0) FROM sqlite_sequence WHERE name = 'messages'") + 1;
        }

        if (TimeFrom(connection, high) < timeMs)
        {
            return high + 1;
        }

        while (low < high)
        {
            long middle = low + ((high - low) / 2);
            if (TimeFrom(connection, middle) >= timeMs)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return Count(connection, "SELECT id FROM messages WHERE id >= $id ORDER BY id LIMIT 1", ("$id", low));
    }

    /// <summary>The time of the first row from <paramref name="id"/> on (the caller knows one exists).</summary>
    private static long TimeFrom(SqliteConnection connection, long id) =>
        Count(connection, "SELECT time_ms FROM messages WHERE id >= $id ORDER BY id LIMIT 1", ("$id", id));
}
