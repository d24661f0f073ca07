using LanTalk.Server.History;

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
}
