namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>An IRC client sees a user's JOIN before anything that user says in the channel (RoomRegistry.PresenceOrder).</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcJoinBeforeMessageTests
{
    [Test]
    public async Task A_message_sent_right_after_registering_reaches_the_channel_after_the_senders_join()
    {
        // Presence batched 3 s apart: without the early batch the PRIVMSG would come seconds before the JOIN.
        await using var server = await TestServer.StartAsync(s => s with { IrcPort = 0 }, TimeSpan.FromSeconds(3), "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");

        await bob.SendAsync("PRIVMSG #lobby :made it");

        await alice.ExpectAsync(l => l.EndsWith("PRIVMSG #lobby :made it", StringComparison.Ordinal), "bob's message at alice");
        List<string> seen;
        lock (alice.Seen)
        {
            seen = [.. alice.Seen];
        }

        int join = seen.IndexOf(":bob!bob@lantalk JOIN #lobby");
        join.Should().BeGreaterThanOrEqualTo(0, "alice must see bob join #lobby before he speaks there");
        join.Should().BeLessThan(seen.FindIndex(l => l.EndsWith("PRIVMSG #lobby :made it", StringComparison.Ordinal)));
    }
}
