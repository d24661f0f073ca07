using LanTalk.Client.Connection;
using LanTalk.Client.Tests.Support;
using LanTalk.Server.Settings;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// A connection silent long enough for the keep-alive to give up (1.5 ping intervals) before the message was
/// confirmed: stored, the "not confirmed" warning is taken back when the catch-up shows it; never stored, it is sent
/// again before the lines typed after it. Real server, real sockets, a relay that holds or swallows the bytes.
/// </summary>
public sealed class StalledServerCatchUpTests : ChatServerFixture
{
    protected override Task<TestServer> StartServerAsync() =>
        TestServer.StartWithHistoryAsync(s => s with { TlsMode = TlsMode.Required, PingIntervalSeconds = 1 }, "alice", "bob");

    [Test]
    public async Task A_message_the_catch_up_shows_after_a_not_confirmed_warning_is_said_to_be_delivered()
    {
        // The keep-alive gives up on a server silent for 1.5 ping intervals, so the message is "not confirmed"; the
        // server had stored it, the catch-up showed it, and resending it as advised delivered it twice (an audit).
        var (relay, alice) = await AliceBehindARelayAsync();
        await alice.TypeAsync("before the stall");

        relay.StallReplies();
        var typing = alice.TypeAsync("pay 100 to bob");
        await alice.Output.WaitFor("not confirmed: the connection dropped .*\"pay 100 to bob\"", "the warning");
        relay.ResumeReplies();
        await typing;

        await alice.Output.WaitFor("\"pay 100 to bob\" was delivered after all", "the warning taken back", after: "alice: pay 100 to bob$");
        alice.Output.Lines.Count(l => l.EndsWith("alice: pay 100 to bob", StringComparison.Ordinal)).Should().Be(1);
        alice.Failures.Should().Be(0, "a line the catch-up proved stored is delivered: pipe mode exited 9 for it, and a retrying script sent it twice");
    }

    [Test]
    public async Task A_lost_message_the_history_does_not_have_is_sent_again_before_the_lines_after_it()
    {
        var (relay, alice) = await AliceBehindARelayAsync();
        var bob = await ChatWindow.OpenAsync(Server.Address, Server.Fingerprint, "bob", Path.Combine(Home.Path, "bob"));
        Cleanup.Add(bob);
        await alice.TypeAsync("before the outage");
        await bob.Output.WaitFor("alice: before the outage$", "the first line");

        // Nothing of the connection gets through: "lost 1" never reaches the server, and the keep-alive gives up.
        relay.FreezeAll();
        var typing = Task.WhenAll(alice.TypeAsync("lost 1"), alice.TypeAsync("lost 2"), alice.TypeAsync("lost 3"));
        await alice.Output.WaitFor("not confirmed: the connection dropped .*\"lost 1\"", "the warning");
        await typing;

        await alice.Output.WaitFor("\"lost 1\" was not delivered", "the catch-up's verdict");
        await bob.Output.WaitFor("alice: lost 3$", "the last line");
        bob.Output.Lines.Where(l => l.Contains("alice: lost", StringComparison.Ordinal)).Select(l => l[(l.IndexOf("alice: ", StringComparison.Ordinal) + 7)..])
            .Should().Equal(["lost 1", "lost 2", "lost 3"], "in the order typed, each once");
        alice.Failures.Should().Be(0);
    }

    /// <summary>alice's window through a relay, reconnecting quickly once the keep-alive gives up.</summary>
    private async Task<(TcpRelay Relay, ChatWindow Alice)> AliceBehindARelayAsync()
    {
        var relay = new TcpRelay(Server.Port);
        Cleanup.Add(relay);
        var policy = new ReconnectPolicy { FirstDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(300), MaxTries = 50 };
        var alice = await ChatWindow.OpenAsync(relay.Address, Server.Fingerprint, "alice", Path.Combine(Home.Path, "alice"), policy);
        Cleanup.Add(alice);
        return (relay, alice);
    }
}
