using LanTalk.Client.Archive;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Tests.Unit;

public sealed class ArchiveRoomTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 14, 3, 12, TimeSpan.Zero);
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static ChatMessage InRoom(ulong id, string room, string text, bool replay = false, bool action = false) =>
        new(id, Noon, "alice", null, 0, text) { Room = room, Kind = action ? ChatMessageKind.Action : ChatMessageKind.Text, Flags = replay ? MessageMarks.History : MessageMarks.None };

    [Test]
    public void Room_messages_keep_their_room_and_actions_their_mark()
    {
        ArchiveFormat.Line(InRoom(1, "dev", "hi")).Should().Be("2026-11-24T14:03:12.000Z PUB #dev alice: hi");
        ArchiveFormat.Line(InRoom(1, "dev", "waves", action: true)).Should().Be("2026-11-24T14:03:12.000Z PUB #dev *alice: waves");
    }

    [TestCase("2026-11-24T14:03:12Z PUB #dev alice: hi", "dev", false)]
    [TestCase("2026-11-24T14:03:12Z PUB #dev *alice: waves", "dev", true)]
    [TestCase("2026-11-24T14:03:12Z PUB alice: hi", null, false)]
    public void Room_lines_read_back(string line, string? room, bool action)
    {
        ArchiveFormat.TryParse(line, out var message).Should().BeTrue();
        message!.Room.Should().Be(room ?? string.Empty);
        (message.Kind == ChatMessageKind.Action).Should().Be(action);
        message.From.Should().Be("alice");
    }

    [Test]
    public async Task History_the_server_sends_again_is_archived_once_even_across_runs()
    {
        string folder = Path.Combine(_temp.Path, "srv", "alice");
        await using (var writer = new ArchiveWriter(folder))
        {
            writer.Append(InRoom(10, "dev", "live")).Should().BeTrue();
            writer.Append(InRoom(10, "dev", "live", replay: true)).Should().BeFalse();
            writer.Append(InRoom(8, "dev", "older, paged back", replay: true)).Should().BeTrue();
        }

        // The next run: the join replays the room's recent history, which is already on disk.
        await using (var writer = new ArchiveWriter(folder))
        {
            writer.Append(InRoom(8, "dev", "older, paged back", replay: true)).Should().BeFalse();
            writer.Append(InRoom(10, "dev", "live", replay: true)).Should().BeFalse();
            writer.Append(InRoom(11, "dev", "new since", replay: true)).Should().BeTrue();
            writer.Append(InRoom(9, "ops", "another room", replay: true)).Should().BeTrue();
        }

        File.ReadAllLines(Path.Combine(folder, "2026-11-24.log")).Should().Equal(
            "2026-11-24T14:03:12.000Z PUB #dev alice: live",
            "2026-11-24T14:03:12.000Z PUB #dev alice: older, paged back",
            "2026-11-24T14:03:12.000Z PUB #dev alice: new since",
            "2026-11-24T14:03:12.000Z PUB #ops alice: another room");
    }

    [Test]
    public async Task Live_messages_are_always_written()
    {
        string folder = Path.Combine(_temp.Path, "srv", "alice");
        await using (var writer = new ArchiveWriter(folder))
        {
            writer.Append(new ChatMessage(1, Noon, "alice", null, 0, "one")).Should().BeTrue();
            writer.Append(new ChatMessage(1, Noon, "alice", null, 0, "one again, a v2 server restarted")).Should().BeTrue();
        }

        File.ReadAllLines(Path.Combine(folder, "2026-11-24.log")).Should().HaveCount(2);
    }
}
