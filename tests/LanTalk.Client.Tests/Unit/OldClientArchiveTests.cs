using LanTalk.Client.Archive;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Tests.Unit;

/// <summary>An archive an older lantalk wrote (whole seconds, no ids, no archived-ids), continued by this one.</summary>
public sealed class OldClientArchiveTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 6, 12, 7, 35, TimeSpan.Zero);
    private TempDirectory _temp = null!;
    private string _folder = null!;
    private string _day = null!;

    // What the first releases wrote: no room, no milliseconds, and nothing in archived-ids.
    private static readonly string[] s_oldLines =
    [
        "2026-12-06T12:07:35Z PUB bob: bob-pub-1 hello room",
        "2026-12-06T12:07:35Z PRIV bob -> alice: bob-pm-1 hello\\nalice",
        "2026-12-06T12:07:36Z PUB #dev carol: in a room",
    ];

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        _folder = Path.Combine(_temp.Path, "srv", "alice");
        Directory.CreateDirectory(_folder);
        _day = Path.Combine(_folder, "2026-12-06.log");
        File.WriteAllLines(_day, s_oldLines);
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static ChatMessage Public(ulong id, int ms, string from, string text, string room = "lobby", bool replay = true) =>
        new(id, Noon.AddMilliseconds(ms), from, null, 0, text) { Room = room, Flags = replay ? MessageMarks.History : MessageMarks.None };

    private static ChatMessage Private(ulong id, int ms, string from, string to, string text) =>
        new(id, Noon.AddMilliseconds(ms), from, to, 0, text) { Flags = MessageMarks.History };

    [Test]
    public async Task A_replay_of_a_message_an_older_client_archived_without_an_id_is_not_archived_again()
    {
        await using (var writer = new ArchiveWriter(_folder))
        {
            // The server's copy carries milliseconds, its room, and (for the action) the mark a v2 session never saw.
            writer.Append(Public(40, 820, "Bob", "bob-pub-1 hello room")).Should().BeFalse("the old line holds it");
            writer.Append(Public(42, 1_100, "carol", "in a room", room: "DEV")).Should().BeFalse("the old line names its room");
            writer.Append(Public(43, 1_100, "carol", "in a room", room: "ops")).Should().BeTrue("another room's message");
            writer.Append(Public(44, 1_820, "bob", "bob-pub-1 hello room")).Should().BeTrue("a second later: another message");
            writer.Append(Public(45, 820, "carol", "bob-pub-1 hello room")).Should().BeTrue("another sender");
            writer.Append(Public(46, 820, "bob", "bob-pub-1 hello")).Should().BeTrue("another text");
        }

        File.ReadAllLines(_day).Should().Equal([
            .. s_oldLines,
            "2026-12-06T12:07:36.100Z PUB #ops carol: in a room",
            "2026-12-06T12:07:36.820Z PUB #lobby bob: bob-pub-1 hello room",
            "2026-12-06T12:07:35.820Z PUB #lobby carol: bob-pub-1 hello room",
            "2026-12-06T12:07:35.820Z PUB #lobby bob: bob-pub-1 hello"]);
        ArchivedRanges.Load(_folder).Contains(ArchivedRanges.KeyOf("lobby", null), 40).Should().BeTrue("archived-ids learns the id the old line held");
    }

    [Test]
    public async Task A_private_message_an_older_client_archived_counts_as_held_at_start()
    {
        // The catch-up at a start asks from archived-ids' newest private id, which an earlier try of this client
        // left older than the old client's lines: what those hold must not be shown as missed again.
        await using var writer = new ArchiveWriter(_folder);
        writer.HeldAtStart(Private(50, 300, "bob", "alice", "bob-pm-1 hello\nalice")).Should().BeTrue();
        writer.HeldAtStart(Private(51, 300, "bob", "carol", "bob-pm-1 hello\nalice")).Should().BeFalse("another recipient");
        writer.HeldAtStart(Private(52, 300, "alice", "bob", "bob-pm-1 hello\nalice")).Should().BeFalse("the other direction");
        writer.HeldAtStart(Public(53, 300, "bob", "bob-pm-1 hello\nalice")).Should().BeFalse("a public message");
        writer.HeldAtStart(Private(54, 300, "bob", "alice", "bob-pm-1 hello\nalice") with { ServerTime = Noon.AddDays(1) }).Should().BeFalse("another day");
    }

    [Test]
    public async Task Live_messages_are_written_even_when_an_old_line_looks_the_same()
    {
        // Only what the server sends again is matched: a live message is new, whatever an old line says.
        await using (var writer = new ArchiveWriter(_folder))
        {
            writer.Append(Public(60, 900, "bob", "bob-pub-1 hello room", replay: false)).Should().BeTrue();
        }

        File.ReadAllLines(_day).Should().HaveCount(s_oldLines.Length + 1);
    }
}
