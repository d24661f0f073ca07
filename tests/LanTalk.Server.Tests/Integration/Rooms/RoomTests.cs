using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>Rooms over real sockets (docs/design/protocol-v3.md): default room, join, leave, list, topic, messages per room.</summary>
public sealed class RoomTests
{
    [Test]
    public async Task A_v3_login_lands_in_the_default_room_with_its_info_and_member_list()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;

        var lobby = await alice.RoomStates.WaitForAsync(r => r.Name == "lobby", "alice's default room at login");

        lobby.Info.Flags.Should().HaveFlag(RoomModes.Default);
        lobby.Info.Flags.Should().NotHaveFlag(RoomModes.YouOwn);
        lobby.Members.Select(m => m.Name).Should().Contain(["alice", "bob"]);
        alice.Client.Rooms.Select(r => r.Name).Should().Equal("lobby");
    }

    [Test]
    public async Task Joining_a_new_room_creates_it_owned_by_the_joiner_and_its_messages_reach_members_only()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;

        var dev = await alice.Client.JoinRoomAsync("Dev", RoomModes.None);
        dev.Info.Flags.Should().HaveFlag(RoomModes.YouOwn);
        dev.Info.Owners.Should().Equal("alice");
        var secret = await alice.Client.SendRoomAsync("dev", "only for dev");
        secret.Room.Should().Be("Dev", "the room keeps the case it was created with, and is matched case-insensitively");
        var marker = await alice.Client.SendRoomAsync(string.Empty, "to the lobby");
        await bob.Messages.WaitForAsync(m => m.Id == marker.Id, "the lobby message after the dev one");
        bob.Messages.Items.Should().NotContain(m => m.Id == secret.Id, "bob is not in dev");

        await bob.Client.JoinRoomAsync("dev");
        await alice.MemberChanges.WaitForAsync(c => c.Room == "Dev" && c.Joined && c.Users.Contains("bob"), "alice sees bob join dev");
        var fromBob = await bob.Client.SendRoomAsync("dev", "hello dev");
        (await alice.Messages.WaitForAsync(m => m.Id == fromBob.Id, "bob's dev message")).Room.Should().Be("Dev");
    }

    [Test]
    public async Task Leaving_a_room_tells_every_session_and_the_members_and_its_messages_are_refused()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        var bob2 = await V3.LoginAsync(server, "bob");
        await using var b2 = bob2.Client;
        await alice.Client.JoinRoomAsync("dev");
        await bob.Client.JoinRoomAsync("dev");
        await bob2.RoomStates.WaitForAsync(r => r.Name == "dev", "bob's second session hears of the join");

        var left = await bob.Client.LeaveRoomAsync("dev");

        left.Reason.Should().Be(RoomLeftReason.Left);
        await bob2.RoomsLeft.WaitForAsync(l => l.Room == "dev" && l.Left.Reason == RoomLeftReason.Left, "bob's other session hears of the leave");
        await alice.MemberChanges.WaitForAsync(c => c.Room == "dev" && !c.Joined && c.Users.Contains("bob"), "alice sees bob leave dev");
        (await V3.FailureAsync(() => bob.Client.SendRoomAsync("dev", "still here?"))).Code.Should().Be(ErrorCode.NotInRoom);
        (await V3.FailureAsync(() => bob.Client.SendRoomAsync("nowhere", "hello?"))).Code.Should().Be(ErrorCode.NoSuchRoom);
        bob.Client.IsConnected.Should().BeTrue("room errors do not close the connection");
    }

    [Test]
    public async Task The_last_member_leaving_deletes_a_room_but_the_default_room_stays()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        await alice.Client.JoinRoomAsync("dev");

        await alice.Client.LeaveRoomAsync("dev");
        await alice.Client.LeaveRoomAsync("lobby");

        var rooms = await alice.Client.ListRoomsAsync();
        rooms.Select(r => r.Name).Should().Equal("lobby");
        rooms[0].MemberCount.Should().Be(0, "alice left the default room too");
        (await V3.FailureAsync(() => alice.Client.SendRoomAsync(string.Empty, "lobby?"))).Code.Should().Be(ErrorCode.NotInRoom);
    }

    [Test]
    public async Task ListRooms_shows_open_rooms_and_only_the_invite_only_rooms_the_user_is_in()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        await alice.Client.JoinRoomAsync("open");
        await alice.Client.JoinRoomAsync("secret", RoomModes.InviteOnly);
        await alice.Client.SetTopicAsync("open", "all welcome");

        var forBob = await bob.Client.ListRoomsAsync();
        var forAlice = await alice.Client.ListRoomsAsync();

        forBob.Select(r => r.Name).Should().Equal("lobby", "open");
        forBob.Single(r => r.Name == "open").Should().Be(new RoomSummary("open", RoomModes.None, 1, "all welcome"));
        forAlice.Select(r => r.Name).Should().Equal("lobby", "open", "secret");
        forAlice.Single(r => r.Name == "secret").Flags.Should().Be(RoomModes.InviteOnly | RoomModes.YouOwn);
    }

    [Test]
    public async Task The_topic_goes_to_every_member_and_only_owners_may_set_it_unless_the_room_says_anyone()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        await alice.Client.JoinRoomAsync("dev");
        await bob.Client.JoinRoomAsync("dev");

        var set = await alice.Client.SetTopicAsync("dev", "release on friday");
        set.SetBy.Should().Be("alice");
        (await bob.Topics.WaitForAsync(t => t.Room == "dev", "bob gets the topic")).Topic.Text.Should().Be("release on friday");
        (await V3.FailureAsync(() => bob.Client.SetTopicAsync("dev", "mine now"))).Code.Should().Be(ErrorCode.NotRoomOwner);
        (await V3.FailureAsync(() => alice.Client.SetTopicAsync("dev", new string('x', 391)))).Code.Should().Be(ErrorCode.TopicTooLong);

        await alice.Client.SetRoomModeAsync("dev", RoomModes.TopicByAnyone);
        (await bob.Client.SetTopicAsync("dev", "anyone may")).SetBy.Should().Be("bob");
        bob.Client.Rooms.Single(r => r.Name == "dev").Info.Topic.Should().Be("anyone may");
    }

    [Test]
    public async Task Rejoining_a_room_is_a_resync_not_an_error_and_ends_with_HistoryEnd()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var ended = new Recorder<HistoryEndPacket>();
        alice.Client.HistoryEnded += (_, _, end) => ended.Add(end);

        await alice.Client.JoinRoomAsync("dev");
        var again = await alice.Client.JoinRoomAsync("dev");

        again.Info.MemberCount.Should().Be(1);
        (await ended.WaitForCountAsync(2, "a HistoryEnd per join")).Should().OnlyContain(e => e.Count == 0, "history is off");
    }

    [Test]
    public async Task Action_messages_keep_their_kind()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;

        var sent = await alice.Client.SendRoomAsync(string.Empty, "waves", ChatMessageKind.Action);

        sent.Kind.Should().Be(ChatMessageKind.Action);
        (await bob.Messages.WaitForAsync(m => m.Id == sent.Id, "the action at bob")).Kind.Should().Be(ChatMessageKind.Action);
    }
}
