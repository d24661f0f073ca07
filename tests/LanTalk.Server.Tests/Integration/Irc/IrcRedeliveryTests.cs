using LanTalk.Core.Packets;

namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// The 30 s re-delivery of stored private messages to devices started together (PROTOCOL.md, "Devices started
/// together") and IRC, which cannot tell a copy from a new message (real server, real sockets).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcRedeliveryTests
{
    [Test]
    public async Task An_IRC_client_reconnecting_from_the_same_address_within_30_s_is_not_sent_the_stored_messages_again()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice", "bob");
        var alice = await Rooms.V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        (await alice.Client.SendPrivateAsync("bob", "stored one")).Flags.Should().Be(MessageMarks.Stored);
        await using (var first = await IrcTestClient.RegisterAsync(server.IrcPort, "bob"))
        {
            await first.ExpectAsync(l => l.Contains(" PRIVMSG bob :", StringComparison.Ordinal) && l.EndsWith("stored one", StringComparison.Ordinal), "the stored message at the first registration");
        }

        // irssi after a network blip: the same machine, a new connection, seconds later.
        await using var again = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await alice.Client.SendPrivateAsync("bob", "live after the reconnect");
        await again.ExpectAsync(l => l.EndsWith("PRIVMSG bob :live after the reconnect", StringComparison.Ordinal), "the live message");

        // Stored messages come before anything newer at a login, so one re-sent would be in Seen by now.
        lock (again.Seen)
        {
            again.Seen.Should().NotContain(l => l.Contains(" PRIVMSG bob :", StringComparison.Ordinal) && l.EndsWith("stored one", StringComparison.Ordinal), "IRC shows a copy as the message sent again");
        }
    }

    [Test]
    public async Task An_IRC_client_started_with_a_ChatSocket_device_still_gets_the_stored_messages_it_was_not_sent()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice", "bob");
        var alice = await Rooms.V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        (await alice.Client.SendPrivateAsync("bob", "stored one")).Flags.Should().Be(MessageMarks.Stored);
        await using var desktop = await V3.LoginAsync(server, "bob");
        await desktop.ReadUntilAsync(f => f.Packet is ChatMessagePacket { Text: "stored one" }, "the stored message on the ChatSocket device");

        await using var laptop = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");

        await laptop.ExpectAsync(l => l.Contains(" PRIVMSG bob :", StringComparison.Ordinal) && l.EndsWith("stored one", StringComparison.Ordinal), "the stored message on the IRC device started right after");
    }
}
