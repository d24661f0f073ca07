using LanTalk.Client.Connection;
using LanTalk.Client.Tests.Support;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// Away survives a reconnect: away ends on the server with the user's last session, so the client sets it again after
/// a dropped connection, unless another of the user's sessions stayed online (real server, real sockets, a relay).
/// </summary>
public sealed class AwayReconnectTests : ChatServerFixture
{
    private const string Time = @"^\[\d\d:\d\d\] \* ";

    protected override Task<TestServer> StartServerAsync() => TestServer.StartAsync(s => s with { TlsMode = LanTalk.Server.Settings.TlsMode.Required }, "alice", "bob");

    private async Task<(TcpRelay Relay, ChatWindow Alice, ChatWindow Bob)> OpenAsync()
    {
        var relay = new TcpRelay(Server.Port);
        Cleanup.Add(relay);
        var policy = new ReconnectPolicy { FirstDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200), MaxTries = 20 };
        var alice = await ChatWindow.OpenAsync(relay.Address, Server.Fingerprint, "alice", Path.Combine(Home.Path, "a1"), policy);
        Cleanup.Add(alice);
        var bob = await ChatWindow.OpenAsync(Server.Address, Server.Fingerprint, "bob", Path.Combine(Home.Path, "b1"));
        Cleanup.Add(bob);
        await alice.TypeAsync("/away lunch");
        await bob.Output.WaitFor(Time + "alice is away: lunch$", "alice's away as bob sees it");
        return (relay, alice, bob);
    }

    [Test]
    public async Task A_user_away_when_the_connection_dropped_is_away_again_after_the_reconnect()
    {
        var (relay, alice, bob) = await OpenAsync();

        relay.DropAll();

        // The server ended alice's away with her last session (bob sees her go), and her client sets it again.
        await bob.Output.WaitFor(Time + "alice is away: lunch$", "alice away again after her reconnect", after: "alice went offline|alice is online");
        await bob.TypeAsync("/who alice");
        await bob.Output.WaitFor("lunch", "the away text in /who", after: "alice is away: lunch$");
    }

    [Test]
    public async Task Back_on_another_device_while_this_one_was_away_is_not_undone_by_its_reconnect()
    {
        var (relay, alice, bob) = await OpenAsync();
        var desktop = await ChatWindow.OpenAsync(Server.Address, Server.Fingerprint, "alice", Path.Combine(Home.Path, "a2"));
        Cleanup.Add(desktop);
        relay.FreezeAll();
        await desktop.TypeAsync("/back");
        await bob.Output.WaitFor(Time + "alice is back$", "the /back on the desktop");

        relay.DropAll();

        await alice.Output.WaitFor(Time + "you are back$", "the laptop learns the user came back elsewhere", after: "reconnected");
        bob.Output.Lines.Count(l => l.EndsWith("alice is away: lunch", StringComparison.Ordinal)).Should().Be(1, "the laptop's reconnect did not set the old away again");
    }
}
