using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>
/// An account removed and created again under the same name is another person: nothing of the old account (its
/// sessions, rooms, ownership, invitations) passes to the new one, and an IRC guest never shares a name with an account.
/// Each case was found by a client written from the spec alone (2026-12-06).
/// </summary>
[TestFixture]
public sealed class AccountRecreationTests
{
    private const string NewPassword = "a new person's password";

    [Test]
    public async Task An_account_removed_and_created_again_between_two_polls_loses_its_sessions_and_rooms()
    {
        // remove then add at once: the server's poll saw the name in both files and kept bob's session open, which
        // then received alice's private message meant for the new bob.
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        await bob.Client.JoinRoomAsync("bobs", RoomModes.InviteOnly);
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;

        using (var cli = UserStore.Open(server.DataDirectory, server.Server.Settings))
        {
            cli.Remove("bob").Should().BeTrue();
            cli.Add("bob", NewPassword, TestServer.TestIterations);
        }

        (await Wait.ForAsync(bob.Client.Completion, "the old bob's session to be closed")).Code.Should().Be(ErrorCode.AccountRemoved);
        await using var newBob = await server.ConnectAsync(V3.Options());
        var probe = new ClientProbe(newBob);
        await newBob.LoginAsync("bob", NewPassword);
        await probe.RoomStates.WaitForAsync(r => r.Name == server.Server.Settings.DefaultRoom, "the new bob in the default room");
        (await alice.Client.ListRoomsAsync()).Should().NotContain(r => r.Name == "bobs", "the old bob's room went with him (he was its only member)");
        probe.RoomStates.Items.Should().NotContain(r => r.Name == "bobs");
    }

    [Test]
    public async Task A_new_account_of_a_name_removed_while_the_server_was_stopped_inherits_no_rooms_ownership_or_invitation()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob", "carol");
        var bob = await V3.LoginAsync(server, "bob");
        await using (bob.Client)
        {
            await bob.Client.JoinRoomAsync("bobs", RoomModes.InviteOnly);
            await bob.Client.InviteAsync("bobs", "alice");
            var alice = await V3.LoginAsync(server, "alice");
            await using (alice.Client)
            {
                await alice.Client.JoinRoomAsync("bobs");
                await alice.Client.JoinRoomAsync("club", RoomModes.InviteOnly);
                await alice.Client.InviteAsync("club", "bob");
            }
        }

        await server.StopAsync();
        using (var cli = UserStore.Open(server.DataDirectory, server.Server.Settings))
        {
            cli.Remove("bob").Should().BeTrue();
            cli.Add("bob", NewPassword, TestServer.TestIterations);
        }

        // A real start opens Users.xml afresh; the test server keeps its store across the restart.
        server.Users.Sync();
        await server.RestartAsync();
        await using var newBob = await server.ConnectAsync(V3.Options());
        var probe = new ClientProbe(newBob);
        await newBob.LoginAsync("bob", NewPassword);
        await probe.RoomStates.WaitForAsync(r => r.Name == server.Server.Settings.DefaultRoom, "the new bob in the default room");
        probe.RoomStates.Items.Should().NotContain(r => r.Name == "bobs", "the old bob's room and ownership are not the new one's");
        (await V3.FailureAsync(() => newBob.JoinRoomAsync("club"))).Code.Should().Be(ErrorCode.InviteOnly, "the old bob's invitation is not the new one's");
        var alice2 = await V3.LoginAsync(server, "alice");
        await using var a2 = alice2.Client;
        var bobs = await alice2.RoomStates.WaitForAsync(r => r.Name == "bobs", "bobs at alice's login");
        bobs.Info.Owners.Should().Equal(["alice"], "alice, the member left, inherits it");
    }

    [Test]
    public async Task A_guest_is_disconnected_when_an_account_of_its_name_is_created_and_Register_refuses_a_guest_s_name()
    {
        await using var server = await TestServer.StartIrcAsync(s => s with { AllowGuests = true, GuestPrefix = string.Empty, AllowRegistration = true }, "alice");
        await using var zed = await IrcTestClient.RegisterAsync(server.IrcPort, "zed", password: null);
        await using var yuki = await IrcTestClient.RegisterAsync(server.IrcPort, "yuki", password: null);

        await using (var registering = await server.ConnectAsync(V3.Options()))
        {
            (await V3.FailureAsync(() => registering.RegisterAsync("yuki", NewPassword))).Code.Should().Be(ErrorCode.UserExists, "the guest yuki is online");
        }

        server.Users.Find("yuki").Should().BeNull();
        using (var cli = UserStore.Open(server.DataDirectory, server.Server.Settings))
        {
            cli.Add("zed", NewPassword, TestServer.TestIterations);
        }

        var closing = await zed.ExpectClosedAsync();
        closing.Should().Contain(l => l.StartsWith("ERROR ", StringComparison.Ordinal) && l.Contains("an account named zed was just created", StringComparison.Ordinal));
        await using var newZed = await server.ConnectAsync(V3.Options());
        var probe = new ClientProbe(newZed);
        (await newZed.LoginAsync("zed", NewPassword)).SessionCount.Should().Be(1, "the guest is gone, not a second session of the account");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        await alice.Client.SendPrivateAsync("zed", "for the new zed only");
        (await probe.Messages.WaitForAsync(m => m.Text == "for the new zed only", "alice's message")).From.Should().Be("alice");
        (await V3.FailureAsync(() => alice.Client.InviteAsync(server.Server.Settings.DefaultRoom, "yuki"))).Code.Should().Be(ErrorCode.UnknownUser, "a guest cannot be invited");
    }
}
