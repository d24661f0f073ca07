using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>
/// An empty room name means the default room only in a PublicMessage (v2's empty target); every other room command
/// takes it as the name of no room (PROTOCOL.md, Rooms: "An empty room name").
/// </summary>
public sealed class EmptyRoomNameTests
{
    [Test]
    public async Task An_empty_room_name_is_the_default_room_only_for_a_message_and_no_room_for_every_other_command()
    {
        // A client that took "empty = default" from PublicMessage to LeaveRoom or SetTopic got NoSuchRoom with no hint
        // why (a spec audit, 2026-12-06): this pins each command's answer as the spec now lists it.
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;

        (await alice.Client.SendRoomAsync(string.Empty, "to the default room")).Room.Should().Be("lobby");
        (await V3.FailureAsync(() => alice.Client.JoinRoomAsync(string.Empty))).Code.Should().Be(ErrorCode.InvalidRoomName);
        (await V3.FailureAsync(() => alice.Client.LeaveRoomAsync(string.Empty))).Code.Should().Be(ErrorCode.NoSuchRoom);
        (await V3.FailureAsync(() => alice.Client.SetTopicAsync(string.Empty, "topic"))).Code.Should().Be(ErrorCode.NoSuchRoom);
        (await V3.FailureAsync(() => alice.Client.InviteAsync(string.Empty, "bob"))).Code.Should().Be(ErrorCode.NoSuchRoom);
        (await V3.FailureAsync(() => alice.Client.KickAsync(string.Empty, "bob"))).Code.Should().Be(ErrorCode.NoSuchRoom);
        (await V3.FailureAsync(() => alice.Client.DeleteRoomAsync(string.Empty))).Code.Should().Be(ErrorCode.NoSuchRoom);
        (await V3.FailureAsync(() => alice.Client.SetRoomModeAsync(string.Empty, RoomModes.TopicByAnyone))).Code.Should().Be(ErrorCode.NoSuchRoom);
        (await V3.FailureAsync(() => alice.Client.HistoryAsync(HistoryScope.Room, string.Empty, 0, 10))).Code.Should().Be(ErrorCode.NoSuchRoom);
        alice.Client.Rooms.Select(r => r.Name).Should().Equal(["lobby"], "nothing changed");
    }
}
