using LanTalk.Client.Connection;
using LanTalk.Client.Tests.Support;
using LanTalk.Server.Settings;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// A message lost with its connection that the server's history proves it never stored is sent again, before the
/// lines typed after it: they went out without it and the room read them out of order. Real server, real sockets, a
/// relay that swallows the client's bytes until the keep-alive gives up.
/// </summary>
public sealed class UnconfirmedResendTests : ChatServerFixture
{
    protected override Task<TestServer> StartServerAsync() =>
        TestServer.StartWithHistoryAsync(s => s with { TlsMode = TlsMode.Required, PingIntervalSeconds = 1 }, "alice", "bob");

    [Test]
    public async Task A_lost_message_the_history_does_not_have_is_sent_again_before_the_lines_after_it()
    {
        var relay = new TcpRelay(Server.Port);
        Cleanup.Add(relay);
        var policy = new ReconnectPolicy { FirstDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(300), MaxTries = 50 };
        var alice = await ChatWindow.OpenAsync(relay.Address, Server.Fingerprint, "alice", Path.Combine(Home.Path, "alice"), policy);
        Cleanup.Add(alice);
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
}
