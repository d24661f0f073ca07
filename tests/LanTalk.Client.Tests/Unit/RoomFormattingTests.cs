using LanTalk.Client.Chat;
using LanTalk.Client.Settings;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Terminal;

namespace LanTalk.Client.Tests.Unit;

public sealed class RoomFormattingTests
{
    private static readonly TimeZoneInfo Plus1 = TimeZoneInfo.CreateCustomTimeZone("test+1", TimeSpan.FromHours(1), "test+1", "test+1");
    private static readonly DateTimeOffset Time = new(2026, 11, 24, 14, 3, 12, TimeSpan.Zero);

    private static MessageFormatter Plain() => new(new DisplayOptions(), color: false, Plus1, singleLine: true);

    private static MessageFormatter Colored() => new(new DisplayOptions(), color: true, Plus1, singleLine: false);

    private static ChatMessage InRoom(string room, string text = "hi", string from = "bob") => new(1, Time, from, null, 0, text) { Room = room };

    [Test]
    public void Who_marks_the_session_of_this_window_among_the_users_devices()
    {
        long since = Time.ToUnixTimeMilliseconds();
        var info = new UserInfoPacket(1, "alice", string.Empty, [new SessionSummary(7, "lantalk on desk", since, 3), new SessionSummary(9, "IRC", since, 3)]);

        Plain().UserInfo(info, "alice", ownSession: 9).Split('\n').Should().Equal(
            "-- alice: 2 sessions",
            "     lantalk on desk (since 15:03, protocol v3)",
            "     IRC (since 15:03, protocol v3, this window)");
    }

    [Test]
    public void A_message_of_the_current_room_looks_like_a_v2_message()
    {
        Plain().Message(InRoom("dev"), "alice", currentRoom: "DEV").Should().Be("[15:03] bob: hi");
    }

    [Test]
    public void A_message_of_another_room_is_prefixed_with_the_room()
    {
        Plain().Message(InRoom("ops"), "alice", currentRoom: "dev").Should().Be("[15:03] #ops bob: hi");
    }

    [Test]
    public void A_message_of_another_room_is_dimmed_as_a_whole()
    {
        string line = Colored().Message(InRoom("ops"), "alice", currentRoom: "dev");
        line.Should().Be("\x1b[2m[15:03] #ops bob: hi\x1b[0m");
    }

    [Test]
    public void Multi_line_text_of_another_room_is_indented_under_the_text()
    {
        Colored().Message(InRoom("ops", "a\nb"), "alice", currentRoom: "dev").Should().Be("\x1b[2m[15:03] #ops bob: a\n                  b\x1b[0m");
    }

    [Test]
    public void Actions_read_as_a_sentence()
    {
        Plain().Message(InRoom("dev", "waves") with { Kind = ChatMessageKind.Action }, "alice", currentRoom: "dev").Should().Be("[15:03] * bob waves");
        Plain().Message(InRoom("ops", "waves") with { Kind = ChatMessageKind.Action }, "alice", currentRoom: "dev").Should().Be("[15:03] #ops * bob waves");
    }

    [Test]
    public void A_private_message_stored_for_an_offline_user_says_so_on_the_senders_side()
    {
        var echo = new ChatMessage(5, Time, "alice", "bob", 9, "see you") { Flags = MessageMarks.Stored };
        Plain().Message(echo, "alice").Should().Be("[15:03] [private] alice -> bob: see you (stored for delivery)");
    }

    [Test]
    public void A_private_message_delivered_from_the_offline_queue_says_when_it_was_sent()
    {
        var stored = new ChatMessage(5, Time, "alice", "bob", 0, "see you") { Flags = MessageMarks.Offline };
        Plain().Message(stored, "bob").Should().Be("[15:03] [private] alice -> bob: see you (sent while you were offline)");
    }

    [Test]
    public void Markers_and_receipts_are_dim_single_lines()
    {
        Plain().Marker("earlier").Should().Be("\u2014 earlier \u2014");
        Colored().Marker("missed while away").Should().Be("\x1b[2m\u2014 missed while away \u2014\x1b[0m");
        Plain().Receipt("bob", Time.AddMinutes(1), Time).Should().Be("[15:04] \u00b7 bob received your message from 15:03");
        Plain().Receipt("bob", Time.AddMinutes(1), Time, "see you at 3").Should().Be("[15:04] \u00b7 bob received your message \"see you at 3\" from 15:03");
        Plain().Receipt("bob", Time.AddMinutes(1), null, "a long message that goes on and on\nsecond line").Should()
            .Be("[15:04] \u00b7 bob received your message \"a long message that goes on a\u2026\"", "the first line's first 29 characters");
    }

    [Test]
    public void Room_events_name_other_rooms_only()
    {
        Plain().RoomEvent(Time, "dev", "bob joined", "dev").Should().Be("[15:03] * bob joined");
        Plain().RoomEvent(Time, "ops", "bob joined", "dev").Should().Be("[15:03] #ops * bob joined");
        Plain().RoomEvent(Time, null, "bob is away: lunch", "dev").Should().Be("[15:03] * bob is away: lunch");
    }

    [Test]
    public void The_rooms_table_aligns_its_columns_by_terminal_cells_so_wide_room_names_keep_their_row_in_line()
    {
        // Padded by characters, #中文 (5 columns in 3 characters) pushed its row 2 columns right (an outside audit, 2026-12-06).
        var rooms = new[]
        {
            new RoomSummary("café", RoomModes.None, 1, string.Empty),
            new RoomSummary("lobby", RoomModes.Default, 1, "welcome"),
            new RoomSummary("中文", RoomModes.None, 1, "topic"),
            new RoomSummary("cafe\u0301s", RoomModes.None, 1, string.Empty),
        };

        var rows = Plain().RoomList(rooms, ["lobby"]).Split('\n').Skip(1).ToList();

        rows.Should().HaveCount(4);
        var columns = rows.Select(row => DisplayWidth.Of(row[..row.IndexOf(" member", StringComparison.Ordinal)])).ToList();
        columns.Should().AllBeEquivalentTo(columns[0], "the member count starts at the same column in every row: " + string.Join(" | ", rows));
    }
}
