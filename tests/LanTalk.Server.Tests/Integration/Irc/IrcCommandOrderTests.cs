using System.Text;

namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// One IRC client's lines reach the others in the order it sent them, though a PRIVMSG waits for the history store's
/// commit and a TOPIC, PART or QUIT does not need one (real server with history, real sockets). Before, the members
/// saw the TOPIC, the PART and the heir's MODE +o first, then the PRIVMSGs sent ahead of them, from a user no longer
/// in the channel (an IRC audit, 2026-12-05).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcCommandOrderTests
{
    private static Task<TestServer> StartAsync() => TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "alice", "bob");

    [Test]
    public async Task Messages_then_a_topic_and_a_part_in_one_write_reach_the_members_in_that_order_and_the_sender_gets_its_echoes()
    {
        await using var server = await StartAsync();
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "echo-message");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await alice.JoinAsync("alice", "#r");
        await bob.JoinAsync("bob", "#r");
        await alice.ExpectAsync(l => l.EndsWith("JOIN #r", StringComparison.Ordinal) && l.StartsWith(":bob!", StringComparison.Ordinal), "bob's join");

        await alice.SendRawAsync(Encoding.UTF8.GetBytes("PRIVMSG #r :one\r\nTOPIC #r :t\r\nPRIVMSG #r :two\r\nPART #r :bye\r\n"));

        var seen = new List<string>();
        await bob.ExpectAsync(
            line =>
            {
                if (line.StartsWith(":alice!", StringComparison.Ordinal))
                {
                    seen.Add(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
                }

                return line.Contains(" PART #r", StringComparison.Ordinal);
            },
            "alice's part");
        seen.Should().Equal("PRIVMSG #r :one", "TOPIC #r :t", "PRIVMSG #r :two", "PART #r :bye");

        var own = new List<string>();
        await alice.ExpectAsync(
            line =>
            {
                if (line.StartsWith(":alice!", StringComparison.Ordinal))
                {
                    own.Add(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
                }

                return line.Contains(" PART #r", StringComparison.Ordinal);
            },
            "alice's own part");
        own.Should().Equal(["PRIVMSG #r :one", "TOPIC #r :t", "PRIVMSG #r :two", "PART #r :bye"], "every echo comes, before the PART");
    }

    [Test]
    public async Task Messages_then_quit_reach_the_members_before_the_quit()
    {
        await using var server = await StartAsync();
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await bob.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":alice!", StringComparison.Ordinal) && l.EndsWith("JOIN #lobby", StringComparison.Ordinal), "alice in the lobby");

        // Several, so that the QUIT is read while some are still being committed.
        var lines = Enumerable.Range(1, 20).Select(i => $"PRIVMSG #lobby :last words {i}").ToList();
        await alice.SendRawAsync(Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\nQUIT :gone\r\n"));

        var seen = new List<string>();
        await bob.ExpectAsync(
            line =>
            {
                if (line.StartsWith(":alice!", StringComparison.Ordinal))
                {
                    seen.Add(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
                }

                return line.Contains(" QUIT ", StringComparison.Ordinal);
            },
            "alice's quit");
        seen.Should().Equal(lines.Append("QUIT :Quit: gone"));
    }

    [Test]
    public async Task The_echo_of_a_message_whose_room_another_session_deleted_before_the_commit_still_comes()
    {
        // The router sends the echo even when the sender is out of the room by the commit (the acknowledgement); the
        // IRC session dropped it, having no channel any more, and an echo-message client waited for it for good.
        await using var server = await StartAsync();
        var phone = await Rooms.V3.LoginAsync(server, "alice");
        await using var p = phone.Client;
        await phone.Client.JoinRoomAsync("gone");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice", caps: "echo-message");
        await alice.ExpectAsync(l => l.Contains(" 366 alice #gone ", StringComparison.Ordinal), "the IRC session in #gone");

        // The deletion goes out once the message is committed and held there, so it comes between the commit and the
        // echo's delivery: sent one after the other from two connections, the deletion could otherwise be read first
        // (then the message is refused with 403, a different case; it happened in a make test run). The echo is
        // delivered only after the commit's hook returns.
        using var committed = new SemaphoreSlim(0);
        using var roomGone = new ManualResetEventSlim();
        int commits = 0;
        server.History.AfterCommit = () =>
        {
            if (Interlocked.Increment(ref commits) == 1)
            {
                committed.Release();
                roomGone.Wait(TimeSpan.FromSeconds(10));
            }
        };
        await alice.SendAsync("PRIVMSG #gone :last words");
        (await committed.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue("the message is committed");
        await phone.Client.DeleteRoomAsync("gone");
        await alice.ExpectAsync(l => l.Contains(" PART #gone ", StringComparison.Ordinal), "the room's deletion reaching the IRC session");
        roomGone.Set();

        await alice.ExpectAsync(l => l.EndsWith("PRIVMSG #gone :last words", StringComparison.Ordinal), "the echo");
    }
}
