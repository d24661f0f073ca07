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
