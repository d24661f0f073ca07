using LanTalk.Server.Rooms;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit.Rooms;

/// <summary>
/// A deleted room stays listed in Rooms.xml (&lt;DeletedRoom&gt;) until the removal of its stored messages is complete,
/// and a start takes up a removal the file still lists: a kill -9 right after the owner's Done left all of a big room's
/// rows in history.db for good (a fault-injection audit, 2026-12-07).
/// </summary>
[TestFixture]
public sealed class DeletedRoomPurgeTests : TempDirectoryFixture
{
    private static readonly ServerSettings s_settings = ServerSettings.Default;

    /// <summary>The removals the registry started, each answered by the test.</summary>
    private sealed class FakeRemoval
    {
        public List<(string Room, long UpTo, TaskCompletionSource<bool> Done)> Calls { get; } = [];

        public Task<bool> Forget(string room, long upTo)
        {
            // Continuations inline: the registry has the outcome when SetResult returns.
            var done = new TaskCompletionSource<bool>();
            lock (Calls)
            {
                Calls.Add((room, upTo, done));
            }

            return done.Task;
        }
    }

    [Test]
    public void The_rooms_file_keeps_the_deleted_rooms_whose_removal_is_pending()
    {
        var file = RoomsFile.In(Dir.Path);
        file.Save(new RoomsSnapshot([], [], DeletedRooms: ["Dev", "old"]));

        file.Load().DeletedRooms.Should().Equal("Dev", "old");
        File.ReadAllText(file.Path).Should().Contain("<DeletedRoom name=\"Dev\" />");
    }

    [Test]
    public void A_removal_the_rooms_file_still_lists_is_started_at_the_first_batch_and_unlisted_once_complete()
    {
        var file = RoomsFile.In(Dir.Path);
        File.WriteAllText(file.Path, "<Rooms version=\"1\"><DeletedRoom name=\"dev\" /></Rooms>");
        var removal = new FakeRemoval();
        var registry = new RoomRegistry(() => s_settings, name => name, file, () => 20_000, forgetHistory: removal.Forget);

        registry.FlushPresence();

        removal.Calls.Select(c => (c.Room, c.UpTo)).Should().Equal([("dev", long.MaxValue)], "no room has the name now: every stored message of it goes");
        registry.PendingPurges.Should().Equal("dev");
        registry.FlushPresence();
        removal.Calls.Should().HaveCount(1, "one removal at a time");
        file.Load().DeletedRooms.Should().Equal(["dev"], "listed until the removal is complete");

        removal.Calls[0].Done.SetResult(true);
        registry.PendingPurges.Should().BeEmpty();
        registry.FlushPresence();

        file.Load().DeletedRooms.Should().BeNullOrEmpty("the batch after the removal saves the file without it");
    }

    [Test]
    public void A_removal_for_a_name_taken_again_stops_below_the_new_rooms_messages()
    {
        var file = RoomsFile.In(Dir.Path);
        File.WriteAllText(file.Path, "<Rooms version=\"1\"><Room name=\"dev\" modes=\"0\" historyFrom=\"700\"><Owner name=\"bob\" /><Member name=\"bob\" joined=\"1\" /></Room>"
            + "<DeletedRoom name=\"DEV\" /></Rooms>");
        var removal = new FakeRemoval();
        var registry = new RoomRegistry(() => s_settings, name => name, file, () => 20_000, forgetHistory: removal.Forget);

        registry.FlushPresence();

        removal.Calls.Select(c => (c.Room, c.UpTo)).Should().Equal([("DEV", 700L)], "the room of that name now shows only ids above 700");
    }

    [Test]
    public void A_removal_that_fails_stays_listed_and_is_not_started_again_at_once()
    {
        var file = RoomsFile.In(Dir.Path);
        File.WriteAllText(file.Path, "<Rooms version=\"1\"><DeletedRoom name=\"dev\" /></Rooms>");
        var removal = new FakeRemoval();
        var registry = new RoomRegistry(() => s_settings, name => name, file, () => 20_000, forgetHistory: removal.Forget);
        registry.FlushPresence();

        removal.Calls[0].Done.SetResult(false);
        registry.FlushPresence();
        registry.FlushPresence(final: true);

        registry.PendingPurges.Should().Equal("dev");
        removal.Calls.Should().HaveCount(1, "a failed removal is started again a minute later, not at every batch");
        file.Load().DeletedRooms.Should().Equal(["dev"], "the next start takes it up");
    }

    [Test]
    public void Without_history_the_listed_removals_are_kept_for_a_start_with_history()
    {
        var file = RoomsFile.In(Dir.Path);
        File.WriteAllText(file.Path, "<Rooms version=\"1\"><Room name=\"x\" modes=\"0\"><Owner name=\"bob\" /><Member name=\"bob\" joined=\"1\" /></Room><DeletedRoom name=\"dev\" /></Rooms>");
        var registry = new RoomRegistry(() => s_settings, name => name, file);

        registry.FlushPresence(final: true);

        file.Load().DeletedRooms.Should().Equal("dev");
    }

    [Test]
    public void A_removal_for_a_room_whose_historyFrom_was_repaired_is_given_up()
    {
        // The repaired room's own messages may be at or below its new historyFrom: the removal could take them.
        var file = RoomsFile.In(Dir.Path);
        File.WriteAllText(file.Path, "<Rooms version=\"1\"><Room name=\"dev\" modes=\"0\" historyFrom=\"999999\"><Owner name=\"bob\" /><Member name=\"bob\" joined=\"1\" /></Room>"
            + "<DeletedRoom name=\"dev\" /></Rooms>");
        var removal = new FakeRemoval();
        var registry = new RoomRegistry(() => s_settings, name => name, file, () => 500, forgetHistory: removal.Forget);

        registry.FlushPresence(final: true);

        removal.Calls.Should().BeEmpty();
        file.Load().DeletedRooms.Should().BeNullOrEmpty();
    }
}
