namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// Replies real IRC clients expect to commands they send on their own (irssi's WHOWAS after a WHOIS of a nick not
/// online, /version), and the RFC's answers where the gateway once gave a wrong or stale one (real sockets). Found by an
/// audit with irssi and raw clients.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcCommandReplyTests
{
    [Test]
    public async Task JOIN_0_parts_every_channel_without_the_reason_of_an_earlier_PART()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.SendAsync("JOIN #side");
        await alice.ExpectAsync(l => l.Contains(" 366 alice #side ", StringComparison.Ordinal), "joined #side");

        await alice.SendAsync("PART #side :earlier reason");
        await alice.ExpectAsync(l => l.EndsWith("PART #side :earlier reason", StringComparison.Ordinal), "the PART with its reason");
        await alice.SendAsync("JOIN 0");

        string part = await alice.ExpectAsync(l => l.Contains(" PART #lobby", StringComparison.Ordinal), "JOIN 0 leaves #lobby");
        part.Should().EndWith("PART #lobby", "JOIN 0 has no reason, and an old one must not be reused");
    }

    [Test]
    public async Task WHOWAS_answers_406_and_369_and_VERSION_answers_351()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        await alice.SendAsync("WHOWAS nobody 1");
        await alice.ExpectAsync(l => l.Contains(" 406 alice nobody :", StringComparison.Ordinal), "406 ERR_WASNOSUCHNICK");
        await alice.ExpectAsync(l => l.Contains(" 369 alice nobody :", StringComparison.Ordinal), "369 RPL_ENDOFWHOWAS");
        await alice.SendAsync("VERSION");
        await alice.ExpectAsync(l => l.Contains(" 351 alice lantalk-", StringComparison.Ordinal), "351 RPL_VERSION");

        lock (alice.Seen)
        {
            alice.Seen.Should().NotContain(l => l.Contains(" 421 ", StringComparison.Ordinal), "neither is an unknown command");
        }
    }

    [Test]
    public async Task More_than_15_parameters_is_461_naming_the_command_and_runs_nothing()
    {
        // It was "461 alice * :...": the client could not tell which of its lines was refused (an IRC audit, 2026-12-07).
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.ExpectAsync(l => l.Contains(" 366 alice #lobby ", StringComparison.Ordinal), "366 for #lobby");

        var lines = await alice.LinesBeforePongAsync("PRIVMSG #lobby " + string.Join(' ', Enumerable.Range(0, 14).Select(i => "p" + i)) + " :last", "privmsg");
        lines.Should().ContainSingle("refused, not sent").Which.Should().MatchRegex(@"^:\S+ 461 alice PRIVMSG :Too many parameters \(at most 15\)$");
        lines = await alice.LinesBeforePongAsync("mode #lobby " + string.Join(' ', Enumerable.Range(0, 20).Select(_ => "+i")), "mode");
        lines.Should().ContainSingle().Which.Should().MatchRegex(@"^:\S+ 461 alice MODE :Too many parameters \(at most 15\)$", "the command in upper case, as every numeric names it");
    }

    [Test]
    public async Task MODE_of_an_unknown_nick_is_401_and_of_another_user_502_and_KICK_of_no_one_is_401()
    {
        // MODE nosuchnick was 401 with 502's text, and KICK of a nick that is no one 441, as if a user elsewhere (an
        // IRC audit, 2026-12-07).
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob", "carol");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await alice.ExpectAsync(l => l.StartsWith(":bob!", StringComparison.Ordinal) && l.EndsWith(" JOIN #lobby", StringComparison.Ordinal), "bob in #lobby");
        await alice.JoinAsync("alice", "#mine");

        (await alice.LinesBeforePongAsync("MODE nosuchnick", "mode-unknown")).Should().ContainSingle()
            .Which.Should().MatchRegex(@"^:\S+ 401 alice nosuchnick :No such nick/channel$");
        (await alice.LinesBeforePongAsync("MODE bob +i", "mode-other")).Should().ContainSingle()
            .Which.Should().MatchRegex(@"^:\S+ 502 alice :Can't change mode for other users$");
        (await alice.LinesBeforePongAsync("KICK #mine nosuchnick", "kick-unknown")).Should().ContainSingle()
            .Which.Should().MatchRegex(@"^:\S+ 401 alice nosuchnick :No such nick/channel$");
        // An account that exists but is not on the channel (offline, or online elsewhere) is still 441.
        (await alice.LinesBeforePongAsync("KICK #mine carol", "kick-offline")).Should().ContainSingle()
            .Which.Should().MatchRegex(@"^:\S+ 441 alice carol #mine :They aren't on that channel$");
        (await alice.LinesBeforePongAsync("KICK #mine bob", "kick-elsewhere")).Should().ContainSingle()
            .Which.Should().MatchRegex(@"^:\S+ 441 alice bob #mine :They aren't on that channel$");
    }

    [Test]
    public async Task ISON_without_a_nick_is_461()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        await alice.SendAsync("ISON");

        await alice.ExpectAsync(l => l.Contains(" 461 alice ISON :", StringComparison.Ordinal), "461 ERR_NEEDMOREPARAMS");
    }

    [Test]
    public async Task Inviting_a_member_of_the_channel_is_443_and_sends_no_invitation()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await alice.ExpectAsync(l => l.Contains("bob!", StringComparison.Ordinal) && l.Contains(" JOIN #lobby", StringComparison.Ordinal), "bob in #lobby");

        await alice.SendAsync("INVITE bob #lobby");

        await alice.ExpectAsync(l => l.Contains(" 443 alice bob #lobby :", StringComparison.Ordinal), "443 ERR_USERONCHANNEL");
        lock (alice.Seen)
        {
            alice.Seen.Should().NotContain(l => l.Contains(" 341 ", StringComparison.Ordinal));
        }
    }

    [Test]
    public async Task A_topic_longer_than_TOPICLEN_is_cut_to_it_between_characters_not_refused()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.SendAsync("JOIN #mine");
        await alice.ExpectAsync(l => l.Contains(" 366 alice #mine ", StringComparison.Ordinal), "joined #mine");
        string isupport;
        lock (alice.Seen)
        {
            isupport = alice.Seen.Single(l => l.Contains("TOPICLEN=", StringComparison.Ordinal));
        }

        string topicLen = isupport[(isupport.IndexOf("TOPICLEN=", StringComparison.Ordinal) + 9)..].Split(' ')[0];
        int limit = int.Parse(topicLen, System.Globalization.CultureInfo.InvariantCulture);

        await alice.SendAsync("TOPIC #mine :" + new string('t', limit - 1) + "é" + "overflow");

        string topic = await alice.ExpectAsync(l => l.Contains(" TOPIC #mine :", StringComparison.Ordinal), "the topic set");
        string text = topic[(topic.IndexOf(" TOPIC #mine :", StringComparison.Ordinal) + 14)..];
        text.Should().Be(new string('t', limit - 1), "the 2-byte é does not fit the last byte and is not cut in half");
    }
}
