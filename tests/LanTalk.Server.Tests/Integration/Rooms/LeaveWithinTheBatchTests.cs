namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>
/// A user who goes offline in the same presence batch in which a v3 session stops sharing its last room with them:
/// the batch's UserDisconnected went only to sessions sharing a room with the user when it was sent, and the
/// "no longer share a room" UserDisconnected only named users still online, so that session was told neither and
/// kept the user listed as online for good (race audit, 2026-12-07). Batches here come only when the test flushes
/// one, so the "same batch" window is the whole test.
/// </summary>
public sealed class LeaveWithinTheBatchTests
{
    [TestCase(true, TestName = "Goes offline, then the other leaves the last shared room: the other hears it")]
    [TestCase(false, TestName = "The other leaves the last shared room, then goes offline: the other hears it")]
    public async Task A_user_going_offline_as_the_last_shared_room_is_left_leaves_the_list(bool offlineFirst)
    {
        await using var server = await TestServer.StartAsync(null, TimeSpan.FromHours(1), "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        server.Server.Rooms.FlushPresence();
        await alice.Joined.WaitForAsync(n => n == "bob", "alice lists bob, who shares the lobby with her");

        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Server.SessionEnded += _ => ended.TrySetResult();
        if (!offlineFirst)
        {
            await alice.Client.LeaveRoomAsync("lobby");
        }

        await bob.Client.DisposeAsync();
        await Wait.ForAsync(ended.Task, "bob's session ends on the server");
        if (offlineFirst)
        {
            await alice.Client.LeaveRoomAsync("lobby");
        }

        server.Server.Rooms.FlushPresence();
        await alice.Left.WaitForAsync(n => n == "bob", "alice hears bob go offline");
        alice.Client.OnlineUsers.Select(u => u.Name).Should().Equal("alice");
    }
}
