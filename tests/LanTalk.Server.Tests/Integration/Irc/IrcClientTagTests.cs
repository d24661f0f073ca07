namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// IRCv3 client-only tags (<c>+name=value</c>) pass live between IRC clients that negotiated message-tags, on
/// PRIVMSG and in TAGMSG; nobody else sees them, server tags a client sends are never relayed, and a client's tag
/// section over 4096 bytes is 417 and goes nowhere (real server, real sockets).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcClientTagTests
{
    private static bool IsPrivmsg(string line, string text) => line.Contains(" PRIVMSG #lobby :" + text, StringComparison.Ordinal);

    private static string TagsOf(string line) => line.StartsWith('@') ? line[1..line.IndexOf(' ', StringComparison.Ordinal)] : string.Empty;

    [Test]
    public async Task Client_tags_on_a_channel_message_reach_the_message_tags_members_and_the_echo_and_nobody_else()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob", "carol", "dave");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "message-tags echo-message");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob", caps: "message-tags");
        await using var carol = await IrcTestClient.RegisterAsync(server.IrcPort, "carol");
        await using var dave = await IrcTestClient.RegisterAsync(server.IrcPort, "dave", caps: "server-time");

        await alice.SendAsync("@+baz=bat\\swith\\:escapes;fizz=buzz PRIVMSG #lobby :hi");

        var echo = await alice.ExpectAsync(l => IsPrivmsg(l, "hi"), "alice's echo");
        var relayed = await bob.ExpectAsync(l => IsPrivmsg(l, "hi"), "bob's copy");
        TagsOf(relayed).Split(';').Should().Contain("+baz=bat\\swith\\:escapes", "bob negotiated message-tags")
            .And.NotContain(t => t.StartsWith("fizz", StringComparison.Ordinal), "a server tag from a client is never relayed");
        TagsOf(echo).Split(';').Should().Contain("+baz=bat\\swith\\:escapes");
        TagsOf(echo).Split(';').Single(t => t.StartsWith("msgid=", StringComparison.Ordinal))
            .Should().Be(TagsOf(relayed).Split(';').Single(t => t.StartsWith("msgid=", StringComparison.Ordinal)));
        (await carol.ExpectAsync(l => IsPrivmsg(l, "hi"), "carol's copy")).Should().StartWith(":alice!", "carol asked for no tags");
        TagsOf(await dave.ExpectAsync(l => IsPrivmsg(l, "hi"), "dave's copy")).Should().StartWith("time=").And.NotContain("+baz", "server-time alone brings no client tags");
    }

    [Test]
    public async Task Malformed_client_tag_keys_are_dropped_and_a_repeated_key_is_relayed_once_with_its_last_value()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "message-tags");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob", caps: "message-tags");

        await alice.SendAsync("@+a=1;+a!b=2;+k_x=3;+a=4;+example.com/ok=5 PRIVMSG #lobby :tagged");

        var relayed = await bob.ExpectAsync(l => IsPrivmsg(l, "tagged"), "bob's copy");
        TagsOf(relayed).Split(';').Where(t => t.StartsWith('+')).Should().Equal("+a=4", "+example.com/ok=5");
    }

    [Test]
    public async Task Tagmsg_reaches_only_message_tags_clients_with_one_msgid_for_the_echo_and_the_relay()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob", "carol");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "message-tags");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob", caps: "message-tags echo-message");
        await using var carol = await IrcTestClient.RegisterAsync(server.IrcPort, "carol", caps: "server-time echo-message");
        await alice.JoinAsync("alice", "#dev");
        await carol.JoinAsync("carol", "#dev");
        await bob.JoinAsync("bob", "#dev");

        await bob.SendAsync("@+buzz=fizz\\:buzz;cat=dog;+steel=wootz TAGMSG #dev");

        var echo = await bob.ExpectAsync(l => l.Contains(" TAGMSG #dev", StringComparison.Ordinal), "bob's echo");
        var relayed = await alice.ExpectAsync(l => l.Contains(" TAGMSG #dev", StringComparison.Ordinal), "alice's copy");
        relayed.Should().EndWith(":bob!bob@lantalk TAGMSG #dev");
        TagsOf(relayed).Split(';').Should().Contain(["+buzz=fizz\\:buzz", "+steel=wootz"]).And.NotContain("cat=dog");
        TagsOf(echo).Split(';').Should().BeEquivalentTo(TagsOf(relayed).Split(';'), "the echo is the same line, msgid included");

        var carolLines = await carol.LinesBeforePongAsync("NAMES #dev", "after-tagmsg");
        carolLines.Should().NotContain(l => l.Contains("TAGMSG", StringComparison.Ordinal), "carol did not negotiate message-tags");
    }

    [Test]
    public async Task Private_tagmsg_reaches_the_recipient_and_an_unknown_nick_is_401()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "message-tags");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob", caps: "message-tags");

        await alice.SendAsync("@+typing=active TAGMSG bob");
        var line = await bob.ExpectAsync(l => l.Contains(" TAGMSG ", StringComparison.Ordinal), "the typing notice");
        line.Should().EndWith(":alice!alice@lantalk TAGMSG bob");
        TagsOf(line).Split(';').Should().Contain("+typing=active").And.Contain(t => t.StartsWith("msgid=", StringComparison.Ordinal));

        await alice.SendAsync("@+typing=active TAGMSG nobody");
        (await alice.ExpectCommandAsync("401")).Should().Contain(" nobody ");
    }

    [Test]
    public async Task A_tag_section_over_4096_bytes_is_417_and_reaches_nobody()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "message-tags");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob", caps: "message-tags");
        await alice.JoinAsync("alice", "#dev");
        await bob.JoinAsync("bob", "#dev");

        // '@', "+baz=", the value and the space: 4097 bytes, one over the client's share.
        var replies = await alice.LinesBeforePongAsync("@+baz=" + new string('a', 4097 - 7) + " TAGMSG #dev", "after-long");

        replies.Should().Contain(l => l.Contains(" 417 alice ", StringComparison.Ordinal));
        (await bob.LinesBeforePongAsync("NAMES #dev", "after")).Should().NotContain(l => l.Contains("TAGMSG", StringComparison.Ordinal));
    }

    [Test]
    public async Task Client_tags_from_a_client_without_message_tags_are_not_relayed()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob", caps: "message-tags");
        await bob.LinesBeforePongAsync("NAMES #lobby", "alice-seen");

        await alice.SendAsync("@+baz=bat PRIVMSG #lobby :plain");

        TagsOf(await bob.ExpectAsync(l => IsPrivmsg(l, "plain"), "bob's copy")).Should().NotContain("+baz", "alice never negotiated message-tags");
    }

    [Test]
    public async Task A_display_name_tag_that_would_show_the_sender_as_someone_else_is_not_relayed()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "message-tags");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob", caps: "message-tags");

        await alice.SendAsync("@+draft/display-name=bob;+display-name=bob;+typing=active PRIVMSG #lobby :it is me, bob");

        var relayed = await bob.ExpectAsync(l => IsPrivmsg(l, "it is me, bob"), "bob's copy");
        TagsOf(relayed).Split(';').Should().Contain("+typing=active", "other client tags still pass")
            .And.NotContain(t => t.Contains("display-name", StringComparison.Ordinal), "a client honouring it would show alice's line as bob's");
    }
}
