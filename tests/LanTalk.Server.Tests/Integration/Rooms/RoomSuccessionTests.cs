using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>A room whose last owner goes gets the longest-present member as its owner, announced with RoomInfo.</summary>
public sealed class RoomSuccessionTests
{
    [Test]
    public async Task When_the_last_owner_leaves_the_longest_present_member_owns_the_room()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob", "zed");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        var zed = await V3.LoginAsync(server, "zed");
        await using var z = zed.Client;
        await alice.Client.JoinRoomAsync("dev");
        await zed.Client.JoinRoomAsync("dev");
        // Join times are in milliseconds: bob must join in a later one, or the tie goes to the name ("bob" < "zed").
        long zedJoined = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        SpinWait.SpinUntil(() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() > zedJoined, TimeSpan.FromSeconds(1)).Should().BeTrue();
        await bob.Client.JoinRoomAsync("dev");

        await alice.Client.LeaveRoomAsync("dev");

        var atZed = await zed.RoomStates.WaitForAsync(r => r.Name == "dev" && r.Info.Owners.Count > 0 && r.Info.Owners[0] != "alice", "zed hears who owns dev now");
        atZed.Info.Owners.Should().Equal(["zed"], "zed joined before bob");
        atZed.Info.Flags.Should().HaveFlag(RoomModes.YouOwn);
        var atBob = await bob.RoomStates.WaitForAsync(r => r.Name == "dev" && r.Info.Owners.SequenceEqual(["zed"]), "bob hears zed owns dev");
        atBob.Info.Flags.Should().NotHaveFlag(RoomModes.YouOwn);
        atBob.Info.MemberCount.Should().Be(2);
        (await zed.Client.SetTopicAsync("dev", "zed's room now")).SetBy.Should().Be("zed");
        (await V3.FailureAsync(() => bob.Client.KickAsync("dev", "zed"))).Code.Should().Be(ErrorCode.NotRoomOwner);
    }

    [TestCase("self-kick")]
    [TestCase("account removed")]
    public async Task A_last_owner_who_goes_otherwise_than_by_leaving_is_seen_going_before_the_heir_is_announced(string how)
    {
        // Batches 3 s apart: the owner's MemberLeft used to wait for the batch, while the heir's RoomInfo came at once.
        await using var server = await TestServer.StartAsync(null, TimeSpan.FromSeconds(3), "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        await alice.Client.JoinRoomAsync("dev");
        await bob.Client.JoinRoomAsync("dev");

        if (how == "self-kick")
        {
            await alice.Client.KickAsync("dev", "alice", "handing over");
        }
        else
        {
            server.Users.Remove("alice").Should().BeTrue();
        }

        await bob.RoomStates.WaitForAsync(r => r.Name == "dev" && r.Info.Owners.SequenceEqual(["bob"]), "bob hears he owns dev");
        bob.MemberChanges.Items.Should().Contain(c => c.Room == "dev" && !c.Joined && c.Users.Contains("alice"), "first who went, then who owns the room now");
    }

    [Test]
    public async Task A_removed_account_leaves_its_rooms_and_its_rooms_get_a_new_owner()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        await alice.Client.JoinRoomAsync("dev", RoomModes.InviteOnly);
        await alice.Client.InviteAsync("dev", "bob");
        await bob.Client.JoinRoomAsync("dev");

        server.Users.Remove("alice").Should().BeTrue();

        var info = await bob.RoomStates.WaitForAsync(r => r.Name == "dev" && r.Info.Owners.SequenceEqual(["bob"]), "bob owns dev once alice's account is gone");
        info.Info.Flags.Should().HaveFlag(RoomModes.YouOwn);
        await bob.MemberChanges.WaitForAsync(c => c.Room == "dev" && !c.Joined && c.Users.Contains("alice"), "alice leaves dev with her account");
        (await bob.Client.ListRoomsAsync()).Single(r => r.Name == "dev").MemberCount.Should().Be(1);
    }

    [Test]
    public async Task A_member_Rooms_xml_names_without_an_account_is_passed_over_and_the_first_joiner_owns_a_room_of_only_such()
    {
        // Rooms.xml kept 'nobody' (an account removed while the server was stopped): at start it became dev's owner.
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        await server.StopAsync();
        File.WriteAllText(TestServer.RoomsFilePath(server.DataDirectory), "<Rooms version=\"1\">"
            + "<Room name=\"dev\" modes=\"0\"><Member name=\"nobody\" joined=\"1\" /><Member name=\"alice\" joined=\"5\" /></Room>"
            + "<Room name=\"ghosts\" modes=\"0\"><Member name=\"nobody\" joined=\"1\" /></Room></Rooms>");
        await server.RestartAsync();

        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var dev = await alice.RoomStates.WaitForAsync(r => r.Name == "dev", "dev at alice's login");
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        await bob.Client.JoinRoomAsync("ghosts");
        var ghosts = await bob.RoomStates.WaitForAsync(r => r.Name == "ghosts" && r.Info.Owners.Count > 0, "bob hears who owns ghosts");

        dev.Info.Owners.Should().Equal(["alice"], "the longest member with an account inherits, not 'nobody'");
        dev.Info.Flags.Should().HaveFlag(RoomModes.YouOwn);
        ghosts.Info.Owners.Should().Equal(["bob"], "a room whose members all lack an account goes to the first user with one who joins");
        ghosts.Info.Flags.Should().HaveFlag(RoomModes.YouOwn);
        (await bob.Client.SetTopicAsync("ghosts", "bob's now")).SetBy.Should().Be("bob");
    }

    [Test]
    public async Task An_account_removed_while_the_server_was_stopped_leaves_its_rooms_and_a_new_account_of_its_name_inherits_nothing()
    {
        // 'dave' owned the invite-only vault and 'erin' was invited; both accounts were removed while the server was
        // stopped (user remove edits only Users.xml). dave stayed vault's owner, so bob could not manage it, and new
        // accounts of those names came back a member and owner, and invited (a rooms audit, 2026-12-05).
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        await server.StopAsync();
        File.WriteAllText(TestServer.RoomsFilePath(server.DataDirectory), "<Rooms version=\"1\">"
            + "<Room name=\"vault\" modes=\"1\"><Owner name=\"dave\" /><Invited name=\"erin\" />"
            + "<Member name=\"dave\" joined=\"1\" /><Member name=\"bob\" joined=\"5\" /></Room>"
            + "<LeftDefault name=\"dave\" /></Rooms>");
        await server.RestartAsync();

        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        var vault = await bob.RoomStates.WaitForAsync(r => r.Name == "vault", "vault at bob's login");
        vault.Info.Owners.Should().Equal(["bob"], "the owner without an account is gone, and bob, the member with one, inherits");
        vault.Info.MemberCount.Should().Be(1);
        (await bob.Client.SetRoomModeAsync("vault", RoomModes.InviteOnly | RoomModes.TopicByAnyone)).Flags.Should().HaveFlag(RoomModes.TopicByAnyone, "bob manages vault now");

        server.Users.Add("dave", TestServer.Password);
        server.Users.Add("erin", TestServer.Password);
        var dave = await V3.LoginAsync(server, "dave");
        await using var d = dave.Client;
        var rooms = await dave.Client.ListRoomsAsync();
        rooms.Should().NotContain(r => r.Name == "vault", "the new dave is in no room of the old one's, and vault is invite-only");
        await dave.RoomStates.WaitForAsync(r => r.Name == server.Server.Settings.DefaultRoom, "the new dave starts in the default room");
        var erin = await V3.LoginAsync(server, "erin");
        await using var e = erin.Client;
        (await V3.FailureAsync(() => erin.Client.JoinRoomAsync("vault"))).Code.Should().Be(ErrorCode.InviteOnly, "the removed erin's invitation is not the new erin's");
    }
}
