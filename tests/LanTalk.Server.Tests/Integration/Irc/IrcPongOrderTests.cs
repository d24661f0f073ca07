namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// PING is a barrier on IRC: the answers to the commands sent before it come before its PONG, even when they wait for
/// the history store's commit (real server with history, real sockets). irctest's away.py::testAwayPrivmsg relies on
/// it: the 301 came after the PONG it synchronises on.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcPongOrderTests
{

    [Test]
    public async Task The_away_answer_to_a_private_message_comes_before_the_pong_of_a_later_ping()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "bar", "qux");
        await using var bar = await IrcTestClient.RegisterAsync(server.IrcPort, "bar");
        await using var qux = await IrcTestClient.RegisterAsync(server.IrcPort, "qux");
        await bar.SendAsync("AWAY :not here");
        await bar.ExpectCommandAsync("306");

        for (int round = 0; round < 3; round++)
        {
            // A new away period each round, so each round's first message gets the 301 again.
            await bar.SendAsync($"AWAY :not here {round}");
            await bar.ExpectCommandAsync("306");
            var lines = await qux.LinesBeforePongAsync($"PRIVMSG bar :what's up {round}", "sync" + round);
            lines.Should().Contain(l => l.Contains(" 301 qux bar :not here " + round, StringComparison.Ordinal), "round {0}", round);
        }
    }

    [Test]
    public async Task The_echo_of_a_message_comes_before_the_pong_of_a_later_ping()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "bar", "qux");
        await using var bar = await IrcTestClient.RegisterAsync(server.IrcPort, "bar");
        await using var qux = await IrcTestClient.RegisterAsync(server.IrcPort, "qux", caps: "echo-message");
        await qux.ExpectAsync(l => l.Contains(" 366 qux #lobby ", StringComparison.Ordinal), "366 for #lobby");

        for (int round = 0; round < 3; round++)
        {
            var toRoom = await qux.LinesBeforePongAsync($"PRIVMSG #lobby :room {round}", "room" + round);
            toRoom.Should().Contain(l => l.EndsWith($"PRIVMSG #lobby :room {round}", StringComparison.Ordinal), "round {0}", round);
            var toUser = await qux.LinesBeforePongAsync($"PRIVMSG bar :private {round}", "private" + round);
            toUser.Should().Contain(l => l.EndsWith($"PRIVMSG bar :private {round}", StringComparison.Ordinal), "round {0}", round);
        }
    }

    [Test]
    public async Task A_message_to_an_offline_account_is_echoed_then_noticed_as_stored_before_the_pong()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "qux", "dave");
        await using var qux = await IrcTestClient.RegisterAsync(server.IrcPort, "qux", caps: "echo-message");
        await qux.ExpectAsync(l => l.Contains(" 366 qux #lobby ", StringComparison.Ordinal), "366 for #lobby");

        for (int round = 0; round < 3; round++)
        {
            var lines = await qux.LinesBeforePongAsync($"PRIVMSG dave :later {round}", "offline" + round);
            lines.Should().Equal(
                [$":qux!qux@lantalk PRIVMSG dave :later {round}", $":{server.Server.Settings.IrcServerName} NOTICE qux :dave is offline: your message is stored and will be delivered when they next log in"],
                "round {0}: the echo, then what became of the message", round);
        }
    }

    [Test]
    public async Task Another_users_join_comes_before_the_pong_of_a_ping_sent_after_it()
    {
        // Joins go out in presence batches (100 ms); a PING sent after the join must not overtake its batch.
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "bar", "qux", "zed");
        await using var bar = await IrcTestClient.RegisterAsync(server.IrcPort, "bar");
        await bar.ExpectAsync(l => l.Contains(" 366 bar #lobby ", StringComparison.Ordinal), "366 for #lobby");

        foreach (string nick in new[] { "qux", "zed" })
        {
            await using var other = await IrcTestClient.RegisterAsync(server.IrcPort, nick);
            await other.ExpectAsync(l => l.Contains($" 366 {nick} #lobby ", StringComparison.Ordinal), "366 for #lobby");
            var lines = await bar.LinesBeforePongAsync("LUSERS", "after-" + nick);
            lines.Should().Contain($":{nick}!{nick}@lantalk JOIN #lobby");
        }
    }

    [Test]
    public async Task A_ping_with_nothing_in_flight_is_answered_at_once_and_in_order()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "qux");
        await using var qux = await IrcTestClient.RegisterAsync(server.IrcPort, "qux");

        await qux.SendRawAsync("PING :one\r\nPING :two\r\n"u8.ToArray());
        (await qux.ExpectCommandAsync("PONG")).Should().EndWith("one");
        (await qux.ExpectCommandAsync("PONG")).Should().EndWith("two");
    }
}
