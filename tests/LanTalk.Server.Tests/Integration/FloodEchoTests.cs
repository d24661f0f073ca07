using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// A session cut off for flooding gets the echoes of the messages accepted before the cut-off, with the store on
/// too, where each echo waits for a commit: else its client reports delivered messages as not confirmed.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class FloodEchoTests
{
    [Test]
    public async Task The_flood_cut_off_comes_after_the_echo_of_every_accepted_message()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { MessageRatePerSecond = 0.01, MessageBurst = 20 }, "alice");
        await using var raw = await server.LoginRawAsync("alice");

        // Twenty within the burst, then 101 refusals in a row: one more than the server tolerates.
        var flood = Enumerable.Range(1, 121).SelectMany(i => FrameCodec.Serialize(ChatCommand.PublicMessage, "", new SendTextPacket((uint)i, "spam " + i))).ToArray();
        await raw.SendBytesAsync(flood);
        var frames = await raw.ReadAllUntilClosedAsync();

        int cutOff = frames.FindIndex(f => f.Command == ChatCommand.ServerDisconnected);
        cutOff.Should().BeGreaterThanOrEqualTo(0);
        ((ErrorPacket)frames[cutOff].Packet).Code.Should().Be(ErrorCode.RateLimited);
        frames.Take(cutOff).Where(f => f.Command == ChatCommand.PublicMessage).Select(f => ((ChatMessagePacket)f.Packet).Tag)
            .Should().Equal(Enumerable.Range(1, 20).Select(i => (uint)i), "each accepted message is echoed before the session ends");
    }
}
