using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// History and Search requests spend a token bucket of the message rate's size, apart from messages: before, one
/// client could start tens of thousands of store queries a second.
/// </summary>
[TestFixture]
public sealed class HistoryRateLimitTests
{
    [Test]
    public async Task A_burst_of_history_requests_beyond_MessageBurst_is_refused_with_its_tag_and_chat_still_works()
    {
        // A slow refill, so no token comes back while the burst is answered.
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { MessageBurst = 5, MessageRatePerSecond = 0.1 }, "alice");
        await using var alice = await V3.LoginAsync(server, "alice");

        for (uint tag = 1; tag <= 8; tag++)
        {
            await alice.SendAsync(ChatCommand.History, new HistoryRequestPacket(tag, HistoryScope.Room, Limit: 10), "lobby");
        }

        var answered = new List<uint>();
        var refused = new List<uint>();
        while (answered.Count + refused.Count < 8)
        {
            var frame = await alice.ReadUntilAsync(f => f.Packet is HistoryEndPacket or ErrorPacket, "the answers to 8 history requests");
            if (frame.Packet is HistoryEndPacket end)
            {
                answered.Add(end.Tag);
            }
            else
            {
                var error = (ErrorPacket)frame.Packet;
                error.Code.Should().Be(ErrorCode.RateLimited, error.Text);
                error.Text.Should().Contain("history or search requests per second");
                refused.Add(error.Tag);
            }
        }

        answered.Should().BeEquivalentTo([1u, 2u, 3u, 4u, 5u]);
        refused.Should().BeEquivalentTo([6u, 7u, 8u]);
        // A bucket of its own: paging back did not use up the right to chat.
        (await V3.SayAsync(alice, "lobby", 100, "still here")).Text.Should().Be("still here");
    }

    [Test]
    public async Task A_client_that_ignores_a_hundred_refused_requests_in_a_row_is_disconnected()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { MessageBurst = 1, MessageRatePerSecond = 0.1 }, "alice");
        server.ExpectErrors("request flood");
        await using var alice = await V3.LoginAsync(server, "alice");

        for (uint tag = 1; tag <= LanTalk.Server.Net.MessageRateLimit.MaxRefusalsInARow + 2; tag++)
        {
            await alice.SendAsync(ChatCommand.Search, new HistoryRequestPacket(tag, HistoryScope.Everything, Text: "x"));
        }

        var last = await alice.ReadUntilAsync(f => f.Command == ChatCommand.ServerDisconnected, "the disconnect for flooding");
        ((ErrorPacket)last.Packet).Code.Should().Be(ErrorCode.RateLimited);
    }
}
