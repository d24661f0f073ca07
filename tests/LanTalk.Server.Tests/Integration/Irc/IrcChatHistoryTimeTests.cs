using System.Globalization;
using System.Text.RegularExpressions;

namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// draft/chathistory by time: <c>timestamp=</c> references and <c>CHATHISTORY TARGETS</c>, against the real history.db
/// (real server, real sockets). Expectations come from the <c>time</c> tags the echoes carried, so two messages stored
/// in the same millisecond do not make a test wrong.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcChatHistoryTimeTests
{
    private const string Caps = "echo-message message-tags server-time batch draft/chathistory";

    [Test]
    public async Task Timestamp_references_page_a_channel_by_its_messages_stored_times()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: Caps);
        await alice.JoinAsync("alice", "#dev");
        var sent = new List<(string Text, string Time)>();
        for (int i = 0; i < 10; i++)
        {
            await alice.SendAsync($"PRIVMSG #dev :m{i}");
            string echo = await alice.ExpectAsync(l => l.EndsWith($"PRIVMSG #dev :m{i}", StringComparison.Ordinal), $"the echo of m{i}");
            sent.Add(($"m{i}", Regex.Match(echo, @"[@;]time=([^; ]+)").Groups[1].Value));
        }

        string[] Where(Func<string, bool> keep) => [.. sent.Where(m => keep(m.Time)).Select(m => m.Text)];
        string t3 = sent[3].Time, t5 = sent[5].Time, t7 = sent[7].Time, t1 = sent[1].Time, t8 = sent[8].Time;

        (await AskAsync(alice, $"CHATHISTORY LATEST #dev timestamp={t7} 20")).Should().Equal(Where(t => Ms(t) > Ms(t7)));
        (await AskAsync(alice, $"CHATHISTORY BEFORE #dev timestamp={t5} 3")).Should().Equal(Where(t => Ms(t) < Ms(t5)).TakeLast(3));
        (await AskAsync(alice, $"CHATHISTORY AFTER #dev timestamp={t3} 2")).Should().Equal(Where(t => Ms(t) > Ms(t3)).Take(2));
        (await AskAsync(alice, $"CHATHISTORY BETWEEN #dev timestamp={t1} timestamp={t8} 3")).Should().Equal(Where(t => Ms(t) > Ms(t1) && Ms(t) < Ms(t8)).Take(3));
        (await AskAsync(alice, $"CHATHISTORY BETWEEN #dev timestamp={t8} timestamp={t1} 3")).Should().Equal(Where(t => Ms(t) > Ms(t1) && Ms(t) < Ms(t8)).TakeLast(3));
        // The reference is the first message at or after the time; on a busy machine m5 can share its millisecond
        // with the messages around it, and only the first of them is sure to be within the 4.
        (await AskAsync(alice, $"CHATHISTORY AROUND #dev timestamp={t5} 4")).Should().Contain(sent.First(m => m.Time == t5).Text);

        // A time before everything stored: AFTER is the oldest (it was the newest, AfterId 0 meaning "none" to the store).
        (await AskAsync(alice, "CHATHISTORY AFTER #dev timestamp=2020-01-01T00:00:00.000Z 3")).Should().Equal("m0", "m1", "m2");
        (await AskAsync(alice, "CHATHISTORY BEFORE #dev timestamp=2262-01-01T00:00:00Z 2")).Should().Equal("m8", "m9");
        // Finer than a millisecond: "before t5 and 0.4 ms" includes what was stored in t5's millisecond.
        string justAfterT5 = t5.Replace("Z", "4Z", StringComparison.Ordinal);
        (await AskAsync(alice, $"CHATHISTORY BEFORE #dev timestamp={justAfterT5} 20")).Should().Equal(Where(t => Ms(t) <= Ms(t5)));
        // An offset is a time like any other.
        string t5InParis = DateTimeOffset.Parse(t5, CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(1)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
        (await AskAsync(alice, $"CHATHISTORY BEFORE #dev timestamp={t5InParis} 20")).Should().Equal(Where(t => Ms(t) < Ms(t5)));
    }

    [Test]
    public async Task Targets_lists_channels_and_conversations_by_their_newest_message_inside_the_window()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice", "bob", "carol");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: Caps);
        await using var carol = await IrcTestClient.RegisterAsync(server.IrcPort, "carol", caps: Caps);
        await alice.JoinAsync("alice", "#dev");
        await alice.JoinAsync("alice", "#ops");
        var times = new List<(string Target, string Time)>
        {
            ("#dev", await SayAsync(alice, "#dev", "in dev")),
            ("bob", await SayAsync(alice, "bob", "to bob, offline")),
            ("#ops", await SayAsync(alice, "#ops", "in ops")),
        };
        await carol.SendAsync("PRIVMSG alice :from carol");
        string fromCarol = await alice.ExpectAsync(l => l.EndsWith("PRIVMSG alice :from carol", StringComparison.Ordinal), "carol's message");
        times.Add(("carol", Regex.Match(fromCarol, @"[@;]time=([^; ]+)").Groups[1].Value));

        const string Before = "timestamp=2020-01-01T00:00:00.000Z", After = "timestamp=2262-01-01T00:00:00.000Z";
        // Oldest newest-message first; the default room, with nothing said in it, is not a target.
        (await TargetsAsync(alice, $"CHATHISTORY TARGETS {Before} {After} 100")).Should().Equal(times.Select(t => $"{t.Target} {t.Time}"));
        (await TargetsAsync(alice, $"CHATHISTORY TARGETS {After} {Before} 2")).Should().Equal(times.Take(2).Select(t => $"{t.Target} {t.Time}"));
        // Both ends exclusive.
        string first = times[0].Time, last = times[3].Time;
        (await TargetsAsync(alice, $"CHATHISTORY TARGETS timestamp={first} {After} 100")).Should()
            .Equal(times.Where(t => Ms(t.Time) > Ms(first)).Select(t => $"{t.Target} {t.Time}"));
        (await TargetsAsync(alice, $"CHATHISTORY TARGETS timestamp={first} timestamp={last} 100")).Should()
            .Equal(times.Where(t => Ms(t.Time) > Ms(first) && Ms(t.Time) < Ms(last)).Select(t => $"{t.Target} {t.Time}"));

        // A conversation whose newest message is past the window is not in it, though it has older ones inside.
        string newer = await SayAsync(alice, "#dev", "later in dev");
        (await TargetsAsync(alice, $"CHATHISTORY TARGETS {Before} timestamp={newer} 100")).Should()
            .NotContain(l => l.StartsWith("#dev ", StringComparison.Ordinal));
        // Only the user's own: carol has no conversation with bob, and is not in #dev or #ops.
        (await TargetsAsync(carol, $"CHATHISTORY TARGETS {Before} {After} 100")).Should().Equal($"alice {times[3].Time}");
    }

    [Test]
    public async Task A_guests_private_talk_is_neither_a_target_nor_the_history_of_a_later_account_of_its_name()
    {
        // TARGETS listed guest-yan, whose history CHATHISTORY refuses; once an account took the name, alice's history
        // with it showed the guest's lines as if the new person had said them (an IRC audit, 2026-12-06).
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0, AllowGuests = true }, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: Caps);
        await using (var guest = await IrcTestClient.RegisterAsync(server.IrcPort, "yan", password: null, caps: Caps))
        {
            await SayAsync(guest, "alice", "secret from the guest");
            await SayAsync(alice, "guest-yan", "answer to the guest");
        }

        await alice.ExpectAsync(l => l.Contains(":guest-yan!", StringComparison.Ordinal) && l.Contains(" QUIT ", StringComparison.Ordinal), "the guest's QUIT");

        string now = DateTimeOffset.UtcNow.AddMinutes(1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        (await TargetsAsync(alice, $"CHATHISTORY TARGETS timestamp=2020-01-01T00:00:00.000Z timestamp={now} 50")).Should()
            .NotContain(t => t.StartsWith("guest-yan ", StringComparison.Ordinal), "a guest has no history to fetch");

        server.Users.Add("guest-yan", TestServer.Password);
        await using var yan = await IrcTestClient.RegisterAsync(server.IrcPort, "guest-yan", caps: Caps);
        await SayAsync(yan, "alice", "hello, I am new here");
        var lines = await alice.LinesBeforePongAsync("CHATHISTORY LATEST guest-yan * 50", "conversation");
        lines.Where(l => l.StartsWith("@batch=", StringComparison.Ordinal) && l.Contains(" PRIVMSG ", StringComparison.Ordinal)).Select(l => l[(l.LastIndexOf(" :", StringComparison.Ordinal) + 2)..])
            .Should().Equal(["hello, I am new here"], "the account's conversation starts when the account was created");
    }

    /// <summary>Says <paramref name="text"/> to <paramref name="target"/> and returns the time tag of its echo.</summary>
    private static async Task<string> SayAsync(IrcTestClient client, string target, string text)
    {
        await client.SendAsync($"PRIVMSG {target} :{text}");
        string echo = await client.ExpectAsync(l => l.EndsWith($"PRIVMSG {target} :{text}", StringComparison.Ordinal), "the echo of " + text);
        return Regex.Match(echo, @"[@;]time=([^; ]+)").Groups[1].Value;
    }

    /// <summary>The "name time" pairs of one TARGETS answer, checking its draft/chathistory-targets batch.</summary>
    private static async Task<List<string>> TargetsAsync(IrcTestClient client, string command)
    {
        // Presence of others (a JOIN #lobby) may come first; the answer is the batch.
        var lines = (await client.LinesBeforePongAsync(command, "targets")).SkipWhile(l => !l.Contains(" BATCH +", StringComparison.Ordinal)).ToList();
        lines.Should().NotBeEmpty(command);
        lines[0].Should().MatchRegex(@"^:\S+ BATCH \+\S+ draft/chathistory-targets$", command);
        string id = lines[0].Split(' ')[2][1..];
        lines[^1].Should().EndWith(" BATCH -" + id, command);
        return [.. lines.Skip(1).SkipLast(1).Select(l =>
        {
            l.Should().MatchRegex($@"^@batch={id} :\S+ CHATHISTORY TARGETS \S+ \S+$", command);
            return string.Join(' ', l.Split(' ')[^2..]);
        })];
    }

    /// <summary>The texts of one chathistory batch for #dev.</summary>
    private static async Task<List<string>> AskAsync(IrcTestClient client, string command)
    {
        var lines = (await client.LinesBeforePongAsync(command, "history")).SkipWhile(l => !l.Contains(" BATCH +", StringComparison.Ordinal)).ToList();
        lines.Should().NotBeEmpty(command);
        lines[0].Should().MatchRegex(@"^:\S+ BATCH \+\S+ chathistory #dev$", command);
        string id = lines[0].Split(' ')[2][1..];
        lines[^1].Should().EndWith(" BATCH -" + id, command);
        return [.. lines.Skip(1).SkipLast(1).Select(l => l[(l.IndexOf(" PRIVMSG #dev :", StringComparison.Ordinal) + 15)..])];
    }

    private static long Ms(string time) => DateTimeOffset.Parse(time, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
}
