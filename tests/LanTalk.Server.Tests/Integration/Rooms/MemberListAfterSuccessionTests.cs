namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>
/// A last owner's departure is sent at once (before the heir's RoomInfo), not with the presence batch; a member list
/// sent after it and before the batch named the owner who had gone, and no MemberLeft followed to correct it, so the
/// client kept the owner as a member until its next resync (a race audit, 2026-12-06). Batches here come only when
/// the test flushes one, so the "same batch" window is the whole test.
/// </summary>
public sealed class MemberListAfterSuccessionTests
{
    [TestCase("leave")]
    [TestCase("self-kick")]
    [TestCase("account removed")]
    public async Task A_member_list_sent_after_the_last_owner_went_and_before_the_batch_does_not_name_the_owner(string how)
    {
        await using var server = await TestServer.StartAsync(null, TimeSpan.FromHours(1), "alice", "bob", "carol");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        var carol = await V3.LoginAsync(server, "carol");
        await using var c = carol.Client;
        await alice.Client.JoinRoomAsync("dev");
        await bob.Client.JoinRoomAsync("dev");
        await carol.Client.JoinRoomAsync("dev");
        server.Server.Rooms.FlushPresence();
        // A resync: dev's member list, as of that batch, is built and kept for the lists that follow.
        (await carol.Client.JoinRoomAsync("dev")).Members.Select(m => m.Name).Should().BeEquivalentTo(["alice", "bob", "carol"]);

        // A kick is answered once the rooms file has it, after the batch: awaited at the end.
        var kick = Task.CompletedTask;
        switch (how)
        {
            case "leave":
                await alice.Client.LeaveRoomAsync("dev");
                break;
            case "self-kick":
                kick = alice.Client.KickAsync("dev", "alice", "handing over");
                break;
            default:
                server.Users.Remove("alice").Should().BeTrue();
                break;
        }

        await bob.RoomStates.WaitForAsync(r => r.Name == "dev" && r.Info.Owners.SequenceEqual(["bob"]), "bob hears he owns dev");
        var resync = await bob.Client.JoinRoomAsync("dev");
        resync.Members.Select(m => m.Name).Should().BeEquivalentTo(["bob", "carol"], "alice went, and her MemberLeft was already sent");
        var login = await V3.LoginAsync(server, "carol", "carol's second device");
        await using var c2 = login.Client;
        var atLogin = await login.RoomStates.WaitForAsync(r => r.Name == "dev", "dev at carol's second login");
        atLogin.Members.Select(m => m.Name).Should().BeEquivalentTo(["bob", "carol"]);
        server.Server.Rooms.FlushPresence();
        await kick;
    }
}
