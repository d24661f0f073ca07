using LanTalk.Server.History;
using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// Data files that are symbolic links (kept on another disk) work through the link: history.db's log and lock are
/// looked for where SQLite puts them, beside the link's target, and an atomic rewrite replaces the target, keeping
/// the link (real files, real SQLite).
/// </summary>
[TestFixture]
public sealed class LinkedFilesTests
{
    [Test]
    public async Task A_history_db_that_is_a_link_to_another_directory_stores_messages_and_keeps_them_over_a_restart()
    {
        using var data = new TempDirectory();
        using var disk = new TempDirectory();
        string target = disk.File("history.db");
        await using (var first = MessageStore.Open(data.Path, ServerSettings.Default, startRetention: false))
        {
            await first.AppendRoomAsync("lobby", "alice", "before the move");
        }

        File.Move(data.File("history.db"), target);
        File.Delete(data.File("history.db-wal"));
        File.Delete(data.File("history.db-shm"));
        File.CreateSymbolicLink(data.File("history.db"), target);

        await using (var linked = MessageStore.Open(data.Path, ServerSettings.Default, startRetention: false))
        {
            // The writer's checks looked for the log beside the link, found none, and refused every message.
            (await linked.AppendRoomAsync("lobby", "alice", "through the link")).Status.Should().Be(AppendStatus.Stored);
            File.Exists(target + "-wal").Should().BeTrue("SQLite keeps its log beside the file the link leads to");
        }

        await using var again = MessageStore.Open(data.Path, ServerSettings.Default, startRetention: false);
        again.Latest("lobby", 10).Select(m => m.Text).Should().Equal("before the move", "through the link");
        new FileInfo(data.File("history.db")).LinkTarget.Should().Be(target, "the link is still a link");
    }

    [Test]
    public void An_atomic_rewrite_of_a_linked_file_replaces_the_target_and_keeps_the_link()
    {
        using var data = new TempDirectory();
        using var disk = new TempDirectory();
        string target = disk.File("Users.xml");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(data.File("Users.xml"), target);

        AtomicFile.Write(data.File("Users.xml"), stream => stream.Write("new"u8), ownerOnly: true);

        new FileInfo(data.File("Users.xml")).LinkTarget.Should().Be(target);
        File.ReadAllText(target).Should().Be("new");
    }
}
