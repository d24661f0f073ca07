using System.Net;
using System.Net.Sockets;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Integration;

/// <summary>A ServerHello's numbers are any int32: a client must connect, not end with an internal error.</summary>
[TestFixture]
public sealed class OddHelloTests
{
    [TestCase(int.MaxValue)]
    [TestCase(17_179_870)]
    public async Task A_huge_ping_interval_is_clamped_and_the_connect_succeeds(int pingSeconds)
    {
        // The keep-alive timer threw for 17,179,870 s or more ("dueTime must be less than or equal to 4294967294"),
        // and `lantalk` exited with "unexpected error" (a hostile-server audit).
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var hello = FrameCodec.Serialize(ChatCommand.Hello, string.Empty,
            new ServerHelloPacket(2, 3, "scripted", 65536, 32, 4096, pingSeconds, int.MaxValue, 1_700_000_000_000, ServerFeatures.None));
        using var accepted = new SemaphoreSlim(0);
        var serve = Task.Run(async () =>
        {
            using var peer = await listener.AcceptTcpClientAsync();
            await peer.GetStream().WriteAsync(hello);
            await accepted.WaitAsync(TimeSpan.FromSeconds(10));
        });
        await using var client = new ChatClient();

        var connect = () => client.ConnectAsync("127.0.0.1", port);

        await connect.Should().NotThrowAsync();
        client.ServerHello!.PingIntervalSeconds.Should().Be(pingSeconds);
        accepted.Release();
        await serve;
    }
}
