using LanTalk.Server.History;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// history.db.ids: ids are never handed out twice, also when history.db goes back in time (a backup restored over it),
/// and a clean restart leaves no gap.
/// </summary>
[TestFixture]
public sealed class IdReservationTests
{
    [Test]
    public async Task After_a_backup_is_restored_ids_continue_above_every_id_handed_out_before_it()
    {
        await using var h = new HistoryFixture();
        for (int i = 1; i <= 3; i++)
        {
            await h.Store.AppendRoomAsync("lobby", "alice", $"before the backup {i}");
        }

        using var backups = new TempDirectory();
        HistoryBackup.Run(h.DataDirectory, backups.File("copy.db"));
        for (int i = 4; i <= 6; i++)
        {
            (await h.Store.AppendRoomAsync("lobby", "alice", $"after the backup {i}")).Id.Should().Be(i);
        }

        var store = await h.ReopenAsync(() =>
        {
            // README's restore: the log and shared memory go, the backup replaces history.db.
            File.Delete(h.DatabasePath + "-wal");
            File.Delete(h.DatabasePath + "-shm");
            File.Copy(backups.File("copy.db"), h.DatabasePath, overwrite: true);
        });

        store.LastId.Should().Be(6);
        (await store.AppendRoomAsync("lobby", "alice", "after the restore")).Id.Should().Be(7, "ids 4-6 were seen by clients; giving them to other messages made a catch-up from 6 skip these");
    }

    [Test]
    public async Task A_clean_close_leaves_no_gap_and_after_a_crash_the_ids_go_on_above_the_reserved_block()
    {
        await using var h = new HistoryFixture();
        (await h.Store.AppendRoomAsync("lobby", "alice", "one")).Id.Should().Be(1);
        File.ReadAllText(h.DatabasePath + IdReservation.Suffix).Trim().Should().Be(IdReservation.Block.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "the block is reserved on disk before its first id is committed");

        var store = await h.ReopenAsync();
        (await store.AppendRoomAsync("lobby", "alice", "two")).Id.Should().Be(2, "a clean close wrote back the exact last id");

        // As a kill -9 leaves it: the reservation ahead of the ids committed.
        store = await h.ReopenAsync(() => File.WriteAllText(h.DatabasePath + IdReservation.Suffix, "10002\n"));
        (await store.AppendRoomAsync("lobby", "alice", "three")).Id.Should().Be(10_003);
    }

    [Test]
    public async Task A_backup_restored_where_no_ids_file_is_goes_on_far_above_its_ids_and_a_new_store_starts_at_one()
    {
        // A new machine: the backup as history.db, no history.db.ids. The old server's ids after the backup are
        // unknown; reusing them made a client that had seen them drop the new messages (an ops audit, 2026-12-05).
        await using var h = new HistoryFixture();
        (await h.Store.AppendRoomAsync("lobby", "alice", "one")).Id.Should().Be(1, "a store with no messages and no ids file starts at 1");
        await h.Store.AppendRoomAsync("lobby", "alice", "two");

        var store = await h.ReopenAsync(() => File.Delete(h.DatabasePath + IdReservation.Suffix));

        (await store.AppendRoomAsync("lobby", "alice", "on the new machine")).Id.Should().Be(2 + IdReservation.UnknownGap + 1);
        store = await h.ReopenAsync();
        (await store.AppendRoomAsync("lobby", "alice", "after a clean restart")).Id.Should().Be(2 + IdReservation.UnknownGap + 2, "the jump is made once: the ids file is back");
    }

    // "twelve": no number. 9223372036854775000: above the ceiling; it was taken, the next block's end wrapped
    // negative, was written, and the next start refused the file the server had written itself (a fault audit).
    [TestCase("twelve")]
    [TestCase("9223372036854775000")]
    public async Task A_history_ids_file_that_holds_no_valid_id_stops_the_open_naming_the_file_the_range_and_the_fix(string content)
    {
        await using var h = new HistoryFixture();
        HistoryStoreException? refused = null;

        await h.ReopenAsync(() =>
        {
            File.WriteAllText(h.DatabasePath + IdReservation.Suffix, content + "\n");
            refused = FluentActions.Invoking(() => MessageStore.Open(h.DataDirectory, h.Settings, h.Clock, startRetention: false))
                .Should().Throw<HistoryStoreException>().Which;
            File.Delete(h.DatabasePath + IdReservation.Suffix);
        });

        refused!.Message.Should().Contain(h.DatabasePath + IdReservation.Suffix).And.Contain($"\"{content}\"")
            .And.Contain($"from 0 to {IdReservation.MaxId}").And.Contain("or delete the file");
    }

    [Test]
    public async Task Near_the_id_ceiling_the_reservation_stops_at_it_and_past_it_messages_are_refused_with_the_reason_not_a_full_disk()
    {
        // It reserved a block past the ceiling and wrote that, and the next start refused the file the server had
        // written itself; the senders were told the disk was full (fault injection, 2026-12-05).
        await using var h = new HistoryFixture();
        var store = await h.ReopenAsync(() => File.WriteAllText(h.DatabasePath + IdReservation.Suffix, $"{IdReservation.MaxId - 2}\n"));

        (await store.AppendRoomAsync("lobby", "alice", "one")).Id.Should().Be(IdReservation.MaxId - 1);
        File.ReadAllText(h.DatabasePath + IdReservation.Suffix).Trim().Should().Be(IdReservation.MaxId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await store.AppendRoomAsync("lobby", "alice", "two")).Id.Should().Be(IdReservation.MaxId);
        (await store.AppendRoomAsync("lobby", "alice", "three")).IsStored.Should().BeFalse("no id is left");
        (await store.AppendRoomAsync("lobby", "alice", "four")).IsStored.Should().BeFalse("the store stops taking messages: no retry finds an id");

        // The file it wrote is one the next start takes.
        await FluentActions.Awaiting(() => h.ReopenAsync()).Should().NotThrowAsync();
    }

    [Test]
    public async Task A_stored_row_above_the_id_sequence_makes_new_ids_go_on_above_it()
    {
        // A hand edit (or a foreign tool) leaves sqlite_sequence and history.db.ids below a stored id: the next message
        // got id 4, below one already stored, and ids were no longer increasing (a store audit, 2026-12-06).
        await using var h = new HistoryFixture();
        for (int i = 1; i <= 3; i++)
        {
            await h.Store.AppendRoomAsync("lobby", "alice", $"message {i}");
        }

        var store = await h.ReopenAsync(() => SetId(h, from: 2, to: 1_000_000_000_000));

        store.LastId.Should().Be(1_000_000_000_000);
        (await store.AppendRoomAsync("lobby", "alice", "after the edit")).Id.Should().Be(1_000_000_000_001);
    }

    [Test]
    public async Task A_stored_row_above_the_id_ceiling_stops_the_open_as_a_sequence_above_it_does()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "one");
        HistoryStoreException? refused = null;

        await h.ReopenAsync(() =>
        {
            SetId(h, from: 1, to: IdReservation.MaxId + 1);
            refused = FluentActions.Invoking(() => MessageStore.Open(h.DataDirectory, h.Settings, h.Clock, startRetention: false))
                .Should().Throw<HistoryStoreException>().Which;
            SetId(h, from: IdReservation.MaxId + 1, to: 1);
        });

        refused!.Message.Should().Contain(h.DatabasePath).And.Contain($"{IdReservation.MaxId + 1}, is above {IdReservation.MaxId}");
    }

    /// <summary>As sqlite3 on the command line would: an UPDATE leaves sqlite_sequence as it was.</summary>
    private static void SetId(HistoryFixture h, long from, long to)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={h.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE messages SET id = $to WHERE id = $from";
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$to", to);
        command.ExecuteNonQuery().Should().Be(1);
    }

    [Test]
    public async Task A_stored_time_beyond_the_year_9999_is_not_handed_on_to_new_messages()
    {
        // One such row (a hand edit, a bad clock) gave every new message its time, and every client then dropped the
        // connection on it (a fault audit).
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "one");

        var store = await h.ReopenAsync(() =>
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={h.DatabasePath};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE messages SET time_ms = 253402300800000";
            command.ExecuteNonQuery();
        });

        var next = await store.AppendRoomAsync("lobby", "alice", "two");

        next.TimeMs.Should().Be(LanTalk.Core.Protocol.UnixMilliseconds.Max);
        LanTalk.Core.Protocol.UnixMilliseconds.ToTime(next.TimeMs).Year.Should().Be(9999);
    }

    [Test]
    public async Task After_the_clock_goes_back_new_messages_keep_the_time_order_of_their_ids()
    {
        // The open also warns of it (HistoryWriter.WarnOfFutureTimes); before, new messages took that time silently.
        await using var h = new HistoryFixture();
        var stored = await h.Store.AppendRoomAsync("lobby", "alice", "written while the clock was a day ahead");
        var store = await h.ReopenAsync(() => h.Clock.Now -= TimeSpan.FromDays(1));

        var next = await store.AppendRoomAsync("lobby", "alice", "after the clock went back");

        next.TimeMs.Should().Be(stored.TimeMs, "message times never go back as ids grow (PROTOCOL.md, Durability)");
    }

    [Test]
    public async Task A_directory_where_history_ids_belongs_stops_the_open_instead_of_refusing_every_message_later()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "one");
        HistoryStoreException? refused = null;

        await h.ReopenAsync(() =>
        {
            string ids = h.DatabasePath + IdReservation.Suffix;
            File.Delete(ids);
            Directory.CreateDirectory(ids);
            refused = FluentActions.Invoking(() => MessageStore.Open(h.DataDirectory, h.Settings, h.Clock, startRetention: false))
                .Should().Throw<HistoryStoreException>().Which;
            Directory.Delete(ids);
        });

        refused!.Message.Should().Contain(h.DatabasePath + IdReservation.Suffix).And.Contain("is a directory").And.Contain("Remove it");
    }

    [Test]
    public async Task An_emptied_history_db_is_refused_when_the_ids_show_messages_were_stored_and_a_deleted_one_starts_empty()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "one");
        HistoryStoreException? refused = null;

        var store = await h.ReopenAsync(() =>
        {
            // As a crash before the data reached the disk leaves it: the file there, its contents gone.
            File.Delete(h.DatabasePath + "-wal");
            File.Delete(h.DatabasePath + "-shm");
            File.WriteAllBytes(h.DatabasePath, []);
            refused = FluentActions.Invoking(() => MessageStore.Open(h.DataDirectory, h.Settings, h.Clock, startRetention: false))
                .Should().Throw<HistoryStoreException>().Which;
            File.Delete(h.DatabasePath);
        });

        refused!.Message.Should().Contain("is empty (0 bytes)").And.Contain("Restore a backup").And.Contain("delete history.db");
        store.LastId.Should().Be(1, "a deleted history.db starts empty, and ids go on after those handed out");
        (await store.AppendRoomAsync("lobby", "alice", "two")).Id.Should().Be(2);
    }
}
