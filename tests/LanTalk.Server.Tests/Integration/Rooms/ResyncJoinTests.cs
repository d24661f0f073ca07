using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>
/// JoinRoom with the Resync bit resyncs a room the user is in and never joins one: a client's automatic resync of a
/// room joined on another device, arriving after the user left it on a third, joined the user again and undid the
/// leave (CI, 2026-12-07).
/// </summary>
public sealed class ResyncJoinTests
{
    [Test]
    public async Task A_resync_of_a_room_the_user_left_is_NotInRoom_and_joins_no_one()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        var laptop = await V3.LoginAsync(server, "alice");
        await using var l = laptop.Client;
        var phone = await V3.LoginAsync(server, "alice");
        await using var p = phone.Client;
        (laptop.Client.ServerHello!.Features & ServerFeatures.Resync).Should().Be(ServerFeatures.Resync, "the server announces the bit");
        await laptop.Client.JoinRoomAsync("dev");
        await laptop.Client.SendRoomAsync("dev", "keep the room");
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        await bob.Client.JoinRoomAsync("dev");
        await laptop.Client.LeaveRoomAsync("dev");

        var failure = await V3.FailureAsync(() => phone.Client.JoinRoomWithReplayAsync("dev", RoomModes.Resync));

        failure.Code.Should().Be(ErrorCode.NotInRoom);
        server.Server.Rooms.RoomNamesOf("alice").Should().NotContain("dev", "the leave stands");
        (await V3.FailureAsync(() => phone.Client.JoinRoomWithReplayAsync("nowhere", RoomModes.Resync))).Code.Should().Be(ErrorCode.NoSuchRoom);
        server.Server.Rooms.RoomExists("nowhere").Should().BeFalse("a resync creates no room");
    }

    [Test]
    public async Task A_resync_of_a_room_the_user_is_in_replays_as_a_rejoin_does()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice");
        var laptop = await V3.LoginAsync(server, "alice");
        await using var l = laptop.Client;
        await laptop.Client.JoinRoomAsync("dev");
        var sent = await laptop.Client.SendRoomAsync("dev", "said before the resync");

        var resync = await laptop.Client.CatchUpRoomAsync("dev", sent.Id - 1, RoomModes.Resync);

        resync.Room.Name.Should().Be("dev");
        resync.Replay.LastId.Should().Be(sent.Id, "the message after SinceId is replayed");
        resync.Replay.Count.Should().Be(1);
    }
}
