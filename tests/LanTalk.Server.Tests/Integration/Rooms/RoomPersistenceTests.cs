using LanTalk.Core.Packets;
using LanTalk.Server.Net;
using LanTalk.Server.Rooms;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>Rooms, modes, topics, owners and members survive a restart (Rooms.xml in the data directory).</summary>
public sealed class RoomPersistenceTests
{
    [Test]
    public async Task Rooms_and_membership_survive_a_restart()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        await using (var alice = (await V3.LoginAsync(server, "alice")).Client)
        await using (var bob = (await V3.LoginAsync(server, "bob")).Client)
        {
            await alice.JoinRoomAsync("dev", RoomModes.InviteOnly);
            await alice.SetTopicAsync("dev", "ship it");
            await alice.InviteAsync("dev", "bob");
            await bob.JoinRoomAsync("dev");
            await bob.LeaveRoomAsync("lobby");
        }

        await server.StopAsync();
        await server.RestartAsync();

        var bobAgain = await V3.LoginAsync(server, "bob");
        await using var b = bobAgain.Client;
        var dev = await bobAgain.RoomStates.WaitForAsync(r => r.Name == "dev", "bob is back in dev at login");
        dev.Info.Topic.Should().Be("ship it");
        dev.Info.TopicBy.Should().Be("alice");
        dev.Info.Owners.Should().Equal("alice");
        dev.Info.Flags.Should().Be(RoomModes.InviteOnly);
        dev.Members.Select(m => m.Name).Should().BeEquivalentTo("alice", "bob");
        bobAgain.Client.Rooms.Select(r => r.Name).Should().Equal(["dev"], "bob left the default room, and that is kept too");
    }

    [Test]
    public async Task A_new_rooms_first_message_is_acknowledged_only_once_the_rooms_file_holds_the_room()
    {
        // Acknowledged means it survives kill -9; a room lost from Rooms.xml would leave it reachable by nobody.
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;

        await alice.Client.JoinRoomAsync("fresh");
        await alice.Client.SendRoomAsync("fresh", "first words");

        RoomsFile.In(server.DataDirectory).Load().Rooms.Should().Contain(r => r.Name == "fresh");
    }

    [Test]
    public async Task A_deletion_is_done_only_once_the_rooms_file_no_longer_lists_the_room()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        await alice.Client.JoinRoomAsync("doomed");
        await alice.Client.SendRoomAsync("doomed", "persisted by now");
        RoomsFile.In(server.DataDirectory).Load().Rooms.Should().Contain(r => r.Name == "doomed");

        await alice.Client.DeleteRoomAsync("doomed");

        RoomsFile.In(server.DataDirectory).Load().Rooms.Should().NotContain(r => r.Name == "doomed", "an owner told 'deleted' must not see it return after a kill -9");
    }

    [Test]
    public async Task A_malformed_rooms_file_stops_the_server_with_the_file_line_and_fix()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "Rooms.xml");
        File.WriteAllText(path, "<?xml version=\"1.0\"?>\n<Rooms version=\"1\">\n  <Room name=\"#dev\" modes=\"0\" />\n</Rooms>\n");
        using var users = LanTalk.Server.Users.UserStore.Open(dir.Path, ServerSettings.Default);

        var act = () => new ChatServer(ServerSettings.Default with { TlsMode = TlsMode.Off }, users, roomsFile: path);

        act.Should().Throw<InvalidDataException>()
            .WithMessage($"*{path}, line 3*#dev*starts with a letter or digit*Fix the file*");
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_rooms_save_that_failed_is_retried_without_a_further_change(bool stopRightAway)
    {
        // Before, a failed save waited for the next room change: a disk full for a moment, then a clean stop (or no
        // further change), and the rooms created meanwhile were gone after the restart.
        await using var server = await TestServer.StartAsync(null, "alice");
        server.ExpectErrors("Could not save the rooms");
        string path = TestServer.RoomsFilePath(server.DataDirectory);
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var savedAgain = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Server.Rooms.Saved += ok =>
        {
            if (!ok)
            {
                failed.TrySetResult();
            }
            else if (failed.Task.IsCompleted)
            {
                savedAgain.TrySetResult();
            }
        };
        // A directory where the atomic write puts its temp file fails every save, even for root (unlike a chmod).
        string blocker = $"{path}.{Environment.ProcessId}.tmp";
        Directory.CreateDirectory(blocker);
        await using (var alice = (await V3.LoginAsync(server, "alice")).Client)
        {
            await alice.JoinRoomAsync("dev", RoomModes.None);
            await Wait.ForAsync(failed.Task, "the save after the join fails");
        }

        Directory.Delete(blocker);
        if (stopRightAway)
        {
            await server.StopAsync();
        }
        else
        {
            await Wait.ForAsync(savedAgain.Task, "the failed save is retried with no further change", TimeSpan.FromSeconds(15));
        }

        RoomsFile.In(server.DataDirectory).Load().Rooms.Select(r => r.Name).Should().Contain("dev");
    }
}
