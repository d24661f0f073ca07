using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace LanTalk.Server.History;

/// <summary>Reads: a room's history, paging, catch-up after an id, full-text search, stats. Short, synchronous, any thread.</summary>
public sealed partial class MessageStore
{
    private const string Columns = "m.id, m.room, m.sender, m.recipient, m.text, m.kind, m.time_ms";

    /// <summary>The last <paramref name="limit"/> messages of <paramref name="room"/>, oldest first (replay on join).</summary>
    public IReadOnlyList<StoredMessage> Latest(string room, int limit) =>
        Before(room, long.MaxValue, limit);

    /// <summary>At most <paramref name="limit"/> messages of <paramref name="room"/> with ids below <paramref name="beforeId"/>, oldest first (paging back).</summary>
    public IReadOnlyList<StoredMessage> Before(string room, long beforeId, int limit)
    {
        var page = Query($"SELECT {Columns} FROM messages m WHERE m.room = $room AND m.id < $id ORDER BY m.id DESC LIMIT $limit",
            ("$room", RoomKey(room)), ("$id", beforeId), ("$limit", limit));
        page.Reverse();
        return page;
    }

    /// <summary>
    /// Messages of <paramref name="room"/> after <paramref name="afterId"/>, oldest first, at most
    /// <paramref name="limit"/>, and how many more there are (catch-up after a reconnect).
    /// </summary>
    public HistoryPage After(string room, long afterId, int limit)
    {
        using var connection = OpenReader(budgeted: true);
        // One read transaction, so the count of the rest belongs to the same snapshot as the page.
        using var transaction = connection.BeginTransaction(deferred: true);
        var page = Query(connection, $"SELECT {Columns} FROM messages m WHERE m.room = $room AND m.id > $id ORDER BY m.id LIMIT $limit",
            ("$room", RoomKey(room)), ("$id", afterId), ("$limit", limit));
        long remaining = 0;
        if (page.Count == limit)
        {
            remaining = Count(connection, "SELECT count(*) FROM messages WHERE room = $room AND id > $id", ("$room", RoomKey(room)), ("$id", page[^1].Id));
        }

        return new HistoryPage(page, remaining);
    }

    /// <summary>One message by id, or null (deleted by retention, or never stored).</summary>
    public StoredMessage? Find(long id) =>
        Query($"SELECT {Columns} FROM messages m WHERE m.id = $id", ("$id", id)).FirstOrDefault();

    /// <summary>
    /// Full-text search (FTS5) of <paramref name="rooms"/> only, newest first. Every word of
    /// <paramref name="text"/> must occur (as a word or a word's prefix with a trailing *); quotes and operators
    /// are taken literally, so user input can never be a malformed query.
    /// </summary>
    public IReadOnlyList<StoredMessage> Search(string text, IReadOnlyCollection<string> rooms, int limit)
    {
        string match = MatchExpression(text);
        if (match.Length == 0 || rooms.Count == 0)
        {
            return [];
        }

        IndexPending();
        var parameters = new List<(string, object)> { ("$match", match), ("$limit", limit) };
        var names = new StringBuilder();
        int i = 0;
        foreach (string room in rooms.Select(RoomKey).Distinct())
        {
            names.Append(i == 0 ? string.Empty : ", ").Append("$r").Append(i);
            parameters.Add(("$r" + i.ToString(CultureInfo.InvariantCulture), room));
            i++;
        }

        return Query($"SELECT {Columns} FROM messages_fts f JOIN messages m ON m.id = f.rowid " +
            $"WHERE messages_fts MATCH $match AND m.room IN ({names}) ORDER BY m.id DESC LIMIT $limit", [.. parameters]);
    }

    /// <summary>
    /// Before a search: has the writer add the messages that still wait for the full-text index (at most a batch or
    /// a second's worth), so a search finds every acknowledged message. Searches are rare; one more commit is cheap.
    /// </summary>
    private void IndexPending()
    {
        if (_writer.IndexedId >= _writer.CommittedId)
        {
            return;
        }

        try
        {
            WriteAsync(w =>
            {
                w.IndexPending();
                return 0;
            }).GetAwaiter().GetResult();
        }
        catch (HistoryUnavailableException)
        {
            // The store cannot commit now: search what is indexed; the commits themselves report the disk.
        }
    }

    /// <summary>The size of history.db and its WAL, the message count and the undelivered offline messages.</summary>
    public HistoryStats Stats()
    {
        using var connection = OpenReader();
        long messages = Count(connection, "SELECT count(*) FROM messages");
        long pending = Count(connection, "SELECT count(*) FROM offline WHERE delivered_ms IS NULL");
        return new HistoryStats(FilePath, FileLength(FilePath), FileLength(FilePath + "-wal"), messages, pending, LastId, Available);
    }

    /// <summary>The rooms history.db holds messages of, with how many each (at start-up: a Rooms.xml gone missing).</summary>
    public IReadOnlyDictionary<string, long> RoomMessageCounts()
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT room, count(*) FROM messages WHERE room IS NOT NULL GROUP BY room";
        var counts = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>Turns user text into an FTS5 query (<see cref="SearchQuery"/>); the word limit is the caller's to apply.</summary>
    internal static string MatchExpression(string text) => SearchQuery.Parse(text).MatchExpression;

    internal List<StoredMessage> Query(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = OpenReader(budgeted: true);
        return Query(connection, sql, parameters);
    }

    internal static List<StoredMessage> Query(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var list = new List<StoredMessage>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            list.Add(new StoredMessage(
                reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4),
                (MessageKind)reader.GetInt32(5),
                reader.GetInt64(6)));
        }

        return list;
    }

    internal static long Count(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteScalar() is long n ? n : 0;
    }

    private static long FileLength(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.Length : 0;
    }
}
