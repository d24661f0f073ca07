using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Integration;

/// <summary>
/// PROTOCOL.md, Keep-alive: after a burst of 32, a client MUST NOT send more than 1 Ping a second. At PingInterval 1 s
/// the client pinged twice a second, and the server ended the session as a ping flood after 35 s (an API audit, 2026-12-06).
/// </summary>
[TestFixture]
public sealed class PingRateTests
{
    [Test]
    public async Task Keep_alive_pings_go_at_least_a_second_apart_however_short_the_ping_interval()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(new ChatClientOptions { PingInterval = TimeSpan.FromMilliseconds(200) });
        var connect = client.ConnectAsync("127.0.0.1", server.Port);
        await server.SendAsync(ScriptedServer.Hello());
        await connect;

        var arrivals = new List<long>();
        while (arrivals.Count < 3)
        {
            var ping = await server.NextAsync(ChatCommand.Ping);
            arrivals.Add(Environment.TickCount64);
            // Answered at once, as a server does: a pong that comes back quickly must not invite the next ping early.
            await server.SendAsync(FrameCodec.Serialize(ChatCommand.Pong, string.Empty, (PingPacket)ping.Packet));
        }

        // 1,000 ms apart when sent (they were 100-170 ms apart); less allowed for a loaded machine's delays between two arrivals.
        arrivals.Zip(arrivals.Skip(1), (a, b) => b - a).Should().OnlyContain(gap => gap >= 700, "the server refills its ping bucket at 1 a second");
        client.IsConnected.Should().BeTrue();
    }
}
