using LanTalk.Server.History;
using Microsoft.Data.Sqlite;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>The writer copies the WAL into history.db about once per 4 MB of log, never once per commit.</summary>
[TestFixture]
public sealed class CheckpointTests
{
    [Test]
    public async Task After_the_log_passed_4_MB_once_single_commits_do_not_each_run_a_checkpoint()
    {
        await using var h = new HistoryFixture();
        string text = new('x', 3000);
        // Well past 4 MB of log in a few large groups.
        for (int round = 0; round < 6; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 400).Select(i => h.Store.AppendRoomAsync("lobby", "alice", text)));
        }

        long afterBulk = h.Store.Checkpoints;
        afterBulk.Should().BeGreaterThan(0, "several MB were written");

        // One message per commit, as on a quiet server: a few KB of log each.
        for (int i = 0; i < 100; i++)
        {
            await h.Store.AppendRoomAsync("lobby", "alice", "one at a time");
        }

        (h.Store.Checkpoints - afterBulk).Should().BeLessThanOrEqualTo(1, "100 small commits add well under 4 MB of log");
        new FileInfo(h.DatabasePath + "-wal").Length.Should().BeLessThan(HistoryWriter.CheckpointWalBytesForTests * 2);
    }

    [Test]
    public async Task After_a_checkpoint_the_log_is_written_again_in_place_instead_of_growing_commit_by_commit()
    {
        await using var h = new HistoryFixture();
        string text = new('x', 3000);
        for (int round = 0; round < 6; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 400).Select(i => h.Store.AppendRoomAsync("lobby", "alice", text)));
        }

        h.Store.Checkpoints.Should().BeGreaterThan(0, "several MB were written");
        var wal = new FileInfo(h.DatabasePath + "-wal");
        await h.Store.AppendRoomAsync("lobby", "alice", "restarts the log");
        wal.Refresh();
        long reused = wal.Length;

        for (int i = 0; i < 100; i++)
        {
            await h.Store.AppendRoomAsync("lobby", "alice", "one at a time");
        }

        wal.Refresh();
        // A log cut back to nothing at each restart grows with every commit, and an fsync of a file that grew must
        // also write its inode (several times the cost of one that did not, measured in HistoryWriter).
        wal.Length.Should().Be(reused, "100 small commits overwrite the start of the reused log");
        reused.Should().BeGreaterThan(100 * 4096, "the log kept its size across the checkpoint");
    }

    [Test]
    public async Task A_newly_opened_store_gives_its_log_the_working_size_so_its_first_commits_do_not_grow_it()
    {
        await using var h = new HistoryFixture();
        var wal = new FileInfo(h.DatabasePath + "-wal");
        long presized = wal.Length;

        for (int i = 0; i < 50; i++)
        {
            await h.Store.AppendRoomAsync("lobby", "alice", "one at a time");
        }

        wal.Refresh();
        presized.Should().BeGreaterThanOrEqualTo(HistoryWriter.CheckpointWalBytesForTests);
        wal.Length.Should().Be(presized, "the first commits overwrite the zeros instead of extending the file");
    }

    [Test]
    public async Task Zeros_past_the_last_frame_of_the_log_are_not_read_as_messages_after_a_crash()
    {
        await using var h = new HistoryFixture();
        for (int i = 1; i <= 10; i++)
        {
            await h.Store.AppendRoomAsync("lobby", "alice", "message " + i);
        }

        // A copy taken while the server runs is what a kill -9 leaves: committed frames, then the zeros of the
        // working size (and no -shm, which recovery rebuilds from the log).
        using var crashed = new TempDirectory();
        File.Copy(h.DatabasePath, crashed.File("history.db"));
        File.Copy(h.DatabasePath + "-wal", crashed.File("history.db-wal"));
        File.Copy(h.DatabasePath + IdReservation.Suffix, crashed.File("history.db" + IdReservation.Suffix));
        new FileInfo(crashed.File("history.db-wal")).Length.Should().BeGreaterThan(HistoryWriter.CheckpointWalBytesForTests);

        await using var store = MessageStore.Open(crashed.Path, h.Settings, h.Clock, startRetention: false);
        var page = store.BeforePage("lobby", long.MaxValue, 100);
        page.Messages.Select(m => m.Text).Should().Equal(Enumerable.Range(1, 10).Select(i => "message " + i));
        (await store.AppendRoomAsync("lobby", "alice", "after the crash")).Id.Should().Be(IdReservation.Block + 1, "after a crash ids go on above the reserved block");
    }

    [Test]
    public async Task A_log_that_another_processs_old_read_keeps_from_its_checkpoint_is_told_once_and_its_end_too()
    {
        // A `lantalk-server backup` suspended with Ctrl+Z holds such a read: history.db-wal grew with no word in the log.
        await using var h = new HistoryFixture();
        using var log = new UsersLogRecorder(h.DatabasePath, "LanTalk.Server.History");
        h.Store.LogHeldWarnBytes = HistoryWriter.CheckpointWalBytesForTests;
        string text = new('x', 3000);
        using (var reader = new SqliteConnection($"Data Source={h.DatabasePath};Mode=ReadOnly;Pooling=False"))
        {
            reader.Open();
            using var read = reader.BeginTransaction(deferred: true);
            using (var count = reader.CreateCommand())
            {
                count.Transaction = read;
                count.CommandText = "SELECT count(*) FROM messages";
                count.ExecuteScalar();
            }

            for (int round = 0; round < 6; round++)
            {
                await Task.WhenAll(Enumerable.Range(0, 400).Select(i => h.Store.AppendRoomAsync("lobby", "alice", text)));
            }

            var warnings = log.Lines.Where(l => l.StartsWith("WARN ", StringComparison.Ordinal) && l.Contains("cannot be copied into history.db", StringComparison.Ordinal)).ToList();
            warnings.Should().NotBeEmpty("over 7 MB of log passed the test's 4 MB threshold while the read held it");
            warnings.Count.Should().BeLessThanOrEqualTo(2, "told again only when the log has doubled, not at every checkpoint attempt");
        }

        // The read ended: the next checkpoint after the retry pause copies everything, and says so.
        for (int i = 0; i < 100; i++)
        {
            await h.Store.AppendRoomAsync("lobby", "alice", "one at a time");
        }

        log.Lines.Should().Contain(l => l.StartsWith("INFO ", StringComparison.Ordinal) && l.Contains("is copied into history.db again", StringComparison.Ordinal));
    }
}
