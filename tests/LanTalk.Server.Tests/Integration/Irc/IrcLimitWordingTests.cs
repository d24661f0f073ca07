namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// A refusal for a limit says which limit, and how much (a settings audit, 2026-12-06): 417 named no number, and the
/// server's room limit was answered "You have joined too many channels" (real server, real sockets).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcLimitWordingTests
{
    [Test]
    public async Task A_message_over_MaxMessageBytes_gets_417_with_its_size_and_the_limit_in_bytes()
    {
        await using var server = await TestServer.StartIrcAsync(s => s with { MaxMessageBytes = 10 }, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        await alice.SendAsync("PRIVMSG #lobby :" + new string('x', 11));

        (await alice.ExpectCommandAsync("417")).Should().EndWith("Message too long: 11 bytes; the limit is 10 bytes (MaxMessageBytes)");
    }

    [Test]
    public async Task The_servers_room_limit_gets_405_saying_the_server_reached_it()
    {
        await using var server = await TestServer.StartIrcAsync(s => s with { MaxRooms = 2 }, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.JoinAsync("alice", "#two");

        await alice.SendAsync("JOIN #three");

        string refusal = await alice.ExpectCommandAsync("405");
        refusal.Should().Contain("the server has reached its room limit").And.Contain("(MaxRooms)").And.NotContain("You have joined too many channels");
    }

    [Test]
    public async Task The_users_room_limit_still_gets_405_too_many_channels()
    {
        await using var server = await TestServer.StartIrcAsync(s => s with { MaxRoomsPerUser = 2 }, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.JoinAsync("alice", "#two");

        await alice.SendAsync("JOIN #three");

        (await alice.ExpectCommandAsync("405")).Should().Contain("You have joined too many channels").And.Contain("(MaxRoomsPerUser)");
    }
}
