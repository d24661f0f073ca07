namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>Channel modes as IRC shows them are the room's true modes (real sockets).</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcChannelModeTests
{
    [Test]
    public async Task The_default_room_is_not_plus_t_since_anyone_may_set_its_topic()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.ExpectCommandAsync("366");

        await alice.SendAsync("MODE #lobby");
        (await alice.ExpectCommandAsync("324")).Should().Be(":lantalk.local 324 alice #lobby +");
        await alice.SendAsync("TOPIC #lobby :open to all");
        IrcTestClient.Untagged(await alice.ExpectCommandAsync("TOPIC")).Should().Be(":alice!alice@lantalk TOPIC #lobby :open to all");
    }

    [Test]
    public async Task A_room_the_user_is_not_in_answers_its_true_modes()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await alice.JoinAsync("alice", "#dev");
        await alice.SendAsync("MODE #dev +i");
        await alice.ExpectAsync(l => l.Contains(" MODE #dev +i", StringComparison.Ordinal), "the mode change");

        await bob.SendAsync("MODE #dev");
        (await bob.ExpectCommandAsync("324")).Should().Be(":lantalk.local 324 bob #dev +it");
    }

    [Test]
    public async Task Mode_replies_name_the_channel_as_the_room_spells_it_and_setting_a_ban_is_an_unknown_mode([Values] bool member)
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await alice.JoinAsync("alice", "#Über");
        var asker = member ? alice : bob;

        await asker.SendAsync("MODE #ÜBER");
        (await asker.ExpectCommandAsync("324")).Should().Contain(" #Über +", "a client that folds only ASCII must see the channel it knows");
        await asker.SendAsync("MODE #ÜBER b");
        (await asker.ExpectCommandAsync("368")).Should().Contain(" #Über :End of channel ban list");

        await asker.SendAsync("MODE #Über +b x!*@*");
        (await asker.ExpectAsync(l => l.Contains(" 472 ", StringComparison.Ordinal) || l.Contains(" 368 ", StringComparison.Ordinal), "the answer to +b"))
            .Should().Contain(" 472 ", "there are no bans, so setting one must not look done");
    }

    [Test]
    public async Task An_owners_mode_change_reaches_the_channel_from_that_owner_not_from_the_server()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await alice.JoinAsync("alice", "#dev");
        await bob.JoinAsync("bob", "#dev");

        await alice.SendAsync("MODE #dev +i");

        IrcTestClient.Untagged(await alice.ExpectCommandAsync("MODE")).Should().Be(":alice!alice@lantalk MODE #dev +i");
        IrcTestClient.Untagged(await bob.ExpectCommandAsync("MODE")).Should().Be(":alice!alice@lantalk MODE #dev +i", "irssi credited the server with an owner's change");
    }

    [Test]
    public async Task Names_of_an_invite_only_channel_mark_it_public_as_there_is_no_private_mode()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.JoinAsync("alice", "#dev");
        await alice.SendAsync("MODE #dev +i");
        await alice.ExpectAsync(l => l.Contains(" MODE #dev +i", StringComparison.Ordinal), "the mode change");

        await alice.SendAsync("NAMES #dev");
        (await alice.ExpectCommandAsync("353")).Should().Be(":lantalk.local 353 alice = #dev @alice");
    }

    [Test]
    public async Task A_mode_change_in_the_default_room_is_refused_with_a_text_about_modes_only()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.ExpectCommandAsync("366");

        await alice.SendAsync("MODE #lobby +i");
        (await alice.ExpectCommandAsync("482")).Should().Be(
            ":lantalk.local 482 alice #lobby :You're not channel operator: 'lobby' is the default room: it has no owners, so nobody may change its mode there");
    }

    [Test]
    public async Task A_mode_string_with_an_unknown_letter_applies_the_known_ones_and_answers_472_for_the_rest()
    {
        // "+in" was refused whole for the n, so the room the user thought invite-only stayed open.
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.JoinAsync("alice", "#dev");

        await alice.SendAsync("MODE #dev +in");

        (await alice.ExpectCommandAsync("472")).Should().Be(":lantalk.local 472 alice n :is unknown mode char to me");
        await alice.ExpectAsync(l => l.Contains(" MODE #dev +i", StringComparison.Ordinal), "the +i applied");
        await alice.SendAsync("MODE #dev");
        (await alice.ExpectCommandAsync("324")).Should().Be(":lantalk.local 324 alice #dev +it");
    }

    [Test]
    public async Task Plus_o_is_482_for_a_member_who_is_no_owner_and_a_notice_saying_why_for_an_owner_never_472()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await alice.JoinAsync("alice", "#dev");
        await bob.JoinAsync("bob", "#dev");

        await bob.SendAsync("MODE #dev +o bob");
        await alice.SendAsync("MODE #dev +o bob");

        (await bob.ExpectCommandAsync("482")).Should().Be(":lantalk.local 482 bob #dev :You're not channel operator");
        (await alice.ExpectCommandAsync("NOTICE")).Should().Contain("#dev: +o/-o bob is not possible here");
        alice.Seen.Concat(bob.Seen).Should().NotContain(l => l.Contains(" 472 ", StringComparison.Ordinal), "o is a mode this server advertises (PREFIX=(o)@)");
    }

    [Test]
    public async Task Tagmsg_of_a_client_with_message_tags_draws_no_error_and_is_421_without_it()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "message-tags");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");

        var replies = await alice.LinesBeforePongAsync("@+typing=active TAGMSG #lobby", "after-tagmsg");
        await bob.SendAsync("TAGMSG #lobby");

        replies.Should().NotContain(l => l.Contains(" 421 ", StringComparison.Ordinal), "TAGMSG is part of message-tags, which alice negotiated");
        (await bob.ExpectCommandAsync("421")).Should().Contain("TAGMSG");
    }

    [Test]
    public async Task A_change_of_many_unknown_letters_draws_one_472_per_distinct_letter_at_most_eight()
    {
        // 490 unknown letters drew 490 lines of 472 for one command (an IRC audit, 2026-12-06).
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        var same = await alice.LinesBeforePongAsync("MODE #lobby +" + new string('z', 490), "same");
        var many = await alice.LinesBeforePongAsync("MODE #lobby +zyxwvuqpkjhgfedcba", "many");

        same.Count(l => l.Contains(" 472 ", StringComparison.Ordinal)).Should().Be(1);
        many.Count(l => l.Contains(" 472 ", StringComparison.Ordinal)).Should().Be(8);
    }
}
