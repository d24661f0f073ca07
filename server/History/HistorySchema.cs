using Microsoft.Data.Sqlite;

namespace LanTalk.Server.History;

/// <summary>
/// The schema of history.db as numbered migrations; PRAGMA user_version records the last one applied. A new
/// version appends a step here (never edits a shipped one), and a file from a newer server is refused at open.
/// </summary>
internal static class HistorySchema
{
    private static readonly NLog.Logger s_log = NLog.LogManager.GetLogger("LanTalk.Server.History");

    // The steps that build the full-text index again (steps 5 and 6, SearchFold), by index: the ones an upgrade of a
    // large history waits for.
    private static readonly int[] s_reindexSteps = [4, 5];

    // What SearchFold.Sql was when step 5 shipped (Greek only): a shipped step's text never changes, and step 6
    // builds the index again with today's.
    private static string FoldV5(string column) => $"CASE WHEN {column} GLOB '*[\u0370-\u1FFF]*' THEN {SearchFold.FunctionName}({column}) ELSE {column} END";

    /// <summary>The steps in order; step i brings the file from version i to version i+1.</summary>
    public static IReadOnlyList<string> Migrations { get; } =
    [
        // 1: messages and their full-text index. AUTOINCREMENT keeps the highest id ever used in sqlite_sequence, so
        // ids stay increasing even after retention deletes the newest rows. room is the lower-cased room key (NULL
        // for a private message); recipient is set only for private messages. The FTS table is external-content
        // (it stores only the index, not a second copy of the text) and triggers keep it in step.
        """
        CREATE TABLE messages(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            room TEXT,
            sender TEXT NOT NULL,
            recipient TEXT,
            kind INTEGER NOT NULL,
            time_ms INTEGER NOT NULL,
            text TEXT NOT NULL);
        CREATE INDEX messages_by_room ON messages(room, id) WHERE room IS NOT NULL;
        CREATE VIRTUAL TABLE messages_fts USING fts5(text, content='messages', content_rowid='id');
        CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
            INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;
        """,
        // 2: the offline queue and delivery receipts. recipient and sender are lower-cased user keys; delivered_ms
        // stays NULL until the recipient's session got the message. The partial indexes cover exactly the two
        // questions asked: "what waits for user X" and "which of X's stored messages were delivered".
        """
        CREATE TABLE offline(
            message_id INTEGER PRIMARY KEY,
            recipient TEXT NOT NULL,
            sender TEXT NOT NULL,
            stored_ms INTEGER NOT NULL,
            delivered_ms INTEGER);
        CREATE INDEX offline_pending ON offline(recipient, message_id) WHERE delivered_ms IS NULL;
        CREATE INDEX offline_delivered ON offline(sender, message_id) WHERE delivered_ms IS NOT NULL;
        """,
        // 3: what the protocol asks. pair is the conversation key of a private message (the two lower-cased user
        // keys, the smaller first, joined by a newline, which no user name contains), so paging through one
        // conversation and "my private messages" in a search are index range scans. notified_ms records that the
        // sender was told of the delivery (a Receipt), so a sender who was offline then is told at the next login;
        // receipts delivered before this version count as told. lower() folds ASCII only, as the names of files
        // written before this version were in practice; new rows get the key from the server (ToLowerInvariant).
        """
        ALTER TABLE messages ADD COLUMN pair TEXT;
        UPDATE messages SET pair = CASE WHEN lower(sender) <= lower(recipient)
            THEN lower(sender) || char(10) || lower(recipient) ELSE lower(recipient) || char(10) || lower(sender) END
            WHERE recipient IS NOT NULL;
        CREATE INDEX messages_by_pair ON messages(pair, id) WHERE pair IS NOT NULL;
        ALTER TABLE offline ADD COLUMN notified_ms INTEGER;
        UPDATE offline SET notified_ms = delivered_ms WHERE delivered_ms IS NOT NULL;
        CREATE INDEX offline_untold ON offline(sender, message_id) WHERE delivered_ms IS NOT NULL AND notified_ms IS NULL;
        """,
        // 4: the full-text index is filled in batches by the writer (HistoryWriter.IndexRows) instead of by a trigger
        // per message: indexing one row per transaction cost ten times what a batch of 1,000 does, and was most of
        // a lone message's commit. fts_state.indexed is the highest id in the index; every row up to it was indexed
        // when this step ran. The delete trigger now removes only indexed rows (an external-content FTS5 index must
        // never be told to delete what it does not hold).
        """
        DROP TRIGGER messages_fts_insert;
        DROP TRIGGER messages_fts_delete;
        CREATE TABLE fts_state(indexed INTEGER NOT NULL);
        INSERT INTO fts_state(indexed) SELECT coalesce(max(id), 0) FROM messages;
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.id <= (SELECT indexed FROM fts_state) BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;
        """,
        // 5: search ignores every accent it promises to (PROTOCOL.md, Search). unicode61's remove_diacritics 1 left a
        // Latin letter with two accents as it was ("tieng" did not find Vietnamese "Tiếng"), and no setting of it
        // touches Greek, so the index gets each text through lantalk_fold (SearchFold.Sql, registered on the writer's
        // connection), and the tokenizer removes diacritics with option 2. The index is built again from every row
        // indexed so far; the delete trigger folds too, since FTS5 must be told the exact values it indexed.
        $"""
        DROP TRIGGER messages_fts_delete;
        DROP TABLE messages_fts;
        CREATE VIRTUAL TABLE messages_fts USING fts5(text, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
        INSERT INTO messages_fts(rowid, text) SELECT id, {FoldV5("text")} FROM messages WHERE id <= (SELECT indexed FROM fts_state);
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.id <= (SELECT indexed FROM fts_state) BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, {FoldV5("old.text")});
        END;
        """,
        // 6: a search finds words inside text written without spaces (PROTOCOL.md, Search): each letter of Chinese,
        // Japanese, Thai, Hangul and the like is a token of its own (SearchFold), where unicode61 made a whole run one
        // token, so "東京" did not find "今日は東京へ". And each entry carries its room's or conversation's scope
        // tokens (SearchScope), so a search walks only what the user may see. The index is built again as in step 5,
        // and the delete trigger gives FTS5 the same values.
        $"""
        DROP TRIGGER messages_fts_delete;
        DROP TABLE messages_fts;
        CREATE VIRTUAL TABLE messages_fts USING fts5(text, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
        INSERT INTO messages_fts(rowid, text) SELECT id, {SearchScope.IndexText("")} FROM messages WHERE id <= (SELECT indexed FROM fts_state);
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.id <= (SELECT indexed FROM fts_state) BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, {SearchScope.IndexText("old.")});
        END;
        """,
        // 7: a user's private messages by either side of the pair key (MessageStore.OwnPrivateIds), so the private
        // catch-up and paging through all of one's private messages read only those, not every message since an id.
        """
        CREATE INDEX messages_private_first ON messages(substr(pair, 1, instr(pair, char(10)) - 1), id) WHERE pair IS NOT NULL;
        CREATE INDEX messages_private_second ON messages(substr(pair, instr(pair, char(10)) + 1), id) WHERE pair IS NOT NULL;
        """,
    ];

    public static int CurrentVersion => Migrations.Count;

    // The tables every version since the first has; a file at a LanTalk version without them was changed by something else.
    private static readonly string[] s_tables = ["messages", "messages_fts", "offline", "fts_state"];

    /// <summary>
    /// Refuses a file whose schema version is LanTalk's but whose tables are not all there (a table dropped by hand,
    /// another program's database with a user_version that happens to match): before, the first statement failed with
    /// a bare "no such table" and no word on what to do.
    /// </summary>
    public static void RefuseIncomplete(SqliteConnection connection, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        var present = new HashSet<string>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                present.Add(reader.GetString(0));
            }
        }

        var missing = s_tables.Where(t => !present.Contains(t)).ToArray();
        if (missing.Length > 0)
        {
            throw new HistoryStoreException(
                $"{path}: has LanTalk's schema version {ReadVersion(connection)} but lacks the table(s) {string.Join(", ", missing)}: it was changed by "
                + $"another program, or is not a LanTalk history. {HistoryFile.MoveAwayFix}");
        }
    }

    public static int ReadVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Applies the missing steps up to <paramref name="target"/>, each in its own transaction with its version bump.</summary>
    /// <param name="notifySocket">systemd's notify socket, when it is not the process's NOTIFY_SOCKET (tests).</param>
    public static void Migrate(SqliteConnection connection, string path, int target = -1, string? notifySocket = null)
    {
        if (target < 0)
        {
            target = CurrentVersion;
        }

        int version = ReadVersion(connection);
        if (version > CurrentVersion)
        {
            throw new HistoryStoreException(
                $"{path}: the history database has schema version {version}, but this lantalk-server understands versions up to {CurrentVersion}: " +
                "a newer server wrote it. Run that newer lantalk-server, or restore a backup made by this version (see README, Backup and restore).");
        }

        if (version < 0)
        {
            // user_version is a signed 32-bit field of the file's header: a flipped byte made it negative, and the steps
            // below were indexed with it (an unhandled IndexOutOfRangeException and exit 134).
            throw new HistoryStoreException(
                $"{path}: the history database says schema version {version}, which no lantalk-server writes: its header is damaged. {HistoryFile.MoveAwayFix}");
        }

        bool reindexes = version > 0 && s_reindexSteps.Any(step => version <= step && target > step);
        if (reindexes)
        {
            // Silent, this start looked hung: about 20 s per million messages on a 2-core machine (2026-12-06).
            s_log.Info("{Path}: upgrading the history from schema version {From} to {To}: the search index is built again, "
                + "about 20 s per million messages; the server listens once that is done", path, version, target);
        }

        // Under systemd a reindex of more than about 4 million messages outlasted the 90 s start timeout: killed, restarted, killed again.
        using var extension = reindexes
            ? notifySocket is null ? Hosting.StartTimeoutExtension.Begin() : Hosting.StartTimeoutExtension.Begin(notifySocket)
            : null;

        for (int step = version; step < target; step++)
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            // The step and its version number commit together: a crash leaves the file at one version or the next.
            command.CommandText = Migrations[step] + $"\nPRAGMA user_version = {step + 1};";
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }
}
