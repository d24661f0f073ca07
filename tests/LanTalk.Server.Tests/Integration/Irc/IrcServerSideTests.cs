using LanTalk.Core.Packets;

namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// What the server does to a user (the operator's kick, the account's removal, the offline queue, the console's lists)
/// reaches the user's IRC sessions as it reaches ChatSocket ones (real sockets). The server once assumed every session
/// was a ChatSocket one: a kick or a removal with an IRC session on crashed the process.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcServerSideTests
{
    [Test]
    public async Task The_operators_kick_closes_the_IRC_session_with_the_reason_and_the_server_goes_on()
    {
        await using var server = await TestServer.StartIrcAsync(null, "bob", "carol");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");

        server.Server.Kick("bob", "please behave").Should().BeTrue();

        var seen = await bob.ExpectClosedAsync();
        seen.Should().Contain(l => l.StartsWith("ERROR ", StringComparison.Ordinal) && l.Contains("please behave", StringComparison.Ordinal));
        await using var carol = await IrcTestClient.RegisterAsync(server.IrcPort, "carol");
        await carol.ExpectAsync(l => l.Contains(" 366 carol #lobby ", StringComparison.Ordinal), "carol joined after the kick");
    }

    [Test]
    public async Task Removing_the_account_closes_its_IRC_session_and_the_server_goes_on()
    {
        await using var server = await TestServer.StartIrcAsync(null, "dave", "carol");
        await using var dave = await IrcTestClient.RegisterAsync(server.IrcPort, "dave");

        server.Users.Remove("dave").Should().BeTrue();

        var seen = await dave.ExpectClosedAsync();
        seen.Should().Contain(l => l.StartsWith("ERROR ", StringComparison.Ordinal) && l.Contains("account was removed", StringComparison.Ordinal));
        await using var carol = await IrcTestClient.RegisterAsync(server.IrcPort, "carol");
        await carol.ExpectAsync(l => l.Contains(" 366 carol #lobby ", StringComparison.Ordinal), "carol joined after the removal");
    }

    [Test]
    public async Task The_consoles_list_of_sessions_and_connections_counts_IRC_sessions()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        var online = server.Server.OnlineSessions;
        online.Should().ContainSingle().Which.UserName.Should().Be("alice");
        online[0].Remote.Should().EndWith("(IRC)");
        server.Server.ConnectionCount.Should().Be(1);
    }

    [Test]
    public async Task Private_messages_stored_for_an_offline_user_are_delivered_at_their_IRC_registration_in_order_and_receipted()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice", "bob");
        var alice = await Rooms.V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var first = await alice.Client.SendPrivateAsync("bob", "stored one");
        var second = await alice.Client.SendPrivateAsync("bob", "stored two");
        first.Flags.Should().Be(MessageMarks.Stored);

        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob", caps: "server-time");
        await bob.ExpectAsync(l => l.EndsWith("PRIVMSG bob :stored two", StringComparison.Ordinal), "the second stored message");
        await alice.Client.SendPrivateAsync("bob", "live after login");
        await bob.ExpectAsync(l => l.EndsWith("PRIVMSG bob :live after login", StringComparison.Ordinal), "the live message");

        List<string> lines;
        lock (bob.Seen)
        {
            lines = bob.Seen.Where(l => l.Contains(" PRIVMSG bob :", StringComparison.Ordinal)).Select(IrcTestClient.Untagged).ToList();
        }

        lines.Select(l => l[(l.IndexOf(" :", StringComparison.Ordinal) + 2)..]).Should().Equal("stored one", "stored two", "live after login");
        second.Flags.Should().Be(MessageMarks.Stored);
        server.History.PendingFor("bob").Should().BeEmpty("both were marked delivered");
    }

    [Test]
    public async Task A_stored_private_message_to_a_client_without_server_time_says_when_it_was_sent()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.SendAsync("PRIVMSG bob :meeting moved to 3pm");
        await alice.SendAsync("PRIVMSG bob :\u0001ACTION waves\u0001");
        await alice.ExpectAsync(l => l.Contains("bob is offline", StringComparison.Ordinal), "the first stored notice");
        await alice.ExpectAsync(l => l.Contains("bob is offline", StringComparison.Ordinal), "the second stored notice");
        var times = server.History.PendingFor("bob").Select(m => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(m.TimeMs), TimeZoneInfo.Local)
            .ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        // mIRC-style: no server-time, so nothing else tells it the message is not live (as bouncers' playback does).
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        (await bob.ExpectAsync(l => l.Contains("meeting moved", StringComparison.Ordinal), "the stored message"))
            .Should().Be($":alice!alice@lantalk PRIVMSG bob :[{times[0]}] meeting moved to 3pm");
        (await bob.ExpectAsync(l => l.Contains("waves", StringComparison.Ordinal), "the stored action"))
            .Should().Be($":alice!alice@lantalk PRIVMSG bob :\u0001ACTION [{times[1]}] waves\u0001");

        await alice.SendAsync("PRIVMSG bob :live now");
        (await bob.ExpectAsync(l => l.Contains("live now", StringComparison.Ordinal), "the live message"))
            .Should().Be(":alice!alice@lantalk PRIVMSG bob :live now", "a live message is said now");
    }
}
