using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>
/// A v3 LeaveRoom may give a reason (RoomRequest.Text): it comes back in RoomLeft to every session of the leaver.
/// When the owner leaves and another member inherits the room, the members get the MemberLeft before the RoomInfo
/// naming the heir, as IRC shows PART before MODE +o (real server, real sockets).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class RoomLeaveReasonTests
{
    [Test]
    public async Task The_reason_reaches_the_leavers_sessions_and_members_see_the_leave_before_the_heir()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var laptop = await V3.LoginAsync(server, "alice");
        await using var l = laptop.Client;
        await using var bob = await RawClient.ConnectAsync(server.Port);
        await bob.LoginAsync("bob", version: 3);
        await alice.Client.JoinRoomAsync("dev");
        await bob.SendAsync(ChatCommand.JoinRoom, new RoomRequestPacket(7), "dev");
        await alice.MemberChanges.WaitForAsync(c => c.Room == "dev" && c.Joined && c.Users.Contains("bob"), "alice sees bob join dev");

        var left = await alice.Client.LeaveRoomAsync("dev", "handing over");

        left.Text.Should().Be("handing over");
        await laptop.RoomsLeft.WaitForAsync(x => x.Room == "dev" && x.Left.Text == "handing over", "alice's other session gets the reason");
        var frames = new List<ReceivedFrame>();
        await bob.ReadUntilAsync(
            f =>
            {
                frames.Add(f);
                return f.Packet is RoomInfoPacket { Owners: ["bob"] };
            },
            "the RoomInfo that makes bob the owner");
        frames.FindIndex(f => f.Command == ChatCommand.MemberLeft && ((UserListPacket)f.Packet).Users.Any(u => u.Name == "alice"))
            .Should().BeGreaterThanOrEqualTo(0, "bob learns that alice left before he learns that he owns the room");
    }

    [Test]
    public async Task Members_who_stay_learn_why_each_member_left_a_part_with_its_reason_or_a_kick_and_its_owner()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob", "carol", "dave");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var carol = await V3.LoginAsync(server, "carol");
        await using var c = carol.Client;
        var dave = await V3.LoginAsync(server, "dave");
        await using var d = dave.Client;
        await using var bob = await RawClient.ConnectAsync(server.Port);
        await bob.LoginAsync("bob", version: 3);
        await alice.Client.JoinRoomAsync("dev");
        await carol.Client.JoinRoomAsync("dev");
        await dave.Client.JoinRoomAsync("dev");
        await bob.SendAsync(ChatCommand.JoinRoom, new RoomRequestPacket(7), "dev");
        await alice.MemberChanges.WaitForAsync(c => c.Room == "dev" && c.Joined && c.Users.Contains("bob"), "alice sees bob join dev");

        await alice.Client.KickAsync("dev", "carol", "spam");
        await dave.Client.LeaveRoomAsync("dev", "lunch");

        var departures = new Dictionary<string, MemberDeparture>();
        await bob.ReadUntilAsync(
            f =>
            {
                if (f.Command == ChatCommand.MemberLeft && f.Packet is UserListPacket list)
                {
                    list.Departures.Should().NotBeNull("a MemberLeft says why, one departure per entry").And.HaveCount(list.Users.Count);
                    for (int i = 0; i < list.Users.Count; i++)
                    {
                        departures[list.Users[i].Name] = list.Departures![i];
                    }
                }

                return departures.Count == 2;
            },
            "the MemberLeft entries of carol and dave");
        departures["carol"].Should().Be(new MemberDeparture(RoomLeftReason.Kicked, "alice", "spam"));
        departures["dave"].Should().Be(new MemberDeparture(RoomLeftReason.Left, string.Empty, "lunch"));
    }

    [Test]
    public async Task A_reason_longer_than_390_bytes_is_cut_between_characters()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        await alice.Client.JoinRoomAsync("dev");

        var left = await alice.Client.LeaveRoomAsync("dev", new string('é', 300));

        left.Text.Should().Be(new string('é', 195), "390 bytes are 195 two-byte characters");
    }
}
