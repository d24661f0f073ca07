using LanTalk.Client.Tests.Support;
using LanTalk.Server.Settings;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// A reconnect that meets another certificate at the same address: the chat window shows the warning line by line and
/// ends. Its lines showed joined by ␊ (a UX audit, 2026-12-06). Real servers, real TLS, a relay standing for the address.
/// </summary>
public sealed class TrustChangeChatTests : ChatServerFixture
{
    protected override Task<TestServer> StartServerAsync() =>
        TestServer.StartWithHistoryAsync(s => s with { TlsMode = TlsMode.Required }, "alice");

    [Test]
    public async Task A_changed_certificate_on_reconnect_is_shown_line_by_line()
    {
        await using var impostor = await TestServer.StartWithHistoryAsync(s => s with { TlsMode = TlsMode.Required }, "alice");
        var relay = new TcpRelay(Server.Port);
        Cleanup.Add(relay);
        var policy = new Connection.ReconnectPolicy { FirstDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(200), MaxTries = 5 };
        var alice = await ChatWindow.OpenAsync(relay.Address, Server.Fingerprint, "alice", Path.Combine(Home.Path, "alice"), policy);
        Cleanup.Add(alice);

        relay.Target = impostor.Port;
        relay.DropAll();

        await alice.Output.WaitFor("^!! refusing ", "the warning");
        await alice.Session.Ended.WaitAsync(RecordingListener.Timeout);
        alice.Output.Lines.Should().NotContain(l => l.Contains('\u240A'), "each line of the warning is a line");
        alice.Output.Lines.Should().Contain(l => l.Contains(impostor.Fingerprint, StringComparison.Ordinal), "the new fingerprint is shown");
    }
}
