namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>Online status reaches a v3 session only of users it shares a room with; a v2 session sees everyone (docs/PROTOCOL.md, "Sessions").</summary>
public sealed class RoomPresenceTests
{
    [Test]
    public async Task A_v3_session_hears_only_of_users_sharing_a_room_and_a_v2_session_of_everyone()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob", "carol", "dave");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        await alice.Client.LeaveRoomAsync("lobby");
        await alice.Client.JoinRoomAsync("dev");
        var bob = await server.LoginProbeAsync("bob");
        await using var b = bob.Client;

        var carol = await V3.LoginAsync(server, "carol");
        await using var c = carol.Client;
        await bob.Joined.WaitForAsync(n => n == "carol", "the v2 session sees carol come online");
        var dave = await V3.LoginAsync(server, "dave");
        await using var d = dave.Client;
        await dave.Client.JoinRoomAsync("dev");
        await alice.Joined.WaitForAsync(n => n == "dave", "alice sees dave, who shares dev with her");
        await carol.Joined.WaitForAsync(n => n == "dave", "carol sees dave, who shares the lobby with her");

        alice.Joined.Items.Should().NotContain(["bob", "carol"], "alice shares no room with them");
        alice.Client.OnlineUsers.Select(u => u.Name).Should().BeEquivalentTo(["alice", "dave"]);
        carol.Client.OnlineUsers.Select(u => u.Name).Should().Contain(["bob", "carol", "dave"]).And.NotContain("alice");
        bob.Client.OnlineUsers.Select(u => u.Name).Should().Contain(["alice", "carol", "dave"], "a v2 session knows no rooms and sees everyone online");
    }

    [Test]
    public async Task A_v3_login_lists_only_the_users_sharing_a_room()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        var first = await V3.LoginAsync(server, "alice");
        await bob.Joined.WaitForAsync(n => n == "alice", "alice online");
        await first.Client.LeaveRoomAsync("lobby");
        await bob.Left.WaitForAsync(n => n == "alice", "alice out of bob's list: she no longer shares a room with him");
        await first.Client.DisposeAsync();

        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;

        alice.Client.OnlineUsers.Select(u => u.Name).Should().Equal(["alice"], "alice is in no room, so her list holds only herself");
        (await alice.Client.RequestUsersAsync()).Select(u => u.Name).Should().Equal(["alice"]);
    }

    [Test]
    public async Task Users_who_stop_sharing_a_room_leave_each_others_lists_and_come_back_when_they_share_one_again()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        await alice.Joined.WaitForAsync(n => n == "bob", "bob online");
        await alice.Client.JoinRoomAsync("dev");
        await bob.Client.JoinRoomAsync("dev");

        await alice.Client.LeaveRoomAsync("lobby");
        await bob.MemberChanges.WaitForAsync(c => c.Room == "lobby" && !c.Joined && c.Users.Contains("alice"), "the batch with alice leaving the lobby");
        (await bob.Client.RequestUsersAsync()).Select(u => u.Name).Should().Contain("alice", "alice and bob still share dev");
        bob.Left.Items.Should().BeEmpty();
        alice.Left.Items.Should().BeEmpty();

        await bob.Client.LeaveRoomAsync("dev");
        await alice.Left.WaitForAsync(n => n == "bob", "alice no longer shares a room with bob");
        await bob.Left.WaitForAsync(n => n == "alice", "bob no longer shares a room with alice");
        alice.Client.OnlineUsers.Select(u => u.Name).Should().Equal(["alice"]);

        int joinedBefore = alice.Joined.Items.Count(n => n == "bob");
        await bob.Client.JoinRoomAsync("dev");
        await alice.Joined.WaitUntilAsync(j => j.Count(n => n == "bob") > joinedBefore, "bob back in alice's list when he joins dev");
        await bob.Joined.WaitForAsync(n => n == "alice", "alice back in bob's list");
        alice.Client.OnlineUsers.Select(u => u.Name).Should().BeEquivalentTo(["alice", "bob"]);
    }

    [Test]
    public async Task A_user_outside_the_default_room_comes_and_goes_only_for_those_sharing_another_room()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob", "carol");
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        var carol = await V3.LoginAsync(server, "carol");
        await using var c = carol.Client;
        var first = await V3.LoginAsync(server, "alice");
        await carol.Joined.WaitForAsync(n => n == "alice", "carol sees alice while they share the lobby");
        await first.Client.JoinRoomAsync("dev");
        await bob.Client.JoinRoomAsync("dev");
        await first.Client.LeaveRoomAsync("lobby");
        await carol.Left.WaitForAsync(n => n == "alice", "alice out of carol's list: they share no room");

        await first.Client.DisposeAsync();
        await bob.Left.WaitForAsync(n => n == "alice", "bob, in the lobby and dev, sees alice (in dev only) go offline");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        await bob.Joined.WaitUntilAsync(j => j.Count(n => n == "alice") >= 2, "bob sees alice come back");
        await carol.Client.RequestUsersAsync();

        carol.Joined.Items.Count(n => n == "alice").Should().Be(1, "carol heard of alice only while they shared the lobby");
        carol.Left.Items.Count(n => n == "alice").Should().Be(1);
        carol.Client.OnlineUsers.Select(u => u.Name).Should().NotContain("alice");
        alice.Client.OnlineUsers.Select(u => u.Name).Should().BeEquivalentTo(["alice", "bob"]);
    }

    [Test]
    public async Task A_v3_session_that_shared_a_room_with_a_removed_account_hears_it_go_offline()
    {
        // The removal takes bob out of every room before the batch that reports him offline; that batch judges who
        // may hear of it by the rooms shared then, so without its own UserDisconnected alice kept him listed.
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        await alice.Joined.WaitForAsync(n => n == "bob", "alice sees bob come online");

        using (var cli = LanTalk.Server.Users.UserStore.Open(server.DataDirectory, server.Server.Settings))
        {
            cli.Remove("bob").Should().BeTrue();
        }

        (await Wait.ForAsync(bob.Client.Completion, "bob to be disconnected")).Code.Should().Be(LanTalk.Core.Protocol.ErrorCode.AccountRemoved);
        await alice.Left.WaitForAsync(n => n == "bob", "alice hears bob go offline");
        alice.Client.OnlineUsers.Select(u => u.Name).Should().Equal("alice");
        alice.Left.Items.Should().Equal(["bob"], "bob went offline once");
    }
}
