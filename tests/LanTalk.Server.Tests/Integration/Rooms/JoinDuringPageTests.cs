using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>
/// A join's replay and a History page are both History-flagged messages without a tag, so the client never has a join
/// in flight while a page is open: a join sent while a private catch-up waited for an earlier join had its whole replay
/// taken into that page, and a reconnecting client showed nothing of the room (a history audit, 2026-12-05).
/// Real server with history, real sockets, the core ChatClient.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class JoinDuringPageTests
{
    [Test]
    [Repeat(5)]
    public async Task A_join_requested_while_a_page_waits_for_an_earlier_join_has_its_replay_raised_not_taken_into_the_page()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        await a.JoinRoomAsync("dev");
        for (int i = 0; i < 5; i++)
        {
            await a.SendRoomAsync("dev", $"d{i}");
            await a.SendRoomAsync("lobby", $"l{i}");
        }

        await a.SendPrivateAsync("bob", "stored for bob");
        var bob = await V3.LoginAsync(server, "bob");
        await using var b = bob.Client;
        await b.JoinRoomAsync("dev");
        var raised = new List<ChatMessage>();
        b.MessageReceived += (_, m) =>
        {
            lock (raised)
            {
                raised.Add(m);
            }
        };

        // As a reconnect does: a catch-up join, the private catch-up's page (which waits for that join), a second
        // catch-up join behind a message whose commit holds its answer back a moment.
        var lobby = b.CatchUpRoomAsync("lobby", 0);
        var page = b.HistoryAsync(HistoryScope.Private, string.Empty, 1, 0, 50);
        var said = b.SendRoomAsync("dev", "from bob");
        var dev = b.CatchUpRoomAsync("dev", 0);
        await Task.WhenAll(lobby, page, said, dev).WaitAsync(Wait.Timeout);

        (await page).Messages.Should().OnlyContain(m => m.To != null, "the private page holds private messages only");
        (await dev).Replay.Count.Should().BeGreaterThan(5);
        lock (raised)
        {
            // d0..d4 were raised by bob's first join of dev; the catch-up replays them again, and ChatClient drops
            // those repeats (PROTOCOL.md, History and catch-up), so each reaches the application once, none twice.
            raised.Where(m => m.Room == "dev").Select(m => m.Id).Should().OnlyHaveUniqueItems("a replayed id already raised is dropped");
            raised.Should().NotContain(m => m.Room == "dev" && m.Text.StartsWith('l'), "no lobby message is raised as dev's");
        }
    }
}
