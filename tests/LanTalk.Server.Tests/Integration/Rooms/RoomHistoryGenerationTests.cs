using LanTalk.Core.Packets;

namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>
/// A room created under a name that had history before (a deleted room whose history is still being removed, or a
/// room a kill -9 lost from Rooms.xml after its messages were committed) shows none of it: not in the replay, not in
/// History, not in Search.
/// </summary>
public sealed class RoomHistoryGenerationTests
{
    [Test]
    public async Task A_new_room_under_an_old_name_shows_nothing_of_the_earlier_rooms_messages()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        // Stored for a room no registry knows, as a kill -9 within a rooms-file save interval leaves it.
        var orphan = await server.History.AppendRoomAsync("secret", "alice", "the launch code is 1234");
        orphan.IsStored.Should().BeTrue();
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;

        await bob.Client.JoinRoomAsync("secret");
        var mine = await bob.Client.SendRoomAsync("secret", "a fresh start");
        var history = await bob.Client.HistoryAsync(HistoryScope.Room, "secret", 0, 50);
        var search = await bob.Client.SearchAsync("launch");

        // The join's replay came before the History answer on the same connection.
        bob.Messages.Items.Should().NotContain(m => m.Text == "the launch code is 1234");
        history.Messages.Select(m => m.Text).Should().Equal("a fresh start");
        history.End.Remaining.Should().Be(0);
        search.Messages.Should().BeEmpty("the earlier room's message is not this room's");
        (await bob.Client.SearchAsync("fresh")).Messages.Select(m => m.Id).Should().Equal(mine.Id);
    }
}
