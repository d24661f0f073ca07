using LanTalk.Server.History;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// The data directory out of sight for a moment (chmod 000, an I/O error): the store cannot check that its files are
/// still the ones SQLite writes, so it refuses, but it is not broken: once they can be looked at again, chat resumes by
/// itself. Taken for "history.db was deleted", it refused until a restart and told the operator to restore a backup,
/// which would have lost every message since (a fault-injection audit, 2026-12-07).
/// </summary>
[TestFixture]
[Platform(Include = "Linux", Reason = "the check reads statx's errno")]
public sealed class HistoryDirectoryOutOfSightTests
{
    [Test]
    public async Task Appends_while_the_data_directory_cannot_be_looked_at_are_refused_and_resume_by_themselves_after()
    {
        await using var h = new HistoryFixture();
        (await h.Store.AppendRoomAsync("lobby", "alice", "before")).Status.Should().Be(AppendStatus.Stored);
        h.Store.Health.RetryAfterMs = 0;

        // Root ignores chmod 000, so the directory is put aside and its path made a symbolic link to itself: every look
        // through it fails with ELOOP, which like EACCES says "cannot look", not "not there". SQLite's descriptors stay good.
        string aside = h.DataDirectory + ".aside";
        Directory.Move(h.DataDirectory, aside);
        AppendResult during;
        try
        {
            File.CreateSymbolicLink(h.DataDirectory, h.DataDirectory);
            during = await h.Store.AppendRoomAsync("lobby", "alice", "while out of sight");
        }
        finally
        {
            File.Delete(h.DataDirectory);
            Directory.Move(aside, h.DataDirectory);
        }

        during.Status.Should().Be(AppendStatus.StorageUnavailable, "nothing is acknowledged that cannot be checked");
        h.Store.Health.Broken.Should().BeFalse("the files were out of sight, not deleted: no restart is needed");

        (await h.Store.AppendRoomAsync("lobby", "alice", "after")).Status.Should().Be(AppendStatus.Stored, "chat resumes by itself");
        h.Store.Available.Should().BeTrue();
        await h.ReopenAsync();
        HistoryFixture.MessageTexts(h.DatabasePath).Should().Equal("before", "after");
    }
}
