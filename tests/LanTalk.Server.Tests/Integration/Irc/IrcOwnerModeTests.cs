namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// Room owners are channel operators: an IRC client keeps its own list of ops from NAMES and MODE lines, so every
/// change of owners it did not cause with a command of its own reaches it as MODE +o/-o (real sockets).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcOwnerModeTests
{
    [Test]
    public async Task When_the_last_owner_parts_every_irc_member_sees_the_part_and_then_the_heir_get_plus_o()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob", "carol");
        await using var carol = await IrcTestClient.RegisterAsync(server.IrcPort, "carol");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await carol.SendAsync("JOIN #succ");
        (await carol.ExpectAsync(l => l.Contains(" 353 carol = #succ ", StringComparison.Ordinal), "carol's NAMES of #succ")).Should().EndWith(" @carol");
        await bob.SendAsync("JOIN #succ");
        await bob.ExpectAsync(l => l.Contains(" 366 bob #succ ", StringComparison.Ordinal), "bob's 366 for #succ");
        // Join times are in milliseconds: alice must join in a later one, or the tie goes to the name ("alice" < "bob").
        long bobJoined = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        SpinWait.SpinUntil(() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() > bobJoined, TimeSpan.FromSeconds(1)).Should().BeTrue();
        await alice.SendAsync("JOIN #succ");
        await alice.ExpectAsync(l => l.Contains(" 366 alice #succ ", StringComparison.Ordinal), "alice's 366 for #succ");

        await carol.SendAsync("PART #succ :handing over");

        // As on IRC: the owner's PART (with its reason), then the heir's +o; not the +o first and the PART a batch later.
        const string Mode = ":lantalk.local MODE #succ +o bob";
        foreach (var member in (IrcTestClient[])[alice, bob])
        {
            (await member.ExpectAsync(l => l.Contains(" PART #succ", StringComparison.Ordinal), "carol's PART")).Should().Be(":carol!carol@lantalk PART #succ :handing over");
            (await member.ExpectAsync(l => l.Contains(" MODE #succ", StringComparison.Ordinal), "bob becoming an op")).Should().Be(Mode);
        }

        await alice.SendAsync("NAMES #succ");
        (await alice.ExpectCommandAsync("353")).Should().EndWith(":alice @bob");
    }

    [Test]
    public async Task An_owner_coming_online_is_shown_as_an_op_after_its_join_and_one_who_left_and_came_back_is_not()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob", "carol");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await using (bob)
        {
            // Bob comes online at alice with the presence batch after his login; until then she would not list him.
            await alice.ExpectAsync(l => IrcTestClient.Untagged(l) == ":bob!bob@lantalk JOIN #lobby", "bob joining the lobby at alice");
            await bob.SendAsync("JOIN #dev");
            await bob.ExpectAsync(l => l.Contains(" 366 bob #dev ", StringComparison.Ordinal), "bob's 366 for #dev");
            await alice.SendAsync("JOIN #dev");
            (await alice.ExpectAsync(l => l.Contains(" 353 alice ", StringComparison.Ordinal) && l.Contains("#dev", StringComparison.Ordinal), "alice's NAMES of #dev")).Should().Contain("@bob");
        }

        await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":bob!", StringComparison.Ordinal) && l.Contains(" QUIT ", StringComparison.Ordinal), "bob going offline");
        await using var bobAgain = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l) == ":bob!bob@lantalk JOIN #dev", "bob's JOIN of #dev as he comes back");
        IrcTestClient.Untagged(await alice.ExpectCommandAsync("MODE")).Should().Be(":lantalk.local MODE #dev +o bob");

        // An owner who leaves is an ordinary member when back: the heir is the op, and bob's JOIN comes without +o.
        await bobAgain.SendAsync("PART #dev");
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":bob!", StringComparison.Ordinal) && l.Contains(" PART #dev", StringComparison.Ordinal), "bob's PART");
        IrcTestClient.Untagged(await alice.ExpectCommandAsync("MODE")).Should().Be(":lantalk.local MODE #dev +o alice", "the heir's +o after the owner's PART");
        await bobAgain.SendAsync("JOIN #dev");
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l) == ":bob!bob@lantalk JOIN #dev", "bob's JOIN of #dev again");
        await alice.SendAsync("NAMES #dev");
        (await alice.ExpectCommandAsync("353")).Should().EndWith(":@alice bob");
        lock (alice.Seen)
        {
            alice.Seen.Should().ContainSingle(l => l.Contains(" MODE #dev +o bob", StringComparison.Ordinal));
        }
    }
}
