namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>Away is the user's, whichever session set it, and AWAYLEN is in bytes (real server, real sockets).</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcAwayTests
{
    [Test]
    public async Task Who_and_userhost_show_away_set_from_a_lantalk_client()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "dave");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "away-notify");
        await alice.ExpectAsync(l => l.Contains(" 366 alice #lobby ", StringComparison.Ordinal), "366 for #lobby");
        await using var dave = await server.LoginAsync("dave", Rooms.V3.Options());
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":dave!", StringComparison.Ordinal) && l.EndsWith("JOIN #lobby", StringComparison.Ordinal), "dave's JOIN");

        await dave.SetAwayAsync("lunch");
        await alice.ExpectAsync(l => l is ":dave!dave@lantalk AWAY :lunch" or ":dave!dave@lantalk AWAY lunch", "dave's away-notify");

        await alice.SendAsync("WHO dave");
        (await alice.ExpectCommandAsync("352")).Should().EndWith(" dave G :0 dave");
        await alice.SendAsync("WHO #lobby");
        (await alice.ExpectAsync(l => l.Contains(" 352 ", StringComparison.Ordinal) && l.Contains(" dave ", StringComparison.Ordinal), "dave's 352 in #lobby")).Should().Contain(" dave G");
        await alice.SendAsync("USERHOST dave");
        (await alice.ExpectCommandAsync("302")).Should().MatchRegex(" 302 alice :?dave=-dave@lantalk$");

        await dave.SetAwayAsync(string.Empty);
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l) == ":dave!dave@lantalk AWAY", "dave's back");
        await alice.SendAsync("USERHOST dave");
        (await alice.ExpectCommandAsync("302")).Should().MatchRegex(@" 302 alice :?dave=\+dave@lantalk$");
    }

    [Test]
    public async Task A_PRIVMSG_to_oneself_while_away_gets_no_301_and_no_second_306()
    {
        // The router's away answer to oneself came through as a stray 306, after the message (an audit, 2026-12-06).
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await alice.SendAsync("AWAY :gone");
        await alice.ExpectCommandAsync("306");

        var answer = await alice.LinesBeforePongAsync("PRIVMSG alice :note to self", "self");

        answer.Select(IrcTestClient.Untagged).Should().Contain(":alice!alice@lantalk PRIVMSG alice :note to self");
        answer.Should().NotContain(l => l.Contains(" 301 ", StringComparison.Ordinal) || l.Contains(" 306 ", StringComparison.Ordinal), "a user is not told its own away text");
        var toBob = await bob.LinesBeforePongAsync("PRIVMSG alice :there?", "bob");
        toBob.Should().Contain(l => l.Contains(" 301 bob alice ", StringComparison.Ordinal), "the answer to another user is not used up");
    }

    [Test]
    public async Task A_user_who_is_away_joining_a_channel_is_followed_by_an_AWAY_line_for_away_notify_clients()
    {
        // IRCv3 away-notify: "when a user joins and has an away message set". alice and bob already shared #lobby, so
        // nothing but the JOIN reached alice before (irctest's testAwayNotifyOnJoin; an audit with irssi).
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "away-notify");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await alice.SendAsync("JOIN #r5");
        await alice.ExpectAsync(l => l.Contains(" 366 alice #r5 ", StringComparison.Ordinal), "alice in #r5");
        await bob.SendAsync("AWAY :already away");
        await bob.ExpectCommandAsync("306");
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":bob!", StringComparison.Ordinal) && l.Contains(" AWAY ", StringComparison.Ordinal), "bob's AWAY from #lobby");

        await bob.SendAsync("JOIN #r5");

        await alice.ExpectAsync(l => IrcTestClient.Untagged(l) == ":bob!bob@lantalk JOIN #r5", "bob's JOIN");
        (await alice.ExpectAsync(_ => true, "the line after the JOIN")).Should().BeOneOf(":bob!bob@lantalk AWAY :already away", ":bob!bob@lantalk AWAY already away");
    }

    [TestCase(200, "", 128, TestName = "An over-long away text of 2-byte characters is cut to 256 bytes")]
    [TestCase(200, "a", 127, TestName = "An over-long away text is cut between characters, never inside one")]
    public async Task An_away_text_over_AWAYLEN_is_cut_to_at_most_that_many_bytes(int count, string lead, int kept)
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        alice.Seen.Should().Contain(l => l.Contains(" 005 ", StringComparison.Ordinal) && l.Contains(" AWAYLEN=256 ", StringComparison.Ordinal));

        await alice.SendAsync("AWAY :" + lead + new string('é', count));
        await alice.ExpectCommandAsync("306");
        await alice.SendAsync("WHOIS alice");

        string away = await alice.ExpectCommandAsync("301");
        away.Should().MatchRegex(" 301 alice alice :?" + lead + new string('é', kept) + "$");
    }

    [Test]
    public async Task Awaylen_follows_MaxAwayBytes()
    {
        await using var server = await TestServer.StartIrcAsync(s => s with { MaxAwayBytes = 10 }, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        alice.Seen.Should().Contain(l => l.Contains(" 005 ", StringComparison.Ordinal) && l.Contains(" AWAYLEN=10 ", StringComparison.Ordinal));

        await alice.SendAsync("AWAY :0123456789abc");
        await alice.ExpectCommandAsync("306");
        await alice.SendAsync("WHOIS alice");
        (await alice.ExpectCommandAsync("301")).Should().MatchRegex(" 301 alice alice :?0123456789$");
    }

    [Test]
    public async Task Away_set_right_after_login_reaches_a_member_after_the_users_join()
    {
        // Presence is batched, away-notify was not: the AWAY came first, from a nick the channel did not show yet.
        await using var server = await TestServer.StartIrcAsync(null, "alice", "carol");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "away-notify");
        await alice.ExpectAsync(l => l.Contains(" 366 alice #lobby ", StringComparison.Ordinal), "366 for #lobby");
        await using var carol = await IrcTestClient.RegisterAsync(server.IrcPort, "carol");
        await carol.SendAsync("AWAY :out to lunch");

        string first = await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":carol!", StringComparison.Ordinal), "carol's first line at alice");
        IrcTestClient.Untagged(first).Should().Be(":carol!carol@lantalk JOIN #lobby", "a member sees the user join before its away status");
        IrcTestClient.Untagged(await alice.ExpectAsync(l => l.Contains(" AWAY ", StringComparison.Ordinal), "carol's AWAY")).Should().Be(":carol!carol@lantalk AWAY :out to lunch");
    }

    [Test]
    public async Task A_user_who_is_away_joining_a_channel_shared_with_nobody_before_is_shown_joining_then_away_once()
    {
        // The status came before the JOIN (a nick in none of bob's channels) and again after it (an audit, 2026-12-06).
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob", caps: "away-notify");
        await bob.JoinAsync("bob", "#dev");
        await bob.SendAsync("PART #lobby");
        await bob.ExpectAsync(l => l.Contains(" PART #lobby", StringComparison.Ordinal), "bob out of #lobby");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.SendAsync("AWAY :gone fishing");
        await alice.ExpectCommandAsync("306");

        await alice.JoinAsync("alice", "#dev");
        await bob.ExpectAsync(l => IrcTestClient.Untagged(l) == ":alice!alice@lantalk JOIN #dev", "alice joining #dev");
        await bob.ExpectAsync(l => IrcTestClient.Untagged(l) == ":alice!alice@lantalk AWAY :gone fishing", "her status after the JOIN");
        _ = await bob.LinesBeforePongAsync("NAMES #dev", "names");
        lock (bob.Seen)
        {
            bob.Seen.Count(l => l.Contains(":alice!", StringComparison.Ordinal) && l.Contains(" AWAY ", StringComparison.Ordinal)).Should().Be(1, "once, after the JOIN: {0}", string.Join(" | ", bob.Seen));
        }
    }
}
