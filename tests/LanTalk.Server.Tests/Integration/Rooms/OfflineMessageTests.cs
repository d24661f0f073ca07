using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>Private messages to an offline user with an account: stored for v3 senders when history is on, UserOffline otherwise.</summary>
public sealed class OfflineMessageTests
{
    [Test]
    public async Task With_history_on_a_v3_sender_gets_an_echo_flagged_Stored_and_the_message_is_queued()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var aliceElsewhere = await V3.LoginAsync(server, "alice");
        await using var a2 = aliceElsewhere.Client;

        var echo = await alice.Client.SendPrivateAsync("bob", "read this later");

        echo.Flags.Should().Be(MessageMarks.Stored);
        (await aliceElsewhere.Messages.WaitForAsync(m => m.Id == echo.Id, "the mirror")).Flags.Should().Be(MessageMarks.Stored | MessageMarks.Mirror);
        var queued = server.History.PendingFor("bob");
        queued.Select(m => (m.Id, m.Sender, m.Text)).Should().Equal([((long)echo.Id, "alice", "read this later")]);
    }

    [Test]
    public async Task With_history_on_a_v2_sender_still_gets_UserOffline()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        await using var alice = await server.LoginAsync("alice");

        var failure = await V3.FailureAsync(() => alice.SendPrivateAsync("bob", "hello?"));

        failure.Code.Should().Be(ErrorCode.UserOffline);
    }

    [Test]
    public async Task With_history_off_a_v3_sender_gets_UserOffline_as_before()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;

        (await V3.FailureAsync(() => alice.Client.SendPrivateAsync("bob", "hello?"))).Code.Should().Be(ErrorCode.UserOffline);
        (await V3.FailureAsync(() => alice.Client.SendPrivateAsync("nobody", "hello?"))).Code.Should().Be(ErrorCode.UnknownUser);
    }

    [Test]
    public async Task With_history_on_room_messages_are_committed_before_they_are_acknowledged()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        await alice.Client.JoinRoomAsync("dev");

        var echoes = new List<LanTalk.Core.Client.ChatMessage>();
        for (int i = 0; i < 5; i++)
        {
            echoes.Add(await alice.Client.SendRoomAsync("dev", $"line {i}"));
        }

        echoes.Select(e => e.Id).Should().BeInAscendingOrder();
        // Every acknowledged message is already in history.db.
        server.History.Latest("dev", 10).Select(m => (m.Id, m.Text)).Should().BeEquivalentTo(echoes.Select(e => ((long)e.Id, e.Text)));
    }

    [Test]
    public async Task A_message_the_store_cannot_take_is_refused_with_StorageUnavailable_and_reaches_nobody()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        // A closed store refuses every append (AppendStatus.Closed), as a full or read-only disk does.
        await server.History.DisposeAsync();

        var failure = await V3.FailureAsync(() => alice.Client.SendRoomAsync(string.Empty, "lost?"));
        var privateFailure = await V3.FailureAsync(() => alice.Client.SendPrivateAsync("bob", "lost too?"));

        failure.Code.Should().Be(ErrorCode.StorageUnavailable);
        privateFailure.Code.Should().Be(ErrorCode.StorageUnavailable);
        // The refusal is decided where delivery would be, after the append: once alice has it, nothing more can come.
        bob.Messages.Items.Should().NotContain(m => m.Text == "lost?" || m.Text == "lost too?", "nothing unstored is delivered");
        alice.Client.IsConnected.Should().BeTrue("StorageUnavailable does not close the connection");
    }

    [Test]
    public async Task A_v2_sender_whose_message_the_store_cannot_take_gets_RateLimited_not_a_v3_code()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        await using var alice = await server.LoginAsync("alice");
        await using var bob = await server.LoginAsync("bob");
        await server.History.DisposeAsync();

        var failure = await V3.FailureAsync(() => alice.SendPublicAsync("lost?"));
        var privateFailure = await V3.FailureAsync(() => alice.SendPrivateAsync("bob", "lost too?"));

        failure.Code.Should().Be(ErrorCode.RateLimited, "a v2 session knows no code above 22 and must take one as closing");
        privateFailure.Code.Should().Be(ErrorCode.RateLimited);
        failure.Message.Should().Contain("cannot store messages right now");
        alice.IsConnected.Should().BeTrue("the refusal does not close the connection");
    }

    [Test]
    public async Task Stored_messages_and_history_pages_bigger_than_the_outbound_queue_arrive_whole_in_parts()
    {
        // 60 messages of 4 KB are 240 KB against a 64 KB queue: queued at once, the login was cut off as a slow
        // consumer every time, and a History page likewise (a spec audit, 2026-12-05).
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { OutboundQueueBytes = 65536, MessageRatePerSecond = 1000, MessageBurst = 1000 }, "alice", "bob");
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        string big = new('x', 4000);
        for (int i = 0; i < 60; i++)
        {
            await bob.Client.SendPrivateAsync("alice", $"{i:D2} {big}");
            await bob.Client.SendRoomAsync("lobby", $"{i:D2} {big}");
        }

        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        await alice.Messages.WaitForAsync(m => m.To is not null && m.Text.StartsWith("59 ", StringComparison.Ordinal), "the last stored message");
        alice.Messages.Items.Where(m => m.To is not null).Select(m => m.Text[..2]).Should().Equal(Enumerable.Range(0, 60).Select(i => $"{i:D2}"), "every stored message once, in order");

        var first = await alice.Client.HistoryAsync(HistoryScope.Room, "lobby", 0, 200);
        first.Messages.Count.Should().BeInRange(1, 59, "a page fills at most a quarter of the queue");
        first.End.Remaining.Should().Be(60 - first.Messages.Count, "the messages cut from the page are counted, not lost");
        first.Messages[^1].Text.Should().StartWith("59 ", "a page read backwards keeps its newest");
        alice.Client.IsConnected.Should().BeTrue();
    }

    [Test]
    public async Task A_private_catch_up_without_a_target_pages_forwards_through_every_conversation_of_the_user()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob", "carol");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        var carol = await V3.LoginAsync(server, "carol");
        await using var c = carol.Client;
        var start = await alice.Client.SendRoomAsync("lobby", "where the catch-up starts");
        await bob.Client.SendPrivateAsync("alice", "from bob");
        await alice.Client.SendPrivateAsync("carol", "to carol");
        await bob.Client.SendPrivateAsync("carol", "not alice's");
        await carol.Client.SendPrivateAsync("ALICE", "from carol");

        var first = await alice.Client.HistoryAsync(HistoryScope.Private, string.Empty, start.Id, 0, 2);
        var rest = await alice.Client.HistoryAsync(HistoryScope.Private, string.Empty, first.End.LastId, 0, 2);
        var newest = await alice.Client.HistoryAsync(HistoryScope.Private, string.Empty, 0, 0, 2);

        first.Messages.Select(m => (m.Text, m.From, m.To)).Should().Equal(("from bob", "bob", "alice"), ("to carol", "alice", "carol"));
        first.End.Remaining.Should().Be(1, "one more of hers; bob's message to carol is not hers");
        rest.Messages.Select(m => m.Text).Should().Equal("from carol");
        rest.End.Remaining.Should().Be(0);
        newest.Messages.Select(m => m.Text).Should().Equal(["to carol", "from carol"], "without AfterId: the newest of them, oldest first");
        newest.End.Remaining.Should().Be(1);
    }

    [Test]
    public async Task A_new_account_under_a_removed_name_gets_none_of_the_old_accounts_messages()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        await using (var oldBob = (await V3.LoginAsync(server, "bob")).Client)
        {
            await oldBob.SendPrivateAsync("alice", "old bob's secret");
        }

        var stored = await alice.Client.SendPrivateAsync("bob", "for the old bob");
        server.Users.Remove("bob");
        // The new account is created after the old one's messages, as it always is outside a test (no sleep: a spin
        // until the clock has moved past the last one).
        SpinWait.SpinUntil(() => DateTimeOffset.UtcNow > stored.ServerTime.AddMilliseconds(1), TimeSpan.FromSeconds(5)).Should().BeTrue();
        server.Users.Add("bob", TestServer.Password);

        var newBob = await V3.LoginAsync(server, "bob");
        await using var b = newBob.Client;
        var marker = await alice.Client.SendPrivateAsync("bob", "hello, new bob");
        await newBob.Messages.WaitForAsync(m => m.Id == marker.Id, "the new bob's first message");
        var conversation = await newBob.Client.HistoryAsync(HistoryScope.Private, "alice", 0, 50);
        var search = await newBob.Client.SearchAsync("bob");

        newBob.Messages.Items.Should().NotContain(m => m.Text == "for the old bob", "what waited for the removed account is not the new one's");
        conversation.Messages.Select(m => m.Text).Should().Equal("hello, new bob");
        search.Messages.Select(m => m.Text).Should().Equal("hello, new bob");
    }

    [Test]
    public async Task What_a_removed_account_left_waiting_is_not_delivered_as_a_new_account_of_its_names()
    {
        // alice logged in to "written by the old bob" from bob, a different person now (an audit, 2026-12-06).
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        Core.Client.ChatMessage stored;
        await using (var oldBob = (await V3.LoginAsync(server, "bob")).Client)
        {
            stored = await oldBob.SendPrivateAsync("alice", "written by the old bob");
        }

        server.Users.Remove("bob");
        SpinWait.SpinUntil(() => DateTimeOffset.UtcNow > stored.ServerTime.AddMilliseconds(1), TimeSpan.FromSeconds(5)).Should().BeTrue();
        server.Users.Add("bob", TestServer.Password);
        await using (var newBob = (await V3.LoginAsync(server, "bob")).Client)
        {
            await newBob.SendPrivateAsync("alice", "the new bob's first words");
        }

        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        await alice.Messages.WaitForAsync(m => m.Text == "the new bob's first words", "the new bob's stored message");
        alice.Messages.Items.Should().NotContain(m => m.Text == "written by the old bob", "the old account's words are not the new one's");

        // Dropped from the queue: a second login gets nothing more either. The new bob's message is marked delivered
        // once its frame is written, which the store commits a moment after alice read it (the check read the queue
        // first in about a third of runs on a loaded machine): the queue must empty, and stay empty of the old one.
        await using var again = (await V3.LoginAsync(server, "alice")).Client;
        SpinWait.SpinUntil(() => server.History.PendingFor("alice").Count == 0, Wait.Timeout)
            .Should().BeTrue($"alice's queue should empty; it holds {string.Join(", ", server.History.PendingFor("alice").Select(m => m.Text))}");
    }

    [Test]
    public async Task An_account_whose_created_date_is_in_the_future_still_gets_its_stored_messages_history_and_search()
    {
        // Users.xml from a machine with a fast clock: bob's created date was after every message sent to him, so the
        // removed-namesake filter hid them all (nothing delivered at login, empty private history and search).
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        string users = Path.Combine(server.DataDirectory, "Users.xml");
        File.WriteAllText(users, System.Text.RegularExpressions.Regex.Replace(
            File.ReadAllText(users), "(<User name=\"bob\" created=\")[^\"]*", "${1}9999-01-01T00:00:00.0000000+00:00"));
        server.Users.Sync();
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        var stored = await alice.Client.SendPrivateAsync("bob", "while you were out");

        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        await bob.Messages.WaitForAsync(m => m.Id == stored.Id, "the stored message at login");
        var conversation = await bob.Client.HistoryAsync(HistoryScope.Private, "alice", 0, 50);
        var search = await bob.Client.SearchAsync("while");

        conversation.Messages.Select(m => m.Text).Should().Equal("while you were out");
        search.Messages.Select(m => m.Text).Should().Equal("while you were out");
        // The whole date: a fresh created time such as 17:13:11.8999952 holds "9999" as well (it failed once that way).
        File.ReadAllText(users).Should().NotContain("9999-01-01", "the corrected date was written back");
    }

    [Test]
    public async Task A_message_to_a_user_whose_last_session_is_closing_is_stored_for_delivery_never_refused_as_offline()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;

        // A logout races each message: the message must be delivered or stored for delivery, never refused.
        for (int round = 0; round < 20; round++)
        {
            var bob = (await V3.LoginAsync(server, "bob")).Client;
            var logout = bob.DisposeAsync();
            var echo = await alice.Client.SendPrivateAsync("bob", $"round {round}");
            await logout;
            echo.Id.Should().BePositive($"round {round} was acknowledged (delivered or stored), not refused with UserOffline");
        }
    }
}
