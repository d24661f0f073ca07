using System.Text;

namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// A client cut off for flooding still gets the echoes of the messages that were accepted before, and every 263
/// after them: replies in command order, and the sender's view matching what everyone else saw.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcFloodEchoTests
{
    [Test]
    public async Task A_flooder_gets_the_echo_of_every_message_others_received_before_its_263s_and_the_close()
    {
        // With the store on, each echo waits for a commit, while the 263s used to be sent at once.
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0, MessageBurst = 20, MessageRatePerSecond = 0.1 }, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "echo-message");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");

        var flood = string.Concat(Enumerable.Range(0, 150).Select(i => $"PRIVMSG #lobby :m{i}\r\n"));
        await alice.SendRawAsync(Encoding.ASCII.GetBytes(flood));
        var lines = await alice.ExpectClosedAsync();

        var echoes = lines.Where(l => l.Contains(" PRIVMSG #lobby :m", StringComparison.Ordinal)).ToList();
        echoes.Should().NotBeEmpty("the burst's messages were accepted");
        string last = echoes[^1][echoes[^1].IndexOf(":m", StringComparison.Ordinal)..];
        await bob.ExpectAsync(l => l.EndsWith("PRIVMSG #lobby " + last, StringComparison.Ordinal), "bob getting the last accepted message");
        int received;
        lock (bob.Seen)
        {
            received = bob.Seen.Count(l => l.Contains(" PRIVMSG #lobby :m", StringComparison.Ordinal));
        }

        received.Should().Be(echoes.Count, "alice must see the echo of every message bob received");
        int lastEcho = lines.FindLastIndex(l => l.Contains(" PRIVMSG #lobby :m", StringComparison.Ordinal));
        int firstRefusal = lines.FindIndex(l => l.Contains(" 263 ", StringComparison.Ordinal));
        firstRefusal.Should().BeGreaterThan(lastEcho, "each 263 answers a line sent after the accepted ones");
        lines.Should().Contain(l => l.Contains("Excess Flood", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_refused_NOTICE_gets_no_263()
    {
        await using var server = await TestServer.StartIrcAsync(s => s with { MessageBurst = 10, MessageRatePerSecond = 0.1 }, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        await alice.SendRawAsync(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("NOTICE #lobby :hush\r\n", 20))));
        // PING is a barrier with its own allowance: whatever the NOTICEs caused comes before its PONG.
        var before = await alice.LinesBeforePongAsync("NOTICE #lobby :hush", "after-notices");

        before.Should().NotContain(l => l.Contains(" 263 ", StringComparison.Ordinal), "a NOTICE never gets a reply (RFC 2812 3.3.2)");
    }

    [Test]
    public async Task A_labeled_line_refused_by_flood_control_gets_its_263_with_its_label_a_NOTICE_too()
    {
        await using var server = await TestServer.StartIrcAsync(s => s with { MessageBurst = 2, MessageRatePerSecond = 0.1 }, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "labeled-response batch");

        // The burst's two tokens go to the first messages (a third is refused if one was spent already); the labeled
        // lines after them are refused.
        await alice.SendRawAsync(Encoding.ASCII.GetBytes("PRIVMSG #lobby :a\r\nPRIVMSG #lobby :b\r\nPRIVMSG #lobby :c\r\n@label=n1 NOTICE #lobby :hush\r\n@label=t1 TOPIC #lobby\r\n"));
        string notice = await alice.ExpectAsync(l => l.Contains("label=n1", StringComparison.Ordinal), "the refused NOTICE's answer");
        notice.Should().MatchRegex(@"^@label=n1 :\S+ 263 alice NOTICE :Slow down", "a labeled NOTICE's client waits for its label; an ACK would say it was taken");
        string topic = await alice.ExpectAsync(l => l.Contains("label=t1", StringComparison.Ordinal), "the refused TOPIC's answer");
        topic.Should().MatchRegex(@"^@label=t1 :\S+ 263 alice TOPIC :Slow down");
    }
}
