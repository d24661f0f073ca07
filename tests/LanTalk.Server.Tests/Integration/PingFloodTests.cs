using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Net;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// A ping flood gets a clear ServerDisconnected(RateLimited) instead of a silent "slow consumer" close (issue 11,
/// item 4): 65 pings in one write used to overflow the 64-frame priority lane.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class PingFloodTests
{
    [Test]
    public async Task Pings_in_one_write_beyond_the_pong_limit_end_the_session_with_RateLimited([Values(33, 65, 500)] int pings, [Values] bool loggedIn)
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        await using var raw = loggedIn ? await server.LoginRawAsync("alice") : await server.ConnectRawAsync();
        if (!loggedIn)
        {
            (await raw.ReadFrameAsync())!.Command.Should().Be(ChatCommand.Hello);
        }

        await raw.SendBytesAsync(Pings(pings));

        int pongs = 0;
        while (true)
        {
            var frame = await raw.ReadFrameAsync();
            frame.Should().NotBeNull($"the server should say why it closes (after {pongs} pongs)");
            if (frame!.Command == ChatCommand.Pong)
            {
                pongs++;
                continue;
            }

            if (frame.Command is ChatCommand.UserConnected or ChatCommand.UserDisconnected)
            {
                // A presence batch (our own join) can land anywhere in between.
                continue;
            }

            frame.Command.Should().Be(ChatCommand.ServerDisconnected, $"got {frame} after {pongs} pongs");
            var error = (ErrorPacket)frame.Packet;
            error.Code.Should().Be(ErrorCode.RateLimited);
            error.Text.Should().Contain("ping flood");
            break;
        }

        pongs.Should().BeLessThanOrEqualTo(Session.MaxQueuedPongs);
        await raw.ExpectClosedAsync();
    }

    [Test]
    public async Task A_client_that_waits_for_each_Pong_but_pings_without_pause_is_told_the_burst_limit()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        await using var raw = await server.ConnectRawAsync();
        (await raw.ReadFrameAsync())!.Command.Should().Be(ChatCommand.Hello);

        // 32 in the burst plus one refill a second: a loop of round trips runs out well before 64, however slow the host.
        for (ulong nonce = 1; nonce <= 64; nonce++)
        {
            await raw.SendAsync(ChatCommand.Ping, new PingPacket(nonce));
            var frame = await raw.ReadFrameAsync();
            frame.Should().NotBeNull();
            if (frame!.Command == ChatCommand.Pong)
            {
                continue;
            }

            nonce.Should().BeGreaterThan((ulong)Session.MaxQueuedPongs, "the first 32 pings are the burst");
            frame.Command.Should().Be(ChatCommand.ServerDisconnected);
            var error = (ErrorPacket)frame.Packet;
            error.Code.Should().Be(ErrorCode.RateLimited);
            error.Text.Should().Contain("in a burst", "the client never had more than one ping unanswered, so the text must not say it had");
            await raw.ExpectClosedAsync();
            return;
        }

        Assert.Fail("64 pings in a row were all answered: the burst limit did not hold");
    }

    [Test]
    public async Task Pings_in_one_write_up_to_the_limit_are_all_answered_in_order()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        await using var raw = await server.LoginRawAsync("alice");

        await raw.SendBytesAsync(Pings(Session.MaxQueuedPongs));

        for (ulong nonce = 1; nonce <= Session.MaxQueuedPongs; nonce++)
        {
            var pong = await raw.ReadUntilAsync(f => f.Command is ChatCommand.Pong or ChatCommand.ServerDisconnected or ChatCommand.Error, $"Pong {nonce}");
            pong.Packet.Should().Be(new PingPacket(nonce));
        }

        server.Server.OnlineCount.Should().Be(1);
    }

    private static byte[] Pings(int count) =>
        [.. Enumerable.Range(1, count).SelectMany(n => FrameCodec.Serialize(ChatCommand.Ping, string.Empty, new PingPacket((ulong)n)).ToArray())];
}
