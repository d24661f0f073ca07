using System.Net;
using LanTalk.Server.History;
using LanTalk.Server.Net;
using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// What waited for an account removed while no server watched (the server stopped, or killed in the second before its
/// poll of Users.xml saw `user remove`) is dropped at the next start, as a removal seen while running drops it.
/// Found by fault injection against the published server (2026-12-07): after `user remove bob`, kill -9 and
/// `user add bob`, the old bob's 1,000 messages from alice stayed queued, never deliverable to the new bob, and alice
/// was refused TooManyStored for the new bob ("try again after they log in", which did not help) for 30 days.
/// </summary>
[TestFixture]
public sealed class RemovedWhileStoppedQueueTests
{
    [Test]
    public async Task What_waited_for_an_account_removed_while_the_server_was_stopped_is_dropped_at_the_next_start()
    {
        using var data = new TempDirectory();
        var settings = new ServerSettings
        {
            ListenAddress = IPAddress.Loopback,
            Port = 0,
            TlsMode = TlsMode.Off,
            PasswordIterations = TestServer.TestIterations,
            OfflineMessagesPerSender = 2,
        };
        using (var users = UserStore.Open(data.Path, settings))
        {
            users.AddMany([("alice", TestServer.Password), ("bob", TestServer.Password), ("carol", TestServer.Password)], TestServer.TestIterations);
        }

        await using (var history = MessageStore.Open(data.Path, settings))
        {
            for (int i = 0; i < 2; i++)
            {
                (await history.AppendPrivateAsync("alice", "bob", $"for the old bob {i}", queueForDelivery: true)).Status.Should().Be(AppendStatus.StoredForDelivery);
            }

            (await history.AppendPrivateAsync("alice", "carol", "for carol", queueForDelivery: true)).Status.Should().Be(AppendStatus.StoredForDelivery);
        }

        // `user remove` and `user add` with no server running (or one killed before it noticed).
        using (var cli = UserStore.Open(data.Path, settings))
        {
            cli.Remove("bob").Should().BeTrue();
            cli.Add("bob", "a new person's password", TestServer.TestIterations);
            cli.Remove("carol").Should().BeTrue();
        }

        // The next start, as the host makes it: Users.xml and history.db opened afresh.
        using var started = UserStore.Open(data.Path, settings);
        await using var store = MessageStore.Open(data.Path, settings);
        await using var server = new ChatServer(settings, started, history: store, roomsFile: TestServer.RoomsFilePath(data.Path));
        await server.StartAsync();

        (await store.AppendPrivateAsync("alice", "bob", "for the new bob", queueForDelivery: true)).Status
            .Should().Be(AppendStatus.StoredForDelivery, "the old bob's messages no longer fill alice's share of the new bob's queue");
        store.PendingFor("bob").Select(m => m.Text).Should().Equal(["for the new bob"]);
        store.PendingFor("carol").Should().BeEmpty("carol's account is gone, and what waited for her with it");
    }
}
