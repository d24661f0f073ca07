namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// CTCP other than ACTION passes only between IRC clients: to every IRC session of the target, echoed to an
/// echo-message sender, and never dropped without a word (real server, real sockets).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcCtcpTests
{
    private const string Version = "\u0001VERSION\u0001";

    [Test]
    public async Task A_ctcp_query_reaches_every_irc_session_of_the_user_and_is_echoed()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var bob1 = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await using var bob2 = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "echo-message");
        await alice.ExpectAsync(l => l.Contains(" 366 alice #lobby ", StringComparison.Ordinal), "366 for #lobby");

        var answer = await alice.LinesBeforePongAsync("PRIVMSG bob :" + Version, "ctcp");

        const string Line = ":alice!alice@lantalk PRIVMSG bob :" + Version;
        answer.Should().Equal([Line], "the echo, and nothing else");
        (await bob1.ExpectCommandAsync("PRIVMSG")).Should().Be(Line);
        (await bob2.ExpectCommandAsync("PRIVMSG")).Should().Be(Line);

        // The reply goes back the same way, a NOTICE.
        await bob1.SendAsync("NOTICE alice :\u0001VERSION irssi\u0001");
        (await alice.ExpectCommandAsync("NOTICE")).Should().Be(":bob!bob@lantalk NOTICE alice :\u0001VERSION irssi\u0001");
    }

    [Test]
    public async Task A_ctcp_query_is_mirrored_to_the_sender_s_other_echo_message_sessions_as_a_private_message_is()
    {
        // Plain private messages reached the sender's other sessions, CTCP did not (an IRC audit, 2026-12-07).
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await using var a1 = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "echo-message");
        await using var a2 = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "echo-message");
        await using var plain = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        await a1.SendAsync("PRIVMSG bob :\u0001PING 123\u0001");
        const string Line = ":alice!alice@lantalk PRIVMSG bob :\u0001PING 123\u0001";
        (await bob.ExpectCommandAsync("PRIVMSG")).Should().Be(Line);
        (await a2.ExpectCommandAsync("PRIVMSG")).Should().Be(Line, "the other session sees what its user sent, as for a plain message");
        await bob.SendAsync("NOTICE alice :\u0001PING 123\u0001");
        (await a2.ExpectCommandAsync("NOTICE")).Should().Be(":bob!bob@lantalk NOTICE alice :\u0001PING 123\u0001", "the reply reaches every session");

        // A session without echo-message gets no mirrored request (it could answer it), only the reply; the mirrors
        // all go out before bob could have read the request, so before the reply.
        await plain.ExpectAsync(l => l.Contains(" NOTICE alice :\u0001PING", StringComparison.Ordinal), "the reply on the session without echo-message");
        lock (plain.Seen)
        {
            plain.Seen.Should().NotContain(l => l.Contains("PRIVMSG bob", StringComparison.Ordinal));
        }
    }

    [Test]
    public async Task A_ctcp_query_to_oneself_is_echoed_then_delivered_as_any_message_to_oneself()
    {
        // With echo-message it came once: the delivery without its echo, where a PRIVMSG to oneself comes twice.
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "echo-message");
        await alice.ExpectAsync(l => l.Contains(" 366 alice #lobby ", StringComparison.Ordinal), "366 for #lobby");

        var lines = await alice.LinesBeforePongAsync("PRIVMSG alice :\u0001PING 1\u0001", "self");
        lines.Should().Equal([":alice!alice@lantalk PRIVMSG alice :\u0001PING 1\u0001", ":alice!alice@lantalk PRIVMSG alice :\u0001PING 1\u0001"], "its echo, then its delivery");
    }

    [Test]
    public async Task A_ctcp_query_reaches_the_recipient_after_the_messages_its_sender_sent_before_it()
    {
        // With the store on, a PRIVMSG is delivered once committed; a CTCP, which is not stored, overtook it (an IRC
        // audit: 20 of 20 rounds after a JOIN).
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        for (int i = 0; i < 10; i++)
        {
            await bob.SendAsync($"JOIN #r{i}");
            await bob.SendAsync($"PRIVMSG alice :plain {i}");
            await bob.SendAsync($"PRIVMSG alice :\u0001PING {i}\u0001");
            string first = await alice.ExpectAsync(l => l.Contains($"plain {i}", StringComparison.Ordinal) || l.Contains($"PING {i}", StringComparison.Ordinal), $"round {i}");
            first.Should().EndWith($":plain {i}", "bob sent it before the CTCP");
            await alice.ExpectAsync(l => l.Contains($"PING {i}", StringComparison.Ordinal), $"the CTCP of round {i}");
        }
    }

    [Test]
    public async Task A_ctcp_query_that_no_irc_client_can_answer_is_answered_by_the_server()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "dave");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var dave = await server.LoginAsync("dave", Rooms.V3.Options());
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":dave!", StringComparison.Ordinal) && l.EndsWith("JOIN #lobby", StringComparison.Ordinal), "dave's JOIN");

        (await alice.LinesBeforePongAsync("PRIVMSG dave :" + Version, "lantalk")).Should().ContainSingle()
            .Which.Should().EndWith(" NOTICE alice :dave is not on IRC: CTCP VERSION is passed only between IRC clients");
        (await alice.LinesBeforePongAsync("PRIVMSG nobody :" + Version, "nobody")).Should().ContainSingle()
            .Which.Should().Contain(" 401 alice nobody ");
        (await alice.LinesBeforePongAsync("PRIVMSG #lobby :" + Version, "channel")).Should().ContainSingle()
            .Which.Should().Contain(" NOTICE alice :CTCP VERSION is not passed on to channels");

        // A CTCP reply (NOTICE) draws no answer at all.
        (await alice.LinesBeforePongAsync("NOTICE dave :" + Version, "reply")).Should().BeEmpty();
    }

    [Test]
    public async Task An_empty_action_stays_empty_and_text_after_the_closing_delimiter_is_dropped()
    {
        // "\x01ACTION\x01" was relayed as "\x01ACTION \x01", and "\x01ACTION x\x01 trailing" as
        // "\x01ACTION x\uFFFD trailing\x01" (an IRC audit, 2026-12-06).
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":bob!", StringComparison.Ordinal) && l.EndsWith("JOIN #lobby", StringComparison.Ordinal), "bob's JOIN");

        await alice.SendAsync("PRIVMSG #lobby :\u0001ACTION\u0001");
        await alice.SendAsync("PRIVMSG #lobby :\u0001ACTION waves\u0001 trailing");

        IrcTestClient.Untagged(await bob.ExpectCommandAsync("PRIVMSG")).Should().Be(":alice!alice@lantalk PRIVMSG #lobby :\u0001ACTION\u0001");
        IrcTestClient.Untagged(await bob.ExpectCommandAsync("PRIVMSG")).Should().Be(":alice!alice@lantalk PRIVMSG #lobby :\u0001ACTION waves\u0001");
    }
}
