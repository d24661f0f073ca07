namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>A kick is a KICK line to everyone in the channel (kicker, kicked, the rest), never a PART (real sockets).</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcKickTests
{
    [Test]
    public async Task Everyone_in_the_channel_sees_KICK_with_the_reason_and_no_PART()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob", "carol", "dave");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await using var carol = await IrcTestClient.RegisterAsync(server.IrcPort, "carol");
        await alice.SendAsync("JOIN #dev");
        await alice.ExpectAsync(l => l.Contains(" 366 alice #dev ", StringComparison.Ordinal), "alice's 366 for #dev");
        await bob.SendAsync("JOIN #dev");
        await bob.ExpectAsync(l => l.Contains(" 366 bob #dev ", StringComparison.Ordinal), "bob's 366 for #dev");
        await carol.SendAsync("JOIN #dev");
        await carol.ExpectAsync(l => l.Contains(" 366 carol #dev ", StringComparison.Ordinal), "carol's 366 for #dev");
        // A ChatSocket member learns of the kick from MemberLeft, as before.
        await using var dave = await server.LoginAsync("dave", Rooms.V3.Options());
        await dave.JoinRoomAsync("dev");
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":dave!", StringComparison.Ordinal) && l.EndsWith("JOIN #dev", StringComparison.Ordinal), "dave's JOIN");
        await carol.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":dave!", StringComparison.Ordinal) && l.EndsWith("JOIN #dev", StringComparison.Ordinal), "dave's JOIN");

        await alice.SendAsync("KICK #dev bob :off topic");
        const string Kick = ":alice!alice@lantalk KICK #dev bob :off topic";
        IrcTestClient.Untagged(await bob.ExpectCommandAsync("KICK")).Should().Be(Kick);
        IrcTestClient.Untagged(await carol.ExpectCommandAsync("KICK")).Should().Be(Kick);
        IrcTestClient.Untagged(await alice.ExpectCommandAsync("KICK")).Should().Be(Kick);

        // A marker after the presence batch: nobody was also shown a PART of bob.
        await dave.LeaveRoomAsync("dev");
        await carol.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":dave!", StringComparison.Ordinal) && l.Contains(" PART #dev", StringComparison.Ordinal), "dave's PART");
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":dave!", StringComparison.Ordinal) && l.Contains(" PART #dev", StringComparison.Ordinal), "dave's PART");
        foreach (var client in new[] { alice, bob, carol })
        {
            lock (client.Seen)
            {
                client.Seen.Should().NotContain(l => IrcTestClient.Untagged(l).StartsWith(":bob!", StringComparison.Ordinal) && l.Contains(" PART ", StringComparison.Ordinal));
                // Once each, the kicker too: its kick's answer and the presence batch both showed it (an IRC audit, 2026-12-06).
                client.Seen.Count(l => IrcTestClient.Untagged(l) == Kick).Should().Be(1, "every member sees the KICK once");
            }
        }
    }

    [Test]
    public async Task A_list_of_channels_is_paired_with_the_list_of_users()
    {
        // RFC 2812 3.2.8; "KICK #a,#b bob,bob" was one room named "a,#b" (an IRC audit, 2026-12-04).
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        foreach (string channel in new[] { "#a", "#b" })
        {
            await alice.JoinAsync("alice", channel);
            await bob.JoinAsync("bob", channel);
        }

        await alice.SendAsync("KICK #a,#b bob,bob :both");

        IrcTestClient.Untagged(await bob.ExpectCommandAsync("KICK")).Should().Be(":alice!alice@lantalk KICK #a bob :both");
        IrcTestClient.Untagged(await bob.ExpectCommandAsync("KICK")).Should().Be(":alice!alice@lantalk KICK #b bob :both");
        await alice.SendAsync("KICK #a,#b bob");
        (await alice.ExpectCommandAsync("461")).Should().Contain("KICK");
    }

    [Test]
    public async Task A_member_kicked_and_back_at_once_is_shown_KICK_then_JOIN_and_never_PART()
    {
        // The kick travels with the presence batch (outside the registry lock). Whether bob's return falls in the same
        // batch as his kick or in the next, the others must see KICK, then JOIN, and no PART.
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob", "carol");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await using var carol = await IrcTestClient.RegisterAsync(server.IrcPort, "carol");
        await alice.SendAsync("JOIN #ops");
        await alice.ExpectAsync(l => l.Contains(" 366 alice #ops ", StringComparison.Ordinal), "alice's 366 for #ops");
        await bob.SendAsync("JOIN #ops");
        await bob.ExpectAsync(l => l.Contains(" 366 bob #ops ", StringComparison.Ordinal), "bob's 366 for #ops");
        await carol.SendAsync("JOIN #ops");
        await carol.ExpectAsync(l => l.Contains(" 366 carol #ops ", StringComparison.Ordinal), "carol's 366 for #ops");
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":carol!", StringComparison.Ordinal) && l.EndsWith("JOIN #ops", StringComparison.Ordinal), "carol's JOIN");

        await alice.SendAsync("KICK #ops bob :cool down");
        IrcTestClient.Untagged(await bob.ExpectCommandAsync("KICK")).Should().Be(":alice!alice@lantalk KICK #ops bob :cool down");
        await bob.SendAsync("JOIN #ops");
        await bob.ExpectAsync(l => l.Contains(" 366 bob #ops ", StringComparison.Ordinal), "bob's 366 for #ops again");

        foreach (var witness in new[] { alice, carol })
        {
            IrcTestClient.Untagged(await witness.ExpectCommandAsync("KICK")).Should().Be(":alice!alice@lantalk KICK #ops bob :cool down");
            await witness.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":bob!", StringComparison.Ordinal) && l.EndsWith("JOIN #ops", StringComparison.Ordinal), "bob's JOIN after the KICK");
            lock (witness.Seen)
            {
                witness.Seen.Should().NotContain(l => IrcTestClient.Untagged(l).StartsWith(":bob!", StringComparison.Ordinal) && l.Contains(" PART ", StringComparison.Ordinal));
            }
        }
    }
}
