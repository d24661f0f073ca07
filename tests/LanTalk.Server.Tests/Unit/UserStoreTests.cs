using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Unit;

[TestFixture]
public sealed class UserStoreTests : TempDirectoryFixture
{
    // Cheap hashes: these tests are about the file, not PBKDF2.
    private static readonly ServerSettings s_settings = ServerSettings.Default with { PasswordIterations = 1000 };

    private UserStore Open() => UserStore.Open(Dir.Path, s_settings);

    private string UsersPath => Dir.File(UsersFile.FileName);

    [Test]
    [Platform(Exclude = "Win")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Users_file_is_owner_only()
    {
        using var store = Open();
        store.Add("alice", "pw");

        File.GetUnixFileMode(UsersPath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Test]
    public void The_first_user_add_on_a_fresh_machine_creates_the_data_directory()
    {
        // `lantalk-server user add` copied alone, before the server ever ran: Data/ does not exist yet.
        string data = Path.Combine(Dir.Path, "Data");
        using (var store = UserStore.Open(data, s_settings))
        {
            store.Add("alice", "long-enough-pw");
        }

        File.Exists(Path.Combine(data, UsersFile.FileName)).Should().BeTrue();
    }

    [Test]
    public void A_half_written_temp_file_is_ignored_and_the_original_stays_intact()
    {
        using (var store = Open())
        {
            store.Add("alice", "pw");
        }

        string before = File.ReadAllText(UsersPath);
        // What a writer killed between creating its temp file and the rename leaves behind.
        File.WriteAllText(UsersPath + ".4242.tmp", before[..(before.Length / 2)]);

        using var reopened = Open();

        File.ReadAllText(UsersPath).Should().Be(before);
        reopened.Verify("alice", "pw").Should().NotBeNull();
    }

    [Test]
    public void The_next_write_removes_stale_temp_files()
    {
        File.WriteAllText(UsersPath + ".4242.tmp", "<Users><User name=");
        using var store = Open();

        store.Add("bob", "pw");

        Directory.GetFiles(Dir.Path, "*.tmp").Should().BeEmpty();
        Open().Find("bob").Should().NotBeNull();
    }

    [Test]
    public void A_failing_write_leaves_the_original_and_no_temp_file()
    {
        File.WriteAllText(UsersPath, "original");
        var act = () => AtomicFile.Write(UsersPath, stream =>
        {
            stream.Write("partial"u8);
            throw new IOException("disk full");
        }, ownerOnly: true);

        act.Should().Throw<IOException>();
        File.ReadAllText(UsersPath).Should().Be("original");
        Directory.GetFiles(Dir.Path, "*.tmp").Should().BeEmpty();
    }

    [Test]
    public void A_corrupt_users_file_is_reported_with_its_line_not_silently_emptied()
    {
        File.WriteAllText(UsersPath, "<Users>\n<User name=\"a\" created=\"x\"><Password iterations=\"1\" salt=\"AA==\" hash=\"AA==\"/></User>\n</Users>");
        var act = Open;

        act.Should().Throw<UserStoreException>().WithMessage("*line 2*");
    }

    [Test]
    public void Concurrent_login_bookkeeping_and_cli_edits_lose_nothing()
    {
        // The "server" records logins and syncs; the "CLI" (a second store on the same file) adds accounts meanwhile.
        using var server = Open();
        server.AddMany(Enumerable.Range(0, 20).Select(i => ($"u{i}", "pw")), 1000);
        var cliAdds = Task.Run(() =>
        {
            using var cli = Open();
            for (int i = 0; i < 40; i++)
            {
                cli.Add($"cli{i}", "pw", iterations: 1000);
            }
        });
        var logins = Task.Run(() =>
        {
            for (int round = 0; round < 40; round++)
            {
                server.RecordLogin($"u{round % 20}", $"10.0.0.{round}");
                server.Sync();
            }
        });

        Task.WaitAll([cliAdds, logins], TimeSpan.FromSeconds(60)).Should().BeTrue();
        server.Sync();

        var fresh = Open();
        fresh.All.Should().HaveCount(60);
        Enumerable.Range(0, 20).Should().AllSatisfy(i => fresh.Find($"u{i}")!.LastLogin.Should().NotBeNull($"u{i} logged in"));
        fresh.Find("u19")!.LastLoginAddress.Should().Be("10.0.0.39");
    }

    [Test]
    public void Removing_an_account_raises_UsersRemoved_in_this_process()
    {
        using var store = Open();
        store.Add("alice", "pw");
        var removed = new List<string>();
        store.UsersRemoved += names => removed.AddRange(names);

        store.Remove("alice").Should().BeTrue();

        removed.Should().Equal("alice");
    }

    [Test]
    public void A_login_of_an_account_since_removed_and_added_again_is_not_recorded_on_the_new_one()
    {
        // Its address would become the new account's last login address, exempt from the per-name failure limit.
        using var server = Open();
        var old = server.Add("bob", "pw");
        long created = old.IdentityMs;
        using (var cli = Open())
        {
            cli.Remove("bob");
            // Accounts are told apart by their creation to the millisecond.
            SpinWait.SpinUntil(() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() > created, TimeSpan.FromSeconds(1)).Should().BeTrue();
            cli.Add("bob", "another person's pw");
        }

        server.Sync();
        server.RecordLogin(old, "10.0.0.9");
        server.PendingLogins.Should().Be(0);
        server.RecordLogin(server.Find("bob")!, "10.0.0.10");
        server.Sync();

        using var reader = Open();
        reader.Find("bob")!.LastLoginAddress.Should().Be("10.0.0.10", "the new bob's own login is recorded");
    }

    [Test]
    public void An_outside_removal_is_noticed_by_the_next_sync()
    {
        using var server = Open();
        server.AddMany([("alice", "pw"), ("bob", "pw")], 1000);
        var removed = new List<string>();
        server.UsersRemoved += names => removed.AddRange(names);

        using (var cli = Open())
        {
            cli.Remove("bob");
        }

        server.Sync();

        removed.Should().Equal("bob");
        server.Find("bob").Should().BeNull();
    }

    [Test]
    public void An_account_added_by_another_process_can_log_in_before_the_next_poll()
    {
        using var server = Open();
        server.Count.Should().Be(0);

        using (var cli = Open())
        {
            cli.Add("carol", "secret");
        }

        server.Verify("carol", "secret").Should().NotBeNull();
    }

    [Test]
    public void A_password_changed_by_another_process_applies_to_the_next_login_before_the_next_poll()
    {
        using var server = Open();
        using (var cli = Open())
        {
            cli.Add("carol", "old-secret");
        }

        server.Verify("carol", "old-secret").Should().NotBeNull();
        using (var cli = Open())
        {
            cli.SetPassword("carol", "new-secret");
        }

        server.Verify("carol", "old-secret").Should().BeNull("the old password is revoked at once, not at the next poll");
        server.Verify("carol", "new-secret").Should().NotBeNull();
    }

    [Test]
    public void An_account_removed_by_another_process_cannot_log_in_before_the_next_poll()
    {
        using var server = Open();
        using (var cli = Open())
        {
            cli.Add("carol", "secret");
        }

        server.Verify("carol", "secret").Should().NotBeNull();
        using (var cli = Open())
        {
            cli.Remove("carol").Should().BeTrue();
        }

        server.Verify("carol", "secret").Should().BeNull();
    }

    [Test]
    public void A_created_date_in_the_future_is_taken_as_now_and_the_file_is_corrected_by_the_next_sync()
    {
        // A clock that ran ahead at `user add`, or year 9999 by hand: private history and stored messages are filtered
        // by the created time, so every message to the account was hidden.
        using (var cli = Open())
        {
            cli.Add("alice", "secret");
            cli.Add("bob", "secret");
        }

        string sane = File.ReadAllText(UsersPath);
        File.WriteAllText(UsersPath, System.Text.RegularExpressions.Regex.Replace(sane, "(<User name=\"bob\" created=\")[^\"]*", "${1}9999-01-01T00:00:00.0000000+00:00"));
        var before = DateTimeOffset.UtcNow;

        using var server = Open();
        var loaded = server.Find("bob")!.Created;
        server.Sync();

        loaded.Should().BeOnOrAfter(before).And.BeOnOrBefore(DateTimeOffset.UtcNow);
        server.Find("alice")!.Created.Should().BeBefore(before, "a sane date is kept");
        UsersFile.Read(UsersPath)["bob"].Created.Should().Be(loaded, "the sync wrote the corrected date back");
        using var again = Open();
        again.Find("bob")!.Created.Should().Be(loaded, "the next start reads the corrected date, not a later now");
    }

    [Test]
    public void A_clock_stepped_back_while_the_server_runs_corrects_created_but_removes_nobody()
    {
        // Accounts made while the clock ran an hour fast, then NTP steps it back under the running server: the
        // correction read as "removed and created again", which closed every session and dropped rooms (fault injection).
        var clock = new History.TestClock(DateTimeOffset.UtcNow.AddHours(1));
        using var server = UserStore.Open(Dir.Path, s_settings, clock: clock);
        server.Add("alice", "secret");
        server.Add("bob", "secret");
        long alice = server.Find("alice")!.IdentityMs;
        var removed = new List<string>();
        server.UsersRemoved += names => removed.AddRange(names);

        clock.Now = DateTimeOffset.UtcNow;
        server.Sync();

        server.Find("alice")!.Created.Should().BeOnOrBefore(clock.Now, "a date in the future is corrected at the next sync, with no file change");
        server.Find("alice")!.IdentityMs.Should().Be(alice);
        removed.Should().BeEmpty("a corrected date is the same account");
        var written = UsersFile.Read(UsersPath)["alice"];
        written.Created.Should().Be(server.Find("alice")!.Created, "the correction is written back");
        written.IdentityMs.Should().Be(alice, "and the file keeps who the account is (originalCreated)");

        // Another process (`user add`) rewrites the file; the server rereads it: still nobody removed.
        using (var cli = Open())
        {
            cli.Add("carol", "secret");
        }

        server.Sync();
        removed.Should().BeEmpty();
        using var restarted = Open();
        restarted.Find("alice")!.IdentityMs.Should().Be(alice, "a restart reads the same account");
    }

    [Test]
    public void A_file_written_with_a_fast_clock_and_corrected_by_another_process_is_the_same_account()
    {
        // The server loaded the accounts while the clock was fast (not in the future then); the clock was stepped back
        // and `user add` corrected every date to its own "now" in the file before the server looked again.
        var clock = new History.TestClock(DateTimeOffset.UtcNow.AddHours(1));
        using (var fast = UserStore.Open(Dir.Path, s_settings, clock: clock))
        {
            fast.Add("alice", "secret");
        }

        using var server = UserStore.Open(Dir.Path, s_settings, clock: clock);
        long alice = server.Find("alice")!.IdentityMs;
        var removed = new List<string>();
        server.UsersRemoved += names => removed.AddRange(names);
        using (var cli = Open())
        {
            cli.Add("carol", "secret");
        }

        clock.Now = DateTimeOffset.UtcNow;
        server.Sync();

        removed.Should().BeEmpty();
        server.Find("alice")!.IdentityMs.Should().Be(alice);
        server.Find("alice")!.Created.Should().BeOnOrBefore(clock.Now);
    }

    [Test]
    public void An_account_removed_and_added_again_after_its_created_date_was_corrected_is_a_new_account()
    {
        var clock = new History.TestClock(DateTimeOffset.UtcNow.AddHours(1));
        using var server = UserStore.Open(Dir.Path, s_settings, clock: clock);
        server.Add("alice", "secret");
        var removed = new List<string>();
        server.UsersRemoved += names => removed.AddRange(names);
        clock.Now = DateTimeOffset.UtcNow;

        // Within one poll, from another process whose clock is right: the new account's created is "now", earlier
        // than the old one's, as a correction's would be.
        using (var cli = Open())
        {
            cli.Remove("alice").Should().BeTrue();
            cli.Add("alice", "another");
        }

        server.Sync();

        removed.Should().Equal("alice");
    }
}
