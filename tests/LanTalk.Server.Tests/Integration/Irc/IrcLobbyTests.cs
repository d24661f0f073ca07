using LanTalk.Core.Client;

namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>IRC and ChatSocket users share #lobby (the default room) and private messages (real sockets, real client).</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcLobbyTests
{
    [Test]
    public async Task Join_lists_both_kinds_of_user_and_messages_flow_both_ways()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        var bob = await server.LoginProbeAsync("bob");
        await using var _ = bob.Client;
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        await alice.SendAsync("JOIN #lobby");
        (await alice.ExpectCommandAsync("JOIN")).Should().StartWith(":alice!");
        var names = await alice.ExpectCommandAsync("353");
        names.Should().Contain("alice").And.Contain("bob");
        await alice.ExpectCommandAsync("366");

        await alice.SendAsync("PRIVMSG #lobby :hello from irc");
        await bob.Messages.WaitUntilAsync(l => l.Any(m => m.From == "alice" && m.Text == "hello from irc" && m.To is null), "bob gets alice's channel message");

        await bob.Client.SendPublicAsync("hello from lantalk");
        (await alice.ExpectCommandAsync("PRIVMSG")).Should().Be(":bob!bob@lantalk PRIVMSG #lobby :hello from lantalk");

        await alice.SendAsync("PRIVMSG bob :psst");
        await bob.Messages.WaitUntilAsync(l => l.Any(m => m.From == "alice" && m.Text == "psst" && m.To == "bob"), "bob gets alice's private message");

        await bob.Client.SendPrivateAsync("alice", "psst back");
        (await alice.ExpectCommandAsync("PRIVMSG")).Should().Be(":bob!bob@lantalk PRIVMSG alice :psst back");

        await alice.SendAsync("PRIVMSG #lobby :\u0001ACTION waves\u0001");
        await bob.Messages.WaitUntilAsync(l => l.Any(m => m.From == "alice" && m.Text == "/me waves"), "bob gets the action as /me");
        await bob.Client.SendPublicAsync("/me nods");
        (await alice.ExpectCommandAsync("PRIVMSG")).Should().Be(":bob!bob@lantalk PRIVMSG #lobby :\u0001ACTION nods\u0001");
    }

    [Test]
    public async Task Irc_members_see_chatsocket_users_come_and_go_and_each_other_join_and_part()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob", "carol");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "server-time echo-message");
        await alice.SendAsync("JOIN #lobby");
        await alice.ExpectCommandAsync("366");

        var bob = await server.LoginAsync("bob");
        (await alice.ExpectCommandAsync("JOIN")).Should().StartWith(":bob!");
        await bob.DisposeAsync();
        (await alice.ExpectCommandAsync("QUIT")).Should().StartWith(":bob!");

        await using var carol = await IrcTestClient.RegisterAsync(server.IrcPort, "carol");
        await carol.SendAsync("JOIN #lobby");
        (await alice.ExpectCommandAsync("JOIN")).Should().StartWith(":carol!");
        await carol.SendAsync("PRIVMSG #lobby :hi");
        (await alice.ExpectCommandAsync("PRIVMSG")).Should().StartWith("@time=").And.EndWith(":carol!carol@lantalk PRIVMSG #lobby :hi");
        await carol.SendAsync("PART #lobby :bye");
        (await alice.ExpectCommandAsync("PART")).Should().Be(":carol!carol@lantalk PART #lobby :bye");

        // echo-message: alice's own message comes back to her.
        await alice.SendAsync("PRIVMSG #lobby :echo me");
        (await alice.ExpectCommandAsync("PRIVMSG")).Should().EndWith(":alice!alice@lantalk PRIVMSG #lobby :echo me");
    }

    [Test]
    public async Task Errors_for_unknown_nicks_channels_nick_changes_and_one_session_per_user()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        await alice.SendAsync("PRIVMSG nobody :hi");
        await alice.ExpectCommandAsync("401");
        await alice.SendAsync("JOIN #elsewhere");
        await alice.ExpectCommandAsync("403");
        await alice.SendAsync("PRIVMSG #lobby :not joined");
        await alice.ExpectCommandAsync("404");
        await alice.SendAsync("NICK alice2");
        await alice.ExpectCommandAsync("447");
        await alice.SendAsync("MODE alice");
        await alice.ExpectCommandAsync("221");
        await alice.SendAsync("MODE #lobby");
        await alice.ExpectCommandAsync("324");
        await alice.SendAsync("WHO #lobby");
        await alice.ExpectCommandAsync("315");

        // alice is online on IRC, so a ChatSocket login as alice is refused (one session per user until issue 13).
        await using var client = await server.ConnectAsync();
        var act = () => client.LoginAsync("alice", TestServer.Password);
        await act.Should().ThrowAsync<ChatClientException>();
    }
}
