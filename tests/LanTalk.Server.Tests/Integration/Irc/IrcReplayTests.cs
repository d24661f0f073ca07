namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// An IRC JOIN replays the room's recent history (the ChatSocket join's replay and seam) to clients with server-time,
/// in a chathistory batch with the batch cap, before any live message; real server, real history.db.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcReplayTests
{
    private static Task<TestServer> StartAsync() => TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice", "carol");

    /// <summary>alice creates #dev and says <paramref name="texts"/>; each is stored once her echo comes back.</summary>
    private static async Task<IrcTestClient> AliceSaysAsync(TestServer server, params string[] texts)
    {
        var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "echo-message");
        await alice.SendAsync("JOIN #dev");
        await alice.ExpectCommandAsync("366");
        foreach (var text in texts)
        {
            await alice.SendAsync("PRIVMSG #dev :" + text);
            await alice.ExpectAsync(l => l.EndsWith("PRIVMSG #dev :" + text, StringComparison.Ordinal), "alice's echo of " + text);
        }

        return alice;
    }

    private static List<string> PrivmsgTexts(IrcTestClient client, string channel)
    {
        string needle = $" PRIVMSG {channel} :";
        lock (client.Seen)
        {
            return client.Seen.Where(l => l.Contains(needle, StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(needle, StringComparison.Ordinal) + needle.Length)..]).ToList();
        }
    }

    [Test]
    public async Task Join_replays_history_with_server_time_in_a_chathistory_batch_before_live_messages()
    {
        await using var server = await StartAsync();
        await using var alice = await AliceSaysAsync(server, "one", "two", "three");
        await using var carol = await IrcTestClient.RegisterAsync(server.IrcPort, "carol", caps: "server-time batch");
        await carol.ExpectCommandAsync("366");

        await carol.SendAsync("JOIN #dev");
        IrcTestClient.Untagged(await carol.ExpectCommandAsync("JOIN")).Should().Be(":carol!carol@lantalk JOIN #dev");
        await carol.ExpectAsync(l => l.Contains(" 366 carol #dev ", StringComparison.Ordinal), "366 for #dev");
        string open = await carol.ExpectCommandAsync("BATCH");
        open.Should().MatchRegex(@"^:\S+ BATCH \+(\S+) chathistory #dev$");
        string id = open.Split(' ')[2][1..];
        foreach (var text in new[] { "one", "two", "three" })
        {
            (await carol.ExpectCommandAsync("PRIVMSG")).Should().MatchRegex($@"^@batch={id};time=\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{3}}Z :alice!alice@lantalk PRIVMSG #dev :{text}$");
        }

        (await carol.ExpectCommandAsync("BATCH")).Should().EndWith(" BATCH -" + id);
        await alice.SendAsync("PRIVMSG #dev :live");
        (await carol.ExpectCommandAsync("PRIVMSG")).Should().MatchRegex(@"^@time=\S+ :alice!alice@lantalk PRIVMSG #dev :live$");
        PrivmsgTexts(carol, "#dev").Should().Equal("one", "two", "three", "live");
    }

    [Test]
    public async Task Without_batch_the_replay_is_plain_timed_lines_and_without_server_time_there_is_none()
    {
        await using var server = await StartAsync();
        await using var alice = await AliceSaysAsync(server, "earlier");
        await using var carol = await IrcTestClient.RegisterAsync(server.IrcPort, "carol", caps: "server-time");
        await carol.ExpectCommandAsync("366");
        await carol.SendAsync("JOIN #dev");
        (await carol.ExpectCommandAsync("PRIVMSG")).Should().MatchRegex(@"^@time=\S+ :alice!alice@lantalk PRIVMSG #dev :earlier$");
        await carol.SendAsync("PART #dev");
        await carol.ExpectCommandAsync("PART");

        // A client without server-time would show a replayed line as if it were said now: it gets none.
        await using var plain = await IrcTestClient.RegisterAsync(server.IrcPort, "carol");
        await plain.ExpectCommandAsync("366");
        await plain.SendAsync("JOIN #dev");
        await plain.ExpectAsync(l => l.Contains(" 366 carol #dev ", StringComparison.Ordinal), "366 for #dev");
        await alice.SendAsync("PRIVMSG #dev :now");
        (await plain.ExpectCommandAsync("PRIVMSG")).Should().Be(":alice!alice@lantalk PRIVMSG #dev :now");
        PrivmsgTexts(plain, "#dev").Should().Equal("now");
    }

    [Test]
    public async Task Joins_while_messages_flow_show_each_message_once_and_in_order()
    {
        // Flood limits lifted: alice sends as fast as the socket takes it while carol joins and parts again and again.
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0, MessageRatePerSecond = 100_000, MessageBurst = 1_000_000 }, "alice", "carol");
        await using var alice = await AliceSaysAsync(server, "m0");
        await using var carol = await IrcTestClient.RegisterAsync(server.IrcPort, "carol", caps: "server-time batch");
        await carol.ExpectCommandAsync("366");

        const int Messages = 400;
        var sending = Task.Run(async () =>
        {
            for (int i = 1; i <= Messages; i++)
            {
                await alice.SendAsync($"PRIVMSG #dev :m{i}");
            }
        });
        for (int cycle = 0; cycle < 8; cycle++)
        {
            await carol.SendAsync("JOIN #dev");
            await carol.ExpectAsync(l => IrcTestClient.Untagged(l) == ":carol!carol@lantalk JOIN #dev", "carol's JOIN");
            await carol.SendAsync("PART #dev");
            await carol.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":carol!carol@lantalk PART #dev", StringComparison.Ordinal), "carol's PART");
        }

        await sending;
        await carol.SendAsync("JOIN #dev");
        await carol.ExpectAsync(l => l.EndsWith($"PRIVMSG #dev :m{Messages}", StringComparison.Ordinal), "the last message");

        // Within each membership, the replay (ids up to the join mark) and the live messages (above it) meet without a
        // gap, a repeat or a reordering, whatever the timing: each membership's numbers are consecutive.
        var memberships = new List<List<int>>();
        lock (carol.Seen)
        {
            foreach (var line in carol.Seen)
            {
                if (IrcTestClient.Untagged(line) == ":carol!carol@lantalk JOIN #dev")
                {
                    memberships.Add([]);
                }
                else if (line.Contains(" PRIVMSG #dev :m", StringComparison.Ordinal) && memberships.Count > 0)
                {
                    memberships[^1].Add(int.Parse(line[(line.LastIndexOf(":m", StringComparison.Ordinal) + 2)..], System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        memberships.Should().HaveCount(9);
        foreach (var seen in memberships.Where(m => m.Count > 0))
        {
            seen.Should().Equal(Enumerable.Range(seen[0], seen.Count), "one membership shows consecutive messages");
        }

        memberships[^1][^1].Should().Be(Messages);
        memberships[^1].Count.Should().BeGreaterThanOrEqualTo(server.Server.Settings.HistoryOnJoin, "the last join replays HistoryOnJoin messages at least");
    }
}
