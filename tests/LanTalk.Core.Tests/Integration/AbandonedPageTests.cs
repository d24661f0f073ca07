using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Integration;

/// <summary>
/// A History page or a join whose caller gave up (a timeout, a cancelled token) is still answered by the server; its
/// messages carry Tag 0, so they are that request's and must not land in the next page (an API audit, 2026-12-06: a
/// retry after a timeout returned 210 messages for a limit of 10).
/// </summary>
[TestFixture]
public sealed class AbandonedPageTests
{
    [Test]
    public async Task A_history_page_given_up_keeps_its_late_messages_out_of_the_retried_page()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(new ChatClientOptions { Version = 3 });
        await server.LogInAsync(client);
        using var cancel = new CancellationTokenSource();

        var first = client.HistoryAsync(HistoryScope.Room, "dev", 0, 200, cancel.Token);
        var firstRequest = (HistoryRequestPacket)(await server.NextAsync(ChatCommand.History)).Packet;
        await cancel.CancelAsync();
        await FluentActions.Awaiting(() => first).Should().ThrowAsync<OperationCanceledException>();
        var retry = client.HistoryAsync(HistoryScope.Room, "dev", 0, 10);
        // The server was only slow: it answers the abandoned request, then the retry.
        await server.SendAsync(
            ScriptedServer.Replayed("dev", 101, "one"),
            ScriptedServer.Replayed("dev", 102, "two"),
            ScriptedServer.Replayed("dev", 103, "three"),
            FrameCodec.Serialize(ChatCommand.History, "dev", new HistoryEndPacket(firstRequest.Tag, 3, 0, 101, 103)));
        var retryRequest = (HistoryRequestPacket)(await server.NextAsync(ChatCommand.History)).Packet;
        await server.SendAsync(
            ScriptedServer.Replayed("dev", 104, "four"),
            ScriptedServer.Replayed("dev", 105, "five"),
            FrameCodec.Serialize(ChatCommand.History, "dev", new HistoryEndPacket(retryRequest.Tag, 2, 0, 104, 105)));

        var page = await Wait.ForAsync(retry, "the retried page");

        page.Messages.Select(m => m.Id).Should().Equal([104UL, 105UL], "the late answer belongs to the page given up");
    }

    [Test]
    public async Task A_join_given_up_keeps_its_late_replay_out_of_the_next_private_page()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(new ChatClientOptions { Version = 3 });
        await server.LogInAsync(client);
        using var cancel = new CancellationTokenSource();

        var join = client.JoinRoomAsync("dev", cancellationToken: cancel.Token);
        var joinRequest = (RoomRequestPacket)(await server.NextAsync(ChatCommand.JoinRoom)).Packet;
        await cancel.CancelAsync();
        await FluentActions.Awaiting(() => join).Should().ThrowAsync<OperationCanceledException>();
        var page = client.HistoryAsync(HistoryScope.Private, "bob", 0, 10);
        await server.SendAsync(
            FrameCodec.Serialize(ChatCommand.JoinRoom, "dev", new RoomInfoPacket(joinRequest.Tag, RoomModes.None, "", "", 0, 2, ["bob"])),
            FrameCodec.Serialize(ChatCommand.JoinRoom, "dev", new UserListPacket([new OnlineUser("alice", 1), new OnlineUser("bob", 2)])),
            ScriptedServer.Replayed("dev", 201, "in the room"),
            ScriptedServer.Replayed("dev", 202, "in the room too"),
            FrameCodec.Serialize(ChatCommand.JoinRoom, "dev", new HistoryEndPacket(joinRequest.Tag, 2, 0, 201, 202)));
        var pageRequest = (HistoryRequestPacket)(await server.NextAsync(ChatCommand.History)).Packet;
        await server.SendAsync(
            ScriptedServer.Replayed(string.Empty, 203, "private", with: "bob"),
            FrameCodec.Serialize(ChatCommand.History, "bob", new HistoryEndPacket(pageRequest.Tag, 1, 0, 203, 203)));

        var answer = await Wait.ForAsync(page, "the private page");

        answer.Messages.Select(m => m.Id).Should().Equal([203UL], "the room's replay belongs to the join given up");
    }
}
