using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>Every room limit in Settings.xml answers with its error code and leaves the session open.</summary>
public sealed class RoomLimitTests
{
    [TestCase("#dev")]
    [TestCase("two words")]
    [TestCase("_dev")]
    [TestCase("abcdefghijklmnopqrstuvwxyz1234567")]
    public async Task A_name_that_breaks_the_rules_is_InvalidRoomName(string name)
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;

        var failure = await V3.FailureAsync(() => alice.Client.JoinRoomAsync(name));

        failure.Code.Should().Be(ErrorCode.InvalidRoomName);
        failure.Message.Should().Contain(name);
        alice.Client.IsConnected.Should().BeTrue();
    }

    [Test]
    public async Task A_new_room_named_like_another_plus_an_invisible_mark_is_InvalidRoomName_but_an_older_such_room_can_be_joined()
    {
        // "secret" + U+FE0F was created next to the invite-only "secret" and listed looking like it (a security audit, 2026-12-06).
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        await server.StopAsync();
        File.WriteAllText(TestServer.RoomsFilePath(server.DataDirectory), "<Rooms version=\"1\">"
            + "<Room name=\"old\uFE0F\" modes=\"0\"><Member name=\"bob\" joined=\"1\" /></Room></Rooms>");
        await server.RestartAsync();
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;

        var failure = await V3.FailureAsync(() => alice.Client.JoinRoomAsync("secret\uFE0F"));

        failure.Code.Should().Be(ErrorCode.InvalidRoomName);
        failure.Message.Should().Contain("U+FE0F").And.Contain("invisible");
        (await alice.Client.ListRoomsAsync()).Should().NotContain(r => r.Name.StartsWith("secret", StringComparison.Ordinal));
        (await alice.Client.JoinRoomAsync("old\uFE0F")).Name.Should().Be("old\uFE0F", "a room made before the rule keeps working");
    }

    [Test]
    public async Task MaxRooms_counts_the_default_room_and_MaxRoomsPerUser_counts_the_users_rooms()
    {
        await using var server = await TestServer.StartAsync(s => s with { MaxRooms = 3, MaxRoomsPerUser = 2 }, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;

        await alice.Client.JoinRoomAsync("one");
        (await V3.FailureAsync(() => alice.Client.JoinRoomAsync("two"))).Code.Should().Be(ErrorCode.TooManyRooms, "alice is in lobby and one");
        await bob.Client.JoinRoomAsync("three");
        (await V3.FailureAsync(() => bob.Client.JoinRoomAsync("four"))).Code.Should().Be(ErrorCode.TooManyRooms, "the server has 3 rooms");
    }

    [Test]
    public async Task MaxRoomMembers_makes_a_full_room_refuse_one_more()
    {
        await using var server = await TestServer.StartAsync(s => s with { MaxRoomMembers = 2 }, "alice", "bob", "carol");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        var carol = await V3.LoginAsync(server, "carol");
        await using var c = carol.Client;

        await alice.Client.JoinRoomAsync("dev");
        await bob.Client.JoinRoomAsync("dev");

        (await V3.FailureAsync(() => carol.Client.JoinRoomAsync("dev"))).Code.Should().Be(ErrorCode.RoomFull);
        carol.Client.Rooms.Select(r => r.Name).Should().Equal(["lobby"], "the default room is exempt from MaxRoomMembers");
    }

    [Test]
    public async Task A_user_at_MaxRoomsPerUser_joining_a_full_room_hears_RoomFull_and_an_uninvited_one_InviteOnly()
    {
        // The room's refusals come before the user's own limit: leaving a room would not get carol in (PROTOCOL.md,
        // Rooms, the order of JoinRoom's checks; a spec audit, 2026-12-06, found the order unstated).
        await using var server = await TestServer.StartAsync(s => s with { MaxRoomMembers = 2, MaxRoomsPerUser = 2 }, "alice", "bob", "carol");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        var carol = await V3.LoginAsync(server, "carol");
        await using var c = carol.Client;
        await alice.Client.JoinRoomAsync("dev");
        await bob.Client.JoinRoomAsync("dev");
        await alice.Client.LeaveRoomAsync("lobby");
        await alice.Client.JoinRoomAsync("secret", RoomModes.InviteOnly);
        await carol.Client.JoinRoomAsync("x1");

        (await V3.FailureAsync(() => carol.Client.JoinRoomAsync("dev"))).Code.Should().Be(ErrorCode.RoomFull);
        (await V3.FailureAsync(() => carol.Client.JoinRoomAsync("secret"))).Code.Should().Be(ErrorCode.InviteOnly);
        (await V3.FailureAsync(() => carol.Client.JoinRoomAsync("open"))).Code.Should().Be(ErrorCode.TooManyRooms);
    }

    [Test]
    public async Task With_room_creation_off_only_existing_rooms_can_be_joined()
    {
        await using var server = await TestServer.StartAsync(s => s with { AllowRoomCreation = false }, "alice");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;

        (await V3.FailureAsync(() => alice.Client.JoinRoomAsync("dev"))).Code.Should().Be(ErrorCode.NoSuchRoom);
        await alice.Client.LeaveRoomAsync("lobby");
        (await alice.Client.JoinRoomAsync("LOBBY")).Info.Flags.Should().HaveFlag(RoomModes.Default);
    }

    [Test]
    public async Task An_away_text_above_MaxAwayBytes_is_TopicTooLong()
    {
        await using var server = await TestServer.StartAsync(s => s with { MaxAwayBytes = 4 }, "alice");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;

        (await V3.FailureAsync(() => alice.Client.SetAwayAsync("lunch"))).Code.Should().Be(ErrorCode.TopicTooLong);
        (await alice.Client.SetAwayAsync("tea")).Text.Should().Be("tea");
    }
}
