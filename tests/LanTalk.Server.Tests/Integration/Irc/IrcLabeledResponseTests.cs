namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>IRCv3 labeled-response on the gateway: each labeled command's answer carries its label (real server, real sockets).</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcLabeledResponseTests
{
    private const string Caps = "echo-message message-tags server-time batch labeled-response draft/chathistory";

    [Test]
    public async Task A_one_line_answer_carries_the_label_and_a_command_with_no_answer_gets_ACK()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: Caps);

        await alice.SendAsync("@label=a2 WHOIS nobody-here");
        string numeric = await alice.ExpectAsync(l => l.Contains("label=a2", StringComparison.Ordinal), "WHOIS's answer with its label");
        numeric.Should().MatchRegex(@"^@label=a2 :\S+ BATCH \+\S+ labeled-response$", "401 and 318: two lines, so a batch");
        string first = await alice.ExpectAsync(_ => true, "the batch's first line");
        first.Should().MatchRegex(@"^@batch=\S+ :\S+ 401 alice nobody-here ");

        await alice.SendAsync("@label=a3 MODE alice");
        (await alice.ExpectAsync(l => l.Contains("label=a3", StringComparison.Ordinal), "MODE's answer")).Should().MatchRegex(@"^@label=a3 :\S+ 221 alice ");

        // PONG barrier answered as the PING's label; an unlabeled line after it gets no label.
        await alice.SendAsync("@label=a4 PING tok");
        (await alice.ExpectAsync(l => l.Contains(" PONG ", StringComparison.Ordinal), "the PONG")).Should().StartWith("@label=a4 ");

        // A label given twice: the last counts, as for every tag (an IRC audit, 2026-12-06).
        await alice.SendAsync("@label=first;label=last PING twice");
        (await alice.ExpectAsync(l => l.Contains(" PONG ", StringComparison.Ordinal), "the PONG of the doubly labeled PING")).Should().StartWith("@label=last ");

        // A command with nothing to say: ACK.
        await alice.SendAsync("@label=a5 PONG x");
        (await alice.ExpectAsync(l => l.Contains("label=a5", StringComparison.Ordinal), "PONG's ACK")).Should().MatchRegex(@"^@label=a5 :\S+ ACK$");
    }

    [Test]
    public async Task A_labeled_message_s_echo_carries_the_label_and_other_members_never_see_it()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: Caps);
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob", caps: Caps);
        await alice.JoinAsync("alice", "#dev");
        await bob.JoinAsync("bob", "#dev");

        for (int i = 0; i < 5; i++)
        {
            await alice.SendAsync($"@label=m{i} PRIVMSG #dev :hello {i}");
            string echo = await alice.ExpectAsync(l => l.EndsWith($"PRIVMSG #dev :hello {i}", StringComparison.Ordinal), $"the echo of hello {i}");
            echo.Should().MatchRegex($@"^@label=m{i};time=\S+;msgid=\d+ :alice!", "the echo is the labeled answer, committed");
            string seen = await bob.ExpectAsync(l => l.EndsWith($"PRIVMSG #dev :hello {i}", StringComparison.Ordinal), $"bob's copy of hello {i}");
            seen.Should().NotContain("label=");
        }

        // A message refused at once: the error is the answer.
        await alice.SendAsync("@label=e1 PRIVMSG #elsewhere :x");
        (await alice.ExpectAsync(l => l.Contains("label=e1", StringComparison.Ordinal), "the refusal")).Should().MatchRegex(@"^@label=e1 :\S+ (403|404|442) alice #elsewhere ");
    }

    [TestCase("echo-message labeled-response")]
    [TestCase("labeled-response")]
    [TestCase(Caps)]
    public async Task A_labeled_notice_that_is_refused_gets_an_ACK_whatever_the_caps(string caps)
    {
        // With echo-message a refused NOTICE (it gets no error numeric, RFC 2812 3.3.2) got no reply at all: its
        // label waited for an echo that never came. labeled-response wants an ACK then (an IRC audit, 2026-12-07).
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: caps);
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await bob.JoinAsync("bob", "#bobs");

        string[] targets = ["nosuchnick", "#doesnotexist", "#bobs"];
        for (int i = 0; i < targets.Length; i++)
        {
            var lines = await alice.LinesBeforePongAsync($"@label=n{i} NOTICE {targets[i]} :x", "after-n" + i);
            lines.Should().ContainSingle(l => l.Contains($"label=n{i}", StringComparison.Ordinal), "the NOTICE to {0} is answered once", targets[i])
                .Which.Should().MatchRegex($@"^@label=n{i} :\S+ ACK$", "a refused NOTICE has nothing else to say");
            lines.Should().NotContain(l => IrcTestClient.Untagged(l).Contains(" NOTICE ", StringComparison.Ordinal), "no error and no echo");
        }

        // A NOTICE that goes through is still answered by its echo with echo-message, by an ACK without.
        var sent = await alice.LinesBeforePongAsync("@label=ok NOTICE bob :fine", "after-ok");
        sent.Should().ContainSingle(l => l.Contains("label=ok", StringComparison.Ordinal))
            .Which.Should().MatchRegex(caps.Contains("echo-message", StringComparison.Ordinal) ? @"^@label=ok[; ].* NOTICE bob :fine$" : @"^@label=ok :\S+ ACK$");
    }

    [Test]
    public async Task INVITE_is_answered_before_a_later_PONG_and_a_labeled_one_gets_its_label_on_the_341()
    {
        // Its 341 waits for the rooms file's save: it came after the PONG, and a labeled INVITE got an ACK, then an
        // unlabeled 341 (an IRC audit, 2026-12-06). The same for the NOTICE of a KICK that withdraws an invitation.
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice", "bob", "carol");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: Caps);
        await alice.JoinAsync("alice", "#lab");

        var lines = await alice.LinesBeforePongAsync("INVITE bob #lab", "after-invite");
        lines.Should().Contain(l => l.Contains(" 341 alice bob #lab", StringComparison.Ordinal), "the PONG comes after the INVITE's answer");
        lines = await alice.LinesBeforePongAsync("KICK #lab bob", "after-withdraw");
        lines.Should().Contain(l => l.Contains(" NOTICE alice :bob was invited to #lab and is not any more", StringComparison.Ordinal));

        await alice.SendAsync("@label=i1 INVITE carol #lab");
        string answer = await alice.ExpectAsync(l => l.Contains("label=i1", StringComparison.Ordinal), "the labeled INVITE's answer");
        answer.Should().MatchRegex(@"^@label=i1 :\S+ 341 alice carol #lab$", "341 is the answer, not an ACK");
    }

    [Test]
    public async Task A_labeled_CHATHISTORY_nests_its_chathistory_batch_in_the_labeled_response_batch()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: Caps);
        await alice.JoinAsync("alice", "#dev");
        await alice.SendAsync("PRIVMSG #dev :kept");
        await alice.ExpectAsync(l => l.EndsWith("PRIVMSG #dev :kept", StringComparison.Ordinal), "the echo");

        await alice.SendAsync("@label=h1 CHATHISTORY LATEST #dev * 10");
        string outer = await alice.ExpectAsync(l => l.Contains("label=h1", StringComparison.Ordinal), "the labeled batch");
        outer.Should().MatchRegex(@"^@label=h1 :\S+ BATCH \+\S+ labeled-response$");
        string outerId = outer.Split(' ')[3][1..];
        string inner = await alice.ExpectAsync(_ => true, "the chathistory batch's start");
        inner.Should().MatchRegex($@"^@batch={outerId} :\S+ BATCH \+\S+ chathistory #dev$");
        string innerId = inner.Split(' ')[3][1..];
        (await alice.ExpectAsync(_ => true, "the message")).Should().StartWith($"@batch={innerId};").And.EndWith("PRIVMSG #dev :kept");
        (await alice.ExpectAsync(_ => true, "the inner end")).Should().MatchRegex($@"^@batch={outerId} :\S+ BATCH -{innerId}$");
        (await alice.ExpectAsync(_ => true, "the outer end")).Should().MatchRegex($@"^:\S+ BATCH -{outerId}$");
    }

    [Test]
    public async Task A_message_to_oneself_is_delivered_as_to_any_recipient_and_only_its_echo_carries_the_label()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice");
        await using var plain = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "message-tags server-time");
        await plain.SendAsync("PRIVMSG alice :note to self");
        await plain.ExpectAsync(l => l.EndsWith("PRIVMSG alice :note to self", StringComparison.Ordinal), "the delivery, without echo-message");

        await using var echoing = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: Caps);
        await echoing.SendAsync("@label=s1 PRIVMSG alice :second");
        await echoing.SendAsync("PING after");
        await echoing.ExpectAsync(l => l.Contains(" PONG ", StringComparison.Ordinal), "the PONG after both copies");
        List<string> copies;
        lock (echoing.Seen)
        {
            copies = echoing.Seen.Where(l => l.EndsWith("PRIVMSG alice :second", StringComparison.Ordinal)).ToList();
        }

        copies.Should().HaveCount(2, "the echo and the delivery");
        copies.Count(l => l.StartsWith("@label=s1;", StringComparison.Ordinal)).Should().Be(1, "only the echo answers the labeled command");
    }

    [Test]
    public async Task Without_the_capability_a_label_is_ignored()
    {
        await using var server = await TestServer.StartAsync(s => s with { IrcPort = 0 }, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "message-tags");

        await alice.SendAsync("@label=x MODE alice");
        (await alice.ExpectAsync(l => l.Contains(" 221 ", StringComparison.Ordinal), "MODE's answer")).Should().NotContain("label");
        await alice.SendAsync("@label=y PONG x");
        await alice.SendAsync("PING done");
        (await alice.ExpectAsync(l => l.Contains(" PONG ", StringComparison.Ordinal), "the PONG")).Should().NotContain("ACK").And.NotContain("label");
        lock (alice.Seen)
        {
            alice.Seen.Should().NotContain(l => l.EndsWith(" ACK", StringComparison.Ordinal));
        }
    }
}
