using LanTalk.Core.Packets;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// ServerHello says whether messages are stored (Features bit History): without it a client could not tell an echo
/// that acknowledges a stored message from one that only says "relayed", nor "no history here" from "no messages"
/// (found by a client written from docs/PROTOCOL.md alone). Real sockets.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class HistoryFeatureTests
{
    [Test]
    public async Task A_server_with_a_store_announces_the_History_feature()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice");
        await using var client = await server.ConnectAsync();

        client.ServerHello!.Features.Should().HaveFlag(ServerFeatures.History);
    }

    [Test]
    public async Task A_server_without_a_store_does_not()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        await using var client = await server.ConnectAsync();

        client.ServerHello!.Features.Should().NotHaveFlag(ServerFeatures.History);
    }
}
