using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Integration;

/// <summary>
/// A live message that arrives before a catch-up's replay comes again in the replay (PROTOCOL.md, History and
/// catch-up: the client MUST drop it): MessageReceived raised it twice, and a bot answered its command twice (an API
/// audit, 2026-12-06).
/// </summary>
[TestFixture]
public sealed class ReplayRepeatTests
{
    [Test]
    public async Task A_catch_up_does_not_raise_again_a_message_already_raised_live_and_a_new_join_after_a_leave_does()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(new ChatClientOptions { Version = 3 });
        var raised = new Recorder<ChatMessage>();
        client.MessageReceived += (_, m) => raised.Add(m);
        await server.LogInAsync(client);

        await server.SendAsync(FrameCodec.Serialize(ChatCommand.PublicMessage, "dev", new ChatMessagePacket(501, 1_700_000_000_000, "bob", 0, "!ping")));
        await raised.WaitForCountAsync(1, "the live message");
        var catchUp = client.CatchUpRoomAsync("dev", 499);
        await ReplayAsync(server, ChatCommand.JoinRoom, 500, 501);
        await Wait.ForAsync(catchUp, "the catch-up");
        await server.SendAsync(FrameCodec.Serialize(ChatCommand.PublicMessage, "dev", new ChatMessagePacket(502, 1_700_000_000_000, "bob", 0, "after")));
        (await raised.WaitForCountAsync(3, "the live message after the catch-up")).Select(m => m.Id).Should().Equal([501UL, 500UL, 502UL], "501 was raised live already");

        var leave = client.LeaveRoomAsync("dev");
        var leaveRequest = (RoomRequestPacket)(await server.NextAsync(ChatCommand.LeaveRoom)).Packet;
        await server.SendAsync(FrameCodec.Serialize(ChatCommand.LeaveRoom, "dev", new RoomLeftPacket(leaveRequest.Tag, RoomLeftReason.Left, "alice", "")));
        await Wait.ForAsync(leave, "the leave");
        var join = client.JoinRoomAsync("dev");
        await ReplayAsync(server, ChatCommand.JoinRoom, 501, 502);
        await Wait.ForAsync(join, "the new join");
        (await raised.WaitForCountAsync(5, "the new join's recent history")).Skip(3).Select(m => m.Id).Should().Equal([501UL, 502UL], "a join after a leave is a fresh one");
    }

    [Test]
    public async Task A_replay_longer_than_the_memory_raises_no_live_message_again_nor_one_it_brought_before_its_live_copy()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(new ChatClientOptions { Version = 3 });
        var raised = new Recorder<ChatMessage>();
        client.MessageReceived += (_, m) => raised.Add(m);
        await server.LogInAsync(client);

        // 600 live messages, more than the 512 ids remembered one by one; then a catch-up from before them whose replay
        // also brings 10 messages ahead of their live copies (sent meanwhile), which come after it.
        var live = Enumerable.Range(1001, 600).Select(id => Live((ulong)id)).ToArray();
        await server.SendAsync(live);
        await raised.WaitForCountAsync(600, "the live messages");
        var catchUp = client.CatchUpRoomAsync("dev", 900);
        await ReplayAsync(server, ChatCommand.JoinRoom, [.. Enumerable.Range(901, 710).Select(id => (ulong)id)]);
        await Wait.ForAsync(catchUp, "the catch-up");
        await server.SendAsync([.. Enumerable.Range(1601, 10).Select(id => Live((ulong)id)), Live(1700)]);

        var ids = (await raised.WaitForCountAsync(600 + 100 + 10 + 1, "the replay's new messages and the live one after")).Select(m => m.Id).ToArray();
        ids.Should().OnlyHaveUniqueItems("no id is raised twice, however long the replay");
        ids[^1].Should().Be(1700UL, "the live copies of the replayed 1601-1610 are dropped");
    }

    private static byte[] Live(ulong id) =>
        FrameCodec.Serialize(ChatCommand.PublicMessage, "dev", new ChatMessagePacket(id, 1_700_000_000_000 + (long)id, "bob", 0, $"#{id}"));

    private static async Task ReplayAsync(ScriptedServer server, ChatCommand command, params ulong[] ids)
    {
        var request = (RoomRequestPacket)(await server.NextAsync(command)).Packet;
        var frames = new List<byte[]>
        {
            FrameCodec.Serialize(ChatCommand.JoinRoom, "dev", new RoomInfoPacket(request.Tag, RoomModes.None, "", "", 0, 2, ["bob"])),
            FrameCodec.Serialize(ChatCommand.JoinRoom, "dev", new UserListPacket([new OnlineUser("alice", 1), new OnlineUser("bob", 2)])),
        };
        frames.AddRange(ids.Select(id => ScriptedServer.Replayed("dev", id, $"#{id}")));
        frames.Add(FrameCodec.Serialize(ChatCommand.JoinRoom, "dev", new HistoryEndPacket(request.Tag, ids.Length, 0, ids[0], ids[^1])));
        await server.SendAsync([.. frames]);
    }
}
