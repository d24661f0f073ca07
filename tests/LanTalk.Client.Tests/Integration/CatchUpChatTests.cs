using LanTalk.Client.Chat;
using LanTalk.Client.Connection;
using LanTalk.Client.Tests.Support;
using LanTalk.Server.Settings;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// A reconnect after missing more than the server's MaxReplay (here 5) messages of a room: the catch-up shows the
/// room's newest messages right before "— now —", counts the ones before them it leaves out, and PageUp and
/// /history reach every one of those, each once.
/// </summary>
public sealed class CatchUpChatTests : ChatServerFixture
{
    private const string Time = @"^\[\d\d:\d\d\] ";

    private const int MaxReplay = 5;

    private const int Missed = 30;

    protected override Task<TestServer> StartServerAsync() =>
        TestServer.StartWithHistoryAsync(s => s with { TlsMode = TlsMode.Required, MaxReplay = MaxReplay, MessageRatePerSecond = 1000 }, "alice", "bob");

    // alice's window, for the report of a failed test.
    private ChatWindow? _alice;

    private static string Mark(int i) => $"mark-{i:D2}";

    /// <summary>A failure shows alice's whole window: the timing of a reconnect is hard to reproduce.</summary>
    [TearDown]
    public void ShowWindowOfFailedTest()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed && _alice is { } alice)
        {
            TestContext.Out.WriteLine("alice's window:\n" + string.Join('\n', alice.Output.Lines));
        }
    }

    /// <summary>
    /// alice's window behind a relay that can freeze and drop her connection (she reconnects at once), bob's direct;
    /// both have seen bob's "before the drop" (unless <paramref name="greet"/> is false: then alice has seen no message).
    /// </summary>
    private async Task<(TcpRelay Relay, ChatWindow Alice, ChatWindow Bob)> OpenBehindRelayAsync(int catchUpLines = CatchUp.Budget, int pageSize = 20, bool greet = true, Func<ISessionListener, ISessionListener>? listen = null, TimeProvider? aliceClock = null)
    {
        var relay = new TcpRelay(Server.Port);
        Cleanup.Add(relay);
        var policy = new ReconnectPolicy { FirstDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200), MaxTries = 20 };
        var alice = await ChatWindow.OpenAsync(relay.Address, Server.Fingerprint, "alice", Path.Combine(Home.Path, "a1"), policy, pageSize, catchUpLines, listen: listen, clock: aliceClock);
        Cleanup.Add(alice);
        _alice = alice;
        var bob = await ChatWindow.OpenAsync(Server.Address, Server.Fingerprint, "bob", Path.Combine(Home.Path, "b1"));
        Cleanup.Add(bob);
        if (greet)
        {
            await bob.TypeAsync("before the drop");
            await alice.Output.WaitFor(Time + "bob: before the drop$", "the message before the drop");
        }

        return (relay, alice, bob);
    }

    /// <summary>alice's window, in the lobby, misses <see cref="Missed"/> messages of bob's behind a frozen connection and reconnects.</summary>
    private async Task<ChatWindow> MissMessagesAsync(int catchUpLines, int pageSize = 20, Func<ISessionListener, ISessionListener>? listen = null, Action? beforeDrop = null)
    {
        var (relay, alice, bob) = await OpenBehindRelayAsync(catchUpLines, pageSize, listen: listen);
        relay.FreezeAll();
        for (int i = 0; i < Missed; i++)
        {
            await bob.TypeAsync(Mark(i));
        }

        beforeDrop?.Invoke();
        relay.DropAll();
        return alice;
    }

    /// <summary>
    /// The catch-up's "— now —": the last one. alice's first join may be answered after "before the drop" was
    /// stored, and then that message comes as "— earlier —" history, with a "— now —" of its own before the drop.
    /// </summary>
    private static int CatchUpEnd(List<string> lines) => lines.LastIndexOf("\u2014 now \u2014");

    private static int Count(ChatWindow window, string text) =>
        window.Output.Lines.Count(l => l.EndsWith("bob: " + text, StringComparison.Ordinal));

    [Test]
    public async Task A_catch_up_beyond_MaxReplay_shows_every_missed_message_up_to_the_newest_right_before_now()
    {
        var alice = await MissMessagesAsync(catchUpLines: 1000);

        await alice.Output.WaitFor("^\u2014 now \u2014$", "the end of the catch-up", after: "^\u2014 missed while away");
        var lines = alice.Output.Lines.ToList();
        int now = CatchUpEnd(lines);
        lines[now - 1].Should().EndWith("bob: " + Mark(Missed - 1), "the newest missed message comes right before now");
        lines.Should().Contain("\u2014 missed while away \u2014", "nothing was left out, so no count follows the marker");
        var shown = lines.Take(now).Where(l => l.Contains("bob: mark-", StringComparison.Ordinal)).Select(l => l[(l.IndexOf("bob: ", StringComparison.Ordinal) + 5)..]).ToList();
        shown.Should().Equal(Enumerable.Range(0, Missed).Select(Mark), "every missed message is shown once, oldest first, though the replay carried only {0}", MaxReplay);
        lines.Should().NotContain(l => l.Contains("more before these", StringComparison.Ordinal), "nothing missed lies before what is shown");
        Count(alice, "before the drop").Should().Be(1, "it was shown before the drop");
    }

    [Test]
    public async Task Beyond_its_share_of_lines_a_catch_up_shows_the_newest_counts_the_gap_and_PageUp_and_history_page_through_it()
    {
        // 10 lines for the catch-up: of 30 missed, the newest 10 are shown and 20 lie in the gap before them.
        var alice = await MissMessagesAsync(catchUpLines: 10, pageSize: 15);

        await alice.Output.WaitFor("^\u2014 missed while away: 20 more before these \\(PageUp or /history shows them\\) \u2014$", "the marker that counts the gap");
        await alice.Output.WaitFor("^\u2014 now \u2014$", "the end of the catch-up", after: "^\u2014 missed while away");
        var lines = alice.Output.Lines.ToList();
        int now = CatchUpEnd(lines);
        lines[now - 1].Should().EndWith("bob: " + Mark(Missed - 1), "the newest missed message comes right before now");
        lines[now - 10].Should().EndWith("bob: " + Mark(Missed - 10));
        lines[now - 11].Should().StartWith("\u2014 missed while away: 20 more", "the gap is marked right above the newest ten");
        Count(alice, Mark(Missed - 11)).Should().Be(0, "the gap's messages are not shown yet");

        // PageUp goes into the gap, not before the oldest message seen before the drop.
        await alice.PageUpAsync();
        await alice.Output.WaitFor("^\u2014 missed while away: 5 more before these \\(PageUp\\) \u2014$", "the first page back through the gap");
        Count(alice, Mark(5)).Should().Be(1);
        Count(alice, Mark(19)).Should().Be(1);
        alice.PageDown().Should().BeTrue();

        await alice.TypeAsync("/history 20");
        await alice.Output.WaitFor("^\u2014 missed while away: the first of them \\(/history goes on before them\\) \u2014$", "the last page of the gap");
        foreach (int i in Enumerable.Range(0, Missed))
        {
            Count(alice, Mark(i)).Should().Be(1, "{0} is reachable and shown once", Mark(i));
        }

        Count(alice, "before the drop").Should().Be(1, "a page through the gap stops at its floor");
        // After the drop: alice's first join may replay "before the drop" as the room's earlier history (CatchUpEnd).
        alice.Output.Lines.SkipWhile(l => !l.Contains("lost:", StringComparison.Ordinal))
            .Should().NotContain(l => l.Contains("earlier \u2014", StringComparison.Ordinal) && !l.Contains("missed", StringComparison.Ordinal),
            "the gap's pages are labelled as missed, not as the room's earlier history");
    }

    [Test]
    public async Task PageUp_pressed_while_the_catch_up_is_under_way_pages_through_its_gap_once_it_is_shown()
    {
        // Before the catch-up had shown its newest and noted the gap before them, PageUp paged before the oldest message
        // seen before the drop, and said "no earlier messages" with 20 missed ones left unshown.
        HeldNetworkListener? network = null;
        bool armed = false;
        var alice = await MissMessagesAsync(catchUpLines: 10, pageSize: 15,
            listen: printer => network = new HeldNetworkListener(printer) { HoldAt = (what, room) => Volatile.Read(ref armed) && what == "Replayed" },
            beforeDrop: () => Volatile.Write(ref armed, true));
        // Released in any case, so the window closes even when the test fails before it lets go.
        Cleanup.Add(network!);
        // The read thread is held at the catch-up's first replayed message, after the reconnect's login.
        await network!.Reached.WaitAsync(RecordingListener.Timeout);
        await alice.Output.WaitFor("^-- reconnected as alice$", "the reconnect's login");

        var paging = alice.PageUpAsync();
        network.Release();
        await paging;

        await alice.Output.WaitFor("^\u2014 missed while away: 5 more before these \\(PageUp\\) \u2014$", "the first page back through the gap");
        alice.Output.Lines.Should().NotContain(l => l.Contains("no earlier messages", StringComparison.Ordinal));
        Count(alice, Mark(5)).Should().Be(1);
        Count(alice, Mark(19)).Should().Be(1);
        Count(alice, Mark(20)).Should().Be(1, "the newest ten were shown once, by the catch-up");
    }

    [Test]
    public async Task A_room_seen_empty_at_the_join_catches_up_on_everything_missed_not_the_latest_as_earlier([Values] bool serverStoredAMessageBefore)
    {
        // alice joins the lobby while it holds nothing, so she has no id of it to catch up from. Her catch-up used to be
        // a fresh join: the room's latest 50 labelled "earlier" (a UX audit, 2026-12-05). With a message stored
        // elsewhere first, ids do not start at the lobby's first message.
        var bob = await ChatWindow.OpenAsync(Server.Address, Server.Fingerprint, "bob", Path.Combine(Home.Path, "b1"));
        Cleanup.Add(bob);
        if (serverStoredAMessageBefore)
        {
            await bob.TypeAsync("/join side");
            await bob.TypeAsync("elsewhere");
            await bob.Output.WaitFor(Time + "bob: elsewhere$", "bob's message in #side");
            await bob.TypeAsync("/go lobby");
        }

        var relay = new TcpRelay(Server.Port);
        Cleanup.Add(relay);
        var policy = new ReconnectPolicy { FirstDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200), MaxTries = 20 };
        var alice = await ChatWindow.OpenAsync(relay.Address, Server.Fingerprint, "alice", Path.Combine(Home.Path, "a1"), policy);
        Cleanup.Add(alice);
        _alice = alice;
        // The login's own join of the lobby may still be on its way (the room list came before it under load, and the
        // freeze swallowed its answer): a join typed here completes when its empty replay is noted.
        await alice.TypeAsync("/join lobby");
        alice.Rooms.CatchUpFrom("lobby").Should().Be(0UL, "the lobby was seen empty at the join");

        relay.FreezeAll();
        for (int i = 0; i < Missed; i++)
        {
            await bob.TypeAsync(Mark(i));
        }

        await bob.Output.WaitFor(Time + "bob: " + Mark(Missed - 1) + "$", "bob's last message");
        relay.DropAll();

        await alice.Output.WaitFor("^\u2014 now \u2014$", "the end of the catch-up", after: "^\u2014 missed while away \u2014$");
        var lines = alice.Output.Lines.ToList();
        var shown = lines.Where(l => l.Contains("bob: mark-", StringComparison.Ordinal)).Select(l => l[(l.IndexOf("bob: ", StringComparison.Ordinal) + 5)..]).ToList();
        shown.Should().Equal(Enumerable.Range(0, Missed).Select(Mark), "every missed message once, oldest first, though the replay carried only {0}", MaxReplay);
        lines.Should().NotContain("\u2014 earlier \u2014", "nothing was shown before the drop, so nothing is history");
        lines.Should().NotContain(l => l.Contains("more before these", StringComparison.Ordinal), "the room held nothing before what is shown");
    }

    [Test]
    public async Task A_private_message_swallowed_by_a_dead_connection_is_shown_after_the_reconnect_once([Values] bool aliceSawAMessageBefore)
    {
        // Without any message seen there is no id to start from: the newest private messages are looked at instead.
        var (relay, alice, bob) = await OpenBehindRelayAsync(greet: aliceSawAMessageBefore);

        // The server still sees alice online: the message is written to her connection, which the relay swallows.
        relay.FreezeAll();
        await bob.TypeAsync("/msg alice into the void");
        relay.DropAll();

        await alice.Output.WaitFor("^\u2014 " + "private messages missed while away" + " \u2014$", "the private catch-up's marker");
        await alice.Output.WaitFor(Time + @"\[private\] bob -> alice: into the void$", "the swallowed private message");
        await bob.TypeAsync("/msg alice after the reconnect");
        await alice.Output.WaitFor(Time + @"\[private\] bob -> alice: after the reconnect$", "a live private message after the catch-up");
        alice.Output.Lines.Count(l => l.EndsWith("into the void", StringComparison.Ordinal)).Should().Be(1);
    }

    [Test]
    public async Task A_private_message_swallowed_before_anything_was_seen_is_shown_also_when_this_machines_clock_is_hours_ahead()
    {
        // Without an id to start from, the catch-up keeps what was sent since this process's first login: judged on
        // this machine's clock against the server's times, a clock 2 h ahead left the message out (clock audit).
        var clock = new SteppedWallClock();
        clock.Step(TimeSpan.FromHours(2));
        var (relay, alice, bob) = await OpenBehindRelayAsync(greet: false, aliceClock: clock);

        relay.FreezeAll();
        await bob.TypeAsync("/msg alice into the void");
        relay.DropAll();

        await alice.Output.WaitFor(Time + @"\[private\] bob -> alice: into the void$", "the swallowed private message");
    }

    [Test]
    public async Task Private_messages_swallowed_by_a_dead_connection_are_shown_even_when_a_newer_one_was_stored_for_the_login()
    {
        // A laptop asleep: two messages go into the dead connection, the server then drops it, and a third is stored for
        // delivery. The login delivers the third (flag Offline) before the catch-up is asked; the catch-up must still
        // start from the newest id shown before the drop, not after the third (a UX audit lost the first two).
        var (relay, alice, bob) = await OpenBehindRelayAsync();
        relay.FreezeAll();
        await bob.TypeAsync("/msg alice asleep one");
        await bob.TypeAsync("/msg alice asleep two");
        relay.HoldNew();
        relay.DropAll();
        await bob.Output.WaitFor("alice went offline", "the server to see alice gone");
        await bob.TypeAsync("/msg alice stored three");
        await bob.Output.WaitFor(@"stored three \(stored for delivery\)$", "the third stored for delivery");

        relay.ReleaseNew();

        await alice.Output.WaitFor(Time + @"\[private\] bob -> alice: stored three", "the stored message at the login");
        await alice.Output.WaitFor("^\u2014 private messages missed while away \u2014$", "the private catch-up's marker");
        await alice.Output.WaitFor(Time + @"\[private\] bob -> alice: asleep one$", "the first swallowed message");
        await alice.Output.WaitFor(Time + @"\[private\] bob -> alice: asleep two$", "the second swallowed message");
    }
}
