using System.Text.RegularExpressions;

namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>draft/chathistory for channels, answered from the real history.db (real server, real sockets).</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcChatHistoryTests
{
    private const string Caps = "echo-message message-tags server-time batch draft/chathistory";

    /// <summary>The texts of one CHATHISTORY answer: BATCH +id chathistory #dev, the lines tagged with it, BATCH -id.</summary>
    private static async Task<List<string>> AskAsync(IrcTestClient client, string command)
    {
        await client.SendAsync(command);
        string open = await client.ExpectCommandAsync("BATCH");
        open.Should().MatchRegex(@"^:\S+ BATCH \+\S+ chathistory #dev$", command);
        string id = open.Split(' ')[2][1..];
        var texts = new List<string>();
        while (true)
        {
            string line = await client.ExpectAsync(_ => true, "the rest of the batch of " + command);
            if (line.EndsWith(" BATCH -" + id, StringComparison.Ordinal))
            {
                return texts;
            }

            line.Should().StartWith($"@batch={id};time=", command);
            texts.Add(line[(line.IndexOf(" PRIVMSG #dev :", StringComparison.Ordinal) + 15)..]);
        }
    }

    [Test]
    public async Task Latest_before_after_around_and_between_page_by_msgid_in_one_batch_each()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: Caps);
        lock (alice.Seen)
        {
            // The registration burst (read by RegisterAsync) advertised the limit and the reference types.
            string.Join('\n', alice.Seen.Where(l => l.Contains(" 005 ", StringComparison.Ordinal))).Should().Contain(" CHATHISTORY=200 ").And.Contain(" MSGREFTYPES=msgid,timestamp ");
        }

        await alice.SendAsync("JOIN #dev");
        await alice.ExpectAsync(l => l.Contains(" 366 alice #dev ", StringComparison.Ordinal), "366 for #dev");
        var ids = new List<string>();
        for (int i = 0; i < 10; i++)
        {
            await alice.SendAsync($"PRIVMSG #dev :m{i}");
            string echo = await alice.ExpectAsync(l => l.EndsWith($"PRIVMSG #dev :m{i}", StringComparison.Ordinal), $"the echo of m{i}");
            ids.Add(Regex.Match(echo, @"[@;]msgid=(\d+)[; ]").Groups[1].Value);
        }

        (await AskAsync(alice, "CHATHISTORY LATEST #dev * 5")).Should().Equal("m5", "m6", "m7", "m8", "m9");
        (await AskAsync(alice, $"CHATHISTORY LATEST #dev msgid={ids[7]} 10")).Should().Equal("m8", "m9");
        (await AskAsync(alice, $"CHATHISTORY BEFORE #dev msgid={ids[5]} 3")).Should().Equal("m2", "m3", "m4");
        (await AskAsync(alice, $"CHATHISTORY AFTER #dev msgid={ids[5]} 2")).Should().Equal("m6", "m7");
        (await AskAsync(alice, $"CHATHISTORY AROUND #dev msgid={ids[5]} 4")).Should().Equal("m3", "m4", "m5", "m6");
        (await AskAsync(alice, $"CHATHISTORY BETWEEN #dev msgid={ids[2]} msgid={ids[6]} 10")).Should().Equal("m3", "m4", "m5");
        // Counted from the first reference: forwards the oldest of the range, backwards the newest (irctest's
        // _validate_chathistory_BETWEEN; the oldest were answered both ways before).
        (await AskAsync(alice, $"CHATHISTORY BETWEEN #dev msgid={ids[1]} msgid={ids[8]} 3")).Should().Equal("m2", "m3", "m4");
        (await AskAsync(alice, $"CHATHISTORY BETWEEN #dev msgid={ids[8]} msgid={ids[1]} 3")).Should().Equal("m5", "m6", "m7");
        (await AskAsync(alice, $"CHATHISTORY BETWEEN #dev msgid={ids[6]} msgid={ids[2]} 10")).Should().Equal("m3", "m4", "m5");
        (await AskAsync(alice, $"CHATHISTORY AFTER #dev msgid={ids[9]} 10")).Should().BeEmpty();
    }

    [Test]
    public async Task History_lines_carry_their_time_even_to_a_client_without_server_time()
    {
        // Without it a stored line looked exactly like a live one (an IRC audit, 2026-12-06); live lines stay untagged.
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice", "bob");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob", caps: Caps);
        await bob.SendAsync("PRIVMSG #lobby :old message");
        await bob.ExpectAsync(l => l.EndsWith("PRIVMSG #lobby :old message", StringComparison.Ordinal), "the echo");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "draft/chathistory");

        var lines = await alice.LinesBeforePongAsync("CHATHISTORY LATEST #lobby * 10", "history");
        lines.Should().ContainSingle(l => l.EndsWith("PRIVMSG #lobby :old message", StringComparison.Ordinal))
            .Which.Should().MatchRegex(@"^@time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z :bob!");
        await bob.SendAsync("PRIVMSG #lobby :live message");
        (await alice.ExpectAsync(l => l.EndsWith("PRIVMSG #lobby :live message", StringComparison.Ordinal), "the live line")).Should().StartWith(":bob!");
    }

    [Test]
    public async Task A_limit_over_the_advertised_page_is_capped_to_it_however_large()
    {
        // 99999999999 (more than an int holds) was FAIL INVALID_PARAMS, while 1000 was capped (an IRC audit, 2026-12-07).
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0, MaxHistoryPage = 3 }, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: Caps);
        await alice.JoinAsync("alice", "#dev");
        for (int i = 0; i < 5; i++)
        {
            await alice.SendAsync($"PRIVMSG #dev :m{i}");
            await alice.ExpectAsync(l => l.EndsWith($"PRIVMSG #dev :m{i}", StringComparison.Ordinal), $"the echo of m{i}");
        }

        (await AskAsync(alice, "CHATHISTORY LATEST #dev * 99999999999")).Should().Equal("m2", "m3", "m4");
        (await AskAsync(alice, "CHATHISTORY LATEST #dev * 1000")).Should().Equal("m2", "m3", "m4");
        await alice.SendAsync("CHATHISTORY LATEST #dev * 00000000000");
        (await alice.ExpectCommandAsync("FAIL")).Should().Contain("FAIL CHATHISTORY INVALID_PARAMS LATEST", "zero is no limit, however written");
    }

    [Test]
    public async Task Bad_targets_and_references_are_FAIL_lines_and_the_session_goes_on()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: Caps);
        await alice.ExpectAsync(l => l.Contains(" 366 alice #lobby ", StringComparison.Ordinal), "366 for #lobby");

        await alice.SendAsync("CHATHISTORY LATEST #nowhere * 5");
        (await alice.ExpectCommandAsync("FAIL")).Should().Contain("FAIL CHATHISTORY INVALID_TARGET LATEST #nowhere");
        await alice.SendAsync("CHATHISTORY BEFORE #lobby timestamp=yesterday 5");
        (await alice.ExpectCommandAsync("FAIL")).Should().Contain("FAIL CHATHISTORY INVALID_PARAMS BEFORE timestamp=yesterday");
        await alice.SendAsync("CHATHISTORY BEFORE #lobby id=7 5");
        (await alice.ExpectCommandAsync("FAIL")).Should().Contain("FAIL CHATHISTORY INVALID_PARAMS BEFORE id=7");
        await alice.SendAsync("CHATHISTORY BETWEEN #lobby msgid=1 later 5");
        (await alice.ExpectCommandAsync("FAIL")).Should().Contain("FAIL CHATHISTORY INVALID_PARAMS BETWEEN later", "the wrong one of the two references is named");
        await alice.SendAsync("CHATHISTORY LATEST #lobby * many");
        (await alice.ExpectCommandAsync("FAIL")).Should().Contain("FAIL CHATHISTORY INVALID_PARAMS LATEST");
        await alice.SendAsync("CHATHISTORY LATEST #lobby");
        (await alice.ExpectCommandAsync("FAIL")).Should().Contain("FAIL CHATHISTORY NEED_MORE_PARAMS LATEST");
        await alice.SendAsync("CHATHISTORY TARGETS msgid=1 timestamp=2026-12-02T00:00:00.000Z 5");
        (await alice.ExpectCommandAsync("FAIL")).Should().Contain("FAIL CHATHISTORY INVALID_PARAMS TARGETS msgid=1");
        await alice.SendAsync("CHATHISTORY NEWEST #lobby * 5");
        (await alice.ExpectCommandAsync("FAIL")).Should().Contain("FAIL CHATHISTORY UNKNOWN_COMMAND NEWEST");
        await alice.SendAsync("CHATHISTORY");
        await alice.ExpectCommandAsync("461");
        await alice.SendAsync("PING :still-here");
        (await alice.ExpectCommandAsync("PONG")).Should().EndWith("still-here");
    }

    [Test]
    public async Task A_chathistory_batch_names_the_channel_as_the_room_is_spelled_not_as_asked()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: Caps);
        await alice.SendAsync("JOIN #dev");
        await alice.ExpectAsync(l => l.Contains(" 366 alice #dev ", StringComparison.Ordinal), "366 for #dev");
        await alice.SendAsync("PRIVMSG #dev :one");
        await alice.ExpectAsync(l => l.EndsWith(" PRIVMSG #dev :one", StringComparison.Ordinal), "the echo of one");

        // AskAsync checks the batch opens for #dev, as the lines in it say.
        (await AskAsync(alice, "CHATHISTORY LATEST #DEV * 10")).Should().Equal("one");
    }

    [Test]
    public async Task Without_the_cap_negotiated_CHATHISTORY_is_an_unknown_command_not_lines_that_look_live()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "batch server-time");
        await alice.JoinAsync("alice", "#dev");
        await alice.SendAsync("PRIVMSG #dev :said before");

        await alice.SendAsync("CHATHISTORY LATEST #dev * 10");

        (await alice.ExpectAsync(l => l.Contains(" 421 ", StringComparison.Ordinal) || l.Contains(" BATCH ", StringComparison.Ordinal), "421 or a batch"))
            .Should().Contain(" 421 alice CHATHISTORY :").And.Contain("draft/chathistory");
    }

    [Test]
    public async Task With_history_off_neither_the_cap_nor_the_isupport_tokens_are_offered()
    {
        // They were, and every CHATHISTORY then answered an empty batch (an IRC audit, 2026-12-04).
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        lock (alice.Seen)
        {
            alice.Seen.Should().Contain(l => l.Contains(" CAP * LS ", StringComparison.Ordinal))
                .Which.Should().NotContain("chathistory").And.Contain("server-time");
            alice.Seen.Where(l => l.Contains(" 005 ", StringComparison.Ordinal)).Should().NotBeEmpty()
                .And.AllSatisfy(l => l.Should().NotContain("CHATHISTORY").And.NotContain("MSGREFTYPES"));
        }

        await alice.SendAsync("CAP REQ :draft/chathistory");
        (await alice.ExpectAsync(l => l.Contains(" CAP ", StringComparison.Ordinal), "the answer to CAP REQ")).Should().Contain(" NAK ");
    }

    [Test]
    public async Task A_conversation_s_history_comes_in_a_batch_named_as_asked_each_line_as_it_was_sent()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice", "bob", "carol");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: Caps);
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob", caps: Caps);
        for (int i = 0; i < 4; i++)
        {
            var (from, to) = i % 2 == 0 ? (alice, "bob") : (bob, "alice");
            await from.SendAsync($"PRIVMSG {to} :d{i}");
            await from.ExpectAsync(l => l.EndsWith($"PRIVMSG {to} :d{i}", StringComparison.Ordinal), $"the echo of d{i}");
        }

        await alice.SendAsync("PRIVMSG carol :elsewhere");
        await alice.ExpectAsync(l => l.EndsWith("PRIVMSG carol :elsewhere", StringComparison.Ordinal), "the echo to carol");

        await alice.SendAsync("CHATHISTORY LATEST BOB * 10");
        string open = await alice.ExpectCommandAsync("BATCH");
        open.Should().MatchRegex(@"^:\S+ BATCH \+\S+ chathistory BOB$", "named as the client asked");
        string id = open.Split(' ')[2][1..];
        var lines = new List<string>();
        while (true)
        {
            string line = await alice.ExpectAsync(_ => true, "the rest of the batch");
            if (line.EndsWith(" BATCH -" + id, StringComparison.Ordinal))
            {
                break;
            }

            line.Should().StartWith($"@batch={id};time=");
            lines.Add(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        }

        lines.Should().Equal(
            ":alice!alice@lantalk PRIVMSG bob :d0",
            ":bob!bob@lantalk PRIVMSG alice :d1",
            ":alice!alice@lantalk PRIVMSG bob :d2",
            ":bob!bob@lantalk PRIVMSG alice :d3");

        await alice.SendAsync("CHATHISTORY LATEST nobody * 10");
        (await alice.ExpectCommandAsync("FAIL")).Should().Contain("FAIL CHATHISTORY INVALID_TARGET LATEST nobody ");
    }
}
