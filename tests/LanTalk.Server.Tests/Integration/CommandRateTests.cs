using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Net;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// Commands other than messages have their own token bucket (CommandRatePerSecond, CommandBurst): 200 SetAway in one
/// write used to be carried out and fanned out to everyone sharing a room.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CommandRateTests
{
    [Test]
    public async Task Commands_past_the_burst_are_refused_with_their_tags_and_not_carried_out()
    {
        await using var server = await TestServer.StartAsync(s => s with { CommandBurst = 5, CommandRatePerSecond = 0.1 }, "alice");
        await using var raw = await V3.LoginAsync(server, "alice");
        await SpendLoginAllowanceAsync(raw);

        var frames = Enumerable.Range(1, 10).SelectMany(tag =>
            FrameCodec.Serialize(ChatCommand.WhoIs, string.Empty, new RoomRequestPacket((uint)tag, Name: "alice")).ToArray());
        await raw.SendBytesAsync(frames.ToArray());

        var answered = new List<uint>();
        var refused = new List<uint>();
        while (answered.Count + refused.Count < 10)
        {
            var frame = await raw.ReadUntilAsync(f => f.Command == ChatCommand.WhoIs || f.Packet is ErrorPacket, "WhoIs answers and refusals");
            if (frame.Packet is ErrorPacket error)
            {
                error.Code.Should().Be(ErrorCode.RateLimited, $"got {frame}");
                error.Text.Should().Contain("commands per second");
                refused.Add(error.Tag);
            }
            else
            {
                answered.Add(((UserInfoPacket)frame.Packet).Tag);
            }
        }

        answered.Should().Equal([1u, 2u, 3u, 4u, 5u], "CommandBurst is 5");
        refused.Should().Equal(6u, 7u, 8u, 9u, 10u);
        server.Server.OnlineCount.Should().Be(1, "a refused command leaves the session open");
    }

    [Test]
    public async Task Messages_do_not_spend_the_command_bucket()
    {
        await using var server = await TestServer.StartAsync(s => s with { CommandBurst = 1, CommandRatePerSecond = 0.1 }, "alice");
        await using var raw = await V3.LoginAsync(server, "alice");
        await SpendLoginAllowanceAsync(raw);

        for (uint tag = 1; tag <= 5; tag++)
        {
            await V3.SayAsync(raw, string.Empty, tag, "hello " + tag);
        }

        await raw.SendAsync(ChatCommand.WhoIs, new RoomRequestPacket(9, Name: "alice"));
        var answer = await raw.ReadUntilAsync(f => f.Command == ChatCommand.WhoIs || f.Packet is ErrorPacket, "the WhoIs answer");
        answer.Command.Should().Be(ChatCommand.WhoIs, $"five messages left the one command token alone, got {answer}");
    }

    /// <summary>
    /// Spends what a login in the default room alone may send free of the bucket (LoginCommandAllowanceTests), so
    /// what follows meets the bucket itself.
    /// </summary>
    private static async Task SpendLoginAllowanceAsync(RawClient raw)
    {
        for (uint tag = 1001; tag <= 1001 + Session.CommandsAfterLogin; tag++)
        {
            await raw.SendAsync(ChatCommand.WhoIs, new RoomRequestPacket(tag, Name: "alice"));
            var answer = await raw.ReadUntilAsync(f => f.Command == ChatCommand.WhoIs || f.Packet is ErrorPacket, "a WhoIs of the login allowance");
            answer.Command.Should().Be(ChatCommand.WhoIs, $"got {answer}");
        }
    }
}
