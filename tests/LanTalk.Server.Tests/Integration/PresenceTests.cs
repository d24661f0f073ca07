using System.Net.Sockets;

namespace LanTalk.Server.Tests.Integration;

/// <summary>Who is online: the list at login, and UserJoined / UserLeft as people come and go.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class PresenceTests
{
    [Test]
    public async Task Login_brings_the_list_of_everyone_online()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob", "carol");
        await using var alice = await server.LoginAsync("alice");
        await using var bob = await server.LoginAsync("bob");

        await using var carol = await server.LoginAsync("carol");

        carol.OnlineUsers.Select(u => u.Name).Should().BeEquivalentTo("alice", "bob", "carol");
        (await carol.RequestUsersAsync()).Select(u => u.Name).Should().BeEquivalentTo("alice", "bob", "carol");
    }

    [Test]
    public async Task Others_see_UserJoined_when_someone_logs_in()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await server.LoginProbeAsync("alice");
        await using var a = alice.Client;

        await using var bob = await server.LoginAsync("bob");

        await alice.Joined.WaitForAsync(n => n == "bob", "alice sees bob join");
        alice.Client.OnlineUsers.Select(u => u.Name).Should().BeEquivalentTo("alice", "bob");
        alice.Joined.Items.Should().Equal("bob");
    }

    [Test]
    public async Task Others_see_UserLeft_when_someone_logs_out()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await server.LoginProbeAsync("alice");
        await using var a = alice.Client;
        await using var bob = await server.LoginAsync("bob");
        // Presence is batched: a join and leave within one batch cancel out, so let the join be seen first.
        await alice.Joined.WaitForAsync(n => n == "bob", "alice sees bob join");

        await bob.LogoutAsync();

        await alice.Left.WaitForAsync(n => n == "bob", "alice sees bob leave");
        alice.Client.OnlineUsers.Select(u => u.Name).Should().Equal("alice");
    }

    [Test]
    public async Task Others_see_UserLeft_when_a_client_drops_without_logging_out()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await server.LoginProbeAsync("alice");
        await using var a = alice.Client;
        var bob = await server.LoginRawAsync("bob");
        await alice.Joined.WaitForAsync(n => n == "bob", "alice sees bob join");

        // Linger 0 makes Close send RST: the abrupt end of a crashed client or a pulled cable's eventual reset.
        bob.Socket.LingerState = new LingerOption(true, 0);
        await bob.DisposeAsync();

        await alice.Left.WaitForAsync(n => n == "bob", "alice sees bob leave");
        (await alice.Client.RequestUsersAsync()).Select(u => u.Name).Should().Equal("alice");
    }

    [Test]
    public async Task A_user_who_leaves_in_the_batch_they_joined_leaves_the_list_of_whoever_was_told_of_them()
    {
        // A long batch period puts all three events in one batch window, whatever the machine's speed.
        await using var server = await TestServer.StartAsync(null, TimeSpan.FromSeconds(3), "alice", "bob");
        var bob = await server.LoginRawAsync("bob");
        var alice = await server.LoginProbeAsync("alice");
        await using var a = alice.Client;
        alice.Client.OnlineUsers.Select(u => u.Name).Should().BeEquivalentTo("alice", "bob");

        await bob.DisposeAsync();

        await alice.Left.WaitForAsync(n => n == "bob", "alice sees bob leave");
        alice.Client.OnlineUsers.Select(u => u.Name).Should().Equal("alice");
    }
}
