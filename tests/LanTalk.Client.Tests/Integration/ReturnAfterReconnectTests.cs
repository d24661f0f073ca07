using LanTalk.Client.Connection;
using LanTalk.Client.Tests.Support;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// After a server restart everyone reconnects within seconds, and each window printed "* X is online" for everyone
/// who came back after it (a UX audit, 2026-12-06). Someone online when this window lost the connection, back soon
/// after its reconnect, is no news here; a window that stayed connected still sees it. Real server, a relay.
/// </summary>
public sealed class ReturnAfterReconnectTests : ChatServerFixture
{
    private const string Time = @"^\[\d\d:\d\d\] \* ";

    protected override Task<TestServer> StartServerAsync() => TestServer.StartAsync(s => s with { TlsMode = LanTalk.Server.Settings.TlsMode.Required }, "alice", "bob", "carol");

    private async Task<ChatWindow> Open(string user, string window, string? address = null, ReconnectPolicy? policy = null)
    {
        var chat = await ChatWindow.OpenAsync(address ?? Server.Address, Server.Fingerprint, user, Path.Combine(Home.Path, window), policy);
        Cleanup.Add(chat);
        return chat;
    }

    /// <summary>alice behind a relay that can cut her connection (reconnecting every 50-200 ms), carol and bob direct, bob seen online by alice.</summary>
    private async Task<(TcpRelay Relay, ChatWindow Alice, ChatWindow Carol, ChatWindow Bob)> AliceBehindARelayWithCarolAndBobAsync()
    {
        var relay = new TcpRelay(Server.Port);
        Cleanup.Add(relay);
        var alice = await Open("alice", "a1", relay.Address, new ReconnectPolicy { FirstDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200), MaxTries = 50 });
        var carol = await Open("carol", "c1");
        var bob = await Open("bob", "b1");
        await alice.Output.WaitFor(Time + "bob is online$", "bob online before the loss");
        return (relay, alice, carol, bob);
    }

    [Test]
    public async Task Someone_online_when_the_connection_was_lost_and_not_back_at_the_reconnect_is_named_and_then_told_back()
    {
        // Kept quiet, a user who reconnected after this window was never announced: "online (1): alice" stayed the
        // truth on this screen until /who (a usability audit, 2026-12-06). Now the online line names who is not back
        // yet, and the return is one "is back" line, still no "went offline" / "is online" churn.
        var (relay, alice, carol, bob) = await AliceBehindARelayWithCarolAndBobAsync();

        relay.HoldNew();
        relay.DropAll();
        await bob.DisposeAsync();
        await carol.Output.WaitFor(Time + "bob went offline$", "bob gone before alice is back");
        relay.ReleaseNew();
        await alice.Output.WaitFor("reconnected as alice", "alice's reconnect");
        await alice.Output.WaitFor(@"^-- online \(2\): alice \(since \d\d:\d\d\), carol \(since \d\d:\d\d\); not back yet: bob$", "the online line naming who is not back");
        var bobAgain = await Open("bob", "b2");
        await bobAgain.TypeAsync("hello again");

        await alice.Output.WaitFor("bob: hello again$", "bob's message, after his presence");
        var after = alice.Output.Lines.SkipWhile(l => !l.Contains("reconnected as alice", StringComparison.Ordinal)).ToList();
        after.Should().ContainSingle(l => l.EndsWith("* bob is back", StringComparison.Ordinal), "the online line said he was not back yet");
        after.Should().NotContain(l => l.EndsWith("bob is online", StringComparison.Ordinal) || l.EndsWith("went offline", StringComparison.Ordinal), "no churn for a return from the same loss");
        await carol.Output.WaitFor("bob: hello again$", "bob's message at carol's");
        carol.Output.Lines.Count(l => l.EndsWith("* bob is online", StringComparison.Ordinal)).Should().Be(2, "carol stayed connected: she saw him come, go and come back");
    }

    [Test]
    public async Task Someone_back_online_before_the_reconnect_is_listed_by_it_and_not_announced_again()
    {
        var relay = new TcpRelay(Server.Port);
        Cleanup.Add(relay);
        var alice = await Open("alice", "a1", relay.Address, new ReconnectPolicy { FirstDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200), MaxTries = 50 });
        await Open("bob", "b1");
        await alice.Output.WaitFor(Time + "bob is online$", "bob online before the loss");

        relay.DropAll();
        await alice.Output.WaitFor("reconnected as alice", "alice's reconnect");
        await alice.Output.WaitFor(@"^-- online \(2\): alice \(since \d\d:\d\d\), bob \(since \d\d:\d\d\)$", "bob listed, nobody missing");
    }

    [Test]
    public async Task A_session_the_reconnect_listed_that_ends_and_comes_back_at_once_makes_no_churn_and_one_that_stays_gone_is_told()
    {
        // A server paused for a minute: every client reconnects at once, and the server closes the old sessions only
        // as it resumes, after the reconnect's online line listed them. Each window printed "* bob went offline" and
        // "* bob is online" for everyone (a UX audit, 2026-12-07).
        var (relay, alice, carol, bob) = await AliceBehindARelayWithCarolAndBobAsync();

        relay.DropAll();
        await alice.Output.WaitFor(@"^-- online \(3\): alice \(since \d\d:\d\d\), bob \(since \d\d:\d\d\), carol \(since \d\d:\d\d\)$", "the reconnect listing bob's old session");
        await bob.DisposeAsync();
        // carol stayed connected: once she saw him go, alice was sent the same UserDisconnected, before bob's new login.
        await carol.Output.WaitFor(Time + "bob went offline$", "bob's old session gone");
        var bobAgain = await Open("bob", "b2");
        await bobAgain.TypeAsync("hello again");
        await alice.Output.WaitFor("bob: hello again$", "bob's message, after his presence");
        var after = alice.Output.Lines.SkipWhile(l => !l.Contains("reconnected as alice", StringComparison.Ordinal)).ToList();
        after.Should().NotContain(l => l.EndsWith("bob is online", StringComparison.Ordinal) || l.EndsWith("bob went offline", StringComparison.Ordinal), "bob never was offline for long on this screen");

        // Gone for good: told, after the hold.
        await carol.DisposeAsync();
        await alice.Output.WaitFor(Time + "carol went offline$", "carol gone and not back, after the hold");
    }
}
