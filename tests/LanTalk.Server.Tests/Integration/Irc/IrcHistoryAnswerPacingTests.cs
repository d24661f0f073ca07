using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LanTalk.Server.Irc;

namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// The IRC port's CHATHISTORY answers are taken up as the client reads the ones before them (AnswerPacing), as the
/// main port's History: a pipelined burst is paced by TCP instead of being read from the store and queued at once.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcHistoryAnswerPacingTests
{
    private const int Requests = 48;
    private const int Page = 200;

    [Test]
    public async Task A_burst_of_chathistory_waits_for_the_client_to_read_and_every_batch_is_answered()
    {
        // Eight sessions each sending such bursts of CHATHISTORY LATEST held hundreds of megabytes at once, stalled
        // everyone's messages for seconds (p99 3.5 s) and were then cut off as slow consumers (an abuse audit, 2026-12-07).
        await using var server = await TestServer.StartWithHistoryAsync(
            s => s with { IrcPort = 0, MessageRatePerSecond = 1_000_000, MessageBurst = 1_000_000 }, "alice", "bob");
        await Task.WhenAll(Enumerable.Range(0, Page).Select(i => server.History.AppendRoomAsync("lobby", "alice", $"m{i:D3} " + new string('x', 400))));
        var held = new TaskCompletionSource<IrcSession>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Server.IrcAnswerHeld += session => held.TrySetResult(session);
        server.Server.IrcSessionEnded += _ => ended.TrySetResult();

        // A small receive window: bob's first answers fill the sockets while he reads nothing.
        using var bob = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await bob.ConnectAsync(IPAddress.Loopback, server.IrcPort);
        var hello = new StringBuilder("CAP LS 302\r\nPASS :correct horse\r\nNICK bob\r\nUSER bob 0 * :bob\r\nCAP REQ :batch draft/chathistory server-time message-tags\r\nCAP END\r\n");
        for (int i = 0; i < Requests; i++)
        {
            hello.Append(CultureInfo.InvariantCulture, $"CHATHISTORY LATEST #lobby * {Page}\r\n");
        }

        await bob.SendAsync(Encoding.UTF8.GetBytes(hello.ToString()));

        var first = await Task.WhenAny(held.Task, ended.Task).WaitAsync(Wait.Timeout);
        first.Should().BeSameAs(held.Task, "a CHATHISTORY waits while bob has not read the answers before it, instead of all being queued at once");
        var session = await held.Task;
        long unwritten = session.Connection.LinesAccepted - session.Connection.LinesWritten;
        unwritten.Should().BeLessThan(3 * (Page + 2) + 100, $"at most the answers before the held one wait in the queue, not all {Requests} ({Requests * Page} lines)");

        using var reader = new StreamReader(new NetworkStream(bob, ownsSocket: false), Encoding.UTF8);
        int batchesEnded = 0;
        using var deadline = new CancellationTokenSource(Wait.Timeout);
        while (batchesEnded < Requests)
        {
            string? line = await reader.ReadLineAsync(deadline.Token);
            line.Should().NotBeNull($"the connection stays open until all {Requests} batches are read ({batchesEnded} so far)");
            line!.Should().NotStartWith("ERROR", "bob read everything, so nothing cut him off");
            if (line.Contains(" BATCH -", StringComparison.Ordinal))
            {
                batchesEnded++;
            }
        }

        ended.Task.IsCompleted.Should().BeFalse("bob read every answer, so nothing cut him off");
    }
}
