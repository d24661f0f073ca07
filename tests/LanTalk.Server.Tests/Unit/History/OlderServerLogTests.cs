using System.Globalization;
using LanTalk.Server.History;
using LanTalk.Server.Settings;
using Microsoft.Data.Sqlite;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// history.db.stopped vouches for the history.db (and history.db.ids) it was written beside, not for whatever is there
/// later. After a downgrade (the older lantalk-server knows nothing of the mark, so it stays) and a crash of that older
/// server, its log is the history's own: refusing it, with "move the log away" as the fix, threw away the messages the
/// older server had acknowledged (upgrade audit, 2026-12-07). Real files, real SQLite; the older server is a plain
/// SQLite connection writing the way every lantalk-server does.
/// </summary>
[TestFixture]
public sealed class OlderServerLogTests
{
    // reservesIds: an older server from 2026-12-03 on writes history.db.ids before its first id; one from before it
    // (after a restore of its own backup, the documented way back) leaves history.db.ids alone, but the restore replaced
    // history.db.
    // markNamesState false: the mark as the first version of it wrote it, one line and no state, judged by its time.
    [TestCase(true, true)]
    [TestCase(false, true)]
    [TestCase(true, false)]
    [TestCase(false, false)]
    public async Task A_log_an_older_server_left_after_this_version_s_clean_stop_is_applied_and_its_messages_kept(bool reservesIds, bool markNamesState)
    {
        using var directory = new TempDirectory();
        string db = directory.File("history.db");
        await using (var store = MessageStore.Open(directory.Path, ServerSettings.Default, startRetention: false))
        {
            (await store.AppendRoomAsync("lobby", "alice", "on this version")).Status.Should().Be(AppendStatus.Stored);
        }

        File.Exists(db + CleanStopMark.Suffix).Should().BeTrue("this version stopped cleanly");
        if (!markNamesState)
        {
            File.WriteAllText(db + CleanStopMark.Suffix, "history.db was closed cleanly and its log deleted; the next start refuses a history.db-wal that appears meanwhile\n");
            File.SetLastWriteTimeUtc(db + CleanStopMark.Suffix, File.GetLastWriteTimeUtc(db));
        }

        if (!reservesIds)
        {
            // The way back README gives: a backup made by the older version copied over history.db.
            using var backups = new TempDirectory();
            HistoryBackup.Run(directory.Path, backups.File("older.db"));
            File.WriteAllBytes(db, File.ReadAllBytes(backups.File("older.db")));
            File.SetLastWriteTimeUtc(db, File.GetLastWriteTimeUtc(db).AddMinutes(1));
        }

        // The older server runs on the directory and is killed: its log, with an acknowledged message, stays behind.
        using (var older = new SqliteConnection(HistoryFile.ConnectionString(db, SqliteOpenMode.ReadWrite)))
        {
            older.Open();
            SqliteNative.NoCheckpointOnClose(older);
            using var command = older.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; "
                + "INSERT INTO messages(id, room, sender, recipient, kind, time_ms, text, pair) VALUES (2, 'lobby', 'bob', NULL, 0, 1796627000000, 'acknowledged by the older server', NULL)";
            if (reservesIds)
            {
                File.WriteAllText(db + IdReservation.Suffix, (1 + IdReservation.Block).ToString(CultureInfo.InvariantCulture) + "\n");
                // Later than the clean stop, as it is when the older server runs minutes or days after it.
                File.SetLastWriteTimeUtc(db + IdReservation.Suffix, File.GetLastWriteTimeUtc(db + CleanStopMark.Suffix).AddMinutes(1));
            }

            command.ExecuteNonQuery();
        }

        new FileInfo(db + "-wal").Length.Should().BeGreaterThan(56, "the older server's log holds its commit");

        await using (var upgraded = MessageStore.Open(directory.Path, ServerSettings.Default, startRetention: false))
        {
            (await upgraded.AppendRoomAsync("lobby", "alice", "upgraded again")).Status.Should().Be(AppendStatus.Stored);
        }

        using var check = new SqliteConnection(HistoryFile.ConnectionString(db, SqliteOpenMode.ReadOnly));
        check.Open();
        using var read = check.CreateCommand();
        read.CommandText = "SELECT group_concat(text, '|') FROM (SELECT text FROM messages ORDER BY id)";
        (read.ExecuteScalar() as string).Should().Be("on this version|acknowledged by the older server|upgraded again",
            "the older server's acknowledged message survives the next upgrade");
    }
}
