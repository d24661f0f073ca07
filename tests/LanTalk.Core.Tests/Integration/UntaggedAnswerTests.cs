using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Integration;

/// <summary>
/// ListRooms and SetAway are answered by a RoomList and an Away that carry no tag: each call must get its own answer,
/// also when calls overlap or one was given up (an API audit, 2026-12-06: SetAwayAsync("meeting") returned 'lunch').
/// </summary>
[TestFixture]
public sealed class UntaggedAnswerTests
{
    private static readonly ChatClientOptions Options = new() { Version = 3, RequestTimeout = TimeSpan.FromSeconds(3) };

    [Test]
    public async Task Concurrent_SetAway_calls_each_complete_with_their_own_answer()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(Options);
        await server.LogInAsync(client);

        var lunch = client.SetAwayAsync("lunch");
        var meeting = client.SetAwayAsync("meeting");
        for (int i = 0; i < 2; i++)
        {
            var request = (RoomRequestPacket)(await server.NextAsync(ChatCommand.SetAway)).Packet;
            await server.SendAsync(FrameCodec.Serialize(ChatCommand.SetAway, string.Empty, new AwayPacket("alice", request.Text, 1_700_000_000_000)));
            await AnswerWhoIsAsync(server, request.Text);
        }

        (await Wait.ForAsync(lunch, "the first SetAway")).Text.Should().Be("lunch");
        (await Wait.ForAsync(meeting, "the second SetAway")).Text.Should().Be("meeting");
    }

    [Test]
    public async Task SetAway_sent_while_a_user_list_is_on_its_way_completes_with_its_own_Away_not_the_lists()
    {
        // After an online list the server sends an Away for every listed user who is away, this one's included: that
        // stale Away completed a SetAway sent meanwhile ("old i" for "new i"; an API audit, 2026-12-06).
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(Options);
        await server.LogInAsync(client);

        var users = client.RequestUsersAsync();
        var set = client.SetAwayAsync("new i");
        await server.NextAsync(ChatCommand.RequestUsers);
        await server.NextAsync(ChatCommand.SetAway);
        await server.SendAsync(
            FrameCodec.Serialize(ChatCommand.RequestUsers, "alice", new UserListPacket([new OnlineUser("alice", 1_700_000_000_000)])),
            FrameCodec.Serialize(ChatCommand.SetAway, string.Empty, new AwayPacket("alice", "old i", 1_600_000_000_000)),
            FrameCodec.Serialize(ChatCommand.SetAway, string.Empty, new AwayPacket("alice", "new i", 1_700_000_000_000)));
        await Wait.ForAsync(users, "the user list");
        await AnswerWhoIsAsync(server, "new i");

        (await Wait.ForAsync(set, "the SetAway")).Text.Should().Be("new i");
    }

    /// <summary>Answers the WhoIs that follows a SetAway, which tells the client its Away has come.</summary>
    private static async Task AnswerWhoIsAsync(ScriptedServer server, string away)
    {
        var whoIs = (RoomRequestPacket)(await server.NextAsync(ChatCommand.WhoIs)).Packet;
        await server.SendAsync(FrameCodec.Serialize(ChatCommand.WhoIs, string.Empty, new UserInfoPacket(whoIs.Tag, "alice", away, [])));
    }

    [Test]
    public async Task A_ListRooms_given_up_does_not_answer_the_next_one()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(Options);
        await server.LogInAsync(client);
        using var cancel = new CancellationTokenSource();

        var first = client.ListRoomsAsync(cancel.Token);
        await server.NextAsync(ChatCommand.ListRooms);
        await cancel.CancelAsync();
        await FluentActions.Awaiting(() => first).Should().ThrowAsync<OperationCanceledException>();
        var second = client.ListRoomsAsync();
        await server.SendAsync(FrameCodec.Serialize(ChatCommand.ListRooms, string.Empty, new RoomListPacket([new RoomSummary("old", RoomModes.None, 1, "")])));
        await server.NextAsync(ChatCommand.ListRooms);
        await server.SendAsync(FrameCodec.Serialize(ChatCommand.ListRooms, string.Empty, new RoomListPacket([new RoomSummary("new", RoomModes.None, 1, "")])));

        (await Wait.ForAsync(second, "the second list")).Select(r => r.Name).Should().Equal("new");
    }

    [Test]
    public async Task Concurrent_ListRooms_calls_all_complete()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(Options);
        await server.LogInAsync(client);

        var lists = Enumerable.Range(0, 4).Select(_ => client.ListRoomsAsync()).ToArray();
        for (int i = 0; i < lists.Length; i++)
        {
            await server.NextAsync(ChatCommand.ListRooms);
            await server.SendAsync(FrameCodec.Serialize(ChatCommand.ListRooms, string.Empty, new RoomListPacket([new RoomSummary($"r{i}", RoomModes.None, 1, "")])));
        }

        var names = await Wait.ForAsync(Task.WhenAll(lists), "every list");
        // Calls that overlap go one at a time, in no promised order; each gets one answer of its own.
        names.Select(l => l.Single().Name).Should().BeEquivalentTo("r0", "r1", "r2", "r3");
    }
}
