using LanTalk.Core.Packets;

namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>
/// The client API's member events name real changes only: a MemberJoined batch may name users the member list already
/// gave (docs/PROTOCOL.md: the joining session's own join, a login within the batch), and a client must not show
/// them as joining again.
/// </summary>
public sealed class MemberEventTests
{
    [Test]
    public async Task A_member_already_in_the_list_raises_no_joined_event_and_a_newcomer_does()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;

        // The member list alice gets at her join names her; her own MemberJoined follows in the batch, in the same
        // batch as bob's join or an earlier one (batches go out in order).
        await alice.Client.JoinRoomAsync("dev", RoomModes.None);
        await bob.Client.JoinRoomAsync("dev");
        await alice.MemberChanges.WaitForAsync(c => c.Room == "dev" && c.Joined && c.Users.Contains("bob"), "bob joining dev");

        alice.MemberChanges.Items.Should().NotContain(c => c.Room == "dev" && c.Users.Contains("alice"), "alice was in the member list of her own join");
    }
}
