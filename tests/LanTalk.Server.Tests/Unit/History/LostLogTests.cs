using LanTalk.Server.History;
using Microsoft.Data.Sqlite;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// A history.db left as a bare header while history.db.ids shows ids were handed out: the log that held the history
/// (history.db-wal) was lost. Found by fault injection: after a kill -9 a young history.db is only its header page.
/// </summary>
[TestFixture]
public sealed class LostLogTests
{
    [Test]
    public async Task A_history_db_without_schema_is_refused_when_the_ids_show_messages_were_stored_and_nothing_is_changed()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "acknowledged");
        HistoryStoreException? refused = null;
        HistoryStoreException? checkRefused = null;
        byte[]? before = null;

        var store = await h.ReopenAsync(() =>
        {
            // As a kill -9 leaves a young history: the header page (WAL mode, no tables) in history.db, the rest in
            // the log, which is then emptied.
            File.Delete(h.DatabasePath);
            File.Delete(h.DatabasePath + "-shm");
            using (var bare = new SqliteConnection(HistoryFile.ConnectionString(h.DatabasePath, SqliteOpenMode.ReadWriteCreate)))
            {
                bare.Open();
                using var wal = bare.CreateCommand();
                wal.CommandText = "PRAGMA journal_mode=WAL";
                wal.ExecuteScalar();
            }

            File.WriteAllBytes(h.DatabasePath + "-wal", []);
            File.Delete(h.DatabasePath + "-shm");
            before = File.ReadAllBytes(h.DatabasePath);
            refused = FluentActions.Invoking(() => MessageStore.Open(h.DataDirectory, h.Settings, h.Clock, startRetention: false))
                .Should().Throw<HistoryStoreException>().Which;
            checkRefused = FluentActions.Invoking(() => HistoryBackup.Describe(h.DataDirectory)).Should().Throw<HistoryStoreException>().Which;
            File.ReadAllBytes(h.DatabasePath).Should().Equal(before, "a refused start writes nothing");
            // The operator's deliberate fresh start: all three moved away.
            File.Delete(h.DatabasePath);
            File.Delete(h.DatabasePath + "-wal");
            File.Delete(h.DatabasePath + "-shm");
            File.Delete(h.DatabasePath + IdReservation.Suffix);
        });

        refused!.Message.Should().Contain(h.DatabasePath).And.Contain("history.db-wal").And.Contain("missing or empty")
            .And.Contain("Restore history.db together with its history.db-wal").And.Contain("move history.db, history.db-wal and history.db.ids");
        checkRefused!.Message.Should().Be(refused.Message, "config check says what the start would");
        store.LastId.Should().Be(0, "with every file moved away the history starts afresh");
    }
}
