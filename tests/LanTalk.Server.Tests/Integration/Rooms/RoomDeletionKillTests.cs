using System.Text.RegularExpressions;
using LanTalk.Core.Client;
using LanTalk.Server.History;
using LanTalk.Server.Rooms;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>
/// The real server, killed with SIGKILL the moment the owner of a room with 20,000 stored messages is told Done for
/// its deletion: after the restart the removal of those messages is finished. Before, they stayed in history.db for
/// good, shown to nobody but copied into every backup (a fault-injection audit, 2026-12-07).
/// </summary>
[TestFixture]
[Platform("Linux")]
public sealed partial class RoomDeletionKillTests
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private const int Messages = 20_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task A_room_deletion_cut_short_by_kill_9_is_finished_after_the_restart_and_touches_nothing_else()
    {
        using var data = new TempDirectory();
        File.WriteAllText(data.File("Settings.xml"), "<Settings>\n  <PasswordIterations>1000</PasswordIterations>\n</Settings>\n");
        (await OpsProcess.RunAsync("correct horse\n", "user", "add", "alice", "--password-stdin", "--data", data.Path)).ExitCode.Should().Be(0);
        long privateId;
        await using (var history = MessageStore.Open(data.Path, ServerSettings.Default, startRetention: false))
        {
            // Stored for a room missing from Rooms.xml, which was never deleted (a lost file): they must stay.
            await history.AppendRoomAsync("lost", "alice", "a message of a room only a restored Rooms.xml shows");
            await Task.WhenAll(Enumerable.Range(0, Messages).Select(i => history.AppendRoomAsync("dev", "alice", $"secret-{i} of the room to delete")));
            privateId = (await history.AppendPrivateAsync("alice", "bob", "a private message stays")).Id;
        }

        File.WriteAllText(data.File(RoomsFile.FileName),
            "<Rooms version=\"1\"><Room name=\"dev\" modes=\"0\"><Owner name=\"alice\" /><Member name=\"alice\" joined=\"1\" /></Room></Rooms>");

        await using (var server = OpsProcess.Start("--data", data.Path, "--plaintext", "--listen", "127.0.0.1", "--port", "0"))
        {
            int port = await server.WaitForPortAsync();
            var client = new ChatClient(new ChatClientOptions { Version = 3, ConnectTimeout = TimeSpan.FromSeconds(20), RequestTimeout = TimeSpan.FromSeconds(20) });
            await using var _ = client;
            await client.ConnectAsync("127.0.0.1", port);
            await client.LoginAsync("alice", "correct horse");

            await client.DeleteRoomAsync("dev");
            server.Signal(SigKill);
            await server.WaitForExitAsync(Timeout);
        }

        int left = RowsOf(data.Path, "dev");
        if (left == 0)
        {
            Assert.Inconclusive("the removal finished before the kill landed; nothing was cut short");
        }

        await using (var server = OpsProcess.Start("--data", data.Path, "--plaintext", "--listen", "127.0.0.1", "--port", "0"))
        {
            await server.WaitForPortAsync();
            await server.WaitForLineAsync(Removed(), Timeout);
            server.Signal(SigTerm);
            (await server.WaitForExitAsync(Timeout)).Should().Be(0, server.Output);
        }

        RowsOf(data.Path, "dev").Should().Be(0, "the {0} rows the kill left are removed after the restart", left);
        RowsOf(data.Path, "lost").Should().Be(1, "only a deleted room's rows go, not those of a room missing from Rooms.xml");
        await using (var history = MessageStore.Open(data.Path, ServerSettings.Default, startRetention: false))
        {
            history.Find(privateId).Should().NotBeNull("private messages are not a room's");
        }

        RoomsFile.In(data.Path).Load().DeletedRooms.Should().BeNullOrEmpty("the entry goes once the removal is complete");
    }

    private static int RowsOf(string dataDirectory, string room)
    {
        using var history = MessageStore.Open(dataDirectory, ServerSettings.Default, startRetention: false);
        return history.After(room, 0, int.MaxValue).Messages.Count;
    }

    [GeneratedRegex("The stored messages of the deleted room 'dev' are removed")]
    private static partial Regex Removed();
}
