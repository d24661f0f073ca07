using System.Globalization;
using System.Text.RegularExpressions;
using LanTalk.Core.Client;

namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// msgid is unique per IRC line (IRCv3): a message split into several lines tags them ID, ID-2, ID-3..., live and from
/// CHATHISTORY alike, and CHATHISTORY takes any of them as a reference to the message (real server, real sockets).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed partial class IrcMsgIdTests
{
    private const string Caps = "message-tags server-time batch draft/chathistory";

    [GeneratedRegex(@"^@(?:batch=\S+?;)?time=\S+?;msgid=(?<id>[^; ]+) :chat!chat@lantalk PRIVMSG #lobby :(?<text>.*)$")]
    private static partial Regex MessageLine();

    /// <summary>The next <paramref name="count"/> message lines from chat: (msgid, text).</summary>
    private static async Task<List<(string Id, string Text)>> LinesAsync(IrcTestClient client, int count, string what)
    {
        var lines = new List<(string, string)>();
        while (lines.Count < count)
        {
            var match = MessageLine().Match(await client.ExpectAsync(l => MessageLine().IsMatch(l), what));
            lines.Add((match.Groups["id"].Value, match.Groups["text"].Value));
        }

        return lines;
    }

    private static string Id(ChatMessage message) => message.Id.ToString(CultureInfo.InvariantCulture);

    [Test]
    public async Task The_lines_of_a_split_message_get_distinct_msgids_and_chathistory_takes_any_of_them()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice", "chat");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: Caps);
        await alice.ExpectAsync(l => l.Contains(" 366 alice #lobby ", StringComparison.Ordinal), "366 for #lobby");
        var chat = await server.LoginProbeAsync("chat");
        await using var _ = chat.Client;

        var before = await chat.Client.SendPublicAsync("before");
        var split = await chat.Client.SendPublicAsync("one\ntwo\nthree");
        var after = await chat.Client.SendPublicAsync("after");

        string id = Id(split);
        (await LinesAsync(alice, 5, "the live lines")).Should().Equal(
            (Id(before), "before"),
            (id, "one"),
            (id + "-2", "two"),
            (id + "-3", "three"),
            (Id(after), "after"));

        await alice.SendAsync("CHATHISTORY LATEST #lobby * 10");
        (await LinesAsync(alice, 5, "the history lines")).Select(l => l.Id).Should().Equal(
            Id(before), id, id + "-2", id + "-3", Id(after));

        // A continuation line's msgid names its message: paging from it neither repeats nor skips anything.
        await alice.SendAsync($"CHATHISTORY AFTER #lobby msgid={id}-3 10");
        (await LinesAsync(alice, 1, "the message after the split one")).Should().Equal((Id(after), "after"));
        await alice.SendAsync($"CHATHISTORY BEFORE #lobby msgid={id}-2 10");
        (await LinesAsync(alice, 1, "the message before the split one")).Should().Equal((Id(before), "before"));
        await alice.ExpectCommandAsync("BATCH");

        // Not a line of a message: line 1 is the bare id, and the rest must be a number.
        foreach (string bad in new[] { $"msgid={id}-1", $"msgid={id}-", $"msgid={id}-x", $"msgid=-{id}" })
        {
            await alice.SendAsync($"CHATHISTORY AFTER #lobby {bad} 10");
            (await alice.ExpectCommandAsync("FAIL")).Should().Contain("FAIL CHATHISTORY INVALID_PARAMS AFTER", bad);
        }
    }
}
