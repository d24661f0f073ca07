using System.Text;

namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// Every reply line stays within 512 bytes with CR LF (tags not counted), whatever over-long channel name or nick
/// of the client's it echoes; the cut falls between UTF-8 characters (real sockets).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcReplyLengthTests
{
    // Legal lines of 500-510 bytes, each echoing a long name of the client's (an IRC audit, 2026-12-06: 515-525 bytes).
    private static readonly string[] Commands =
    [
        "JOIN #" + new string('x', 495),
        "JOIN #" + string.Concat(Enumerable.Repeat("é", 248)),
        "PART #" + new string('p', 495),
        "TOPIC #" + new string('t', 490),
        "MODE #" + new string('m', 490),
        "NAMES #" + new string('n', 490),
        "WHO " + new string('o', 490),
        "WHOIS " + new string('w', 490),
        "WHOIS " + string.Concat(Enumerable.Repeat("ü", 245)),
        "NICK " + new string('q', 490),
        "MONITOR + " + new string('m', 490),
        "KICK #lobby " + new string('k', 490),
        "INVITE " + new string('i', 480) + " #lobby",
        "PRIVMSG " + new string('r', 490) + " :hi",
    ];

    [Test]
    public async Task Every_reply_to_a_command_echoing_a_long_name_fits_in_512_bytes()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "server-time");
        var over = new List<string>();
        int replies = 0;
        for (int i = 0; i < Commands.Length; i++)
        {
            foreach (string line in await alice.LinesBeforePongAsync(Commands[i], "t" + i))
            {
                replies++;
                CheckLine(Commands[i], line, over);
            }
        }

        replies.Should().BeGreaterThan(Commands.Length, "each command draws at least one reply");
        over.Should().BeEmpty();
    }

    [Test]
    public async Task A_long_nick_before_registration_draws_a_432_that_fits()
    {
        await using var server = await TestServer.StartIrcAsync(s => s with { AllowGuests = true }, "alice");
        await using var guest = await IrcTestClient.ConnectAsync(server.IrcPort);
        await guest.SendAsync("NICK " + new string('g', 490));

        string reply = await guest.ExpectCommandAsync("432");

        var over = new List<string>();
        CheckLine("NICK before registration", reply, over);
        over.Should().BeEmpty();
    }

    [Test]
    public async Task Names_of_long_non_ascii_nicks_are_split_over_353_lines_that_fit_and_lose_no_name()
    {
        // Eight names of 42 CJK letters: 128 UTF-8 bytes each, the most a name holds. 353 packed 400 bytes of names
        // whatever the nick and channel took; with this nick the line passed 512 and was cut, names and all.
        string[] users = Enumerable.Range(0, 8).Select(i => new string((char)('中' + i), 42)).ToArray();
        await using var server = await TestServer.StartIrcAsync(s => s with { MaxUserNameLength = 128 }, users);
        var others = new List<ClientProbe>();
        try
        {
            foreach (string user in users.Skip(1))
            {
                others.Add(await server.LoginProbeAsync(user));
            }

            await using var irc = await IrcTestClient.RegisterAsync(server.IrcPort, users[0]);
            await irc.ExpectCommandAsync("366");

            var lines = (await irc.LinesBeforePongAsync("NAMES #lobby", "n")).Where(l => l.Split(' ')[1] == "353").ToList();

            var over = new List<string>();
            foreach (string line in lines)
            {
                CheckLine("NAMES", line, over);
            }

            over.Should().BeEmpty();
            lines.Should().HaveCountGreaterThan(1);
            lines.SelectMany(NamesIn)
                .Should().BeEquivalentTo(users, "every member online is named, whole");
        }
        finally
        {
            foreach (var probe in others)
            {
                await probe.Client.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task With_userhost_in_names_a_mask_too_long_for_any_353_line_is_given_as_the_bare_name_whole()
    {
        // A 128-byte nick in a 128-byte channel leaves about 230 bytes a 353 line; a member's mask takes 266.
        string[] users = [new string('中', 42), new string('丮', 42)];
        string channel = "#" + new string('文', 42);
        await using var server = await TestServer.StartIrcAsync(s => s with { MaxUserNameLength = 128, MaxRoomNameLength = 128 }, users);
        await using var first = await IrcTestClient.RegisterAsync(server.IrcPort, users[0], caps: "userhost-in-names");
        await using var second = await IrcTestClient.RegisterAsync(server.IrcPort, users[1], caps: "userhost-in-names");
        await first.LinesBeforePongAsync("JOIN " + channel, "j1");
        await second.LinesBeforePongAsync("JOIN " + channel, "j2");

        var lines = (await second.LinesBeforePongAsync("NAMES " + channel, "n")).Where(l => l.Split(' ')[1] == "353").ToList();

        var over = new List<string>();
        foreach (string line in lines)
        {
            CheckLine("NAMES", line, over);
        }

        over.Should().BeEmpty();
        lines.SelectMany(NamesIn).Should().OnlyContain(n => !n.Contains('!') || n == $"{n.Split('!')[0]}!{n.Split('!')[0]}@lantalk", "a mask is whole or not there");
        lines.SelectMany(NamesIn).Select(n => n.Split('!')[0])
            .Should().BeEquivalentTo(users, "every member is named, whole");
    }

    /// <summary>The names of a 353 line (<c>:server 353 nick = #channel :a b</c>; a single name may come without the ':'), '@' taken off.</summary>
    private static IEnumerable<string> NamesIn(string line)
    {
        string rest = line[(line.IndexOf(" = ", StringComparison.Ordinal) + 3)..];
        return rest[(rest.IndexOf(' ', StringComparison.Ordinal) + 1)..].TrimStart(':').Split(' ').Select(n => n.TrimStart('@'));
    }

    private static void CheckLine(string command, string line, List<string> over)
    {
        string body = IrcTestClient.Untagged(line);
        int bytes = Encoding.UTF8.GetByteCount(body) + 2;
        if (bytes > 512)
        {
            over.Add($"{command[..Math.Min(14, command.Length)]}: {bytes} bytes: {body[..Math.Min(60, body.Length)]}");
        }

        body.Should().NotContain("\uFFFD", "a cut falls between characters");
    }
}
