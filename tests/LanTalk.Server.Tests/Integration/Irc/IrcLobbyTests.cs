namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>IRC and ChatSocket users share rooms (#lobby is the default room) and private messages (real sockets, real client).</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcLobbyTests
{
    [Test]
    public async Task Registration_joins_lobby_with_both_kinds_of_user_and_messages_flow_both_ways()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        var bob = await server.LoginProbeAsync("bob");
        await using var _ = bob.Client;
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        // The user is in the default room, so the IRC session starts in #lobby.
        IrcTestClient.Untagged(await alice.ExpectCommandAsync("JOIN")).Should().Be(":alice!alice@lantalk JOIN #lobby");
        var names = await alice.ExpectCommandAsync("353");
        names.Should().Contain("alice").And.Contain("bob");
        await alice.ExpectCommandAsync("366");

        await alice.SendAsync("PRIVMSG #lobby :hello from irc");
        await bob.Messages.WaitUntilAsync(l => l.Any(m => m.From == "alice" && m.Text == "hello from irc" && !m.IsPrivate), "bob gets alice's channel message");

        await bob.Client.SendPublicAsync("hello from lantalk");
        (await alice.ExpectCommandAsync("PRIVMSG")).Should().Be(":bob!bob@lantalk PRIVMSG #lobby :hello from lantalk");

        await alice.SendAsync("PRIVMSG bob :psst");
        await bob.Messages.WaitUntilAsync(l => l.Any(m => m.From == "alice" && m.Text == "psst" && m.To == "bob"), "bob gets alice's private message");

        await bob.Client.SendPrivateAsync("alice", "psst back");
        (await alice.ExpectCommandAsync("PRIVMSG")).Should().Be(":bob!bob@lantalk PRIVMSG alice :psst back");

        await alice.SendAsync("PRIVMSG #lobby :\u0001ACTION waves\u0001");
        await bob.Messages.WaitUntilAsync(l => l.Any(m => m.From == "alice" && m.Text.EndsWith("waves", StringComparison.Ordinal)), "bob gets the action");
        await bob.Client.SendPublicAsync("/me nods");
        (await alice.ExpectCommandAsync("PRIVMSG")).Should().Be(":bob!bob@lantalk PRIVMSG #lobby :\u0001ACTION nods\u0001");
    }

    [Test]
    public async Task Text_from_IRC_that_starts_with_slash_me_stays_text_in_the_echo_and_for_every_recipient()
    {
        // The "/me means an action" rule is for v2 ChatSocket clients, which have no Kind: an IRC client's literal
        // "/me ..." came back as a CTCP ACTION in its own echo and to IRC recipients (an IRC audit, 2026-12-07).
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob", "carol");
        var carol = await server.LoginProbeAsync("carol");
        await using var _ = carol.Client;
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await bob.ExpectCommandAsync("366");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "echo-message");
        await alice.ExpectCommandAsync("366");

        foreach (string line in new[] { "PRIVMSG bob :/me is the literal text", "PRIVMSG #lobby :/me typed this", "NOTICE bob :/me in a notice" })
        {
            await alice.SendAsync(line);
            string expected = ":alice!alice@lantalk " + line;
            (await alice.ExpectAsync(l => l.Contains(" :/me ", StringComparison.Ordinal), "the echo of " + line)).Should().Be(expected);
            (await bob.ExpectAsync(l => l.Contains(" :/me ", StringComparison.Ordinal), "bob's copy of " + line)).Should().Be(expected);
        }

        var seen = await carol.Messages.WaitUntilAsync(l => l.Any(m => m.Text == "/me typed this"), "carol gets the channel message");
        seen.Single(m => m.Text == "/me typed this").Kind.Should().Be(LanTalk.Core.Packets.ChatMessageKind.Text);
    }

    [Test]
    public async Task An_empty_action_is_an_action_on_both_kinds_of_client_not_a_stray_control_character([Values] bool closed)
    {
        string line = closed ? "\u0001ACTION\u0001" : "\u0001ACTION";
        // Some clients send a bare /me this way; it was relayed as text: "\uFFFDACTION" on IRC (an IRC audit, 2026-12-04).
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob", "carol");
        var bob = await server.LoginProbeAsync("bob");
        await using var _ = bob.Client;
        await using var carol = await IrcTestClient.RegisterAsync(server.IrcPort, "carol");
        await carol.ExpectCommandAsync("366");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.ExpectCommandAsync("366");

        await alice.SendAsync("PRIVMSG #lobby :" + line);

        var action = await bob.Messages.WaitUntilAsync(l => l.Any(m => m.From == "alice"), "bob gets alice's action");
        action.Single(m => m.From == "alice").Should().Match<LanTalk.Core.Client.ChatMessage>(m => m.Kind == LanTalk.Core.Packets.ChatMessageKind.Action && m.Text.Length == 0);
        (await carol.ExpectAsync(l => l.Contains(" PRIVMSG #lobby ", StringComparison.Ordinal), "carol gets alice's action"))
            .Should().Be(":alice!alice@lantalk PRIVMSG #lobby :\u0001ACTION\u0001", "an empty action stays empty (no space added; an IRC audit, 2026-12-06)");
    }

    [Test]
    public async Task A_privmsg_that_is_not_utf8_is_relayed_with_replacement_marks_and_the_sender_gets_a_warn()
    {
        // UTF8ONLY is advertised; a Latin-1 client heard nothing while its accents arrived as U+FFFD (an IRC audit).
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        await alice.SendRawAsync([.. "PRIVMSG bob :caf"u8, 0xE9, .. "\r\n"u8]);

        (await alice.ExpectCommandAsync("WARN")).Should().StartWith(":lantalk.local WARN PRIVMSG INVALID_UTF8 :");
        (await bob.ExpectCommandAsync("PRIVMSG")).Should().Be(":alice!alice@lantalk PRIVMSG bob :caf\uFFFD");
    }

    [Test]
    public async Task A_private_message_to_an_offline_account_is_stored_and_the_irc_sender_is_told_so_and_told_of_its_delivery()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice", "dave");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.ExpectCommandAsync("366");

        await alice.SendAsync("PRIVMSG dave :see you tomorrow");

        // Not 401: the account exists and the message waits for it, and without a word the sender could not tell.
        (await alice.ExpectCommandAsync("NOTICE")).Should().EndWith(":dave is offline: your message is stored and will be delivered when they next log in");
        var dave = await server.LoginProbeAsync("dave");
        await using var _ = dave.Client;
        await dave.Messages.WaitUntilAsync(l => l.Any(m => m.From == "alice" && m.Text == "see you tomorrow"), "dave gets the stored message at login");
        (await alice.ExpectCommandAsync("NOTICE")).Should().Contain(":dave has received your stored message");
    }

    [Test]
    public async Task Irc_members_see_chatsocket_users_come_and_go_and_each_other_join_and_part()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob", "carol");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "server-time echo-message");
        await alice.ExpectCommandAsync("366");

        var bob = await server.LoginAsync("bob");
        IrcTestClient.Untagged(await alice.ExpectCommandAsync("JOIN")).Should().StartWith(":bob!");
        await bob.DisposeAsync();
        IrcTestClient.Untagged(await alice.ExpectCommandAsync("QUIT")).Should().StartWith(":bob!");

        await using var carol = await IrcTestClient.RegisterAsync(server.IrcPort, "carol");
        IrcTestClient.Untagged(await alice.ExpectCommandAsync("JOIN")).Should().StartWith(":carol!");
        await carol.SendAsync("PRIVMSG #lobby :hi");
        (await alice.ExpectCommandAsync("PRIVMSG")).Should().StartWith("@time=").And.EndWith(":carol!carol@lantalk PRIVMSG #lobby :hi");
        await carol.SendAsync("PART #lobby :bye");
        IrcTestClient.Untagged(await alice.ExpectCommandAsync("PART")).Should().Be(":carol!carol@lantalk PART #lobby :bye", "a PART reason reaches the members who stay");

        // echo-message: alice's own message comes back to her.
        await alice.SendAsync("PRIVMSG #lobby :echo me");
        (await alice.ExpectCommandAsync("PRIVMSG")).Should().EndWith(":alice!alice@lantalk PRIVMSG #lobby :echo me");
    }

    [Test]
    public async Task Rooms_are_channels_with_topic_invite_only_and_kick_by_the_owner()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await alice.ExpectCommandAsync("366");
        await bob.ExpectCommandAsync("366");
        // Bob joins the lobby in the presence batch after his login (within 100 ms); wait for it, or it can come
        // between alice's JOIN #dev and its answer.
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l) == ":bob!bob@lantalk JOIN #lobby", "bob joining the lobby at alice");

        // Joining a room that does not exist creates it, owned by its creator (@ in NAMES).
        await alice.SendAsync("JOIN #dev");
        IrcTestClient.Untagged(await alice.ExpectCommandAsync("JOIN")).Should().Be(":alice!alice@lantalk JOIN #dev");
        (await alice.ExpectCommandAsync("353")).Should().Contain("@alice");
        await alice.SendAsync("TOPIC #dev :release friday");
        IrcTestClient.Untagged(await alice.ExpectCommandAsync("TOPIC")).Should().Be(":alice!alice@lantalk TOPIC #dev :release friday");

        await bob.SendAsync("JOIN #dev");
        (await bob.ExpectCommandAsync("332")).Should().EndWith(":release friday");
        IrcTestClient.Untagged(await alice.ExpectCommandAsync("JOIN")).Should().StartWith(":bob!");
        await bob.SendAsync("TOPIC #dev :mine now");
        await bob.ExpectCommandAsync("482");

        await alice.SendAsync("KICK #dev bob :out");
        IrcTestClient.Untagged(await bob.ExpectCommandAsync("KICK")).Should().Be(":alice!alice@lantalk KICK #dev bob :out");

        await alice.SendAsync("MODE #dev +i");
        IrcTestClient.Untagged(await alice.ExpectCommandAsync("MODE")).Should().Contain("#dev +i");
        await bob.SendAsync("JOIN #dev");
        await bob.ExpectCommandAsync("473");
        await alice.SendAsync("INVITE bob #dev");
        await alice.ExpectCommandAsync("341");
        IrcTestClient.Untagged(await bob.ExpectCommandAsync("INVITE")).Should().Be(":alice!alice@lantalk INVITE bob #dev");
        await bob.SendAsync("JOIN #dev");
        IrcTestClient.Untagged(await bob.ExpectCommandAsync("JOIN")).Should().Be(":bob!bob@lantalk JOIN #dev");
    }

    [Test]
    public async Task An_account_that_is_not_online_can_be_invited_and_is_told_at_its_registration()
    {
        // It was 401 No such nick, and nothing was recorded (a rooms audit, 2026-12-05).
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.JoinAsync("alice", "#club");
        await alice.SendAsync("MODE #club +i");
        IrcTestClient.Untagged(await alice.ExpectCommandAsync("MODE")).Should().Contain("#club +i");

        await alice.SendAsync("INVITE bob #club");
        (await alice.ExpectCommandAsync("341")).Should().Contain(" bob #club");
        await alice.SendAsync("INVITE nobody #club");
        await alice.ExpectCommandAsync("401");

        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        (await bob.ExpectAsync(l => l.Contains(" NOTICE bob ", StringComparison.Ordinal) && l.Contains("#club", StringComparison.Ordinal), "the invitation told at registration"))
            .Should().Contain("invited");
        await bob.SendAsync("JOIN #club");
        IrcTestClient.Untagged(await bob.ExpectCommandAsync("JOIN")).Should().Be(":bob!bob@lantalk JOIN #club");
    }

    [Test]
    public async Task A_kick_of_a_member_who_just_joined_is_answered_with_a_KICK_line_and_of_an_invitee_with_a_notice()
    {
        // A member kicked before the presence batch showed its JOIN, and an invitee who is not a member, were kicked
        // (or uninvited) without a word to the kicker (a rooms audit, 2026-12-05).
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob", "carol");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.JoinAsync("alice", "#club");
        var bob = await server.LoginProbeAsync("bob", Rooms.V3.Options());
        await using var b = bob.Client;

        await bob.Client.JoinRoomAsync("club");
        await alice.SendAsync("KICK #club bob :not now");
        IrcTestClient.Untagged(await alice.ExpectCommandAsync("KICK")).Should().EndWith("KICK #club bob :not now");
        await bob.RoomsLeft.WaitForAsync(r => r.Room == "club", "bob is out of club");

        await alice.SendAsync("MODE #club +i");
        await alice.ExpectCommandAsync("MODE");
        await alice.SendAsync("INVITE carol #club");
        await alice.ExpectCommandAsync("341");
        await alice.SendAsync("KICK #club carol");
        (await alice.ExpectAsync(l => l.Contains(" NOTICE alice ", StringComparison.Ordinal), "the withdrawal told")).Should().Contain("carol").And.Contain("#club");
        await using var carol = await IrcTestClient.RegisterAsync(server.IrcPort, "carol");
        await carol.SendAsync("JOIN #club");
        await carol.ExpectCommandAsync("473");
        // A nick that is no one at all is 401, not 441 (an IRC audit, 2026-12-07).
        await alice.SendAsync("KICK #club nobody");
        await alice.ExpectCommandAsync("401");
    }

    [Test]
    public async Task Errors_for_unknown_nicks_and_channels_and_nick_changes_and_a_second_session_of_the_user()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.ExpectCommandAsync("366");

        await alice.SendAsync("PRIVMSG nobody :hi");
        await alice.ExpectCommandAsync("401");
        await alice.SendAsync("PRIVMSG #nowhere :hi");
        await alice.ExpectCommandAsync("403");
        await alice.SendAsync("PART #lobby");
        await alice.ExpectCommandAsync("PART");
        await alice.SendAsync("PRIVMSG #lobby :not joined");
        await alice.ExpectCommandAsync("404");
        await alice.SendAsync("NICK alice2");
        await alice.ExpectCommandAsync("447");
        await alice.SendAsync("MODE alice");
        await alice.ExpectCommandAsync("221");
        await alice.SendAsync("WHO #lobby");
        await alice.ExpectCommandAsync("315");

        // A ChatSocket login as alice is one more session of the same user: both get her private messages.
        var second = await server.LoginProbeAsync("alice");
        await using var _ = second.Client;
        await using var bob = await server.LoginAsync("bob");
        await bob.SendPrivateAsync("alice", "to both");
        (await alice.ExpectCommandAsync("PRIVMSG")).Should().EndWith("PRIVMSG alice :to both");
        await second.Messages.WaitUntilAsync(l => l.Any(m => m.Text == "to both"), "the ChatSocket session gets it too");
    }
}
