using System.Text.RegularExpressions;

namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// One message fanned out to IRC members with different caps: the lines are translated once per kind of recipient
/// and shared (IrcFrameCache), so each member must still get exactly its own rendering, whatever order the fan-out
/// visits them in (real sockets).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed partial class IrcFanOutTests
{
    [GeneratedRegex(@"^@time=(?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) :(?<rest>.*)$")]
    private static partial Regex Timed();

    [GeneratedRegex(@"^@time=(?<time>\S+);msgid=(?<id>\d+) :(?<rest>.*)$")]
    private static partial Regex Tagged();

    private static async Task JoinedAsync(IrcTestClient client) => await client.ExpectCommandAsync("366");

    [Test]
    public async Task Each_member_gets_the_line_for_its_own_caps_and_long_text_splits_the_same_for_all()
    {
        await using var server = await TestServer.StartIrcAsync(null, "sender", "plain1", "timed", "plain2", "tagged", "chat");
        await using var sender = await IrcTestClient.RegisterAsync(server.IrcPort, "sender", caps: "server-time message-tags echo-message");
        await using var plain1 = await IrcTestClient.RegisterAsync(server.IrcPort, "plain1");
        await using var timed = await IrcTestClient.RegisterAsync(server.IrcPort, "timed", caps: "server-time");
        await using var plain2 = await IrcTestClient.RegisterAsync(server.IrcPort, "plain2");
        await using var tagged = await IrcTestClient.RegisterAsync(server.IrcPort, "tagged", caps: "server-time message-tags");
        var all = new[] { sender, plain1, timed, plain2, tagged };
        foreach (var client in all)
        {
            await JoinedAsync(client);
        }

        await sender.SendAsync("PRIVMSG #lobby :one for all");

        const string Line = ":sender!sender@lantalk PRIVMSG #lobby :one for all";
        (await plain1.ExpectCommandAsync("PRIVMSG")).Should().Be(Line);
        (await plain2.ExpectCommandAsync("PRIVMSG")).Should().Be(Line);
        var timedLine = Timed().Match(await timed.ExpectCommandAsync("PRIVMSG"));
        timedLine.Success.Should().BeTrue("server-time alone gives a time tag and nothing else");
        timedLine.Groups["rest"].Value.Should().Be(Line[1..]);
        var taggedLine = Tagged().Match(await tagged.ExpectCommandAsync("PRIVMSG"));
        taggedLine.Success.Should().BeTrue("message-tags adds the msgid");
        taggedLine.Groups["rest"].Value.Should().Be(Line[1..]);
        var echo = Tagged().Match(await sender.ExpectCommandAsync("PRIVMSG"));
        echo.Success.Should().BeTrue("the sender's echo has its own caps' tags");
        echo.Groups["rest"].Value.Should().Be(Line[1..]);
        echo.Groups["id"].Value.Should().Be(taggedLine.Groups["id"].Value);
        taggedLine.Groups["time"].Value.Should().Be(timedLine.Groups["time"].Value);

        // From a ChatSocket user, longer than one IRC line: the server splits it, and every member gets the same
        // pieces, in order, losing nothing.
        var chat = await server.LoginProbeAsync("chat");
        await using var _ = chat.Client;
        string text = string.Join(' ', Enumerable.Range(0, 150).Select(i => $"part{i}"));
        await chat.Client.SendPublicAsync(text);
        foreach (var client in all)
        {
            var pieces = new List<string>();
            while (pieces.Sum(p => p.Length) < text.Length)
            {
                string line = await client.ExpectCommandAsync("PRIVMSG");
                line.Should().Contain(":chat!chat@lantalk PRIVMSG #lobby :");
                pieces.Add(Strip(line));
            }

            pieces.Should().HaveCountGreaterThan(1, "the text is longer than an IRC line");
            string.Concat(pieces).Should().Be(text);
        }
    }

    [Test]
    public async Task A_long_message_from_a_non_ascii_sender_reaches_irc_whole_split_after_spaces()
    {
        // The pieces were sized by the characters of the names, not their UTF-8 bytes: each line passed 512 bytes and
        // was cut, the end of every piece lost (an outside audit, 2026-12-06: 9 of 300 words from Ελένη).
        string chatName = "Ελένη";
        string ircName = new string('中', 42);
        await using var server = await TestServer.StartIrcAsync(s => s with { MaxUserNameLength = 128 }, "bob", chatName, ircName);
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await using var irc = await IrcTestClient.RegisterAsync(server.IrcPort, ircName);
        await JoinedAsync(bob);
        await JoinedAsync(irc);
        var chat = await server.LoginProbeAsync(chatName);
        await using var _ = chat.Client;

        string text = string.Join(' ', Enumerable.Range(0, 300).Select(i => $"w{i:000}"));
        await chat.Client.SendPublicAsync(text);
        await chat.Client.SendPublicAsync("end");
        Check(await PiecesUntilAsync(bob, "end"), text);

        // From an IRC user with a 128-byte nick to another: a line that fits the sender's 512 bytes but not the relayed one.
        string line = string.Join(' ', Enumerable.Range(0, 90).Select(i => $"x{i:00}"));
        await irc.SendAsync("PRIVMSG bob :" + line);
        await irc.SendAsync("PRIVMSG bob :end");
        Check(await PiecesUntilAsync(bob, "end"), line);

        static async Task<List<string>> PiecesUntilAsync(IrcTestClient client, string last)
        {
            var pieces = new List<string>();
            while (true)
            {
                string line = await client.ExpectAsync(l => l.Contains(" PRIVMSG ", StringComparison.Ordinal), "PRIVMSG");
                System.Text.Encoding.UTF8.GetByteCount(IrcTestClient.Untagged(line)).Should().BeLessThanOrEqualTo(510, "a line is at most 512 bytes with CR LF");
                if (Strip(line) == last)
                {
                    return pieces;
                }

                pieces.Add(Strip(line));
            }
        }

        static void Check(List<string> pieces, string text)
        {
            pieces.Should().HaveCountGreaterThan(1, "the text is longer than one relayed line");
            string.Concat(pieces).Should().Be(text, "the pieces joined give the text back");
            pieces.SkipLast(1).Should().OnlyContain(p => p.EndsWith(' '), "each cut falls after a space");
        }
    }

    /// <summary>The text of a PRIVMSG line, tags and prefix removed.</summary>
    private static string Strip(string line) => line[(line.IndexOf(" :", line.IndexOf(" PRIVMSG ", StringComparison.Ordinal), StringComparison.Ordinal) + 2)..];
}
