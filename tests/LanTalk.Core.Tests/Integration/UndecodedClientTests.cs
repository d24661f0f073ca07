using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Integration;

/// <summary>
/// DecodeMessages = false (the load generator's setting) skips decoding messages, but not the client's own requests:
/// confirmed sends timed out and History pages came back empty (an API audit, 2026-12-06).
/// </summary>
[TestFixture]
public sealed class UndecodedClientTests
{
    [Test]
    public async Task An_undecoding_client_still_gets_its_confirmations_and_pages_and_raises_no_message()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(new ChatClientOptions { Version = 3, DecodeMessages = false, RequestTimeout = TimeSpan.FromSeconds(2) });
        int raised = 0;
        client.MessageReceived += (_, _) => Interlocked.Increment(ref raised);
        await server.LogInAsync(client);

        var send = client.SendPublicAsync("hello");
        var sent = (SendTextPacket)(await server.NextAsync(ChatCommand.PublicMessage)).Packet;
        await server.SendAsync(
            FrameCodec.Serialize(ChatCommand.PublicMessage, "lobby", new ChatMessagePacket(41, 1_700_000_000_000, "bob", 0, "live from bob")),
            FrameCodec.Serialize(ChatCommand.PublicMessage, "lobby", new ChatMessagePacket(42, 1_700_000_000_000, "alice", sent.Tag, "hello", OriginSessionId: 7)));
        (await Wait.ForAsync(send, "the confirmation")).Id.Should().Be(42);

        var page = client.HistoryAsync(HistoryScope.Room, "lobby", 0, 20);
        var request = (HistoryRequestPacket)(await server.NextAsync(ChatCommand.History)).Packet;
        await server.SendAsync(
            ScriptedServer.Replayed("lobby", 40, "older"),
            ScriptedServer.Replayed("lobby", 41, "live from bob"),
            FrameCodec.Serialize(ChatCommand.History, "lobby", new HistoryEndPacket(request.Tag, 2, 0, 40, 41)));
        (await Wait.ForAsync(page, "the page")).Messages.Select(m => m.Id).Should().Equal([40UL, 41UL]);

        raised.Should().Be(0, "an undecoding client raises no message");
    }
}
