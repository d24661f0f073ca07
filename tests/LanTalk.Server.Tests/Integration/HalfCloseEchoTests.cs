using System.Net.Sockets;
using System.Text;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// A client that half-closes (FIN) right after its last messages still gets their echoes, its acknowledgements, before
/// the server closes: with the store on each waits for its commit, and the close used to come first, so a send-and-quit
/// client resent and posted twice (a spec audit, 2026-12-05). Real server, real sockets, real history.db.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class HalfCloseEchoTests
{
    private const int Messages = 20;

    [Test]
    public async Task Every_message_sent_before_a_half_close_is_echoed_before_the_connection_ends()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { MessageRatePerSecond = 1000, MessageBurst = 1000 }, "alice");
        await using var raw = await server.ConnectRawAsync();
        await raw.LoginAsync("alice");
        for (uint tag = 1; tag <= Messages; tag++)
        {
            await raw.SendAsync(ChatCommand.PublicMessage, new SendTextPacket(tag, $"m{tag}"));
        }

        raw.Socket.Shutdown(SocketShutdown.Send);
        var frames = await raw.ReadAllUntilClosedAsync();

        var echoed = frames.Select(f => f.Packet).OfType<ChatMessagePacket>().Where(m => m.Tag != 0).Select(m => m.Tag).ToList();
        echoed.Should().Equal(Enumerable.Range(1, Messages).Select(i => (uint)i), "each message's acknowledgement, in order");
    }

    [Test]
    public async Task On_the_IRC_port_every_message_sent_before_a_half_close_is_echoed_before_the_connection_ends()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0, MessageRatePerSecond = 1000, MessageBurst = 1000 }, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "echo-message");
        await alice.ExpectAsync(l => l.Contains(" 366 alice #lobby ", StringComparison.Ordinal), "366 for #lobby");
        var lines = new StringBuilder();
        for (int i = 1; i <= Messages; i++)
        {
            lines.Append($"PRIVMSG #lobby :m{i}\r\n");
        }

        await alice.SendRawAsync(Encoding.UTF8.GetBytes(lines.ToString()));
        alice.HalfClose();
        var received = await alice.ExpectClosedAsync();

        var echoes = received.Where(l => l.Contains("PRIVMSG #lobby :m", StringComparison.Ordinal)).Select(l => l[(l.LastIndexOf(':') + 1)..]).ToList();
        echoes.Should().Equal(Enumerable.Range(1, Messages).Select(i => $"m{i}"));
    }
}
