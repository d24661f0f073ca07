using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>Several sessions per user: mirroring, private messages to every session, presence per user, the session limit.</summary>
public sealed class SessionTests
{
    [Test]
    public async Task A_public_message_is_mirrored_to_the_senders_other_sessions_and_plain_to_everyone_else()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var laptop = await V3.LoginAsync(server, "alice", "laptop");
        await using var l = laptop.Client;
        var desktop = await V3.LoginAsync(server, "alice", "desktop");
        await using var d = desktop.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;

        var echo = await laptop.Client.SendRoomAsync("lobby", "from the laptop");

        echo.Flags.Should().Be(MessageMarks.None, "the echo to the sending session is the acknowledgement, not a mirror");
        echo.OriginSessionId.Should().Be(laptop.Client.SessionId);
        var mirror = await desktop.Messages.WaitForAsync(m => m.Id == echo.Id, "the mirror at the desktop");
        mirror.Flags.Should().Be(MessageMarks.Mirror);
        mirror.Tag.Should().Be(echo.Tag);
        mirror.OriginSessionId.Should().Be(laptop.Client.SessionId);
        (await bob.Messages.WaitForAsync(m => m.Id == echo.Id, "bob's copy")).Flags.Should().Be(MessageMarks.None);
        laptop.Messages.Items.Count(m => m.Id == echo.Id).Should().Be(1, "the sender gets one copy");
    }

    [Test]
    public async Task A_private_message_reaches_every_session_of_the_recipient_and_is_mirrored_to_the_sender()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice1 = await V3.LoginAsync(server, "alice");
        await using var a1 = alice1.Client;
        var alice2 = await V3.LoginAsync(server, "alice");
        await using var a2 = alice2.Client;
        var bob1 = await V3.LoginAsync(server, "bob");
        await using var b1 = bob1.Client;
        var bob2 = await V3.LoginAsync(server, "bob");
        await using var b2 = bob2.Client;

        var sent = await bob1.Client.SendPrivateAsync("alice", "psst");

        (await alice1.Messages.WaitForAsync(m => m.Id == sent.Id, "alice's first session")).To.Should().Be("alice");
        (await alice2.Messages.WaitForAsync(m => m.Id == sent.Id, "alice's second session")).Text.Should().Be("psst");
        var mirror = await bob2.Messages.WaitForAsync(m => m.Id == sent.Id, "the mirror at bob's other session");
        mirror.Flags.Should().Be(MessageMarks.Mirror);
        mirror.To.Should().Be("alice");
    }

    [Test]
    public async Task Presence_changes_only_with_the_first_and_the_last_session()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob", "carol", "dave");
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        var first = await V3.LoginAsync(server, "alice");
        await bob.Joined.WaitForAsync(n => n == "alice", "alice online with her first session");
        await using (var second = await server.LoginAsync("alice", V3.Options()))
        {
            await second.LogoutAsync();
        }

        // Markers: a later batch than any the second session could have caused.
        await using var carol = await server.LoginAsync("carol");
        await bob.Joined.WaitForAsync(n => n == "carol", "carol online");
        bob.Joined.Items.Count(n => n == "alice").Should().Be(1);
        bob.Left.Items.Should().NotContain("alice", "her first session is still there");

        await first.Client.LogoutAsync();
        await first.Client.DisposeAsync();
        await bob.Left.WaitForAsync(n => n == "alice", "alice offline with her last session");
    }

    [Test]
    public async Task One_session_more_than_MaxSessionsPerUser_is_TooManySessions_for_v3_and_the_connection_stays()
    {
        await using var server = await TestServer.StartAsync(s => s with { MaxSessionsPerUser = 2 }, "alice");
        await using var one = await server.LoginAsync("alice", V3.Options());
        await using var two = await server.LoginAsync("alice", V3.Options());
        await using var three = await server.ConnectAsync(V3.Options());

        var failure = await V3.FailureAsync(() => three.LoginAsync("alice", TestServer.Password));

        failure.Code.Should().Be(ErrorCode.TooManySessions);
        failure.Message.Should().Contain("MaxSessionsPerUser");
        three.IsConnected.Should().BeTrue("TooManySessions does not close the connection");
        await two.LogoutAsync();
        (await three.LoginAsync("alice", TestServer.Password)).SessionCount.Should().Be(2, "the freed slot is taken at once");
    }

    [Test]
    public async Task A_login_racing_another_sessions_logout_is_admitted_every_time()
    {
        // With one session allowed, each new login must find the slot the previous session's Logout freed; the
        // server leaves the roster before the close is visible, so this never fails.
        await using var server = await TestServer.StartAsync(s => s with { MaxSessionsPerUser = 1 }, "alice", "bob");
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        var current = await server.LoginAsync("alice", V3.Options());
        for (int i = 0; i < 20; i++)
        {
            var next = await server.ConnectAsync(V3.Options());
            await current.LogoutAsync();
            await current.DisposeAsync();
            (await next.LoginAsync("alice", TestServer.Password)).SessionCount.Should().Be(1, $"round {i}");
            current = next;
        }

        await using var last = current;
        server.Server.OnlineCount.Should().Be(2);
        (await current.SendRoomAsync(string.Empty, "still one alice")).From.Should().Be("alice");
    }

    [Test]
    public async Task WhoIs_lists_every_session_with_its_client_description_and_the_away_text()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var laptop = await V3.LoginAsync(server, "alice", "lantalk on laptop");
        await using var l = laptop.Client;
        await using var script = await server.LoginAsync("alice");
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        await laptop.Client.SetAwayAsync("lunch");

        var info = await bob.Client.WhoIsAsync("ALICE");

        info.UserName.Should().Be("alice");
        info.Away.Should().Be("lunch");
        info.Sessions.Select(s => (s.Client, s.Version)).Should().BeEquivalentTo([("lantalk on laptop", (ushort)3), ("LanTalk.Core", (ushort)2)]);
        info.Sessions.Should().Contain(s => s.SessionId == laptop.Client.SessionId);
        (await V3.FailureAsync(() => bob.Client.WhoIsAsync("carol-nobody"))).Code.Should().Be(ErrorCode.UnknownUser);
    }

    [Test]
    public async Task WhoIs_shows_a_client_description_with_its_line_breaks_and_terminal_controls_cleaned()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice", "x\u001b]0;pwned\u0007\u001b[2J\r\nfake line\u009b31m");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;

        var info = await bob.Client.WhoIsAsync("alice");

        info.Sessions.Single().Client.Should().Be("x\ufffd]0;pwned\ufffd\ufffd[2J  fake line\ufffd31m");
    }

    [Test]
    public async Task WhoIs_of_a_user_with_more_sessions_than_one_frame_holds_lists_those_that_fit()
    {
        // 245 sessions with 256-byte client descriptions once made a 67,645-byte UserInfo, which every client must
        // refuse as FrameTooLarge: the asker was disconnected instead of answered.
        const int sessions = 240;
        await using var server = await TestServer.StartAsync(s => s with
        {
            MaxClients = sessions + 1,
            MaxSessionsPerUser = sessions,
            MaxConnectionsPerAddress = sessions + 1,
        }, "alice", "bob");
        string client = new('c', WireStrings.MaxClientBytes);
        var alices = new List<ChatClient>();
        try
        {
            for (int i = 0; i < sessions; i++)
            {
                alices.Add(await server.LoginAsync("alice", V3.Options(client)));
            }

            var bob = await V3.LoginAsync(server, "bob");
            await using var b = bob.Client;

            var info = await bob.Client.WhoIsAsync("alice");

            info.Sessions.Should().HaveCountGreaterThan(200).And.HaveCountLessThan(sessions).And.OnlyContain(s => s.Client == client);
            FrameCodec.Measure(string.Empty, info).Should().BeLessThanOrEqualTo(ProtocolLimits.LargestFrame + 4);
            bob.Client.IsConnected.Should().BeTrue();
        }
        finally
        {
            foreach (var alice in alices)
            {
                await alice.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task An_away_text_is_made_one_line_before_anyone_sees_it()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;

        await alice.Client.SetAwayAsync("gone\r\nfor\u0000lunch\u001b[2J");

        (await bob.Aways.WaitForAsync(x => x.Away.UserName == "alice", "bob hears alice is away")).Away.Text
            .Should().Be("gone  for\uFFFDlunch\uFFFD[2J", "CR and LF become spaces and control characters U+FFFD, as in a topic");
        (await bob.Client.WhoIsAsync("alice")).Away.Should().Be("gone  for\uFFFDlunch\uFFFD[2J");
    }

    [Test]
    public async Task Away_reaches_users_sharing_a_room_and_a_private_message_gets_the_away_text_once()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;

        await alice.Client.SetAwayAsync("in a meeting");
        var status = await bob.Aways.WaitForAsync(x => x.Away.UserName == "alice", "bob hears alice is away");
        status.AnswersMessage.Should().BeFalse();

        await bob.Client.SendPrivateAsync("alice", "are you there?");
        var answer = await bob.Aways.WaitForAsync(x => x.AnswersMessage, "the away answer to bob's message");
        answer.Away.Text.Should().Be("in a meeting");
        var second = await bob.Client.SendPrivateAsync("alice", "hello?");
        var marker = await alice.Client.SendPrivateAsync("bob", "back soon");
        await bob.Messages.WaitForAsync(m => m.Id == marker.Id, "alice's answer, after any second away answer would have come");
        bob.Aways.Items.Count(x => x.AnswersMessage).Should().Be(1, $"the away text comes once per away period (message {second.Id})");

        await alice.Client.SetAwayAsync(string.Empty);
        (await bob.Aways.WaitForAsync(x => x.Away.Text.Length == 0, "alice is back")).Away.IsAway.Should().BeFalse();
    }

    [Test]
    public async Task An_away_users_private_message_to_itself_gets_no_away_answer_and_does_not_use_up_anyone_elses()
    {
        // It came after the echo (an audit, 2026-12-06); IRC servers do not tell a user its own away text at all.
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice", "laptop");
        await using var a = alice.Client;
        var desktop = await V3.LoginAsync(server, "alice", "desktop");
        await using var d = desktop.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        await alice.Client.SetAwayAsync("gone");

        var echo = await alice.Client.SendPrivateAsync("alice", "note to self");
        await desktop.Messages.WaitForAsync(m => m.Id == echo.Id, "the copy at alice's other session");
        await alice.Client.WhoIsAsync("bob");
        await desktop.Client.WhoIsAsync("bob");

        alice.Aways.Items.Should().NotContain(x => x.AnswersMessage, "a user is not told its own away text");
        desktop.Aways.Items.Should().NotContain(x => x.AnswersMessage);
        await bob.Client.SendPrivateAsync("alice", "are you there?");
        (await bob.Aways.WaitForAsync(x => x.AnswersMessage, "the away answer to bob")).Away.Text.Should().Be("gone");
    }

    [Test]
    public async Task A_session_that_logs_in_or_comes_to_share_a_room_hears_who_is_already_away()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob", "carol");
        var alice = await V3.LoginAsync(server, "alice", "laptop");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        await bob.Client.LeaveRoomAsync("lobby");
        await alice.Client.SetAwayAsync("in a meeting");

        var carol = await V3.LoginAsync(server, "carol");
        await using var c = carol.Client;
        (await carol.Aways.WaitForAsync(x => x.Away.UserName == "alice", "carol, logging in, hears alice is away")).Away.Text.Should().Be("in a meeting");
        var desktop = await V3.LoginAsync(server, "alice", "desktop");
        await using var d = desktop.Client;
        (await desktop.Aways.WaitForAsync(x => x.Away.UserName == "alice", "alice's new session hears its own status")).Away.Text.Should().Be("in a meeting");

        bob.Aways.Items.Should().BeEmpty("bob shares no room with alice");
        await bob.Client.JoinRoomAsync("lobby");
        (await bob.Aways.WaitForAsync(x => x.Away.UserName == "alice", "bob, joining alice's room, hears she is away")).Away.Text.Should().Be("in a meeting");
    }

    [Test]
    public async Task Back_while_not_away_is_answered_to_the_asking_session_only()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;

        (await alice.Client.SetAwayAsync(string.Empty)).IsAway.Should().BeFalse();
        var marker = await alice.Client.SendRoomAsync("lobby", "after the /back");

        await bob.Messages.WaitForAsync(m => m.Id == marker.Id, "alice's message, sent after the /back");
        bob.Aways.Items.Should().BeEmpty("a /back that changes nothing is not announced");
    }

    [Test]
    public async Task Back_while_not_away_answers_TimeMs_0_also_after_an_earlier_away_period()
    {
        // The spec's "no change" answer is TimeMs 0; after one away period the time of that return came back
        // instead, and a client took it for a second "is back" (a spec-only client audit).
        await using var server = await TestServer.StartAsync(null, "alice");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;

        (await alice.Client.SetAwayAsync("lunch")).TimeMs.Should().BePositive();
        var back = await alice.Client.SetAwayAsync(string.Empty);
        back.TimeMs.Should().BePositive("the real return is stamped");

        var again = await alice.Client.SetAwayAsync(string.Empty);

        again.Text.Should().BeEmpty();
        again.TimeMs.Should().Be(0);
    }
}
