using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// A connection the server closes before it logged in gives its pre-login place back when the close starts, not
/// after the final flush and the 2 s linger: during the linger it used to refuse its address's next connections
/// with TooManyConnections (a spec audit, 2026-12-04; PROTOCOL.md, "When the connection closes"). Real sockets,
/// both ports; the closed client keeps its end open, so the server is still lingering when the others connect.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class PendingPlaceOnCloseTests
{
    private const int PerAddress = 2;

    private static ServerSettings TwoPlaces(ServerSettings s) => s with { MaxPendingLoginsPerAddress = PerAddress };

    [Test]
    public async Task A_ChatSocket_connection_refused_for_its_version_does_not_hold_a_place_while_it_lingers()
    {
        await using var server = await TestServer.StartAsync(TwoPlaces);
        await using var refused = await server.ConnectRawAsync();
        await refused.HelloAsync(version: 99);
        (await refused.ReadFrameAsync())!.Packet.Should().BeOfType<ErrorPacket>().Which.Code.Should().Be(ErrorCode.UnsupportedVersion);

        for (int i = 0; i < PerAddress; i++)
        {
            await using var next = await server.ConnectRawAsync();
            var frame = await next.ReadFrameAsync();
            frame!.Command.Should().Be(ChatCommand.Hello, $"connection {i + 1} of {PerAddress} after the refused one should be admitted, not get {frame.Packet}");
        }
    }

    [Test]
    public async Task An_IRC_connection_that_quit_before_registering_does_not_hold_a_place_while_it_lingers()
    {
        await using var server = await TestServer.StartIrcAsync(TwoPlaces);
        await using var quitter = await IrcTestClient.ConnectAsync(server.IrcPort);
        await quitter.SendAsync("QUIT :bye");
        await quitter.ExpectAsync(l => l.StartsWith("ERROR ", StringComparison.Ordinal), "the ERROR line of the quit");

        var others = new List<IrcTestClient>();
        try
        {
            for (int i = 0; i < PerAddress; i++)
            {
                var next = await IrcTestClient.ConnectAsync(server.IrcPort);
                others.Add(next);
                await next.SendAsync("CAP LS 302");
                string line = await next.ExpectAsync(l => l.Contains(" CAP ", StringComparison.Ordinal) || l.StartsWith("ERROR ", StringComparison.Ordinal), "CAP LS or ERROR");
                line.Should().Contain(" CAP ", $"connection {i + 1} of {PerAddress} after the one that quit should be admitted");
            }
        }
        finally
        {
            foreach (var client in others)
            {
                await client.DisposeAsync();
            }
        }
    }
}
