using LanTalk.Server.History;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// Users.xml (or the whole data directory) gone for a moment while the server runs: an error, not "every account was
/// removed". Before, a file moved aside for a second disconnected everyone with AccountRemoved, dropped their rooms
/// with the rooms' history, and their stored messages, for good; a renamed data directory also grew back at the old
/// path with an empty Users.xml.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class UsersFileVanishedTests
{
    [Test]
    public async Task A_Users_xml_moved_aside_and_back_removes_nobody_and_keeps_rooms_sessions_and_stored_messages()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob", "carol");
        var harm = Harm.Watch(server);
        await using var alice = await server.LoginAsync("alice", Rooms.V3.Options());
        await using var bob = await server.LoginAsync("bob", Rooms.V3.Options());
        await alice.JoinRoomAsync("team");
        await bob.JoinRoomAsync("team");
        (await server.History.AppendPrivateAsync("alice", "carol", "while you were out", queueForDelivery: true)).Status
            .Should().Be(AppendStatus.StoredForDelivery);

        var failed = Watch(server.Users, out var recovered);
        string file = server.Users.FilePath;
        File.Move(file, file + ".aside");
        var error = await Wait.ForAsync(failed, "the server to notice the missing Users.xml");
        File.Move(file + ".aside", file);
        await Wait.ForAsync(recovered, "the server to find Users.xml again");

        error.Message.Should().Contain(file).And.Contain("missing").And.Contain("nobody is removed").And.Contain("put the file back");
        harm.Removed.Should().BeEmpty();
        harm.Ended.Should().Be(0, "nobody was disconnected");
        server.Users.All.Select(u => u.Name).Should().Equal("alice", "bob", "carol");
        (await alice.ListRoomsAsync()).Single(r => r.Name == "team").MemberCount.Should().Be(2);
        server.History.PendingFor("carol").Select(m => m.Text).Should().Equal("while you were out");
        await using var carol = await server.LoginAsync("carol");
        carol.IsAuthenticated.Should().BeTrue();
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "a directory in use cannot be renamed on Windows")]
    public async Task A_data_directory_renamed_away_is_an_error_and_its_old_path_is_not_recreated()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice");
        var harm = Harm.Watch(server);
        string data = server.DataDirectory;
        string moved = data + ".renamed";
        var failed = Watch(server.Users, out var recovered);
        Directory.Move(data, moved);
        try
        {
            var error = await Wait.ForAsync(failed, "the server to notice the data directory has gone");
            error.Message.Should().Contain(data).And.Contain("gone").And.Contain("nobody is removed");

            // A login to write makes the next syncs try the lock file, which used to create the directory again.
            server.Users.RecordLogin("alice", "192.0.2.1");
            for (int i = 0; i < 2; i++)
            {
                failed = Watch(server.Users, out _);
                (await Wait.ForAsync(failed, "another sync to fail")).Message.Should().Contain("gone");
            }

            Directory.Exists(data).Should().BeFalse("nothing may be written at the old path");
            harm.Removed.Should().BeEmpty();
        }
        finally
        {
            Directory.Move(moved, data);
        }

        await Wait.ForAsync(recovered, "the server to find its data directory again");
        server.Users.All.Select(u => u.Name).Should().Equal("alice");
    }

    [Test]
    public async Task A_user_add_while_Users_xml_is_missing_adds_the_account_and_removes_nobody()
    {
        // `lantalk-server user add dave` (another process) found no Users.xml, so it wrote one holding dave only; the
        // server read that back as "alice, bob and carol were removed": AccountRemoved for their sessions, their rooms
        // and stored messages gone. Found by fault injection against the published server.
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob", "carol");
        var harm = Harm.Watch(server);
        await using var alice = await server.LoginAsync("alice", Rooms.V3.Options());
        var failed = Watch(server.Users, out var recovered);
        string file = server.Users.FilePath;
        File.Move(file, file + ".aside");
        await Wait.ForAsync(failed, "the server to notice the missing Users.xml");

        using (var cli = UserStore.Open(server.DataDirectory, server.Server.Settings))
        {
            cli.Add("dave", TestServer.Password, iterations: 1);
        }

        // The sync that reads the new file writes the kept accounts back before it reports the recovery.
        await Wait.ForAsync(recovered, "the server to read the new Users.xml");

        harm.Removed.Should().BeEmpty();
        harm.Ended.Should().Be(0, "nobody was disconnected");
        server.Users.All.Select(u => u.Name).Should().BeEquivalentTo("alice", "bob", "carol", "dave");
        using var reread = UserStore.Open(server.DataDirectory, server.Server.Settings);
        reread.All.Select(u => u.Name).Should().BeEquivalentTo(["alice", "bob", "carol", "dave"], "the file holds them all again, so the next tool that reads it removes nobody either");
        await using var dave = await server.LoginAsync("dave");
        dave.IsAuthenticated.Should().BeTrue();
    }

    /// <summary>What a vanished Users.xml must not cause: accounts removed, sessions ended.</summary>
    private sealed class Harm
    {
        private readonly List<string> _removed = [];
        private int _ended;

        public IReadOnlyList<string> Removed
        {
            get
            {
                lock (_removed)
                {
                    return [.. _removed];
                }
            }
        }

        public int Ended => Volatile.Read(ref _ended);

        public static Harm Watch(TestServer server)
        {
            var harm = new Harm();
            server.Users.UsersRemoved += names =>
            {
                lock (harm._removed)
                {
                    harm._removed.AddRange(names);
                }
            };
            server.Server.SessionEnded += _ => Interlocked.Increment(ref harm._ended);
            return harm;
        }
    }

    /// <summary>The next sync failure, and the first recovery after it.</summary>
    private static Task<Exception> Watch(UserStore store, out Task recovered)
    {
        var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var back = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.SyncFailed += ex => failed.TrySetResult(ex);
        store.SyncRecovered += () => back.TrySetResult();
        recovered = back.Task;
        return failed.Task;
    }
}
