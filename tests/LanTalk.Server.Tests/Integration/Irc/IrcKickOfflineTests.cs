namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>KICK of a member the channel does not show, and of a nick that is not a member (real server, real sockets).</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcKickOfflineTests
{
    [Test]
    public async Task Kicking_an_offline_member_shows_the_kicker_the_KICK_and_nobody_else()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob", "dave");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await alice.SendAsync("JOIN #dev");
        await alice.ExpectAsync(l => l.Contains(" 366 alice #dev ", StringComparison.Ordinal), "alice's 366 for #dev");
        await bob.SendAsync("JOIN #dev");
        await bob.ExpectAsync(l => l.Contains(" 366 bob #dev ", StringComparison.Ordinal), "bob's 366 for #dev");
        var dave = await server.LoginAsync("dave", Rooms.V3.Options());
        await dave.JoinRoomAsync("dev");
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":dave!", StringComparison.Ordinal) && l.EndsWith("JOIN #dev", StringComparison.Ordinal), "dave's JOIN");
        await dave.DisposeAsync();
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":dave!", StringComparison.Ordinal) && l.Contains(" QUIT ", StringComparison.Ordinal), "dave's QUIT");

        await alice.SendAsync("KICK #dev dave :gone for good");
        IrcTestClient.Untagged(await alice.ExpectCommandAsync("KICK")).Should().Be(":alice!alice@lantalk KICK #dev dave :gone for good");

        // dave is no longer a member: a second kick is 441, and bob (who never saw dave) saw no KICK.
        await alice.SendAsync("KICK #dev dave");
        (await alice.ExpectCommandAsync("441")).Should().Contain(" 441 alice dave #dev :");
        await bob.SendAsync("PING :after");
        await bob.ExpectCommandAsync("PONG");
        lock (bob.Seen)
        {
            bob.Seen.Should().NotContain(l => l.Contains(" KICK ", StringComparison.Ordinal));
        }
    }

    [Test]
    public async Task Kicking_a_nick_that_is_not_a_member_is_441_and_not_442()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await alice.SendAsync("JOIN #dev");
        await alice.ExpectAsync(l => l.Contains(" 366 alice #dev ", StringComparison.Ordinal), "alice's 366 for #dev");

        await alice.SendAsync("KICK #dev bob");
        (await alice.ExpectCommandAsync("441")).Should().EndWith(" 441 alice bob #dev :They aren't on that channel");

        // Not on the channel oneself is still 442.
        await bob.SendAsync("KICK #dev alice");
        (await bob.ExpectCommandAsync("442")).Should().Contain(" 442 bob #dev ");
    }
}
