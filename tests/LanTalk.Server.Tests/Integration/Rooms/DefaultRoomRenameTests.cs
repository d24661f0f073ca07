namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>
/// Who left the default room left that room: after DefaultRoom is renamed in Settings.xml everyone is put in the new
/// one at login. A user who had once left the old one never was (a rooms audit, 2026-12-05). Real server, real Rooms.xml.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class DefaultRoomRenameTests
{
    [Test]
    public async Task After_the_default_room_is_renamed_a_user_who_had_left_the_old_one_is_put_in_the_new_one()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await alice.Client.LeaveRoomAsync("lobby");
        await alice.Client.DisposeAsync();
        await server.StopAsync();
        File.ReadAllText(TestServer.RoomsFilePath(server.DataDirectory)).Should().Contain("defaultRoom=\"lobby\"").And.Contain("<LeftDefault name=\"alice\"");

        await server.RestartAsync(s => s with { DefaultRoom = "hall" });

        var again = await V3.LoginAsync(server, "alice");
        await using var a = again.Client;
        await again.RoomStates.WaitForAsync(r => r.Name == "hall", "alice is put in the new default room");
    }

    [Test]
    public async Task A_file_from_before_the_default_room_was_recorded_is_judged_by_whether_the_new_default_room_is_in_it()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        await server.StopAsync();
        File.WriteAllText(TestServer.RoomsFilePath(server.DataDirectory), "<Rooms version=\"1\">"
            + "<Room name=\"lobby\" modes=\"0\"><Member name=\"bob\" joined=\"1\" /></Room><LeftDefault name=\"alice\" /></Rooms>");
        await server.RestartAsync(s => s with { DefaultRoom = "hall" });

        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        await alice.RoomStates.WaitForAsync(r => r.Name == "hall", "alice is put in hall, which she never left");
    }

    [Test]
    public async Task Without_a_rename_a_user_who_left_the_default_room_stays_out_of_it_across_a_restart()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        var alice = await V3.LoginAsync(server, "alice");
        await alice.Client.LeaveRoomAsync("lobby");
        await alice.Client.DisposeAsync();
        await server.StopAsync();
        await server.RestartAsync();

        var again = await V3.LoginAsync(server, "alice");
        await using var a = again.Client;
        (await again.Client.ListRoomsAsync()).Should().Contain(r => r.Name == "lobby");
        again.RoomStates.Items.Should().NotContain(r => r.Name == "lobby", "she left it, and it is still the default room");
    }
}
