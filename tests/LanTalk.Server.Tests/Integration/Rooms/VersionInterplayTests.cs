using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>v2 and v3 sessions on one server: a v2 session sees exactly the default room, as before v3.</summary>
public sealed class VersionInterplayTests
{
    [Test]
    public async Task A_v2_session_sees_the_default_room_with_an_empty_target_and_nothing_of_other_rooms()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await server.LoginProbeAsync("bob");
        await using var b = bob.Client;
        await alice.Client.JoinRoomAsync("dev");

        var inDev = await alice.Client.SendRoomAsync("dev", "v3 only");
        var inLobby = await alice.Client.SendRoomAsync("lobby", "for everyone");
        var fromV2 = await bob.Client.SendPublicAsync("from v2");

        (await bob.Messages.WaitForAsync(m => m.Id == inLobby.Id, "the lobby message at the v2 session")).Room.Should().BeEmpty();
        bob.Messages.Items.Should().NotContain(m => m.Id == inDev.Id);
        (await alice.Messages.WaitForAsync(m => m.Id == fromV2.Id, "the v2 message at the v3 session")).Room.Should().Be("lobby");
        fromV2.Room.Should().BeEmpty("a v2 session's own echo keeps the empty target");
    }

    [Test]
    public async Task A_v3_command_from_a_v2_session_is_a_protocol_violation()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        var raw = await server.LoginRawAsync("alice");
        await using var r = raw;

        await raw.SendAsync(ChatCommand.JoinRoom, new RoomRequestPacket(1), "dev");

        (await raw.ExpectErrorThenCloseAsync(ErrorCode.ProtocolViolation)).Text.Should().Contain("JoinRoom");
    }

    [Test]
    public async Task ServerHello_offers_versions_2_to_3_and_version_4_is_refused()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        var raw = await server.ConnectRawAsync();
        await using var r = raw;
        var hello = (ServerHelloPacket)(await raw.ReadUntilAsync(f => f.Command == ChatCommand.Hello, "ServerHello")).Packet;
        (hello.MinVersion, hello.MaxVersion).Should().Be(((ushort)2, (ushort)3));

        await raw.SendAsync(ChatCommand.Hello, new ClientHelloPacket(4, "from the future"));

        await raw.ExpectErrorThenCloseAsync(ErrorCode.UnsupportedVersion);
    }

    [Test]
    public async Task A_v2_session_never_receives_a_v3_frame()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var raw = await server.LoginRawAsync("bob");
        await using var r = raw;
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        await alice.Client.JoinRoomAsync("dev");
        await alice.Client.SetTopicAsync("dev", "topic");
        await alice.Client.SetAwayAsync("away");
        var marker = await alice.Client.SendRoomAsync(string.Empty, "marker");

        var frames = new List<ReceivedFrame>();
        frames.Add(await raw.ReadUntilAsync(f =>
        {
            frames.Add(f);
            return f.Command == ChatCommand.PublicMessage && ((ChatMessagePacket)f.Packet).MessageId == marker.Id;
        }, "the marker message"));

        frames.Should().OnlyContain(f => CommandTable.IntroducedIn(f.Command) == 2, "a v2 client would take a v3 command for a protocol violation");
    }

    [Test]
    public async Task A_v2_session_gets_no_copy_of_a_note_its_user_sends_to_itself_from_another_session()
    {
        // A v2 client takes a PrivateMessage from its own user as the echo of its own send, and would confirm its
        // pending send of the same tag with it (PROTOCOL.md, "A v2 session on a v3 server").
        await using var server = await TestServer.StartAsync(null, "alice");
        var raw = await server.LoginRawAsync("alice");
        await using var r = raw;
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;

        var note = await alice.Client.SendPrivateAsync("alice", "note to self from the laptop");
        var marker = await alice.Client.SendRoomAsync(string.Empty, "marker");

        var frames = new List<ReceivedFrame>();
        await raw.ReadUntilAsync(f =>
        {
            frames.Add(f);
            return f.Command == ChatCommand.PublicMessage && ((ChatMessagePacket)f.Packet).MessageId == marker.Id;
        }, "the marker message");
        frames.Should().NotContain(f => f.Command == ChatCommand.PrivateMessage);
        (await alice.Messages.WaitForAsync(m => m.Id == note.Id, "the note at the v3 session that sent it")).Text.Should().Be("note to self from the laptop");
    }

    [Test]
    public async Task While_a_user_has_a_v2_session_their_v3_session_cannot_leave_the_default_room_and_the_v2_session_keeps_chatting()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var v3 = await V3.LoginAsync(server, "alice");
        await using var a3 = v3.Client;
        var v2 = await server.LoginProbeAsync("alice");
        await using var a2 = v2.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;

        var refusal = await V3.FailureAsync(() => v3.Client.LeaveRoomAsync("lobby"));

        refusal.Code.Should().Be(ErrorCode.CannotLeaveDefault, "a v2 session knows only the default room and no v3 error code");
        v3.Client.IsConnected.Should().BeTrue();
        var fromV2 = await v2.Client.SendPublicAsync("still in the lobby");
        fromV2.Room.Should().BeEmpty();
        (await bob.Messages.WaitForAsync(m => m.Id == fromV2.Id, "the v2 session's message")).Room.Should().Be("lobby");
        var fromBob = await bob.Client.SendRoomAsync("lobby", "and hears the lobby");
        await v2.Messages.WaitForAsync(m => m.Id == fromBob.Id, "the lobby message at the v2 session");
        v2.Errors.Items.Should().BeEmpty();
        v2.Client.IsConnected.Should().BeTrue();
    }

    [Test]
    public async Task A_v2_login_puts_its_user_back_in_the_default_room_and_the_users_v3_sessions_hear_of_it()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var v3 = await V3.LoginAsync(server, "alice");
        await using var a3 = v3.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        await v3.Client.LeaveRoomAsync("lobby");
        int statesBefore = v3.RoomStates.Items.Count(r => r.Name == "lobby");

        var v2 = await server.LoginProbeAsync("alice");
        await using var a2 = v2.Client;

        await v3.RoomStates.WaitUntilAsync(states => states.Count(r => r.Name == "lobby") > statesBefore, "the default room's state at the v3 session");
        var fromV2 = await v2.Client.SendPublicAsync("back in the lobby");
        (await v3.Messages.WaitForAsync(m => m.Id == fromV2.Id, "the v2 session's message at the v3 session")).Room.Should().Be("lobby");
        await bob.Messages.WaitForAsync(m => m.Id == fromV2.Id, "the v2 session's message at bob");
        v2.Errors.Items.Should().BeEmpty("the v2 session never gets NotInRoom, a code it does not know");
    }
}
