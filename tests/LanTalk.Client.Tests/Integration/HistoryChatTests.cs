using LanTalk.Client.Tests.Support;
using LanTalk.Server.Settings;

namespace LanTalk.Client.Tests.Integration;

/// <summary>History as lantalk shows it (issue 14): paging back, offline private messages and receipts, the user's rooms again at a restart.</summary>
public sealed class HistoryChatTests : ChatServerFixture
{
    private const string Time = @"^\[\d\d:\d\d\] ";

    // Two messages on join, so paging back has something to find.
    protected override Task<TestServer> StartServerAsync() =>
        TestServer.StartWithHistoryAsync(s => s with { TlsMode = TlsMode.Required, HistoryOnJoin = 2 }, "alice", "bob");

    private async Task<ChatWindow> Open(string user, string window, int pageSize = 20)
    {
        var chat = await ChatWindow.OpenAsync(Server.Address, Server.Fingerprint, user, Path.Combine(Home.Path, window), pageSize: pageSize);
        Cleanup.Add(chat);
        return chat;
    }

    [Test]
    public async Task History_pages_back_before_the_oldest_message_shown()
    {
        var bob = await Open("bob", "b1");
        await bob.TypeAsync("/join dev");
        foreach (string text in new[] { "one", "two", "three", "four" })
        {
            await bob.TypeAsync(text);
        }

        var alice = await Open("alice", "a1");
        await alice.TypeAsync("/join dev");
        await alice.Output.WaitFor("^\u2014 2 more before these; /history pages back \u2014$", "the note that more history exists");
        alice.Output.Lines.Should().NotContain(l => l.EndsWith("bob: two", StringComparison.Ordinal), "only the last two are replayed on join");

        await alice.TypeAsync("/history 5");
        var lines = alice.Output.Lines;
        int start = lines.ToList().LastIndexOf("\u2014 earlier \u2014");
        start.Should().BeGreaterThan(0);
        lines.Skip(start).Take(4).Should().Equal(lines[start], lines[start + 1], lines[start + 2], "\u2014 now \u2014");
        lines[start + 1].Should().MatchRegex(Time + "bob: one$");
        lines[start + 2].Should().MatchRegex(Time + "bob: two$");

        await alice.TypeAsync("/history");
        await alice.Output.WaitFor("^-- no earlier messages in #dev$", "the end of the room's history");
    }

    [Test]
    public async Task PageUp_fetches_each_earlier_page_once_and_holds_new_lines_until_PageDown()
    {
        var bob = await Open("bob", "b1");
        await bob.TypeAsync("/join dev");
        foreach (string text in new[] { "m1", "m2", "m3", "m4", "m5", "m6", "m7" })
        {
            await bob.TypeAsync(text);
        }

        var alice = await Open("alice", "a1", pageSize: 2);
        await alice.TypeAsync("/join dev");
        await alice.Output.WaitFor(Time + "bob: m7$", "the replay on join (m6, m7)");

        await alice.PageUpAsync();
        await alice.PageUpAsync();
        var lines = alice.Output.Lines.ToList();
        int first = lines.IndexOf("— earlier (3 more before these; PageUp) —");
        first.Should().BeGreaterThan(0, "the first page is marked: " + string.Join(" | ", lines));
        lines.Skip(first + 1).Take(3).Should().SatisfyRespectively(
            l => l.Should().MatchRegex(Time + "bob: m4$"),
            l => l.Should().MatchRegex(Time + "bob: m5$"),
            l => l.Should().Be("— PageDown: back to now —"));
        int second = lines.IndexOf("— earlier (1 more before these; PageUp) —");
        second.Should().BeGreaterThan(first, "the second PageUp fetched the page before m4");
        lines.Skip(second + 1).Take(2).Should().SatisfyRespectively(
            l => l.Should().MatchRegex(Time + "bob: m2$"),
            l => l.Should().MatchRegex(Time + "bob: m3$"));

        // Scrolled back: bob's new line arrives but waits, so the page being read stays on screen.
        await bob.TypeAsync("while you read");
        await alice.Arrivals.WaitFor(Time + "bob: while you read$", "bob's live line reaching alice's client");
        alice.Output.Lines.Should().NotContain(l => l.EndsWith("bob: while you read", StringComparison.Ordinal));

        await alice.PageUpAsync();
        await alice.Output.WaitFor(Time + "bob: m1$", "the last page");
        await alice.PageUpAsync();
        await alice.Output.WaitFor(@"^-- no earlier messages in #dev \(lines that scrolled off the screen are in the terminal's scrollback", "the start of the room's history");

        alice.PageDown().Should().BeTrue();
        lines = alice.Output.Lines.ToList();
        int now = lines.LastIndexOf("— now —");
        now.Should().BeGreaterThan(second);
        lines[now + 1].Should().MatchRegex(Time + "bob: while you read$", "the held line comes after the marker");
        alice.PageDown().Should().BeFalse("not scrolled back any more");
        foreach (string text in new[] { "m1", "m2", "m3", "m4", "m5", "m6", "m7", "while you read" })
        {
            lines.Count(l => l.EndsWith("bob: " + text, StringComparison.Ordinal)).Should().Be(1, $"'{text}' is shown once");
        }
    }

    [Test]
    public async Task A_private_message_to_someone_offline_is_stored_delivered_at_login_and_acknowledged_with_a_receipt()
    {
        var alice = await Open("alice", "a1");
        await alice.TypeAsync("/msg bob see you tomorrow");
        await alice.Output.WaitFor(Time + @"\[private\] alice -> bob: see you tomorrow \(stored for delivery\)$", "the stored echo");

        var bob = await Open("bob", "b1");
        await bob.Output.WaitFor(Time + @"\[private\] alice -> bob: see you tomorrow \(sent while you were offline\)$", "the stored message at login");
        await alice.Output.WaitFor(@"^\[\d\d:\d\d\] \u00b7 bob received your message ""see you tomorrow"" from \d\d:\d\d$", "the receipt");
    }

    [Test]
    public async Task A_stored_private_message_shown_once_is_not_shown_again_as_new_at_the_next_start()
    {
        // The server sends a delivery of stored messages again to each session of the user that logs in within 30 s
        // (devices started together); lantalk showed it again, unread, at every such start (a usability audit, 2026-12-06).
        var alice = await Open("alice", "a1");
        await alice.TypeAsync("/msg bob stored once");
        await alice.Output.WaitFor(@"stored once \(stored for delivery\)$", "the stored echo");

        var first = await ChatWindow.OpenAsync(Server.Address, Server.Fingerprint, "bob", Path.Combine(Home.Path, "b1"));
        try
        {
            await first.Output.WaitFor(@"alice -> bob: stored once \(sent while you were offline\)$", "the stored message at the first start");
        }
        finally
        {
            await first.DisposeAsync();
        }

        // The same archive again, then another device (an archive of its own) that has not seen it.
        var again = await Open("bob", "b1");
        var device = await Open("bob", "b2");
        await device.Output.WaitFor(@"alice -> bob: stored once \(sent while you were offline\)$", "the copy for a device that has not seen it");
        await alice.TypeAsync("/msg bob live after");
        await again.Output.WaitFor(@"alice -> bob: live after$", "a live message after the login's deliveries");
        await device.Output.WaitFor(@"alice -> bob: live after$", "a live message after the login's deliveries");
        again.Output.Lines.Should().NotContain(l => l.Contains("stored once", StringComparison.Ordinal), "this archive holds it: it was shown at the first start");
    }

    [Test]
    public async Task A_private_message_another_client_of_the_user_took_since_the_last_run_is_shown_at_the_next_start()
    {
        // A 'lantalk send' or a phone's client logged in as bob while lantalk was closed and received the message:
        // the server counts it delivered, so bob's next lantalk got no stored copy and never showed it.
        var alice = await Open("alice", "a1");
        var bob = await ChatWindow.OpenAsync(Server.Address, Server.Fingerprint, "bob", Path.Combine(Home.Path, "b1"));
        try
        {
            await alice.TypeAsync("/msg bob seen here");
            await bob.Output.WaitFor(@"alice -> bob: seen here$", "the first private message, shown and archived");
        }
        finally
        {
            await bob.DisposeAsync();
        }

        var v3 = Server.ClientOptions with { Version = 3 };
        await using (var phone = await Server.LoginAsync("bob", v3))
        {
            await alice.TypeAsync("/msg bob taken by the phone");
            await alice.Output.WaitFor(@"-> bob: taken by the phone$", "the echo");
            await phone.LogoutAsync();
        }

        var again = await Open("bob", "b1");
        await again.Output.WaitFor(@"alice -> bob: taken by the phone$", "the message the other client took, shown at the start");
        await again.Output.WaitFor("^\u2014 private messages missed while away \u2014$", "under the private catch-up's marker");
        again.Output.Lines.Should().NotContain(l => l.Contains("seen here", StringComparison.Ordinal), "the archive holds it: this archive's run showed it");
    }

    [Test]
    public async Task Private_messages_stored_while_offline_are_shown_after_the_rooms_history_at_login()
    {
        // Shown first, the history replayed on join pushed them off the screen (a UX audit, 2026-12-06).
        var alice = await Open("alice", "a1");
        await alice.TypeAsync("lobby chatter 1");
        await alice.TypeAsync("lobby chatter 2");
        await alice.TypeAsync("/msg bob the build is broken");
        await alice.Output.WaitFor(@"the build is broken \(stored for delivery\)$", "the stored echo");

        var bob = await Open("bob", "b1");
        await bob.Output.WaitFor(@"alice -> bob: the build is broken \(sent while you were offline\)$", "the stored message at login");
        var lines = bob.Output.Lines.ToList();
        int stored = lines.FindIndex(l => l.Contains("the build is broken", StringComparison.Ordinal));
        int history = lines.FindIndex(l => l.EndsWith("alice: lobby chatter 2", StringComparison.Ordinal));
        history.Should().BeGreaterThan(-1, "the lobby's history is replayed at login: {0}", string.Join('\n', lines));
        stored.Should().BeGreaterThan(history, "the stored private message comes after the rooms' history, next to the prompt:\n{0}", string.Join('\n', lines));
    }

    [Test]
    public async Task A_restart_shows_the_users_rooms_with_their_recent_history_from_theServer()
    {
        var first = await Open("alice", "a1");
        await first.TypeAsync("/join ops");
        await first.Session.LogoutAsync();
        var bob = await Open("bob", "b1");
        await bob.TypeAsync("/join ops");
        await bob.TypeAsync("ops is up");

        // Nothing on the client remembers #ops: the server's membership brings it back, and the catch-up its history.
        var alice = await Open("alice", "a2");
        await alice.Output.WaitFor(Time + "#ops bob: ops is up$", "the room's history, prefixed as another room's");
        alice.Rooms.Rooms.Should().Contain("ops");
    }

    [Test]
    public async Task Search_shows_a_received_private_message_as_sent_to_you_and_a_sent_one_as_sent_to_the_other()
    {
        var alice = await Open("alice", "a1");
        var bob = await Open("bob", "b1");
        await bob.TypeAsync("/msg alice the plan is ready");
        await alice.TypeAsync("/msg bob thanks for the plan");
        await alice.Output.WaitFor(Time + @"\[private\] bob -> alice: the plan is ready$", "the live message");

        await alice.TypeAsync("/search plan");
        await alice.Output.WaitFor("^\u2014 search: plan \\(2 found\\) \u2014$", "the search header");
        var hits = alice.Output.Lines.SkipWhile(l => !l.StartsWith("\u2014 search", StringComparison.Ordinal)).ToList();
        hits.Should().Contain(l => l.EndsWith("bob -> alice: the plan is ready", StringComparison.Ordinal), "a received message is to you");
        hits.Should().Contain(l => l.EndsWith("alice -> bob: thanks for the plan", StringComparison.Ordinal));
        hits.Should().NotContain(l => l.Contains("bob -> bob", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_quoted_search_that_finds_nothing_is_not_quoted_twice_and_says_how_to_search_for_a_phrase()
    {
        // `/search "exact phrase"` answered: nothing found for ""exact phrase"" (a client audit, F14).
        var alice = await Open("alice", "a1");
        await alice.TypeAsync("/search \"no such phrase\"");
        await alice.Output.WaitFor("nothing found for \"no such phrase\" \\(quotes are not special: every word must match; for words next to each other join them with -, as exact-phrase\\)$", "the answer");
        alice.Output.Lines.Should().NotContain(l => l.Contains("\"\"", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_search_the_server_reads_otherwise_than_it_looks_says_so()
    {
        // "/search 😀" said "nothing found" beside a message holding it, and "/search e*" found only the word "e"
        // (a UX audit in tmux, 2026-12-07).
        var alice = await Open("alice", "a1");
        await alice.TypeAsync("party 😀 tonight");
        await alice.Output.WaitFor("alice: party 😀 tonight$", "the message");

        await alice.TypeAsync("/search 😀");
        await alice.Output.WaitFor("nothing to search for in \"😀\": search finds words \\(letters and digits\\); emoji, symbols and punctuation are left out$", "the refusal");
        await alice.TypeAsync("/search e*");
        await alice.Output.WaitFor("'e\\*': a prefix needs at least 2 letters before the \\*, so this looks for the whole word 'e'$", "the prefix note");
        alice.Output.Lines.Should().NotContain(l => l.Contains("nothing found for \"😀\"", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_search_finds_a_word_inside_chinese_text_written_without_spaces()
    {
        // "/search 服务器" answered "nothing found" beside the message holding it: the server took the whole run of
        // letters for one word (a UX audit in tmux, 2026-12-07); now each such letter is a token of its own.
        var alice = await Open("alice", "a1");
        await alice.TypeAsync("我们的服务器已经重启了");
        await alice.Output.WaitFor("alice: 我们的服务器已经重启了$", "the message");

        await alice.TypeAsync("/search 服务器");
        await alice.Output.WaitFor("^\u2014 search: 服务器 \\(1 found\\) \u2014$", "the search header");
        alice.Output.Lines.Should().NotContain(l => l.Contains("nothing found", StringComparison.Ordinal));
    }

    [Test]
    public async Task Search_alone_pages_on_to_the_older_matches_of_the_last_search()
    {
        // "50 of 60 found" and no way to the other 10 (a UX audit, 2026-12-06). Pages of 2 here (HistoryOnJoin).
        var alice = await Open("alice", "a1");
        var bob = await Open("bob", "b1");
        foreach (string n in new[] { "one", "two", "three", "four", "five" })
        {
            await bob.TypeAsync($"needle {n}");
        }

        await alice.Output.WaitFor("bob: needle five$", "the last message");
        await alice.TypeAsync("/search needle");
        await alice.Output.WaitFor("^\u2014 search: needle \\(2 of 5 found\\) \u2014$", "the first page");
        await alice.TypeAsync("/search");
        await alice.Output.WaitFor("^\u2014 search: needle, older \\(2, 1 more before these\\) \u2014$", "the second page");
        await alice.TypeAsync("/search");
        await alice.Output.WaitFor("^\u2014 search: needle, older \\(1\\) \u2014$", "the last page");
        await alice.Output.WaitFor("^\u2014 end of search \u2014$", "the end");

        var hits = alice.Output.Lines.Where(l => l.Contains("bob: needle ", StringComparison.Ordinal) && l.Contains("#lobby", StringComparison.Ordinal)).ToList();
        hits.Select(l => l[(l.LastIndexOf(' ') + 1)..]).Should().Equal(["four", "five", "two", "three", "one"], "each match once, newest page first");
    }

    [TestCase("/rooms")]
    [TestCase("/history")]
    [TestCase("/search plan")]
    [TestCase("/away lunch")]
    [TestCase("/join qa")]
    [TestCase("/topic new")]
    public async Task Room_commands_while_disconnected_say_so_and_do_not_claim_protocol_v2(string command)
    {
        var alice = await Open("alice", "a1");
        await alice.TypeAsync("/join dev");
        Server.Server.Kick("alice", "testing").Should().BeTrue();
        await alice.Session.Ended.WaitAsync(TimeSpan.FromSeconds(10));

        await alice.TypeAsync(command);

        await alice.Output.WaitFor("not connected to the server right now", "the note that the connection is down");
        alice.Output.Lines.Should().NotContain(l => l.Contains("v2", StringComparison.Ordinal));
    }

    [Test]
    public async Task Search_finds_messages_of_the_users_rooms()
    {
        var bob = await Open("bob", "b1");
        await bob.TypeAsync("/join dev");
        await bob.TypeAsync("the release is on friday");

        var alice = await Open("alice", "a1");
        await alice.TypeAsync("/join dev");
        await alice.TypeAsync("/search friday");
        await alice.Output.WaitFor("^\u2014 search: friday \\(1 found\\) \u2014$", "the search header");
        await alice.Output.WaitFor(Time + "#dev bob: the release is on friday$", "the hit, naming its room");
    }
}
