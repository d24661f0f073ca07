using LanTalk.Client.Chat;
using LanTalk.Client.Settings;
using LanTalk.Client.Tests.Support;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Tests.Unit;

public sealed class ChatPrinterRoomTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 24, 14, 3, 12, TimeSpan.Zero);

    private static (ChatPrinter Printer, RecordedLines Output) Printer()
    {
        var output = new RecordedLines();
        var formatter = new MessageFormatter(new DisplayOptions(), color: false, TimeZoneInfo.Utc, singleLine: true);
        var printer = new ChatPrinter(output, formatter, null, () => "alice");
        printer.Rooms.Joined("dev");
        printer.Rooms.Joined("ops");
        return (printer, output);
    }

    private static ChatMessage Msg(ulong id, string room, string text, bool replay = false) =>
        new(id, Time, "bob", null, 0, text) { Room = room, Flags = replay ? MessageMarks.History : MessageMarks.None };

    private static RoomState Room(string name, RoomModes flags) =>
        new(name, new RoomInfoPacket(0, flags, string.Empty, string.Empty, 0, 2, ["bob"]), []);

    [Test]
    public void Someone_back_in_sight_who_logged_in_long_ago_is_online_now_since_then_and_a_fresh_login_at_its_time()
    {
        var (printer, output) = Printer();
        var loggedIn = DateTimeOffset.UtcNow.AddMinutes(-30);
        var fresh = DateTimeOffset.UtcNow.AddSeconds(-2);

        printer.OnOnline(new PresencePacket("bob", loggedIn.ToUnixTimeMilliseconds()), online: true);
        printer.OnOnline(new PresencePacket("carol", fresh.ToUnixTimeMilliseconds()), online: true);

        // The line's own time is now, so it does not run backwards below newer lines; the login time follows.
        output.All[0].Should().Be($"[{DateTimeOffset.UtcNow:HH:mm}] * bob is online (since {loggedIn:HH:mm})")
            .And.Subject.Should().NotBe($"[{loggedIn:HH:mm}] * bob is online");
        output.All[1].Should().Be($"[{fresh:HH:mm}] * carol is online");
    }

    [Test]
    public void An_invitation_told_at_login_without_its_inviter_says_you_are_invited()
    {
        var (printer, output) = Printer();

        printer.OnInvited("secret", new RoomRequestPacket(0, RoomModes.InviteOnly, 0, string.Empty, string.Empty));
        printer.OnInvited("ops", new RoomRequestPacket(0, RoomModes.InviteOnly, 0, "bob", string.Empty));

        output.All.Should().Equal("status: -- you are invited to #secret: /join secret", "status: -- bob invites you to #ops: /join ops");
    }

    [Test]
    public void A_quiet_printer_of_a_scripts_send_shows_no_invitation()
    {
        var output = new RecordedLines();
        var formatter = new MessageFormatter(new DisplayOptions(), color: false, TimeZoneInfo.Utc, singleLine: true);
        var printer = new ChatPrinter(output, formatter, null, () => "alice") { Quiet = true };

        printer.OnInvited("secret", new RoomRequestPacket(0, RoomModes.InviteOnly, 0, string.Empty, string.Empty));

        output.All.Should().BeEmpty("a script's output is the send's result alone; the chat shows the invitation");
    }

    [Test]
    public void A_pending_invitation_told_again_at_a_reconnect_is_shown_once_until_a_join_uses_it()
    {
        // The server tells a pending invitation at every login (PROTOCOL.md, Invite): each reconnect rang the bell again.
        var (printer, output) = Printer();
        var atLogin = new RoomRequestPacket(0, RoomModes.InviteOnly, 0, string.Empty, string.Empty);

        printer.OnInvited("ops", new RoomRequestPacket(0, RoomModes.InviteOnly, 0, "bob", string.Empty));
        printer.OnInvited("ops", atLogin);
        printer.OnInvited("secret", atLogin);
        printer.OnInvited("secret", atLogin);
        printer.OnRoomJoined(Room("secret", RoomModes.InviteOnly));
        printer.OnInvited("secret", atLogin);

        output.All.Should().Equal(
            "status: -- bob invites you to #ops: /join ops",
            "status: -- you are invited to #secret: /join secret",
            "status: -- you are invited to #secret: /join secret");
    }

    [Test]
    public void A_mode_change_of_a_joined_room_says_what_changed_and_a_first_join_says_nothing()
    {
        var (printer, output) = Printer();
        printer.OnRoomJoined(Room("dev", RoomModes.None));
        output.All.Should().BeEmpty("a join's own modes are no news");

        printer.OnRoomChanged(Room("dev", RoomModes.InviteOnly | RoomModes.TopicByAnyone));
        printer.OnRoomChanged(Room("dev", RoomModes.InviteOnly | RoomModes.TopicByAnyone | RoomModes.YouOwn));
        printer.OnRoomChanged(Room("dev", RoomModes.InviteOnly | RoomModes.TopicByAnyone | RoomModes.YouOwn));
        output.All.Select(l => l[8..]).Should().Equal(
            "* #dev is invite-only now",
            "* any member may set the topic of #dev now",
            "* you own #dev now");
    }

    [Test]
    public void Modes_changed_while_away_are_news_at_the_next_login_but_not_after_leaving_and_joining_again()
    {
        var (printer, output) = Printer();
        printer.OnRoomJoined(Room("dev", RoomModes.InviteOnly));
        printer.OnRoomJoined(Room("dev", RoomModes.None));
        output.All.Select(l => l[8..]).Should().Equal("* #dev is open to everyone now");

        printer.OnRoomLeft("dev", new RoomLeftPacket(0, RoomLeftReason.Left, string.Empty, string.Empty));
        output.All.Clear();
        printer.OnRoomJoined(Room("dev", RoomModes.InviteOnly));
        output.All.Should().BeEmpty();
    }

    [Test]
    public void A_message_that_arrives_twice_is_shown_once()
    {
        var (printer, output) = Printer();
        printer.OnMessage(Msg(10, "dev", "hi"));
        printer.OnMessage(Msg(10, "dev", "hi", replay: true));
        output.All.Should().Equal("[14:03] bob: hi");
    }

    [Test]
    public async Task Replayed_history_opens_with_a_marker_once_per_room()
    {
        var (printer, output) = Printer();
        printer.Markers.Expect("ops", catchUp: true);
        printer.OnMessage(Msg(1, "dev", "old one", replay: true));
        printer.OnMessage(Msg(2, "dev", "old two", replay: true));
        printer.OnMessage(Msg(3, "ops", "missed", replay: true));
        printer.OnHistoryEnded("ops", new HistoryEndPacket(0, 1, 0, 3, 3));
        output.All.Should().HaveCount(3, "a catch-up is shown once it is complete, not as its replay arrives");

        await printer.Markers.FinishCatchUpAsync("ops", 2, new HistoryEndPacket(0, 1, 0, 3, 3), rooms: 2,
            (_, _, _) => throw new AssertionException("a whole replay needs no History request"), () => true);
        output.All.Should().Equal(
            "\u2014 earlier \u2014",
            "[14:03] bob: old one",
            "[14:03] bob: old two",
            "\u2014 missed while away in #ops \u2014",
            "[14:03] #ops bob: missed",
            "\u2014 now \u2014");
    }

    [Test]
    public void Live_messages_of_a_room_whose_replay_is_awaited_follow_the_replay()
    {
        // Another window of alice joined ops: this window was put in it (RoomInfo Tag 0) and asked for its replay,
        // and alice's other window said hello there before the replay arrived.
        var (printer, output) = Printer();
        printer.Markers.Expect("ops", catchUp: false);
        printer.OnMessage(Msg(7, "ops", "hello"));
        printer.OnMessage(Msg(3, "dev", "elsewhere"));
        printer.OnMessage(Msg(5, "ops", "old", replay: true));
        printer.OnMessage(Msg(7, "ops", "hello", replay: true));
        printer.OnHistoryEnded("ops", new HistoryEndPacket(0, 2, 0, 5, 7));
        printer.OnMessage(Msg(8, "ops", "later"));

        output.All.Should().Equal(
            "[14:03] bob: elsewhere",
            "\u2014 earlier in #ops \u2014",
            "[14:03] #ops bob: old",
            "[14:03] #ops bob: hello",
            "\u2014 now \u2014",
            "[14:03] #ops bob: later");
    }

    [Test]
    public void A_failed_join_shows_the_messages_held_for_its_replay()
    {
        var (printer, output) = Printer();
        printer.Markers.Expect("ops", catchUp: false);
        printer.OnMessage(Msg(7, "ops", "hello"));
        output.All.Should().BeEmpty();

        printer.Markers.Cancel("ops");

        output.All.Should().Equal("[14:03] #ops bob: hello");
    }

    [Test]
    public void The_newest_id_per_room_is_remembered_for_catch_up()
    {
        var (printer, _) = Printer();
        printer.OnMessage(Msg(4, "dev", "a"));
        printer.OnMessage(Msg(9, "dev", "b"));
        printer.OnMessage(Msg(6, "ops", "c"));
        printer.Rooms.CatchUpFrom("dev").Should().Be(9);
        printer.Rooms.CatchUpFrom("ops").Should().Be(6);
        printer.Rooms.Oldest("dev").Should().Be(4);
    }

    [Test]
    public void The_end_of_a_replay_closes_its_marker_and_says_how_much_more_there_is()
    {
        var (printer, output) = Printer();
        printer.OnMessage(Msg(1, "dev", "old", replay: true));
        printer.OnHistoryEnded("dev", new HistoryEndPacket(7, 1, 12, 1, 1));
        printer.OnHistoryEnded("dev", new HistoryEndPacket(7, 0, 0, 0, 0));
        output.All.Should().Equal(
            "\u2014 earlier \u2014",
            "[14:03] bob: old",
            "\u2014 12 more before these; /history pages back \u2014",
            "\u2014 now \u2014");
    }

    [Test]
    public void A_receipt_names_the_recipient_and_when_the_stored_message_was_sent()
    {
        var (printer, output) = Printer();
        printer.OnMessage(new ChatMessage(40, Time, "alice", "carol", 3, "later") { Flags = MessageMarks.Stored });
        printer.OnReceipt(new ReceiptPacket(40, "carol", Time.AddHours(2).ToUnixTimeMilliseconds()));
        output.All.Should().Equal(
            "[14:03] [private] alice -> carol: later (stored for delivery)",
            "[16:03] \u00b7 carol received your message \"later\" from 14:03");
    }

    [Test]
    public void A_receipt_told_again_after_a_server_crash_is_shown_once()
    {
        var (printer, output) = Printer();
        printer.OnMessage(new ChatMessage(40, Time, "alice", "carol", 3, "later") { Flags = MessageMarks.Stored });
        printer.OnReceipt(new ReceiptPacket(40, "carol", Time.AddHours(2).ToUnixTimeMilliseconds()));
        printer.OnReceipt(new ReceiptPacket(40, "carol", Time.AddHours(2).ToUnixTimeMilliseconds()));
        output.All.Should().Equal(
            "[14:03] [private] alice -> carol: later (stored for delivery)",
            "[16:03] \u00b7 carol received your message \"later\" from 14:03");
    }

    [Test]
    public void Being_kicked_leaves_the_room_and_says_who_did_it()
    {
        var (printer, output) = Printer();
        printer.Rooms.Go("ops");
        printer.OnRoomLeft("ops", new RoomLeftPacket(0, RoomLeftReason.Kicked, "carol", "spam"));
        printer.Rooms.Rooms.Should().Equal("dev");
        printer.Rooms.Current.Should().Be("dev");
        output.All.Should().Equal("status: -- carol removed you from #ops: spam; now in #dev");
    }

    [Test]
    public void What_waited_in_the_hotlist_is_cleared_when_the_user_writes_on_another_device()
    {
        var output = new RecordedLines();
        var formatter = new MessageFormatter(new DisplayOptions(), color: false, TimeZoneInfo.Utc, singleLine: true);
        var prompt = new PromptState(new LanTalk.Core.Terminal.LineEditor(new LanTalk.Client.Tests.Support.VirtualScreen(60), "alice> "), () => "alice");
        var printer = new ChatPrinter(output, formatter, null, () => "alice") { Prompt = prompt };
        printer.OnMessage(new ChatMessage(1, DateTimeOffset.UnixEpoch, "bob", "alice", 0, "ping?"));
        prompt.Hotlist.Render().Should().Be("[bob:1]");

        printer.OnMessage(new ChatMessage(2, DateTimeOffset.UnixEpoch, "alice", "bob", 5, "pong") { Flags = MessageMarks.Mirror });

        prompt.Hotlist.Render().Should().BeEmpty("the answer from the desktop means the laptop's unread was seen");
    }
}
