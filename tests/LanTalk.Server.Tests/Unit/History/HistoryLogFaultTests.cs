using LanTalk.Server.History;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// history.db-wal deleted or cut short while the store runs: a refused message is really not stored (also after the
/// checkpoint at close), an acknowledged one is kept, and a damaged log is never copied into history.db.
/// </summary>
[TestFixture]
public sealed class HistoryLogFaultTests
{
    [Test]
    public async Task A_first_write_that_changes_nothing_after_a_clean_start_is_no_damage_to_the_empty_log()
    {
        // A start (on a history with no message yet) that deleted a room with no messages (its only member removed while the server was stopped) wrote
        // nothing into the empty log; the check took it for a log whose header was cut off, and every message after it
        // was refused with StorageUnavailable (a regression audit, 2026-12-06).
        await using var h = new HistoryFixture();
        await h.ReopenAsync();
        var broke = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Store.Health.Changed += _ =>
        {
            if (h.Store.Health.Broken)
            {
                broke.TrySetResult();
            }
        };

        await h.Store.ForgetRoomAsync("a-room-with-no-messages");

        // The log is checked a second after a commit (FileWatchMs): before the fix the store broke then.
        var outcome = await Task.WhenAny(broke.Task, Task.Delay(TimeSpan.FromSeconds(3)));
        outcome.Should().NotBeSameAs(broke.Task, "an empty log with no header yet is not a damaged one");
        (await h.Store.AppendRoomAsync("lobby", "bob", "after the empty delete")).Status.Should().Be(AppendStatus.Stored);
    }

    [Test]
    public async Task Messages_refused_after_the_log_was_deleted_are_not_in_history_after_the_restart_and_earlier_ones_are()
    {
        // Before, each group was committed into the deleted log and only then refused; the checkpoint at close copied
        // those "refused" messages into history.db, so a client that sent them again posted them twice.
        await using var h = new HistoryFixture();
        var kept = await h.Store.AppendRoomAsync("lobby", "alice", "acknowledged before the delete");
        kept.Status.Should().Be(AppendStatus.Stored);
        File.Delete(h.DatabasePath + "-wal");

        var refused = new List<AppendResult>();
        for (int i = 0; i < 3; i++)
        {
            h.Store.Health.RetryAfterMs = 0;
            refused.Add(await h.Store.AppendRoomAsync("lobby", "alice", $"refused {i}"));
            refused.Add(await h.Store.AppendPrivateAsync("alice", "bob", $"refused private {i}", queueForDelivery: true));
        }

        refused.Select(r => r.Status).Should().OnlyContain(s => s == AppendStatus.StorageUnavailable);
        var store = await h.ReopenAsync();
        store.Latest("lobby", 100).Select(m => m.Text).Should().Equal(["acknowledged before the delete"], "the close copies the acknowledged message from the open log, and nothing refused");
        store.Stats().Messages.Should().Be(1);
    }

    [Test]
    public async Task A_group_committed_just_as_the_log_vanished_is_taken_out_again_before_it_is_refused()
    {
        // The file can go between the check before BEGIN and the COMMIT: the group is then in the deleted log, and the
        // checkpoint at close would store it. A write op inside the group deletes the log at exactly that moment.
        await using var h = new HistoryFixture();
        (await h.Store.AppendRoomAsync("lobby", "alice", "acknowledged before")).Status.Should().Be(AppendStatus.Stored);
        using var running = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocker = h.Store.WriteAsync(_ =>
        {
            running.Set();
            return release.Wait(TimeSpan.FromSeconds(10));
        });

        // The blocker must be in a group of its own: queued behind a slow writer's wake-up, it shared the vanishing
        // group and was refused with it (seen with the machine's two cores busy).
        running.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue("the writer runs the blocking op");
        var room = h.Store.AppendRoomAsync("lobby", "alice", "in the vanishing group");
        var offline = h.Store.AppendPrivateAsync("alice", "bob", "queued in the vanishing group", queueForDelivery: true);
        var delete = h.Store.WriteAsync(_ =>
        {
            File.Delete(h.DatabasePath + "-wal");
            return 0;
        });
        release.Set();
        (await blocker).Should().BeTrue();

        (await room).Status.Should().Be(AppendStatus.StorageUnavailable);
        (await offline).Status.Should().Be(AppendStatus.StorageUnavailable);
        await FluentActions.Awaiting(() => delete).Should().ThrowAsync<Exception>();
        var store = await h.ReopenAsync();
        store.Latest("lobby", 100).Select(m => m.Text).Should().Equal("acknowledged before");
        store.Stats().Messages.Should().Be(1, "the refused private message is gone too");
        store.Search("vanishing", ["lobby"], 10).Should().BeEmpty("its full-text row went with it");
    }

    [Test]
    public async Task A_log_cut_to_zero_bytes_stops_acknowledging_and_history_db_keeps_what_it_held()
    {
        // Before, SQLite wrote on into the headless log, acknowledging every message, and the checkpoint at close wrote
        // its zeros over history.db: the whole history was lost and the next start failed.
        await using var h = new HistoryFixture();
        (await h.Store.AppendRoomAsync("lobby", "alice", "checkpointed into history.db")).Status.Should().Be(AppendStatus.Stored);
        await h.ReopenAsync();
        (await h.Store.AppendRoomAsync("lobby", "alice", "only in the log")).Status.Should().Be(AppendStatus.Stored);

        using (var wal = new FileStream(h.DatabasePath + "-wal", FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            wal.SetLength(0);
        }

        var after = await h.Store.AppendRoomAsync("lobby", "alice", "after the cut");

        after.Status.Should().Be(AppendStatus.StorageUnavailable, "a log without its header cannot be read back");
        h.Store.Available.Should().BeFalse();
        h.Store.Health.NoCheckpoint.Should().BeTrue();
        var store = await h.ReopenAsync();
        store.Latest("lobby", 100).Select(m => m.Text).Should().Contain("checkpointed into history.db").And.NotContain("after the cut");
    }

    [TestCase(100)]
    [TestCase(32 + 24 + 4096 - 1)]
    public async Task A_log_cut_short_behind_its_intact_header_stops_acknowledging_and_history_db_keeps_what_it_held(int keptBytes)
    {
        // The header check alone let this through: SQLite wrote on past the cut, the server acknowledged every message,
        // and the checkpoint at a clean stop copied the hole's zeros over history.db (page 1 all zeros: the next start
        // failed, and every message was gone). Found by fault injection against the published server.
        await using var h = new HistoryFixture();
        (await h.Store.AppendRoomAsync("lobby", "alice", "checkpointed into history.db")).Status.Should().Be(AppendStatus.Stored);
        await h.ReopenAsync();
        for (int i = 0; i < 5; i++)
        {
            (await h.Store.AppendRoomAsync("lobby", "alice", $"only in the log {i}")).Status.Should().Be(AppendStatus.Stored);
        }

        using (var wal = new FileStream(h.DatabasePath + "-wal", FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            wal.SetLength(keptBytes);
        }

        var after = await h.Store.AppendRoomAsync("lobby", "alice", "after the cut");

        after.Status.Should().Be(AppendStatus.StorageUnavailable, "SQLite would write behind a hole no reader can cross");
        h.Store.Health.NoCheckpoint.Should().BeTrue("the log's zeros must never be copied into history.db");
        var store = await h.ReopenAsync();
        store.Latest("lobby", 100).Select(m => m.Text).Should().Contain("checkpointed into history.db").And.NotContain("after the cut");
    }

    [Test]
    public async Task A_read_that_finds_the_file_damaged_stops_writes_and_checkpoints_once_a_check_of_the_file_confirms_it()
    {
        await using var h = new HistoryFixture();
        (await h.Store.AppendRoomAsync("lobby", "alice", "stored")).Status.Should().Be(AppendStatus.Stored);
        var damage = new Microsoft.Data.Sqlite.SqliteException("SQLite Error 26: 'file is not a database'.", 26);

        // A read error of the disk for a moment also comes back as damage; the file itself is fine (fault injection,
        // 2026-12-05: the store refused every message until a restart and advised restoring a backup).
        h.Store.NoteReadFailure(damage);
        h.Store.Available.Should().BeTrue("a check of the whole file finds it intact");

        // Now the pages really are damaged: every page in the log (where a store this young keeps them all) overwritten.
        using (var log = new FileStream(h.DatabasePath + "-wal", FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            log.Position = 32;
            log.Write(Enumerable.Repeat((byte)0xA5, (int)(log.Length - 32)).ToArray());
        }

        h.Store.NoteReadFailure(damage);

        h.Store.Available.Should().BeFalse();
        h.Store.Health.NoCheckpoint.Should().BeTrue();
        (await h.Store.AppendRoomAsync("lobby", "alice", "refused")).Status.Should().Be(AppendStatus.StorageUnavailable);
    }

    [Test]
    public async Task A_log_deleted_under_the_idle_server_has_its_acknowledged_messages_copied_into_history_db_at_once()
    {
        await using var h = new HistoryFixture();
        var stored = await h.Store.AppendRoomAsync("lobby", "alice", "acknowledged before the log went");
        stored.Status.Should().Be(AppendStatus.Stored);

        File.Delete(h.DatabasePath + "-wal");

        // What a kill -9 now would leave: history.db alone, as it is on the disk.
        // Before, the message was only in the deleted log until the next commit or a clean stop.
        var deadline = DateTime.UtcNow + Wait.Timeout;
        long onDisk = 0;
        while (DateTime.UtcNow < deadline && (onDisk = CountOnDisk(h.DatabasePath)) == 0)
        {
            await Task.Delay(50);
        }

        onDisk.Should().Be(1, "the writer notices the deleted log within a second and copies what it held into history.db");
    }

    private static long CountOnDisk(string path)
    {
        // A copy of history.db alone is what a kill -9 would leave of it: no log beside it to apply.
        using var copy = new TempDirectory();
        File.Copy(path, copy.File("history.db"));
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={copy.File("history.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM messages";
        try
        {
            return (long)command.ExecuteScalar()!;
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // Not even the tables are in the file yet: a new history.db holds them only in its log until a checkpoint.
            return 0;
        }
    }
}
