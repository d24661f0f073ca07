using System.Diagnostics;
using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Unit;

/// <summary>
/// Users.xml on a disk that cannot be written, or whose lock file another process holds: syncs fail fast, never
/// block logins (which read memory), and never pile up. The read-only bind mount itself is in scripts/faults.sh.
/// </summary>
[TestFixture]
public sealed class UserStoreFaultTests : TempDirectoryFixture
{
    private static readonly ServerSettings s_settings = ServerSettings.Default with { PasswordIterations = 1000 };

    private string UsersPath => Dir.File(UsersFile.FileName);

    [Test]
    [Platform(Exclude = "Win")]
    public void A_lock_file_that_cannot_be_opened_fails_at_once_instead_of_being_retried()
    {
        using var store = UserStore.Open(Dir.Path, s_settings);
        store.Add("alice", "pw");
        // A symlink to itself: opening it fails with ELOOP, an I/O error that no amount of waiting cures (as EROFS).
        File.Delete(UsersPath + ".lock");
        File.CreateSymbolicLink(UsersPath + ".lock", UsersPath + ".lock");
        var failures = new List<Exception>();
        store.SyncFailed += failures.Add;
        store.RecordLogin("alice", "10.0.0.1");

        var clock = Stopwatch.StartNew();
        store.Sync();

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2), "a lock file that cannot be opened is not a lock held by someone else");
        failures.Should().ContainSingle().Which.Message.Should().Contain(UsersPath + ".lock").And.Contain("leads nowhere").And.Contain("not a lock file");
        store.PendingLogins.Should().Be(1, "the login is kept in memory for a later sync");
        store.Verify("alice", "pw").Should().NotBeNull("logins keep working from memory");

        var add = () => store.Add("bob", "pw");
        clock.Restart();
        add.Should().Throw<UserStoreException>().WithMessage("*not a lock file*");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2), "'user add' fails fast too");
    }

    [Test]
    public void Lookups_do_not_wait_for_a_sync_that_waits_for_another_process_lock()
    {
        using var store = UserStore.Open(Dir.Path, s_settings);
        store.Add("alice", "pw");
        store.RecordLogin("alice", "10.0.0.1");
        // Another process (here: this test) holds the lock file for as long as it likes.
        using var held = new FileStream(UsersPath + ".lock", new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None });
        var sync = Task.Run(store.Sync);

        // Bounded: 20 lookups over about a second, while the sync waits for the lock (up to 10 s).
        var clock = new Stopwatch();
        for (int i = 0; i < 20 && !sync.IsCompleted; i++)
        {
            clock.Restart();
            store.Find("alice").Should().NotBeNull();
            store.RecordLogin("alice", "10.0.0.2");
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(500), "the memory lock is never held while waiting for the lock file");
            Thread.Yield();
            sync.Wait(TimeSpan.FromMilliseconds(50));
        }

        held.Dispose();
        sync.Wait(TimeSpan.FromSeconds(15)).Should().BeTrue();
        store.PendingLogins.Should().Be(0, "once the lock is free the pending login is written");
    }

    [Test]
    public void Stopping_within_the_shutdown_budget_while_another_process_holds_the_lock()
    {
        using var store = UserStore.Open(Dir.Path, s_settings);
        store.Add("alice", "pw");
        store.StartWatching(TimeSpan.FromMilliseconds(5));
        store.RecordLogin("alice", "10.0.0.1");
        using var held = new FileStream(UsersPath + ".lock", new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None });

        var stop = Stopwatch.StartNew();
        store.StopWatching();

        stop.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1.5), "shutdown has 2 s in all; the final sync may wait only briefly");
    }
}
