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

    /// <summary>The text of a PRIVMSG line, tags and prefix removed.</summary>
    private static string Strip(string line) => line[(line.IndexOf(" :", line.IndexOf(" PRIVMSG ", StringComparison.Ordinal), StringComparison.Ordinal) + 2)..];
}
