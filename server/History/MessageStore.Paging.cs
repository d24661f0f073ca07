using System.Globalization;
using System.Text;

namespace LanTalk.Server.History;

/// <summary>
/// The pages the protocol sends: the replay on join (from the in-memory tail when it can), catch-up up to a join's
/// mark, paging back through a room or a private conversation, and search over what one user may see. Every page
/// is oldest first and says how many more messages lie beyond its bound, read in the same snapshot as the page.
/// </summary>
public sealed partial class MessageStore
{
    /// <summary>
    /// The last <paramref name="limit"/> messages of <paramref name="room"/> with ids up to
    /// <paramref name="upToId"/> (the join's mark), oldest first; served from memory when the tail covers it.
    /// Ids at or below <paramref name="from"/> belong to an earlier room of the name and are left out.
    /// </summary>
    public HistoryPage LatestUpTo(string room, long upToId, int limit, long from = 0)
    {
        long before = upToId == long.MaxValue ? long.MaxValue : upToId + 1;
        if (limit <= 0)
        {
            // No page, but still the count: a client told "0 more" would believe it missed nothing.
            return BeforePage(room, before, 0, from);
        }

        // Above CommittedId the tail may not have every message yet (a group is between its commit and the tails).
        var fromTail = upToId <= _writer.CommittedId ? _writer.Tails.Latest(RoomKey(room), limit, upToId, n => LoadTail(room, n)) : null;
        // The tail knows no room generations: it serves only when none of what it counts is an earlier room's.
        bool tailIsThisRoom = fromTail is not null && (from == 0 || (fromTail.Remaining == 0 && (fromTail.Messages.Count == 0 || fromTail.Messages[0].Id > from)));
        return tailIsThisRoom ? fromTail! : BeforePage(room, before, limit, from);
    }

    /// <summary>
    /// At most <paramref name="limit"/> messages of <paramref name="room"/> below <paramref name="beforeId"/> and above
    /// <paramref name="from"/> (an earlier room of the name), oldest first, and how many older ones of this room remain.
    /// </summary>
    public HistoryPage BeforePage(string room, long beforeId, int limit, long from = 0) =>
        Page($"SELECT {Columns} FROM messages m WHERE m.room = $room AND m.id < $id AND m.id > $from ORDER BY m.id DESC LIMIT $limit",
            "SELECT count(*) FROM messages WHERE room = $room AND id < $first AND id > $from", newestFirst: true, limit,
            ("$room", RoomKey(room)), ("$id", beforeId), ("$from", from));

    /// <summary>
    /// Catch-up: messages of <paramref name="room"/> with <paramref name="afterId"/> &lt; id ≤ <paramref name="upToId"/>,
    /// oldest first, at most <paramref name="limit"/>, and how many more up to the mark remain (newer ones come live).
    /// </summary>
    public HistoryPage AfterPage(string room, long afterId, long upToId, int limit) =>
        Page($"SELECT {Columns} FROM messages m WHERE m.room = $room AND m.id > $id AND m.id <= $upTo ORDER BY m.id LIMIT $limit",
            "SELECT count(*) FROM messages WHERE room = $room AND id > $last AND id <= $upTo", newestFirst: false, limit,
            ("$room", RoomKey(room)), ("$id", afterId), ("$upTo", upToId));

    /// <summary>
    /// The private conversation of <paramref name="user"/> and <paramref name="other"/> below <paramref name="beforeId"/>,
    /// oldest first, from <paramref name="sinceMs"/> on (when <paramref name="user"/>'s account was created: what a
    /// removed account of the same name said or was told is not this account's).
    /// </summary>
    public HistoryPage ConversationBefore(string user, string other, long beforeId, int limit, long sinceMs = 0) =>
        Page($"SELECT {Columns} FROM messages m WHERE m.pair = $pair AND m.id < $id AND m.time_ms >= $since ORDER BY m.id DESC LIMIT $limit",
            "SELECT count(*) FROM messages WHERE pair = $pair AND id < $first AND time_ms >= $since", newestFirst: true, limit,
            ("$pair", PairKey(user, other)), ("$id", beforeId), ("$since", sinceMs));

    /// <summary>Catch-up in a private conversation: ids above <paramref name="afterId"/> up to <paramref name="upToId"/>, oldest first, from <paramref name="sinceMs"/> on.</summary>
    public HistoryPage ConversationAfter(string user, string other, long afterId, long upToId, int limit, long sinceMs = 0) =>
        Page($"SELECT {Columns} FROM messages m WHERE m.pair = $pair AND m.id > $id AND m.id <= $upTo AND m.time_ms >= $since ORDER BY m.id LIMIT $limit",
            "SELECT count(*) FROM messages WHERE pair = $pair AND id > $last AND id <= $upTo AND time_ms >= $since", newestFirst: false, limit,
            ("$pair", PairKey(user, other)), ("$id", afterId), ("$upTo", upToId), ("$since", sinceMs));

    /// <summary>
    /// Every private message of <paramref name="user"/>, sent or received, in any conversation, with an id above
    /// <paramref name="afterId"/> and at most <paramref name="upToId"/>: oldest first, and how many more there are.
    /// The catch-up of a client whose connection died unnoticed: what went to it then counts as delivered, and it
    /// cannot know whom to ask (docs/PROTOCOL.md, History with Scope 1 and no target). It reads the user's own private
    /// messages through the two indexes of schema step 7 (<see cref="OwnPrivateIds"/>), so it costs what the user was
    /// sent and wrote, not the whole history after <paramref name="afterId"/>.
    /// </summary>
    /// <param name="pairSinceMs">
    /// Per pair key ("a\nb"), when the conversation began (the later of the two accounts' creation): older messages are
    /// left out, as <see cref="ConversationAfter"/> leaves them out with its sinceMs. Null: only <paramref name="sinceMs"/>.
    /// </param>
    public HistoryPage PrivateAfter(string user, long afterId, long upToId, int limit, long sinceMs = 0, Func<string, long>? pairSinceMs = null) =>
        Page(PrivateAfterSql(pairSinceMs), $"SELECT count(*) FROM messages m WHERE m.id IN ({OwnPrivateIds("id > $last AND id <= $upTo")}) AND {OwnPrivate(pairSinceMs)}", newestFirst: false, limit, pairSinceMs,
            ("$user", UserKey(user)), ("$id", afterId), ("$upTo", upToId), ("$since", sinceMs));

    /// <summary>The page query of <see cref="PrivateAfter"/> ($user, $id, $upTo, $since, $limit); tests read its plan.</summary>
    internal static string PrivateAfterSql(Func<string, long>? pairSinceMs) =>
        $"SELECT {Columns} FROM messages m WHERE m.id IN ({OwnPrivateIds("id > $id AND id <= $upTo")}) AND {OwnPrivate(pairSinceMs)} ORDER BY m.id LIMIT $limit";

    /// <summary>The newest private messages of <paramref name="user"/> below <paramref name="beforeId"/>, in any conversation, oldest first, and how many older ones remain.</summary>
    /// <param name="pairSinceMs">As for <see cref="PrivateAfter"/>.</param>
    public HistoryPage PrivateBefore(string user, long beforeId, int limit, long sinceMs = 0, Func<string, long>? pairSinceMs = null) =>
        Page($"SELECT {Columns} FROM messages m WHERE m.id IN ({OwnPrivateIds("id < $id")}) AND {OwnPrivate(pairSinceMs)} ORDER BY m.id DESC LIMIT $limit",
            $"SELECT count(*) FROM messages m WHERE m.id IN ({OwnPrivateIds("id < $first")}) AND {OwnPrivate(pairSinceMs)}", newestFirst: true, limit, pairSinceMs,
            ("$user", UserKey(user)), ("$id", beforeId), ("$since", sinceMs));

    // A private message of $user since $since: a pair key is "a\nb", and the user is either side of the newline.
    private const string OwnPrivateSince =
        "m.pair IS NOT NULL AND m.time_ms >= $since AND (substr(m.pair, 1, length($user) + 1) = $user || char(10) OR substr(m.pair, -length($user) - 1) = char(10) || $user)";

    /// <summary>
    /// The ids of $user's private messages within <paramref name="range"/> (a condition on id), through the indexes of
    /// schema step 7, one per side of the pair key: a user who was rarely messaged had the catch-up from an old id
    /// scan every message since (rooms included): 1.1-2.1 s on a year's 3.2 million messages, against the 2 s read
    /// budget (a history-at-scale audit, 2026-12-07). SQLite does not combine expression indexes for an OR, hence the
    /// UNION; a conversation with oneself is in both halves, which IN takes once. The expressions must stay exactly
    /// those of the indexes, or SQLite scans again (HistoryQueryPlanTests).
    /// </summary>
    internal static string OwnPrivateIds(string range) =>
        $"SELECT id FROM messages WHERE pair IS NOT NULL AND substr(pair, 1, instr(pair, char(10)) - 1) = $user AND {range} " +
        $"UNION ALL SELECT id FROM messages WHERE pair IS NOT NULL AND substr(pair, instr(pair, char(10)) + 1) = $user AND {range}";

    // The SQL function Page registers for a pairSinceMs; ifnull because SQLite may evaluate it on a room message too.
    private const string PairSinceFunction = "pair_since";

    /// <summary>
    /// <see cref="OwnPrivateSince"/>, and with <paramref name="pairSinceMs"/> only what was said after both accounts of
    /// the pair existed: the private catch-up and Search showed a removed namesake's conversation that History hid
    /// (an audit, 2026-12-06).
    /// </summary>
    private static string OwnPrivate(Func<string, long>? pairSinceMs) => pairSinceMs is null
        ? OwnPrivateSince
        : OwnPrivateSince + $" AND m.time_ms >= {PairSinceFunction}(ifnull(m.pair, ''))";

    /// <summary>The most older matches a search counts in Remaining; Remaining = this means "at least this many".</summary>
    public const int SearchCountCap = 10_000;

    /// <summary>
    /// Full-text search of what <paramref name="user"/> may see: the messages of <paramref name="rooms"/> and the
    /// user's own private messages (sent or received). The newest <paramref name="limit"/> matches below
    /// <paramref name="beforeId"/>, oldest first, and how many older matches remain. Input is taken literally
    /// (see <see cref="SearchQuery"/>; the caller applies its word limit). The read is budgeted like every page.
    /// </summary>
    /// <param name="historyFrom">Per room, the id at or below which its name's messages belong to an earlier room (null: none).</param>
    /// <param name="sinceMs">When <paramref name="user"/>'s account was created: older private messages are a removed namesake's.</param>
    /// <param name="pairSinceMs">As for <see cref="PrivateAfter"/>.</param>
    public HistoryPage SearchVisible(string text, IReadOnlyCollection<string> rooms, string user, long beforeId, int limit, Func<string, long>? historyFrom = null, long sinceMs = 0, Func<string, long>? pairSinceMs = null)
    {
        string match = MatchExpression(text);
        if (match.Length == 0)
        {
            return HistoryPage.Empty;
        }

        IndexPending();
        // Only the entries of the user's rooms and conversations (SearchScope); the rows are still filtered below.
        var scope = new List<string> { SearchScope.User(UserKey(user)) };
        var parameters = new List<(string, object)> { ("$id", beforeId), ("$user", UserKey(user)), ("$since", sinceMs) };
        var names = new StringBuilder();
        int i = 0;
        foreach (string room in rooms.DistinctBy(RoomKey, StringComparer.Ordinal))
        {
            scope.Add(SearchScope.Room(RoomKey(room)));
            string n = i.ToString(CultureInfo.InvariantCulture);
            names.Append(i == 0 ? string.Empty : " OR ").Append("(m.room = $r").Append(n).Append(" AND m.id > $f").Append(n).Append(')');
            parameters.Add(("$r" + n, RoomKey(room)));
            parameters.Add(("$f" + n, historyFrom?.Invoke(room) ?? 0L));
            i++;
        }

        parameters.Add(("$match", $"({match}) AND ({string.Join(" OR ", scope)})"));
        string visible = (i > 0 ? $"{names} OR " : string.Empty) + $"({OwnPrivate(pairSinceMs)})";
        // CROSS JOIN keeps the index outermost, and ordering and bounding by f.rowid (= m.id) lets FTS5 hand out its
        // matches newest first and stop after the page: with 570,000 matches of a common word the page took 0.17 s
        // sorted by m.id and takes 6 ms this way (measured on a 1.1M-message history.db with the sqlite3 CLI).
        string from = "FROM messages_fts f CROSS JOIN messages m ON m.id = f.rowid WHERE messages_fts MATCH $match AND (" + visible + ")";
        // Remaining stops counting at SearchCountCap: counting every older match of a common word (570,000 on a year's
        // history) joined each with its message and ran over the 2 s read budget, so the whole search failed.
        return Page($"SELECT {Columns} {from} AND f.rowid < $id ORDER BY f.rowid DESC LIMIT $limit",
            $"SELECT count(*) FROM (SELECT 1 {from} AND f.rowid < $first ORDER BY f.rowid DESC LIMIT {SearchCountCap})", newestFirst: true, limit, pairSinceMs, [.. parameters]);
    }

    /// <summary>
    /// Runs a page query and, when the page is full, its count of the rest, in one read transaction. The count
    /// query names the page's boundary $first (its oldest id) or $last (its newest id). A limit of 0 (a setting of
    /// 0, or a request for none) reads no page but still counts everything past the request's own bound ($id).
    /// </summary>
    private HistoryPage Page(string pageSql, string countSql, bool newestFirst, int limit, params (string Name, object Value)[] parameters) =>
        Page(pageSql, countSql, newestFirst, limit, null, parameters);

    /// <summary>As above, with <paramref name="pairSinceMs"/> as the SQL function the queries' <see cref="OwnPrivate"/> calls.</summary>
    private HistoryPage Page(string pageSql, string countSql, bool newestFirst, int limit, Func<string, long>? pairSinceMs, params (string Name, object Value)[] parameters)
    {
        using var connection = OpenReader(budgeted: true);
        if (pairSinceMs is not null)
        {
            connection.CreateFunction(PairSinceFunction, pairSinceMs, isDeterministic: true);
        }

        using var transaction = connection.BeginTransaction(deferred: true);
        if (limit <= 0)
        {
            object requestBound = parameters.First(p => p.Name == "$id").Value;
            var bound = newestFirst ? ("$first", requestBound) : ("$last", requestBound);
            return new HistoryPage([], Count(connection, countSql, [.. parameters.Where(p => countSql.Contains(p.Name, StringComparison.Ordinal)), bound]));
        }

        var page = Query(connection, pageSql, [.. parameters, ("$limit", limit)]);
        if (newestFirst)
        {
            page.Reverse();
        }

        long remaining = 0;
        if (page.Count == limit)
        {
            var bound = newestFirst ? ("$first", (object)page[0].Id) : ("$last", (object)page[^1].Id);
            remaining = Count(connection, countSql, [.. parameters.Where(p => countSql.Contains(p.Name, StringComparison.Ordinal)), bound]);
        }

        return new HistoryPage(page, remaining);
    }

    /// <summary>A room's last <paramref name="length"/> messages and its message count, in one snapshot (a tail's first use).</summary>
    private (IReadOnlyList<StoredMessage> Latest, long Count) LoadTail(string room, int length)
    {
        using var connection = OpenReader(budgeted: true);
        using var transaction = connection.BeginTransaction(deferred: true);
        var latest = Query(connection, $"SELECT {Columns} FROM messages m WHERE m.room = $room ORDER BY m.id DESC LIMIT $limit", ("$room", RoomKey(room)), ("$limit", length));
        latest.Reverse();
        return (latest, Count(connection, "SELECT count(*) FROM messages WHERE room = $room", ("$room", RoomKey(room))));
    }
}
