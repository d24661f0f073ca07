namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// RFC 1459/2812: a NOTICE never draws an automatic reply, not even an error numeric, so two bots that answer notices
/// cannot loop (real server, real sockets; the PING barrier proves nothing else is coming).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcNoticeTests
{
    [TestCase("NOTICE #nonexistent :hello there", "a channel that does not exist")]
    [TestCase("NOTICE nosuchnick :hello there", "a nick that does not exist")]
    [TestCase("NOTICE #lobby :{0}", "a text over MaxMessageBytes")]
    public async Task A_notice_that_cannot_be_delivered_gets_no_reply(string line, string what)
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0, MaxMessageBytes = 100 }, "foo");
        await using var foo = await IrcTestClient.RegisterAsync(server.IrcPort, "foo");
        await foo.ExpectAsync(l => l.Contains(" 366 foo #lobby ", StringComparison.Ordinal), "366 for #lobby");

        await foo.SendAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, line, new string('x', 101)) + "\r\nPING :done");
        string next = await foo.ExpectAsync(_ => true, "the next line after a NOTICE to " + what);
        next.Should().Contain("PONG", "nothing answers a NOTICE to {0}", what);

        // The same as PRIVMSG is answered, so the case really is an error.
        await foo.SendAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, line, new string('x', 101)).Replace("NOTICE", "PRIVMSG", StringComparison.Ordinal));
        (await foo.ExpectAsync(_ => true, "the reply to the same PRIVMSG")).Should().MatchRegex(@"^:\S+ (403|401|404|417) ");
    }

    [Test]
    public async Task A_notice_to_an_offline_account_is_stored_without_a_reply_while_a_privmsg_gets_the_stored_notice()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "foo", "bar");
        await using var foo = await IrcTestClient.RegisterAsync(server.IrcPort, "foo");
        await foo.ExpectAsync(l => l.Contains(" 366 foo #lobby ", StringComparison.Ordinal), "366 for #lobby");

        await foo.SendAsync("NOTICE bar :the notice\r\nPING :done");
        (await foo.ExpectAsync(_ => true, "the next line after a NOTICE to an offline account")).Should().Contain("PONG", "nothing answers a NOTICE");

        // The same as PRIVMSG is answered, so the case really is the stored one.
        await foo.SendAsync("PRIVMSG bar :the message");
        (await foo.ExpectAsync(_ => true, "the reply to the same PRIVMSG")).Should().EndWith(":bar is offline: your message is stored and will be delivered when they next log in");

        // With server-time, so the stored lines carry their time in a tag and not in the text.
        await using var bar = await IrcTestClient.RegisterAsync(server.IrcPort, "bar", caps: "server-time");
        await bar.ExpectAsync(l => l.EndsWith(":the notice", StringComparison.Ordinal), "the stored notice, delivered at login");
        await bar.ExpectAsync(l => l.EndsWith(":the message", StringComparison.Ordinal), "the stored message after it");
    }

    [Test]
    public async Task A_notice_reaches_channel_members_private_recipients_replays_and_ChatSocket_as_a_notice()
    {
        // It reached everyone but its sender as PRIVMSG: bots that answer PRIVMSG could loop on each other's notices,
        // and irssi opened a query window for one (irctest's testNotice; an audit with irssi).
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "foo", "bar", "carol");
        await using var foo = await IrcTestClient.RegisterAsync(server.IrcPort, "foo");
        await using var bar = await IrcTestClient.RegisterAsync(server.IrcPort, "bar", caps: "server-time");
        var carol = await Rooms.V3.LoginAsync(server, "carol");
        await using var c = carol.Client;
        var seen = new TaskCompletionSource<Core.Client.ChatMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        carol.Client.MessageReceived += (_, m) =>
        {
            if (m.Text == "in the channel")
            {
                seen.TrySetResult(m);
            }
        };
        await bar.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":carol!", StringComparison.Ordinal) && l.EndsWith("JOIN #lobby", StringComparison.Ordinal), "carol in #lobby");

        await foo.SendAsync("NOTICE #lobby :in the channel");
        await foo.SendAsync("NOTICE bar :to you");

        (await bar.ExpectAsync(l => l.EndsWith(":in the channel", StringComparison.Ordinal), "the channel notice")).Should().Contain(" NOTICE #lobby :");
        (await bar.ExpectAsync(l => l.EndsWith(":to you", StringComparison.Ordinal), "the private notice")).Should().Contain(" NOTICE bar :");
        (await Wait.ForAsync(seen.Task, "carol's copy")).Kind.Should().Be(Core.Packets.ChatMessageKind.Notice);

        // Stored as a notice: the join replay shows it as one too.
        await bar.SendAsync("PART #lobby");
        await bar.ExpectAsync(l => l.Contains(" PART #lobby", StringComparison.Ordinal), "bar left #lobby");
        await bar.SendAsync("JOIN #lobby");
        string replayed = await bar.ExpectAsync(l => l.StartsWith("@time=", StringComparison.Ordinal) && l.EndsWith(":in the channel", StringComparison.Ordinal), "the replayed notice");
        replayed.Should().Contain(" NOTICE #lobby :");
    }

    [Test]
    public async Task A_notice_carrying_a_CTCP_ACTION_stays_a_notice_with_its_text_as_sent()
    {
        // It became a PRIVMSG action: echoed, relayed and stored as one, and Kind Action for ChatSocket members, where
        // a NOTICE must stay a NOTICE and its echo match what was sent (an IRC audit, 2026-12-07).
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice", "bob", "carol");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "echo-message");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob", caps: "server-time");
        var carol = await Rooms.V3.LoginAsync(server, "carol");
        await using var c = carol.Client;
        var seen = new TaskCompletionSource<Core.Client.ChatMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        carol.Client.MessageReceived += (_, m) =>
        {
            if (m.Text.Contains("notice-act", StringComparison.Ordinal))
            {
                seen.TrySetResult(m);
            }
        };
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":carol!", StringComparison.Ordinal) && l.EndsWith("JOIN #lobby", StringComparison.Ordinal), "carol in #lobby");

        const string Public = "\u0001ACTION notice-act\u0001";
        const string Private = "\u0001ACTION private notice-act\u0001";
        await alice.SendAsync("NOTICE #lobby :" + Public);
        (await alice.ExpectAsync(l => l.Contains("notice-act", StringComparison.Ordinal), "the echo")).Should().EndWith(" NOTICE #lobby :" + Public);
        (await bob.ExpectAsync(l => l.Contains("notice-act", StringComparison.Ordinal), "bob's copy")).Should().EndWith(" NOTICE #lobby :" + Public);
        var native = await Wait.ForAsync(seen.Task, "carol's copy");
        native.Kind.Should().Be(Core.Packets.ChatMessageKind.Notice);
        native.Text.Should().Be(Public, "a ChatSocket client gets the notice's text as it was sent");

        await alice.SendAsync("NOTICE bob :" + Private);
        (await alice.ExpectAsync(l => l.Contains("private notice-act", StringComparison.Ordinal), "the private echo")).Should().EndWith(" NOTICE bob :" + Private);
        (await bob.ExpectAsync(l => l.Contains("private notice-act", StringComparison.Ordinal), "bob's private copy")).Should().EndWith(" NOTICE bob :" + Private);

        // Stored as a notice: the join replay shows it as one, as it was sent.
        await bob.SendAsync("PART #lobby");
        await bob.ExpectAsync(l => l.Contains(" PART #lobby", StringComparison.Ordinal), "bob left #lobby");
        await bob.SendAsync("JOIN #lobby");
        (await bob.ExpectAsync(l => l.StartsWith("@time=", StringComparison.Ordinal) && l.Contains("notice-act", StringComparison.Ordinal), "the replayed notice"))
            .Should().EndWith(" NOTICE #lobby :" + Public);
    }

    [Test]
    public async Task A_message_to_several_targets_is_407_and_a_notice_to_several_gets_nothing()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "foo", "bar");
        await using var foo = await IrcTestClient.RegisterAsync(server.IrcPort, "foo");
        await foo.ExpectAsync(l => l.Contains(" 366 foo #lobby ", StringComparison.Ordinal), "366 for #lobby");

        // TARGMAX=PRIVMSG:1: not 401 for a nick named "bar,foo".
        await foo.SendAsync("PRIVMSG bar,foo :hello");
        (await foo.ExpectAsync(_ => true, "the reply to PRIVMSG to two targets")).Should().Contain(" 407 foo bar,foo :");

        await foo.SendAsync("NOTICE bar,foo :hello\r\nPING :done");
        (await foo.ExpectAsync(_ => true, "the next line after a NOTICE to two targets")).Should().Contain("PONG");
    }

    [Test]
    public async Task A_guest_cannot_leave_messages_for_an_offline_account_while_an_account_can()
    {
        // Ten guests filled an account's offline queue in a minute, and its real mail was refused.
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0, AllowGuests = true }, "foo", "bar");
        await using var guest = await IrcTestClient.RegisterAsync(server.IrcPort, "visitor", password: null);

        await guest.SendAsync("PRIVMSG bar :spam for later");

        (await guest.ExpectCommandAsync("401")).Should().EndWith(":'bar' is not online, and guests cannot leave messages for later");
        await using var foo = await IrcTestClient.RegisterAsync(server.IrcPort, "foo");
        await foo.SendAsync("PRIVMSG bar :real mail");
        (await foo.ExpectCommandAsync("NOTICE")).Should().EndWith(":bar is offline: your message is stored and will be delivered when they next log in");
        await using var bar = await IrcTestClient.RegisterAsync(server.IrcPort, "bar", caps: "server-time");
        var stored = await bar.ExpectAsync(l => l.Contains(" PRIVMSG bar ", StringComparison.Ordinal), "bar's stored message");
        stored.Should().EndWith(":real mail", "the first stored message is foo's: the guest's was never stored");
    }
}
