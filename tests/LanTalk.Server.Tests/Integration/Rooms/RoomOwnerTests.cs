using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>Invite-only rooms, invitations, kick, delete and modes: what owners may do and others may not.</summary>
public sealed class RoomOwnerTests
{
    [Test]
    public async Task An_invite_only_room_admits_only_the_invited_and_only_owners_invite()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob", "carol");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        var carol = await V3.LoginAsync(server, "carol");
        await using var c = carol.Client;
        await alice.Client.JoinRoomAsync("secret", RoomModes.InviteOnly);

        (await V3.FailureAsync(() => bob.Client.JoinRoomAsync("secret"))).Code.Should().Be(ErrorCode.InviteOnly);
        await alice.Client.InviteAsync("secret", "BOB", "come in");
        var invitation = await bob.Invitations.WaitForAsync(i => i.Room == "secret", "bob's invitation");
        invitation.Invitation.Name.Should().Be("alice");
        invitation.Invitation.Text.Should().Be("come in");
        (await bob.Client.JoinRoomAsync("secret")).Members.Select(m => m.Name).Should().BeEquivalentTo("alice", "bob");

        (await V3.FailureAsync(() => bob.Client.InviteAsync("secret", "carol"))).Code.Should().Be(ErrorCode.NotRoomOwner);
        (await V3.FailureAsync(() => alice.Client.InviteAsync("secret", "nobody"))).Code.Should().Be(ErrorCode.UnknownUser);
        (await V3.FailureAsync(() => carol.Client.JoinRoomAsync("secret"))).Code.Should().Be(ErrorCode.InviteOnly);
    }

    [Test]
    public async Task An_invitation_made_while_the_invitee_was_offline_is_told_at_the_next_login_until_it_is_used()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        await alice.Client.JoinRoomAsync("secret", RoomModes.InviteOnly);
        await alice.Client.InviteAsync("secret", "bob", "come in");

        var bob = await V3.LoginAsync(server, "bob");
        await using (bob.Client)
        {
            var invitation = await bob.Invitations.WaitForAsync(i => i.Room == "secret", "the invitation, at the login");
            invitation.Invitation.Name.Should().BeEmpty("the inviter is not kept");
            invitation.Invitation.Flags.Should().HaveFlag(RoomModes.InviteOnly);
            await bob.Client.JoinRoomAsync("secret");
        }

        var again = await V3.LoginAsync(server, "bob");
        await using var b = again.Client;
        // The login's frames all come before the answer to a request sent after it.
        await again.Client.WhoIsAsync("bob");
        again.Invitations.Items.Should().BeEmpty("the join used the invitation up");
    }

    [Test]
    public async Task A_pending_invitation_is_told_at_every_v3_login_also_after_a_session_had_it_live_and_not_after_it_lapses()
    {
        // The spec said "the next v3 login"; the server tells it at each one (a spec audit, 2026-12-06). It is state,
        // like the login's room states: a second device logging in learns of it too.
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var laptop = await V3.LoginAsync(server, "bob", "laptop");
        await using var l = laptop.Client;
        await alice.Client.JoinRoomAsync("secret", RoomModes.InviteOnly);
        await alice.Client.InviteAsync("secret", "bob", "come in");
        (await laptop.Invitations.WaitForAsync(i => i.Room == "secret", "the live invitation")).Invitation.Name.Should().Be("alice");

        for (int login = 0; login < 2; login++)
        {
            var phone = await V3.LoginAsync(server, "bob", "phone");
            await using (phone.Client)
            {
                await phone.Client.WhoIsAsync("bob");
                phone.Invitations.Items.Should().ContainSingle(i => i.Room == "secret" && i.Invitation.Name.Length == 0, "login {0} holds the pending invitation", login);
            }
        }

        await alice.Client.KickAsync("secret", "bob");
        var after = await V3.LoginAsync(server, "bob", "phone");
        await using var p = after.Client;
        await after.Client.WhoIsAsync("bob");
        after.Invitations.Items.Should().BeEmpty("a withdrawn invitation is not told");
    }

    [Test]
    public async Task An_owner_kicks_a_member_who_hears_who_did_it_and_why()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        await alice.Client.JoinRoomAsync("dev");
        await bob.Client.JoinRoomAsync("dev");

        (await V3.FailureAsync(() => bob.Client.KickAsync("dev", "alice"))).Code.Should().Be(ErrorCode.NotRoomOwner);
        await alice.Client.KickAsync("dev", "bob", "spam");

        var kicked = await bob.RoomsLeft.WaitForAsync(l => l.Room == "dev", "bob is told he was kicked");
        kicked.Left.Should().Be(new RoomLeftPacket(0, RoomLeftReason.Kicked, "alice", "spam"));
        bob.Client.Rooms.Select(r => r.Name).Should().NotContain("dev");
        (await V3.FailureAsync(() => alice.Client.KickAsync("dev", "bob"))).Code.Should().Be(ErrorCode.NotInRoom);
    }

    [Test]
    public async Task Kicking_an_invited_non_member_withdraws_the_invitation_and_it_stays_withdrawn_after_a_restart()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        await alice.Client.JoinRoomAsync("secret", RoomModes.InviteOnly);
        await alice.Client.InviteAsync("secret", "bob");

        await alice.Client.KickAsync("secret", "BOB");

        (await V3.FailureAsync(() => alice.Client.KickAsync("secret", "bob"))).Code.Should().Be(ErrorCode.NotInRoom, "the invitation was withdrawn already");
        await server.StopAsync();
        await server.RestartAsync();
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        (await V3.FailureAsync(() => bob.Client.JoinRoomAsync("secret"))).Code.Should().Be(ErrorCode.InviteOnly);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task A_message_sent_right_before_its_room_goes_is_acknowledged_and_its_history_goes_with_the_room(bool delete)
    {
        // Before, a message stored just after the deletion (or the sender's leave) got no echo and outlived the room.
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice");
        var removal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Raised once the registry has queued the removal with the history writer (RoomRegistry.StartPurge).
        server.Server.Rooms.RoomDeleted += (_, _) => removal.TrySetResult();
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        await alice.Client.JoinRoomAsync("dev");

        var sent = alice.Client.SendRoomAsync("dev", "last words");
        var gone = delete ? alice.Client.DeleteRoomAsync("dev") : alice.Client.LeaveRoomAsync("dev");

        var echo = await sent;
        await gone;
        echo.Text.Should().Be("last words");
        await Wait.ForAsync(removal.Task, "the room's history removal is queued");
        // The writer runs in order: once a later message is stored, the removal has run.
        await alice.Client.SendRoomAsync("lobby", "after the removal");
        server.History.Find((long)echo.Id).Should().BeNull("the removal takes every message of the room, also one stored after the deletion");
    }

    [Test]
    public async Task Deleting_a_room_removes_every_member_and_the_default_room_cannot_be_deleted()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        await alice.Client.JoinRoomAsync("dev");
        await bob.Client.JoinRoomAsync("dev");

        (await V3.FailureAsync(() => bob.Client.DeleteRoomAsync("dev"))).Code.Should().Be(ErrorCode.NotRoomOwner);
        await alice.Client.DeleteRoomAsync("dev");

        (await bob.RoomsLeft.WaitForAsync(l => l.Room == "dev", "bob hears of the deletion")).Left.Reason.Should().Be(RoomLeftReason.Deleted);
        (await alice.Client.ListRoomsAsync()).Select(r => r.Name).Should().Equal("lobby");
        (await V3.FailureAsync(() => alice.Client.DeleteRoomAsync("lobby"))).Code.Should().Be(ErrorCode.NotRoomOwner);
    }

    [Test]
    public async Task A_mode_change_reaches_every_member_and_only_an_owner_may_make_it()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        await alice.Client.JoinRoomAsync("dev");
        await bob.Client.JoinRoomAsync("dev");

        (await V3.FailureAsync(() => bob.Client.SetRoomModeAsync("dev", RoomModes.InviteOnly))).Code.Should().Be(ErrorCode.NotRoomOwner);
        var info = await alice.Client.SetRoomModeAsync("dev", RoomModes.InviteOnly | RoomModes.YouOwn);

        info.Flags.Should().Be(RoomModes.InviteOnly | RoomModes.YouOwn, "YouOwn is the server's to say; the room's mode is only InviteOnly");
        (await bob.RoomStates.WaitForAsync(r => r.Name == "dev" && r.Info.Flags.HasFlag(RoomModes.InviteOnly), "bob sees the new mode"))
            .Info.Flags.Should().Be(RoomModes.InviteOnly);
    }

    [Test]
    public async Task Anyone_in_the_default_room_may_set_its_topic_but_nobody_its_mode()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;

        // The default room has no owner: without this its topic could never be set.
        var topic = await bob.Client.SetTopicAsync("lobby", "standup at 10");

        topic.Text.Should().Be("standup at 10");
        (await V3.FailureAsync(() => alice.Client.SetRoomModeAsync("lobby", RoomModes.InviteOnly))).Code.Should().Be(ErrorCode.NotRoomOwner);
        var kick = await V3.FailureAsync(() => alice.Client.KickAsync("lobby", "bob"));
        kick.Code.Should().Be(ErrorCode.NotRoomOwner);
        kick.Message.Should().Contain("'lobby' is the default room: it has no owners", "'only an owner may' would send the user looking for one");
    }
}
