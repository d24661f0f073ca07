using LanTalk.Client.Chat;
using LanTalk.Client.Connection;
using LanTalk.Client.Settings;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Tests.Unit;

public sealed class MessageFormatterTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.CreateCustomTimeZone("test+1", TimeSpan.FromHours(1), "test+1", "test+1");
    private static readonly DateTimeOffset Time = new(2026, 11, 24, 14, 3, 12, TimeSpan.Zero);

    private static MessageFormatter Plain(bool seconds = false, bool singleLine = true) =>
        new(new DisplayOptions { Seconds = seconds }, color: false, Berlin, singleLine);

    [Test]
    public void A_message_line_says_the_column_its_text_starts_at()
    {
        // Where a row too wide for the terminal continues (LineEditor.PrintAbove with an indent).
        Plain().MessageLine(new ChatMessage(1, Time, "bob", null, 0, "hi"), "alice").Should().Be(("[15:03] bob: hi", 13));
        Plain().MessageLine(new ChatMessage(1, Time, "bob", "alice", 0, "psst"), "alice").Indent.Should().Be("[15:03] [private] bob -> alice: ".Length);
    }

    [Test]
    public void Public_message_shows_local_server_time_and_sender()
    {
        Plain().Message(new ChatMessage(1, Time, "bob", null, 0, "hi"), "alice").Should().Be("[15:03] bob: hi");
    }

    [Test]
    public void Private_messages_are_marked()
    {
        Plain().Message(new ChatMessage(1, Time, "bob", "alice", 0, "psst"), "alice").Should().Be("[15:03] [private] bob -> alice: psst");
    }

    [Test]
    public void Seconds_are_shown_when_asked()
    {
        Plain(seconds: true).Message(new ChatMessage(1, Time, "bob", null, 0, "x"), "alice").Should().StartWith("[15:03:12] ");
    }

    [Test]
    public void Pipe_output_keeps_one_event_per_line()
    {
        Plain().Message(new ChatMessage(1, Time, "bob", null, 0, "a\nb"), "alice").Should().Be(@"[15:03] bob: a\nb");
    }

    [Test]
    public void Terminal_output_indents_continuation_lines_under_the_text()
    {
        Plain(singleLine: false).Message(new ChatMessage(1, Time, "bob", null, 0, "a\r\nb"), "alice")
            .Should().Be("[15:03] bob: a\n             b");
    }

    [Test]
    public void Escape_sequences_from_the_network_are_defused()
    {
        string line = Plain().Message(new ChatMessage(1, Time, "ev\x1bil", null, 0, "\x1b[2Jgone\x07\u009b"), "alice");
        line.Should().NotContain("\x1b").And.NotContain("\x07").And.NotContain("\u009b");
        line.Should().Contain("␛[2Jgone");
    }

    [Test]
    public void Presence_notice_and_online_list_read_naturally()
    {
        long ms = Time.ToUnixTimeMilliseconds();
        Plain().Presence(new PresencePacket("bob", ms), joined: true).Should().Be("[15:03] * bob joined");
        Plain().Presence(new PresencePacket("bob", ms), joined: false).Should().Be("[15:03] * bob left");
        Plain().Notice(new NoticePacket(ms, "restart at 6")).Should().Be("[15:03] ! server notice: restart at 6");
        Plain().Online([new OnlineUser("bob", ms), new OnlineUser("alice", ms)], "alice")
            .Should().Be("-- online (2): alice (since 15:03), bob (since 15:03)");
        Plain().Status("gone", StatusLevel.Error).Should().Be("!! gone");
    }

    [Test]
    public void The_member_list_marks_owners_and_who_is_away()
    {
        long ms = Time.ToUnixTimeMilliseconds();
        Plain().Members("dev", [new OnlineUser("bob", ms), new OnlineUser("carol", ms), new OnlineUser("alice", ms)], "alice", name => name == "bob" ? "lunch" : null, ["CAROL", "bob"])
            .Should().Be("-- #dev (3): alice, bob (owner) (away: lunch), carol (owner)");
    }

    [Test]
    public void The_member_list_marks_members_who_are_offline_and_counts_them()
    {
        long ms = Time.ToUnixTimeMilliseconds();
        Plain().Members("dev", [new OnlineUser("bob", ms), new OnlineUser("carol", ms), new OnlineUser("alice", ms)], "alice", name => name == "carol" ? "lunch" : null, null, name => name != "carol")
            .Should().Be("-- #dev (3, 1 offline): alice, bob, carol (offline)");
    }

    [Test]
    public void A_user_listed_twice_after_a_reconnect_is_shown_once_with_the_later_login()
    {
        long ms = Time.ToUnixTimeMilliseconds();
        Plain().Online([new OnlineUser("bob", ms), new OnlineUser("BOB", ms + 3_600_000)], "alice")
            .Should().Be("-- online (1): BOB (since 16:03)");
    }

    [Test]
    public void A_new_local_date_is_announced_once()
    {
        var formatter = Plain();
        formatter.DateChange(Time).Should().BeNull("the first event sets the date");
        formatter.DateChange(Time.AddHours(1)).Should().BeNull();
        formatter.DateChange(Time.AddHours(10)).Should().Be("-- Wednesday 25 November 2026 --", "23:03 UTC is past midnight at UTC+1");
        formatter.DateChange(Time.AddHours(11)).Should().BeNull();
    }

    [Test]
    public void Colour_marks_names_and_private_messages_only_when_enabled()
    {
        var colored = new MessageFormatter(DisplayOptions.Default, color: true, Berlin, singleLine: false);
        colored.Message(new ChatMessage(1, Time, "bob", "alice", 0, "x"), "alice").Should().Contain("\x1b[35m[private]");
        Plain().Message(new ChatMessage(1, Time, "bob", "alice", 0, "x"), "alice").Should().NotContain("\x1b");
    }

    [Test]
    public void A_mention_is_highlighted_in_colour_with_the_name_in_reverse_video()
    {
        var formatter = new MessageFormatter(DisplayOptions.Default, color: true, Berlin, singleLine: false);
        string line = formatter.Message(new ChatMessage(1, Time, "bob", null, 0, "ask Alice"), "alice", mention: true);
        line.Should().EndWith(": \x1b[1mask \x1b[7mAlice\x1b[0m\x1b[1m\x1b[0m");
        formatter.Message(new ChatMessage(1, Time, "bob", null, 0, "ask Alice"), "alice").Should().EndWith(": ask Alice", "no highlight unless asked");
    }

    [Test]
    public void Archive_lines_show_in_the_chat_format_in_local_time_with_date_lines()
    {
        string[] lines =
        [
            "2026-11-24T14:03:12Z PUB alice: hi all",
            "2026-11-24T14:04:00Z PUB #dev bob: in dev",
            "2026-11-24T23:30:00Z PRIV bob -> alice: two\\nlines",
            "not an archive line",
        ];

        Plain(singleLine: false).Archive(lines, "alice").Split('\n').Should().Equal(
            "-- Tuesday 24 November 2026 --",
            "[15:03] alice: hi all",
            "[15:04] #dev bob: in dev",
            "-- Wednesday 25 November 2026 --",
            "[00:30] [private] bob -> alice: two",
            "                                lines",
            "not an archive line");
    }
}
