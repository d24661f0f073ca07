using LanTalk.Client.Connection;
using LanTalk.Client.Tests.Support;
using LanTalk.Server.Settings;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// A server silent long enough for the keep-alive to give up (1.5 ping intervals) while it stored the message: the
/// "not confirmed" warning is taken back when the catch-up shows the message. Real server, real sockets, a relay
/// that holds the server's bytes.
/// </summary>
public sealed class StalledServerCatchUpTests : ChatServerFixture
{
    protected override Task<TestServer> StartServerAsync() =>
        TestServer.StartWithHistoryAsync(s => s with { TlsMode = TlsMode.Required, PingIntervalSeconds = 1 }, "alice");

    [Test]
    public async Task A_message_the_catch_up_shows_after_a_not_confirmed_warning_is_said_to_be_delivered()
    {
        // The keep-alive gives up on a server silent for 1.5 ping intervals, so the message is "not confirmed"; the
        // server had stored it, the catch-up showed it, and resending it as advised delivered it twice (an audit).
        var relay = new TcpRelay(Server.Port);
        Cleanup.Add(relay);
        var policy = new ReconnectPolicy { FirstDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(300), MaxTries = 50 };
        var alice = await ChatWindow.OpenAsync(relay.Address, Server.Fingerprint, "alice", Path.Combine(Home.Path, "alice"), policy);
        Cleanup.Add(alice);
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
}
