using LanTalk.Client.Connection;
using LanTalk.Client.Chat;
using LanTalk.Client.Terminal;
using LanTalk.Client.Tests.Support;
using LanTalk.Server.Settings;

namespace LanTalk.Client.Tests.Integration;

/// <summary>
/// Rooms and several sessions per user (issue 13) as lantalk shows them, against the real v3 server: each
/// ChatWindow is the terminal chat's own session, printer, room sync and commands, with its lines recorded.
/// </summary>
public sealed class RoomsChatTests : ChatServerFixture
{
    private const string Time = @"^\[\d\d:\d\d\] ";

    // History on, as production runs it: joins replay, reconnects catch up.
    protected override Task<TestServer> StartServerAsync() =>
        TestServer.StartWithHistoryAsync(s => s with { TlsMode = TlsMode.Required }, "alice", "bob");

    private async Task<ChatWindow> Open(string user, string window, ReconnectPolicy? policy = null, string? address = null)
    {
        var chat = await ChatWindow.OpenAsync(address ?? Server.Address, Server.Fingerprint, user, Path.Combine(Home.Path, window), policy);
        Cleanup.Add(chat);
        return chat;
    }

    /// <summary>Waits until the window's prompt would show <paramref name="room"/>.</summary>
    private static Task InRoom(ChatWindow window, string room) =>
        RoomsUntil(window, rooms => string.Equals(rooms.Current, room, StringComparison.OrdinalIgnoreCase), $"to be in {room}");

    /// <summary>
    /// Waits until the window knows it is in <paramref name="room"/> (joined here, or on another device and mirrored).
    /// "/part dev reason" takes "dev" as the room only when the window knows it is in one; typed before the mirrored
    /// join arrived, it left the current room with "dev reason" as the reason (seen once in CI, 2026-12-07).
    /// </summary>
    private static Task Knows(ChatWindow window, string room) =>
        RoomsUntil(window, rooms => rooms.Rooms.Contains(room, StringComparer.OrdinalIgnoreCase), $"to know it is in {room}");

    private static async Task RoomsUntil(ChatWindow window, Func<RoomBook, bool> done, string what)
    {
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (done(window.Rooms))
            {
                changed.TrySetResult();
            }
        }

        window.Rooms.Changed += Check;
        Check();
        try
        {
            await changed.Task.WaitAsync(RecordingListener.Timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"waited for the window {what}; it is in {window.Rooms.Current ?? "no room"} of [{string.Join(", ", window.Rooms.Rooms)}] and shows:\n{string.Join('\n', window.Output.Lines)}");
        }
        finally
        {
            window.Rooms.Changed -= Check;
        }
    }

    [Test]
    public async Task Leaving_the_last_shared_room_says_the_other_user_is_out_of_sight_and_a_logout_says_went_offline()
    {
        // The server stops telling about users one shares no room with, with a UserDisconnected; the window said
        // "bob went offline" after a /part while bob was still online (an IRC audit, 2026-12-04).
        var alice = await Open("alice", "a1");
        var bob = await Open("bob", "b1");
        await InRoom(alice, "lobby");
        await InRoom(bob, "lobby");
        await alice.TypeAsync("/join dev");
        await bob.TypeAsync("/join dev");
        await alice.Output.WaitFor(Time + "#dev: bob joined$|bob joined", "bob to join dev");

        await alice.TypeAsync("/part lobby");
        await alice.TypeAsync("/part dev");
        await alice.Output.WaitFor("bob is in none of your rooms now", "the end of the last shared room");
        alice.Output.Lines.Should().NotContain(l => l.Contains("bob went offline", StringComparison.Ordinal));

        await alice.TypeAsync("/join dev");
        await alice.Output.WaitFor("bob is online", "bob back in sight");
        await bob.DisposeAsync();
        await alice.Output.WaitFor("bob went offline", "bob's logout");
    }

    [Test]
    public async Task A_part_reason_too_long_is_measured_without_the_room_named_before_it()
    {
        // "/part lobby REASON": the parser cannot know whether "lobby" is the room, and counted it in ("5006 bytes" for a
        // 5000-byte reason, F14). Whether it is, is known once the command runs.
        var alice = await Open("alice", "a1");
        await InRoom(alice, "lobby");
        string reason = new('y', 5000);

        await alice.TypeAsync($"/part lobby {reason}");
        await alice.Output.WaitFor("reason too long: 5000 bytes, at most 4096; nothing was sent", "the refusal of the reason alone");
        await alice.TypeAsync($"/part bye {reason}");
        await alice.Output.WaitFor("reason too long: 5004 bytes, at most 4096; nothing was sent", "not a room of hers: all of it is the reason");
        alice.Rooms.Rooms.Should().Contain("lobby", "nothing was sent");
    }

    [Test]
    public async Task Text_typed_in_no_room_is_not_sent_and_says_to_join_a_room_first()
    {
        // Sent to the default room the user had left, it came back "not delivered: you are not in 'lobby'" (F14).
        var alice = await Open("alice", "a1");
        var bob = await Open("bob", "b1");
        await InRoom(alice, "lobby");
        await InRoom(bob, "lobby");
        await alice.TypeAsync("/part lobby");
        await alice.Output.WaitFor("you are in no room now", "the part of the last room");

        await alice.TypeAsync("hello, anyone?");
        await alice.Output.WaitFor("not sent: you are in no room; /join ROOM first, or /msg NAME text", "the refusal");
        alice.Output.Lines.Should().NotContain(l => l.Contains("you are not in", StringComparison.Ordinal), "nothing went to a room the user never picked");

        // Back in a room, text goes there again; bob, still in lobby, sees only that one.
        await alice.TypeAsync("/join lobby");
        await alice.TypeAsync("here now");
        await bob.Output.WaitFor("alice: here now", "the message after the join");
        bob.Output.Lines.Should().NotContain(l => l.Contains("hello, anyone?", StringComparison.Ordinal));
    }

    [Test]
    public async Task Two_windows_of_one_user_and_another_user_chat_in_two_rooms_and_see_each_others_messages()
    {
        var alice1 = await Open("alice", "a1");
        var alice2 = await Open("alice", "a2");
        var bob = await Open("bob", "b1");
        await InRoom(alice1, "lobby");
        await InRoom(bob, "lobby");

        await alice1.TypeAsync("/join dev");
        await bob.TypeAsync("/join dev");
        await InRoom(alice1, "dev");
        await alice2.TypeAsync("/go lobby");

        await alice1.TypeAsync("hello dev");
        await bob.Output.WaitFor(Time + "alice: hello dev$", "bob (in dev) to see alice's message");
        // alice's other window is in the lobby: the dev message is mirrored there, prefixed with its room.
        await alice2.Output.WaitFor(Time + "#dev alice: hello dev$", "alice's second window to see it mirrored with #dev");

        await alice2.TypeAsync("hi lobby");
        await alice1.Output.WaitFor(Time + "#lobby alice: hi lobby$", "alice's first window to see the lobby message of her other window");
        await bob.Output.WaitFor(Time + "#lobby alice: hi lobby$", "bob, in dev, to see the lobby message with #lobby");

        await bob.TypeAsync("/me waves");
        await alice1.Output.WaitFor(Time + @"\* bob waves$", "the action in alice's dev window");

        alice1.Output.Lines.Count(l => l.EndsWith("alice: hello dev", StringComparison.Ordinal)).Should().Be(1, "a message is shown once");
    }

    [Test]
    public async Task Part_with_a_reason_leaves_the_named_or_the_current_room_and_every_window_shows_why()
    {
        var alice1 = await Open("alice", "a1");
        var alice2 = await Open("alice", "a2");
        await alice1.TypeAsync("/join dev");
        await InRoom(alice1, "dev");
        await alice1.TypeAsync("/join ops");
        await InRoom(alice1, "ops");

        // "dev" is a room alice is in: the room, then the reason.
        await alice1.TypeAsync("/part dev see you tomorrow");
        await alice1.Output.WaitFor("you left #dev: see you tomorrow(;|$)", "the leave of dev with its reason");
        await alice2.Output.WaitFor("you left #dev on another device: see you tomorrow(;|$)", "the other window to hear the reason too");

        // "lunch" is no room of hers: the whole text is the reason for leaving the current room.
        await alice1.TypeAsync("/part lunch time, bye");
        await alice1.Output.WaitFor("you left #ops: lunch time, bye(;|$)", "the current room left with the whole text as reason");
        alice1.Rooms.Rooms.Should().Equal("lobby");
    }

    [Test]
    public async Task A_room_joined_on_another_device_is_announced_in_this_window_and_the_login_s_rooms_are_not()
    {
        var alice1 = await Open("alice", "a1");
        var alice2 = await Open("alice", "a2");
        // The server answers a session's requests in order: both answers come after the lobby join of the login.
        await alice2.TypeAsync("/rooms");
        await alice2.Output.WaitFor("#lobby", "the room list");
        await alice2.TypeAsync("/who");
        await alice2.Output.WaitFor("alice", "the member list");

        await alice1.TypeAsync("/join dev");

        await alice2.Output.WaitFor("you joined #dev on another device; /go dev to write there", "the join on the other window");
        alice2.Output.Lines.Should().NotContain(l => l.Contains("you joined #lobby", StringComparison.Ordinal), "the login's own rooms are no news");
        alice1.Output.Lines.Should().NotContain(l => l.Contains("on another device", StringComparison.Ordinal), "the window that joined says 'now in #dev'");
    }

    [Test]
    public async Task Joining_a_room_replays_its_history_between_markers_and_shows_nothing_twice()
    {
        var bob = await Open("bob", "b1");
        await bob.TypeAsync("/join dev");
        await InRoom(bob, "dev");
        await bob.TypeAsync("first in dev");
        await bob.TypeAsync("second in dev");

        var alice = await Open("alice", "a1");
        await alice.TypeAsync("/join dev");
        await alice.Output.WaitFor("^\u2014 now \u2014$", "the end of the replay");

        var lines = alice.Output.Lines.SkipWhile(l => l != "\u2014 earlier \u2014").ToList();
        lines.Should().NotBeEmpty("the replay opens with the earlier marker");
        lines.Should().Contain(l => l.EndsWith("bob: first in dev", StringComparison.Ordinal));
        lines.IndexOf("\u2014 now \u2014").Should().BeGreaterThan(lines.FindIndex(l => l.EndsWith("bob: second in dev", StringComparison.Ordinal)));

        await bob.TypeAsync("live after the join");
        await alice.Output.WaitFor(Time + "bob: live after the join$", "a live message after the replay");
        alice.Output.Lines.Count(l => l.EndsWith("bob: first in dev", StringComparison.Ordinal)).Should().Be(1);
    }

    [Test]
    public async Task Inviting_yourself_or_a_member_is_refused_without_asking_theServer()
    {
        var bob = await Open("bob", "b1");
        var bob2 = await Open("bob", "b2");
        var alice = await Open("alice", "a1");
        // alice first, so bob's join answer lists her. (Waiting for "alice joined" in bob's window matched her join
        // of the lobby under load, and the invitation went out before she was in #dev.)
        await alice.TypeAsync("/join dev");
        await InRoom(alice, "dev");
        await bob.TypeAsync("/join dev");
        await InRoom(bob, "dev");

        await bob.TypeAsync("/invite Bob");
        await bob.Output.WaitFor("you cannot invite yourself: you are already in #dev", "the refusal");
        await bob.TypeAsync("/invite alice");
        await bob.Output.WaitFor("alice is already in #dev", "the refusal for a member");

        // Had the invitation gone out, bob's other window would show it; a message after it proves it did not.
        await bob.TypeAsync("done");
        await bob2.Output.WaitFor("#dev bob: done$|bob: done$", "bob's own message in his other window");
        bob2.Output.Lines.Should().NotContain(l => l.Contains("invites you", StringComparison.Ordinal));
    }

    [Test]
    public async Task An_owner_creates_an_invite_only_room_changes_its_modes_and_deletes_it_and_the_members_see_each_step()
    {
        var alice = await Open("alice", "a1");
        var alice2 = await Open("alice", "a2");
        var bob = await Open("bob", "b1");
        await alice.TypeAsync("/join secret +i");
        await InRoom(alice, "secret");
        await bob.TypeAsync("/join secret");
        await bob.Output.WaitFor("secret.*invite", "the refusal of an invite-only room");
        await bob.TypeAsync("/join secret +i -t");
        await bob.Output.WaitFor("secret.*invite", "the second refusal: a join's modes do not open a room");

        await alice.TypeAsync("/mode");
        await alice.Output.WaitFor("#secret: invite-only, only owners set the topic; you own it", "the modes shown");
        await alice.TypeAsync("/mode -i -t");
        await alice.Output.WaitFor(Time + @"\* #secret is open to everyone now$", "the change in the owner's window");
        await alice2.Output.WaitFor(@"\* #secret is open to everyone now$", "the change in the owner's other window");
        await alice2.Output.WaitFor(@"\* any member may set the topic of #secret now$", "the topic mode in the other window");

        await bob.TypeAsync("/join secret");
        await InRoom(bob, "secret");
        await bob.TypeAsync("/mode +i");
        await bob.Output.WaitFor("owner", "a member who is no owner is refused");
        await bob.TypeAsync("/delete secret");
        await bob.Output.WaitFor("owner", "a deletion by a member who is no owner is refused");

        await alice.TypeAsync("/mode +i");
        await bob.Output.WaitFor(@"\* #secret is invite-only now$", "the member hears of the change");
        await alice.TypeAsync("/delete secret");
        await bob.Output.WaitFor("#secret was deleted by alice", "the member sees the deletion");
        await alice2.Output.WaitFor("you deleted #secret on another device", "the owner's other window sees it as the user's own deletion");
        await InRoom(alice, "lobby");
    }

    [Test]
    public async Task After_a_reconnect_each_room_catches_up_with_what_was_missed()
    {
        await using var relay = new TcpRelay(Server.Port);
        var alice = await Open("alice", "a1", new ReconnectPolicy { FirstDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200), MaxTries = 20 }, relay.Address);
        var bob = await Open("bob", "b1");
        await alice.TypeAsync("/join dev");
        await bob.TypeAsync("/join dev");
        await bob.TypeAsync("before the drop");
        await alice.Output.WaitFor(Time + "bob: before the drop$", "the message before the drop");

        relay.FreezeAll();
        await bob.TypeAsync("missed one");
        await bob.TypeAsync("missed two");
        relay.DropAll();

        await alice.Output.WaitFor("^\u2014 missed while away \u2014$", "the catch-up marker");
        await alice.Output.WaitFor(Time + "bob: missed two$", "the second missed message");
        await alice.Output.WaitFor("^\u2014 now \u2014$", "the end of the catch-up", after: "^\u2014 missed while away");
        alice.Output.Lines.Count(l => l.EndsWith("bob: before the drop", StringComparison.Ordinal)).Should().Be(1, "the catch-up starts after the newest id seen");
        alice.Output.Lines.Count(l => l.EndsWith("bob: missed one", StringComparison.Ordinal)).Should().Be(1);
    }

    [Test]
    public async Task A_reconnect_does_not_rejoin_rooms_left_elsewhere_or_kicked_from_while_away()
    {
        await using var relay = new TcpRelay(Server.Port);
        var alice = await Open("alice", "a1", new ReconnectPolicy { FirstDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200), MaxTries = 20 }, relay.Address);
        var phone = await Open("alice", "phone");
        var bob = await Open("bob", "b1");
        await bob.TypeAsync("/join ops");
        await alice.TypeAsync("/join ops");
        await alice.TypeAsync("/join dev");
        await InRoom(alice, "dev");
        await Knows(phone, "dev");

        // While this window hears nothing, alice leaves #dev on her phone and bob kicks her from #ops.
        relay.FreezeAll();
        await phone.TypeAsync("/part dev");
        await phone.Output.WaitFor("you left #dev", "the part on the other device");
        await bob.TypeAsync("/kick alice");
        await phone.Output.WaitFor("bob removed you from #ops", "the kick");
        relay.DropAll();

        await alice.Output.WaitFor("^sync: you are no longer in #dev", "the note that #dev is gone from this window");
        await alice.Output.WaitFor("^sync: you are no longer in #ops", "the note that #ops is gone from this window");
        alice.Rooms.Rooms.Should().Equal("lobby");
        phone.Session.Members("ops").Should().BeEmpty("the phone is in no #ops: alice was not put back in by the reconnect");
        bob.Session.Members("ops").Select(m => m.Name).Should().Equal("bob");
    }

    [Test]
    public async Task A_line_typed_for_the_current_room_lost_while_away_is_not_posted_to_the_room_that_replaced_it()
    {
        // The reconnect said "you are no longer in #ops", the prompt became #lobby, and the next line went to #lobby
        // without the guard a live kick gets (a usability audit, 2026-12-06).
        await using var relay = new TcpRelay(Server.Port);
        var alice = await Open("alice", "a1", new ReconnectPolicy { FirstDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200), MaxTries = 20 }, relay.Address);
        var phone = await Open("alice", "phone");
        var bob = await Open("bob", "b1");
        await alice.TypeAsync("/join ops");
        await InRoom(alice, "ops");
        await Knows(phone, "ops");

        relay.FreezeAll();
        await phone.TypeAsync("/part ops");
        await phone.Output.WaitFor("you left #ops", "the part on the other device");
        relay.DropAll();

        await alice.Output.WaitFor("^sync: you are no longer in #ops", "the note that #ops is gone from this window");
        await alice.TypeAsync("meant for ops");
        await alice.Output.WaitFor("not sent: you are no longer in #ops, and this would have gone to #lobby", "the refusal");
        await alice.TypeAsync("now for the lobby");
        await bob.Output.WaitFor("alice: now for the lobby$", "the next line, sent knowingly");
        bob.Output.Lines.Should().NotContain(l => l.Contains("meant for ops", StringComparison.Ordinal));
    }

    [Test]
    public async Task Lantalk_send_works_while_the_same_user_chats_and_the_chat_sees_it_mirrored()
    {
        var alice = await Open("alice", "a1");
        await InRoom(alice, "lobby");

        var send = await Open("alice", "send");
        await send.TypeAsync("sent from a script");

        await alice.Output.WaitFor(Time + "alice: sent from a script$", "the chat window to see its user's other session's message");
    }

    [Test]
    public async Task Who_lists_the_rooms_members_and_who_NAME_the_users_sessions()
    {
        var alice1 = await Open("alice", "a1");
        await Open("alice", "a2");
        var bob = await Open("bob", "b1");
        await InRoom(bob, "lobby");

        await bob.TypeAsync("/who");
        await bob.Output.WaitFor(@"^-- #lobby \(2\): alice, bob$", "the lobby's members");
        await bob.TypeAsync("/who alice");
        await bob.Output.WaitFor("^-- alice: 2 sessions$", "alice's two sessions");
        await bob.Output.WaitFor(@"^     lantalk/\S+ on \S+ \(since", "each session's description");

        await alice1.TypeAsync("/away lunch");
        await bob.Output.WaitFor(Time + @"\* alice is away: lunch$", "alice's away notice");
        await bob.TypeAsync("/who");
        await bob.Output.WaitFor(@"^-- #lobby \(2\): alice \(away: lunch\), bob$", "the away status in /who");
    }

    [Test]
    public async Task The_members_who_stay_see_a_part_with_its_reason_and_a_kick_with_its_owner()
    {
        var alice = await Open("alice", "a1");
        var watcher = await Open("alice", "a2");
        var bob = await Open("bob", "b1");
        await alice.TypeAsync("/join dev");
        await bob.TypeAsync("/join dev");
        // The other window of alice stays in #lobby; events of #dev show there under the room's name.
        await watcher.Output.WaitFor(Time + @"#dev \* bob joined$", "bob in dev");

        await bob.TypeAsync("/part dev lunch");
        await watcher.Output.WaitFor(Time + @"#dev \* bob left \(lunch\)$", "the part's reason");
        await bob.TypeAsync("/join dev");
        await InRoom(bob, "dev");
        await alice.TypeAsync("/kick bob spam");
        await watcher.Output.WaitFor(Time + @"#dev \* bob was removed by alice \(spam\)$", "the kick, not a plain leave");
    }

    [TestCase("/kick bob", "removed you from #ops")]
    [TestCase("/delete ops", "#ops was deleted by alice")]
    public async Task A_line_typed_for_a_room_taken_away_is_not_posted_to_the_room_that_replaced_it(string command, string notice)
    {
        // Enter posted it to #lobby: "bob: the root password is hunter2" (a UX audit, 2026-12-06).
        var alice = await Open("alice", "a1");
        var bob = await Open("bob", "b1");
        await alice.TypeAsync("/join ops");
        await bob.TypeAsync("/join ops");
        await InRoom(bob, "ops");

        await alice.TypeAsync(command);
        await bob.Output.WaitFor(notice + "; now in #lobby", "the room taken away");
        await bob.TypeAsync("the root password is hunter2");

        await bob.Output.WaitFor("not sent: you are no longer in #ops, and this would have gone to #lobby", "the refusal");
        await bob.TypeAsync("now for the lobby");
        await alice.Output.WaitFor("bob: now for the lobby$", "the next line, sent knowingly");
        alice.Output.Lines.Should().NotContain(l => l.Contains("hunter2", StringComparison.Ordinal));
        bob.Output.Lines.Should().NotContain(l => l.EndsWith("bob: the root password is hunter2", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_paste_for_a_room_taken_away_is_held_whole_not_split_between_the_guard_and_the_new_room()
    {
        // The guard refused the first line and lines 2..N went to #lobby (an outside client audit, F12).
        var alice = await Open("alice", "a1");
        var bob = await Open("bob", "b1");
        await alice.TypeAsync("/join ops");
        await bob.TypeAsync("/join ops");
        await InRoom(bob, "ops");

        await alice.TypeAsync("/kick bob");
        await bob.Output.WaitFor("removed you from #ops; now in #lobby", "the room taken away");
        await bob.PasteAsync("ops line 1", "ops line 2", "ops line 3", "ops line 4");

        await bob.Output.WaitFor("not sent: you are no longer in #ops, and the 4 pasted lines would have gone to #lobby; none of them was sent", "the refusal of the paste");
        await bob.TypeAsync("now for the lobby");
        await alice.Output.WaitFor("bob: now for the lobby$", "the next line, sent knowingly");
        alice.Output.Lines.Should().NotContain(l => l.Contains("ops line", StringComparison.Ordinal));
        bob.Output.Lines.Should().NotContain(l => l.Contains("bob: ops line", StringComparison.Ordinal));
    }

    [Test]
    public async Task After_deleting_the_current_room_here_the_next_line_goes_on_to_the_room_that_follows()
    {
        // Held back as "typed for a room taken away" although the user deleted it in this very window (a UX audit).
        var alice = await Open("alice", "a1");
        var bob = await Open("bob", "b1");
        await bob.TypeAsync("/join tmp");
        await InRoom(bob, "tmp");

        await bob.TypeAsync("/delete tmp");
        await bob.Output.WaitFor("you deleted #tmp; now in #lobby$", "the deletion, as the user's own");
        await bob.TypeAsync("hello after my own delete");

        await alice.Output.WaitFor("bob: hello after my own delete$", "the next line, in the lobby");
        bob.Output.Lines.Should().NotContain(l => l.Contains("not sent", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_room_left_on_another_device_says_so_and_holds_the_line_typed_for_it()
    {
        var alice1 = await Open("alice", "a1");
        var alice2 = await Open("alice", "a2");
        await alice1.TypeAsync("/join dev");
        await InRoom(alice1, "dev");
        await InRoom(alice2, "lobby");
        await Knows(alice2, "dev");
        await alice2.TypeAsync("/part dev done for today");

        await alice1.Output.WaitFor("you left #dev on another device: done for today; now in #lobby$", "whose leave it was");
        alice2.Output.Lines.Should().Contain(l => l.EndsWith("you left #dev: done for today; now in #lobby", StringComparison.Ordinal));
    }

    [Test]
    public async Task At_a_terminal_delete_must_be_typed_twice_and_a_script_deletes_at_once()
    {
        var owner = await ChatWindow.OpenAsync(Server.Address, Server.Fingerprint, "alice", Path.Combine(Home.Path, "a1"), confirmDeletes: true);
        Cleanup.Add(owner);
        var script = await Open("bob", "b1");
        await owner.TypeAsync("/join ops");
        await script.TypeAsync("/join tmp");

        await owner.TypeAsync("/delete nosuch");
        await owner.Output.WaitFor("you are not in #nosuch", "a room not ours, refused at once, not asked about");
        await owner.TypeAsync("/delete ops");
        await owner.Output.WaitFor("type it again within 10 s to go ahead$", "the question");
        await owner.TypeAsync("something else in between");
        await owner.TypeAsync("/delete ops");
        owner.Output.Lines.Count(l => l.EndsWith("type it again within 10 s to go ahead", StringComparison.Ordinal)).Should().Be(2, "the line in between cancelled the first");
        owner.Rooms.Rooms.Should().Contain("ops", "nothing is deleted on a first /delete");
        await owner.TypeAsync("/delete ops");
        await owner.Output.WaitFor("you deleted #ops; now in #lobby$", "the deletion on the second");

        await script.TypeAsync("/delete tmp");
        await script.Output.WaitFor("you deleted #tmp; now in #lobby$", "a script's deletion, asked once");
    }

    [Test]
    public async Task Tab_after_join_offers_a_room_this_window_never_listed()
    {
        // "/join de" + Tab completed nothing while #dev existed, and Enter created #de (a UX audit, 2026-12-06).
        var alice = await Open("alice", "a1");
        var bob = await Open("bob", "b1");
        await bob.TypeAsync("/join dev");

        await alice.RefreshRoomNamesAsync();

        alice.Rooms.Known.Should().Contain("dev");
        Completion.Complete("/join de", 8, ChatInputParser.Commands, [], alice.Rooms.Known).Buffer.Should().Be("/join dev ");
    }

    [Test]
    public async Task Alt_and_a_number_says_which_room_is_now_current()
    {
        // Without a line the lines of two rooms read alike after the switch (a UX audit, 2026-12-06).
        var bob = await Open("bob", "b1");
        // The lobby first, so it is room 1: a /join answered before the login's own join would come first (1 run in 20).
        await InRoom(bob, "lobby");
        await bob.TypeAsync("/join ops");
        await InRoom(bob, "ops");

        bob.AltNumber(1).Should().BeTrue();
        await bob.Output.WaitFor("-- now in #lobby$", "the switch, said");
        bob.Rooms.Current.Should().Be("lobby");
        bob.AltNumber(9).Should().BeFalse("there is no ninth room");
    }

    [Test]
    public async Task A_room_left_in_this_window_moves_on_without_holding_the_next_line()
    {
        var bob = await Open("bob", "b1");
        await bob.TypeAsync("/join ops");
        await InRoom(bob, "ops");
        await bob.TypeAsync("/part ops");
        await InRoom(bob, "lobby");

        await bob.TypeAsync("straight to the lobby");
        await bob.Output.WaitFor(Time + "bob: straight to the lobby$", "the line, sent at once");
    }

    [Test]
    public async Task The_answer_to_a_private_message_to_someone_away_says_what_it_answers()
    {
        var alice = await Open("alice", "a1");
        var bob = await Open("bob", "b1");
        await bob.TypeAsync("/away lunch");
        await alice.Output.WaitFor(Time + @"\* bob is away: lunch$", "bob's away notice");

        await alice.TypeAsync("/msg bob ping");

        await alice.Output.WaitFor(Time + @"\* bob is away \(lunch\) and will see your private message later$", "the answer to the message, not a second notice");
        alice.Output.Lines.Count(l => l.EndsWith("bob is away: lunch", StringComparison.Ordinal)).Should().Be(1);
    }

    [Test]
    public async Task Who_marks_the_members_who_are_offline()
    {
        var alice = await Open("alice", "a1");
        var bob = await Open("bob", "b1");
        await alice.TypeAsync("/join dev");
        await bob.TypeAsync("/join dev");
        await alice.Output.WaitFor("bob joined", "bob to join dev");

        await bob.DisposeAsync();
        await alice.Output.WaitFor("bob went offline", "bob's logout");
        await alice.TypeAsync("/who");
        await alice.Output.WaitFor(@"^-- #dev \(2, 1 offline\): alice \(owner\), bob \(offline\)$", "bob stays a member, shown as offline");
    }
}
