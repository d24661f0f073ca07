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
