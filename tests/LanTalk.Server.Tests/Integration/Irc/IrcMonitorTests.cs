namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>IRCv3 MONITOR: a notify list answered at once and kept up to date by the presence batches (real server, real sockets).</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcMonitorTests
{
    [Test]
    public async Task A_monitored_user_is_reported_offline_then_online_at_login_and_offline_at_logout()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "dave");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        alice.Seen.Should().Contain(l => l.Contains(" 005 ", StringComparison.Ordinal) && l.Contains(" MONITOR=100 ", StringComparison.Ordinal));

        await alice.SendAsync("MONITOR + dave,nobody");
        (await alice.ExpectCommandAsync("731")).Should().MatchRegex(" 731 alice :?dave,nobody$");

        var dave = await server.LoginAsync("dave", Rooms.V3.Options());
        (await alice.ExpectCommandAsync("730")).Should().MatchRegex(" 730 alice :?dave!dave@lantalk$");

        await dave.DisposeAsync();
        (await alice.ExpectCommandAsync("731")).Should().MatchRegex(" 731 alice :?dave$");
    }

    [Test]
    public async Task Monitor_lists_reports_status_and_stops_watching_after_minus_and_C()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob", "carol");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await alice.SendAsync("MONITOR + bob,carol");
        (await alice.ExpectCommandAsync("730")).Should().MatchRegex(" 730 alice :?bob!bob@lantalk$", "bob is online already");
        (await alice.ExpectCommandAsync("731")).Should().MatchRegex(" 731 alice :?carol$");

        var listed = Monitor(await alice.LinesBeforePongAsync("MONITOR L", "l1"));
        listed.Should().Equal(":lantalk.local 732 alice bob,carol", ":lantalk.local 733 alice :End of MONITOR list");
        var status = Monitor(await alice.LinesBeforePongAsync("MONITOR S", "s1"));
        status.Should().Equal(":lantalk.local 730 alice bob!bob@lantalk", ":lantalk.local 731 alice carol");
        alice.Seen.Count(l => l.Contains(" 730 alice bob", StringComparison.Ordinal)).Should().Be(2,
            "once for MONITOR +, once for MONITOR S: the presence batch of bob's login, which came after the first, repeats nothing");

        Monitor(await alice.LinesBeforePongAsync("MONITOR - bob", "m1")).Should().BeEmpty("removing answers nothing");
        Monitor(await alice.LinesBeforePongAsync("MONITOR L", "l2")).Should().Equal(":lantalk.local 732 alice carol", ":lantalk.local 733 alice :End of MONITOR list");
        await bob.SendAsync("QUIT :bye");
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":bob!", StringComparison.Ordinal) && l.Contains(" QUIT ", StringComparison.Ordinal), "bob's QUIT in #lobby");
        alice.Seen.Should().NotContain(l => l.Contains(" 731 alice bob", StringComparison.Ordinal), "bob is not monitored any more");

        Monitor(await alice.LinesBeforePongAsync("MONITOR C", "c1")).Should().BeEmpty();
        Monitor(await alice.LinesBeforePongAsync("MONITOR L", "l3")).Should().Equal(":lantalk.local 733 alice :End of MONITOR list");
        await using var carol = await server.LoginAsync("carol", Rooms.V3.Options());
        await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":carol!", StringComparison.Ordinal) && l.EndsWith("JOIN #lobby", StringComparison.Ordinal), "carol's JOIN in #lobby");
        alice.Seen.Should().NotContain(l => l.Contains(" 730 alice carol", StringComparison.Ordinal), "the list was cleared");
    }

    [Test]
    public async Task Masks_are_refused_and_a_full_list_names_the_targets_it_did_not_take()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        var masks = Monitor(await alice.LinesBeforePongAsync("MONITOR + *!user@127.0.0.1", "m1"));
        masks.Should().ContainSingle().Which.Should().Contain(" 432 alice *!user@127.0.0.1 ");

        string names = string.Join(',', Enumerable.Range(0, 103).Select(i => $"n{i}"));
        var full = Monitor(await alice.LinesBeforePongAsync("MONITOR + " + names, "f1"));
        full.Should().Contain(":lantalk.local 734 alice 100 n100,n101,n102 :Monitor list is full");
        full.Where(l => l.Contains(" 731 ", StringComparison.Ordinal)).SelectMany(l => l.Split(' ')[^1].TrimStart(':').Split(','))
            .Should().HaveCount(100, "the first hundred are watched and reported offline");
    }

    [Test]
    public async Task An_invitation_made_while_the_invitee_was_offline_is_a_notice_at_its_registration()
    {
        // Not MONITOR, but the same question of what a user learns at login of what happened while away.
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var alice = await server.LoginAsync("alice", Rooms.V3.Options());
        await alice.JoinRoomAsync("secret", LanTalk.Core.Packets.RoomModes.InviteOnly);
        await alice.InviteAsync("secret", "bob");

        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");

        (await bob.ExpectAsync(l => l.Contains(" NOTICE bob ", StringComparison.Ordinal) && l.Contains("invited", StringComparison.Ordinal), "the invitation"))
            .Should().EndWith("You are invited to #secret: /join #secret");
    }

    [Test]
    public async Task A_session_that_ends_stops_watching()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "dave");
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Server.IrcSessionEnded += _ => ended.TrySetResult();
        var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.SendAsync("MONITOR + dave");
        await alice.ExpectCommandAsync("731");
        server.Server.Monitors.Watching.Should().BeTrue();

        await alice.DisposeAsync();

        await ended.Task.WaitAsync(TimeSpan.FromSeconds(10));
        server.Server.Monitors.Watching.Should().BeFalse("alice's watch ends with her session");
    }

    // The MONITOR numerics (730-734) and 432 among a command's answer; presence lines of #lobby may come in between.
    private static List<string> Monitor(List<string> lines) =>
        [.. lines.Where(l => l.Split(' ') is [_, var numeric, ..] && (numeric.StartsWith("73", StringComparison.Ordinal) || numeric == "432"))];
}
