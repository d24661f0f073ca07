using LanTalk.Server.History;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// history.db or its log renamed over by another file while the store runs (a backup moved in, a copy of the log), and
/// odd files where SQLite keeps its own: nothing is acknowledged into a file no longer at its path, what was
/// acknowledged is kept, and a bad companion file is named at the start (fault injection, 2026-12-04).
/// </summary>
[TestFixture]
[Platform(Include = "Linux", Reason = "an open file can be renamed over only on Unix; the check compares inodes")]
public sealed class HistoryFileReplacedTests
{
    [Test]
    public async Task A_copy_moved_over_history_db_stops_the_acknowledgements()
    {
        // Before, the server went on acknowledging into the file moved away: 233 of 233 messages were missing after
        // a restart, and nothing was logged.
        await using var h = new HistoryFixture();
        (await h.Store.AppendRoomAsync("lobby", "alice", "before the swap")).Status.Should().Be(AppendStatus.Stored);
        File.Copy(h.DatabasePath, h.DatabasePath + ".copy");
        File.Move(h.DatabasePath + ".copy", h.DatabasePath, overwrite: true);

        h.Store.Health.RetryAfterMs = 0;
        var after = await h.Store.AppendRoomAsync("lobby", "alice", "after the swap");

        after.Status.Should().Be(AppendStatus.StorageUnavailable, "the file SQLite writes is no longer history.db");
        h.Store.Health.Broken.Should().BeTrue("acknowledging stops until a restart");
    }

    [Test]
    public async Task A_copy_moved_over_the_log_is_moved_aside_and_the_acknowledged_messages_are_in_history_db_at_once()
    {
        // Before, SQLite wrote on into its unlinked log, and a kill -9 lost every message acknowledged since (232 of
        // 232). Now the group is refused, the stranger moved aside, and a checkpoint puts what was acknowledged into
        // history.db itself: read here without any log, as a restart after a crash would find it.
        await using var h = new HistoryFixture();
        (await h.Store.AppendRoomAsync("lobby", "alice", "acknowledged")).Status.Should().Be(AppendStatus.Stored);
        string log = h.DatabasePath + "-wal";
        File.Copy(log, log + ".copy");
        File.Move(log + ".copy", log, overwrite: true);

        h.Store.Health.RetryAfterMs = 0;
        var refused = await h.Store.AppendRoomAsync("lobby", "alice", "refused");

        refused.Status.Should().Be(AppendStatus.StorageUnavailable);
        File.Exists(log + ".replaced").Should().BeTrue("the stranger is kept, out of SQLite's way");
        File.Exists(log).Should().BeFalse("a restart must not apply the stranger's pages to history.db");
        string alone = h.DatabasePath + ".alone";
        File.Copy(h.DatabasePath, alone);
        HistoryFixture.MessageTexts(alone).Should().Equal("acknowledged");
    }

    [TestCase("-wal")]
    [TestCase("-shm")]
    [TestCase("-journal")]
    public void A_directory_where_sqlite_keeps_a_file_of_its_own_is_named_at_the_start(string suffix)
    {
        // Before: "history.db: cannot be opened ... move the file" for a -journal or -shm, blaming the history and
        // advising to set it aside; a -wal directory made the server wait for a disk that was fine.
        using var dir = new TempDirectory();
        using (var store = MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false))
        {
        }

        Directory.CreateDirectory(dir.File("history.db" + suffix));

        var open = () => MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false);

        var ex = open.Should().Throw<HistoryStoreException>().Which;
        ex.Unwritable.Should().BeFalse("a bad file stops the start; waiting cannot mend it");
        ex.Message.Should().Contain($"history.db{suffix} is a directory").And.Contain($"Move {dir.File("history.db" + suffix)} out of the data directory")
            .And.Contain("untouched");
    }
}
