using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Unit;

/// <summary>
/// Which Users.xml files remove accounts. A file that came back after going missing, and an older copy (a moved-aside
/// file put back, a backup restored with its times), remove none and change none; `user remove` and an edit do, and
/// the server logs every account another process added, removed or gave another password.
/// </summary>
[TestFixture]
public sealed class UserStoreOlderCopyTests : TempDirectoryFixture
{
    private static readonly ServerSettings s_settings = ServerSettings.Default with { PasswordIterations = 1000 };

    private UserStore Open() => UserStore.Open(Dir.Path, s_settings);

    private string UsersPath => Dir.File(UsersFile.FileName);

    [Test]
    public void The_moved_aside_Users_xml_put_back_after_a_user_add_keeps_the_added_account()
    {
        // The ops audit's H3: the server's ERROR for a missing file says "put the file back"; doing so after a
        // `user add bob` (which the server had merged) removed bob without a word.
        using var server = Open();
        server.Add("alice", "pw");
        var removed = Removed(server);
        using var log = new UsersLogRecorder(UsersPath);
        File.Move(UsersPath, UsersPath + ".aside");
        SyncFails(server);
        using (var cli = Open())
        {
            cli.Add("bob", "pw");
        }

        server.Sync();
        server.All.Select(u => u.Name).Should().Equal("alice", "bob");
        // A file moved aside was written seconds before the merge at the least; the clock's tick must not decide it.
        File.SetLastWriteTimeUtc(UsersPath + ".aside", DateTime.UtcNow.AddMinutes(-1));
        File.Move(UsersPath + ".aside", UsersPath, overwrite: true);
        server.Sync();

        removed.Should().BeEmpty();
        server.Verify("bob", "pw").Should().NotBeNull();
        UsersFile.Read(UsersPath).Keys.Should().BeEquivalentTo(["alice", "bob"], "the kept account is written back");
        log.Lines.Should().Contain(l => l.StartsWith("WARN ") && l.Contains("older copy") && l.Contains("(bob)"));
    }

    [Test]
    public void A_user_remove_of_the_account_added_while_the_file_was_missing_removes_it()
    {
        using var server = Open();
        server.Add("alice", "pw");
        File.Move(UsersPath, UsersPath + ".aside");
        SyncFails(server);
        using (var cli = Open())
        {
            cli.Add("bob", "pw");
        }

        server.Sync();
        var removed = Removed(server);
        using (var cli = Open())
        {
            cli.Remove("bob").Should().BeTrue();
        }

        server.Sync();

        removed.Should().Equal("bob");
        server.All.Select(u => u.Name).Should().Equal("alice");
    }

    [Test]
    public void A_backup_restored_with_its_times_keeps_the_accounts_added_since_and_their_newer_passwords()
    {
        using var server = Open();
        server.Add("alice", "old-pw");
        File.Copy(UsersPath, Dir.File("backup.xml"));
        File.SetLastWriteTimeUtc(Dir.File("backup.xml"), DateTime.UtcNow.AddHours(-1));
        using (var cli = Open())
        {
            cli.Add("carol", "pw");
            cli.SetPassword("alice", "new-pw");
        }

        server.Sync();
        var removed = Removed(server);
        // What `cp -p backup.xml Users.xml` does: the backup's contents and times.
        File.Copy(Dir.File("backup.xml"), UsersPath, overwrite: true);
        File.SetLastWriteTimeUtc(UsersPath, DateTime.UtcNow.AddHours(-1));
        server.Sync();

        removed.Should().BeEmpty();
        server.Verify("carol", "pw").Should().NotBeNull();
        server.Verify("alice", "new-pw").Should().NotBeNull("an older copy does not take a password back");
        server.Verify("alice", "old-pw").Should().BeNull();
        using var reread = Open();
        reread.Verify("alice", "new-pw").Should().NotBeNull("the file is written back with what the server holds");
        reread.Find("carol").Should().NotBeNull();
    }

    [Test]
    public void A_user_remove_written_after_the_clock_was_stepped_back_still_removes()
    {
        // The file was last written by a clock that ran ahead; `user remove` now writes with an earlier clock, and its
        // file must not read as an older copy put back (which removes nobody).
        using var server = Open();
        server.Add("alice", "pw");
        server.Add("bob", "pw");
        File.SetLastWriteTimeUtc(UsersPath, DateTime.UtcNow.AddHours(1));
        server.Sync();
        var removed = Removed(server);
        using (var cli = Open())
        {
            cli.Remove("bob").Should().BeTrue();
        }

        server.Sync();

        removed.Should().Equal("bob");
        server.Find("bob").Should().BeNull();
    }

    [Test]
    public void Accounts_another_process_adds_removes_or_gives_another_password_are_logged_by_the_server()
    {
        // The ops audit's M7: only a removal that disconnected someone left a line.
        using var server = Open();
        server.AddMany([("alice", "pw"), ("bob", "pw")], 1000);
        using var log = new UsersLogRecorder(UsersPath);
        using (var cli = Open())
        {
            cli.Remove("alice");
            cli.Add("carol", "pw");
            cli.SetPassword("bob", "pw2");
        }

        server.Sync();

        log.Lines.Should().Contain(l => l.StartsWith("INFO Account 'alice' removed") && l.Contains("user ..."))
            .And.Contain(l => l.StartsWith("INFO Account 'carol' added"))
            .And.Contain(l => l.StartsWith("INFO Account 'bob' has another password"));
    }

    private static List<string> Removed(UserStore store)
    {
        var removed = new List<string>();
        store.UsersRemoved += names => removed.AddRange(names);
        return removed;
    }

    private static void SyncFails(UserStore store)
    {
        Exception? failure = null;
        void Failed(Exception ex) => failure = ex;
        store.SyncFailed += Failed;
        store.Sync();
        store.SyncFailed -= Failed;
        failure.Should().NotBeNull("the missing file is an error");
    }
}
