using System.Globalization;

namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// server-time on events: a client that negotiated it gets a <c>time</c> tag on JOIN, TOPIC, AWAY, KICK and PART of
/// others, the time the server sent them, as InspIRCd and Ergo do; a client without it gets the same lines untagged
/// (real server, real sockets).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcEventTimeTests
{
    [Test]
    public async Task Events_carry_the_time_they_were_sent_only_with_server_time()
    {
        await using var server = await TestServer.StartWithHistoryAsync(s => s with { IrcPort = 0 }, "foo", "bar", "carol");
        await using var foo = await IrcTestClient.RegisterAsync(server.IrcPort, "foo", caps: "server-time away-notify");
        await using var bar = await IrcTestClient.RegisterAsync(server.IrcPort, "bar", caps: "away-notify");
        await foo.JoinAsync("foo", "#dev");
        await bar.JoinAsync("bar", "#dev");
        await using var carol = await IrcTestClient.RegisterAsync(server.IrcPort, "carol");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        await carol.JoinAsync("carol", "#dev");
        await Tagged(foo, " JOIN #dev", "carol's JOIN", before);
        // The KICK goes to bar only if bar was shown carol in #dev (a join and a kick in one presence batch net out).
        await bar.ExpectAsync(l => IrcTestClient.Untagged(l) == ":carol!carol@lantalk JOIN #dev", "carol's JOIN at bar");
        await foo.SendAsync("TOPIC #dev :the topic");
        await Tagged(foo, " TOPIC #dev :the topic", "foo's own TOPIC", before);
        await carol.SendAsync("AWAY :out to lunch");
        await Tagged(foo, " AWAY :out to lunch", "carol's AWAY", before);
        await foo.SendAsync("KICK #dev carol :enough");
        await Tagged(foo, " KICK #dev carol :enough", "the KICK", before);
        (await bar.ExpectAsync(l => l.EndsWith(" KICK #dev carol :enough", StringComparison.Ordinal), "the KICK at bar"))
            .Should().Be(":foo!foo@lantalk KICK #dev carol :enough", "a client without server-time gets no tags");
        await bar.SendAsync("PART #dev :bye");
        await Tagged(foo, " PART #dev :bye", "bar's PART", before);

        // Everything came before bar's KICK line; presence batches may order carol's JOIN and the TOPIC either way.
        await bar.ExpectAsync(l => l.EndsWith(" PART #dev :bye", StringComparison.Ordinal), "bar's own PART");
        lock (bar.Seen)
        {
            bar.Seen.Should().Contain(":carol!carol@lantalk JOIN #dev", "a client without server-time gets no tags")
                .And.Contain(":foo!foo@lantalk TOPIC #dev :the topic");
        }
    }

    private static async Task Tagged(IrcTestClient client, string ends, string what, DateTimeOffset before)
    {
        string line = await client.ExpectAsync(l => l.EndsWith(ends, StringComparison.Ordinal), what);
        line.Should().StartWith("@time=", "{0} goes to a server-time client with its time", what);
        var time = DateTimeOffset.Parse(line[6..line.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        time.Should().BeOnOrAfter(before).And.BeOnOrBefore(DateTimeOffset.UtcNow.AddSeconds(1), what);
    }
}
