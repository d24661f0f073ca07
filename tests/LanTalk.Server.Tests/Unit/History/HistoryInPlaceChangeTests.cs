using LanTalk.Server.History;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// history.db written in place by someone else while the store runs (a backup copied over it, a truncate): nothing is
/// acknowledged any more, its log is never applied to the changed file, and what the log held is kept aside.
/// </summary>
[TestFixture]
public sealed class HistoryInPlaceChangeTests
{
    [Test]
    public async Task A_backup_copied_over_history_db_in_place_stops_acknowledging_and_its_log_goes_aside_at_the_close()
    {
        await using var h = new HistoryFixture();
        (await h.Store.AppendRoomAsync("lobby", "alice", "in the backup")).Status.Should().Be(AppendStatus.Stored);
        await h.ReopenAsync();
        byte[] backup = await File.ReadAllBytesAsync(h.DatabasePath);
        (await h.Store.AppendRoomAsync("lobby", "alice", "acknowledged after the backup")).Status.Should().Be(AppendStatus.Stored);

        // `cp BACKUP history.db`: the same file (inode), other contents.
        await File.WriteAllBytesAsync(h.DatabasePath, backup);
        var after = await h.Store.AppendRoomAsync("lobby", "alice", "after the copy");

        after.Status.Should().Be(AppendStatus.StorageUnavailable, "the log no longer belongs to the file");
        h.Store.Health.NoCheckpoint.Should().BeTrue("the log's pages must never be written into the copied file");
        var store = await h.ReopenAsync();
        File.Exists(h.DatabasePath + "-wal.orphaned").Should().BeTrue("the acknowledged message is kept in the log moved aside");
        store.Latest("lobby", 100).Select(m => m.Text).Should().Equal(["in the backup"], "the copy is what the next start uses, undamaged");
    }

    [Test]
    public async Task A_history_db_truncated_in_place_stops_acknowledging()
    {
        await using var h = new HistoryFixture();
        (await h.Store.AppendRoomAsync("lobby", "alice", "checkpointed")).Status.Should().Be(AppendStatus.Stored);
        await h.ReopenAsync();
        (await h.Store.AppendRoomAsync("lobby", "alice", "in the log")).Status.Should().Be(AppendStatus.Stored);
        using (var db = new FileStream(h.DatabasePath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            db.SetLength(db.Length - 1);
        }

        (await h.Store.AppendRoomAsync("lobby", "alice", "after the truncate")).Status.Should().Be(AppendStatus.StorageUnavailable);
    }

    [Test]
    [Platform("Linux")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_chmod_of_history_db_is_no_change_of_its_contents()
    {
        await using var h = new HistoryFixture();
        (await h.Store.AppendRoomAsync("lobby", "alice", "first")).Status.Should().Be(AppendStatus.Stored);

        File.SetUnixFileMode(h.DatabasePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        (await h.Store.AppendRoomAsync("lobby", "alice", "after the chmod")).Status.Should().Be(AppendStatus.Stored);
        h.Store.Available.Should().BeTrue();
    }

    [Test]
    public async Task Checkpoints_of_its_own_are_no_change_in_place()
    {
        // Over 4 MB of log makes the writer checkpoint while it runs: its own writes to history.db must not alarm it.
        await using var h = new HistoryFixture();
        string text = new('x', 3000);
        for (int i = 0; i < 2500; i++)
        {
            (await h.Store.AppendRoomAsync("lobby", "alice", $"{i} {text}")).Status.Should().Be(AppendStatus.Stored);
        }

        h.Store.Checkpoints.Should().BeGreaterThan(0);
        h.Store.Available.Should().BeTrue();
    }
}
