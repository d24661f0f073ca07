using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Integration;

/// <summary>
/// What ChatClient does with arguments it cannot send: it says so in the caller's terms, before anything is sent or
/// left waiting (an API audit, 2026-12-06).
/// </summary>
[TestFixture]
public sealed class ClientArgumentTests
{
    private static readonly ChatClientOptions Options = new() { Version = 3, RequestTimeout = TimeSpan.FromSeconds(2) };

    [Test]
    public async Task PostMessage_refuses_a_tag_of_the_half_that_confirmed_sends_use()
    {
        // Its echo confirmed someone else's SendPublicAsync of the same tag with the posted text.
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(Options);
        await server.LogInAsync(client);

        client.Invoking(c => c.PostMessage(null, "posted", 0x8000_0002)).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("tag");
        client.PostMessage(null, "posted", 0x7FFF_FFFF).Should().BeTrue("the lower half is the caller's");
    }

    [Test]
    public async Task A_text_too_long_for_a_frame_is_refused_as_MessageTooLong_and_nothing_is_sent()
    {
        // 70,000 characters threw OverflowException from the frame writer; a text over the server's frame size would
        // have made the server close the connection.
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(Options);
        var smallFrames = FrameCodec.Serialize(ChatCommand.Hello, string.Empty,
            new ServerHelloPacket(2, 3, "scripted", 8192, 32, 4096, 30, 45, 1_700_000_000_000, ServerFeatures.None));
        await server.LogInAsync(client, smallFrames);

        foreach (var send in new Func<Task>[]
        {
            () => client.SendPublicAsync(new string('x', 70_000)),
            () => client.SendPrivateAsync("bob", new string('x', 10_000)),
            () => client.SendRoomAsync("dev", new string('é', 5_000)),
            () => client.SetTopicAsync("dev", new string('x', 70_000)),
            () => client.SearchAsync(new string('x', 9_000)),
            () => Task.FromResult(client.PostMessage(null, new string('x', 70_000))),
        })
        {
            var refused = (await send.Should().ThrowAsync<ChatClientException>()).Which;
            refused.Failure.Should().Be(ChatFailure.Rejected);
            refused.Code.Should().Be(ErrorCode.MessageTooLong);
            refused.Message.Should().Contain("8192");
        }

        client.IsConnected.Should().BeTrue();
        var list = client.ListRoomsAsync();
        (await server.NextFrameAsync()).Command.Should().Be(ChatCommand.ListRooms, "nothing of the refused requests was sent");
        await server.SendAsync(FrameCodec.Serialize(ChatCommand.ListRooms, string.Empty, new RoomListPacket([])));
        (await Wait.ForAsync(list, "the list after the refusals")).Should().BeEmpty();
    }

    [Test]
    public async Task A_null_argument_is_refused_naming_the_parameter_and_nothing_is_sent()
    {
        // ArgumentNullException named 'chars', from the UTF-8 encoder deep in frame serialisation, after the request
        // had been registered as pending.
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(Options);
        await server.LogInAsync(client);
        string none = null!;

        var calls = new (Func<Task> Call, string Parameter)[]
        {
            (() => client.LoginAsync(none, "p"), "userName"),
            (() => client.RegisterAsync("alice", none), "password"),
            (() => client.SendPublicAsync(none), "text"),
            (() => client.SendPrivateAsync(none, "x"), "to"),
            (() => client.SendPrivateAsync("bob", none), "text"),
            (() => client.SendRoomAsync(none, "x"), "room"),
            (() => client.SendRoomAsync("dev", none), "text"),
            (() => Task.FromResult(client.PostMessage(null, none)), "text"),
            (() => client.JoinRoomAsync(none), "room"),
            (() => client.JoinRoomWithReplayAsync(none), "room"),
            (() => client.CatchUpRoomAsync(none, 1), "room"),
            (() => client.LeaveRoomAsync(none), "room"),
            (() => client.LeaveRoomAsync("dev", none), "reason"),
            (() => client.SetTopicAsync(none, "t"), "room"),
            (() => client.SetTopicAsync("dev", none), "topic"),
            (() => client.InviteAsync("dev", none), "user"),
            (() => client.InviteAsync("dev", "bob", none), "note"),
            (() => client.KickAsync(none, "bob"), "room"),
            (() => client.KickAsync("dev", "bob", none), "reason"),
            (() => client.DeleteRoomAsync(none), "room"),
            (() => client.SetRoomModeAsync(none, RoomModes.None), "room"),
            (() => client.SetAwayAsync(none), "text"),
            (() => client.WhoIsAsync(none), "user"),
            (() => client.HistoryAsync(HistoryScope.Room, none, 0, 10), "target"),
            (() => client.SearchAsync(none), "text"),
        };
        foreach (var (call, parameter) in calls)
        {
            (await call.Should().ThrowAsync<ArgumentNullException>()).Which.ParamName.Should().Be(parameter);
        }

        var list = client.ListRoomsAsync();
        (await server.NextFrameAsync()).Command.Should().Be(ChatCommand.ListRooms, "nothing of the refused calls was sent");
        await server.SendAsync(FrameCodec.Serialize(ChatCommand.ListRooms, string.Empty, new RoomListPacket([])));
        (await Wait.ForAsync(list, "the list after the refusals")).Should().BeEmpty();
    }
}
