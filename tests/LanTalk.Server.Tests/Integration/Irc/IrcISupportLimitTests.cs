namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>The limits ISUPPORT advertises are the ones the settings enforce (real server, real sockets).</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcISupportLimitTests
{
    [Test]
    public async Task Chanlimit_and_channellen_follow_the_room_settings_and_are_what_joins_are_refused_at()
    {
        // They were always CHANLIMIT=#:50 and CHANNELLEN=33, whatever the settings (a spec audit, 2026-12-05).
        await using var server = await TestServer.StartIrcAsync(s => s with { MaxRoomsPerUser = 3, MaxRoomNameLength = 5 }, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        alice.Seen.Should().Contain(l => l.Contains(" 005 ", StringComparison.Ordinal) && l.Contains(" CHANLIMIT=#:3 ", StringComparison.Ordinal));
        alice.Seen.Should().Contain(l => l.Contains(" 005 ", StringComparison.Ordinal) && l.Contains(" CHANNELLEN=6 ", StringComparison.Ordinal));

        await alice.JoinAsync("alice", "#abcde");
        await alice.SendAsync("JOIN #abcdef");
        await alice.ExpectCommandAsync("479");
        await alice.JoinAsync("alice", "#two");
        await alice.SendAsync("JOIN #three");
        await alice.ExpectCommandAsync("405");
    }

    [Test]
    public async Task Chathistory_advertises_no_more_than_one_answer_may_queue()
    {
        // MaxHistoryPage 65535 was advertised, and answers were cut to a quarter of the outbound queue (fault audit 2).
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0, MaxHistoryPage = 65535, OutboundQueueFrames = 4000 }, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        alice.Seen.Should().Contain(l => l.Contains(" 005 ", StringComparison.Ordinal) && l.Contains(" CHATHISTORY=1000 ", StringComparison.Ordinal));
    }
}
