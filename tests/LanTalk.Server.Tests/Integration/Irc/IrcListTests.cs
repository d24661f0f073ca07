namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>LIST with and without channel names (RFC 2812 3.2.6; real server, real sockets).</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcListTests
{
    private static async Task<List<string>> ListAsync(IrcTestClient client, string command)
    {
        await client.SendAsync(command);
        await client.ExpectCommandAsync("321");
        var rooms = new List<string>();
        while (await client.ExpectAsync(l => l.Contains(" 322 ", StringComparison.Ordinal) || l.Contains(" 323 ", StringComparison.Ordinal), "322 or 323") is var line
            && line.Contains(" 322 ", StringComparison.Ordinal))
        {
            rooms.Add(line.Split(' ')[3]);
        }

        return rooms;
    }

    [Test]
    public async Task List_with_channel_names_answers_for_those_channels_only()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        foreach (var channel in new[] { "#dev", "#ops", "#zoo" })
        {
            await alice.SendAsync("JOIN " + channel);
            await alice.ExpectAsync(l => l.Contains($" 366 alice {channel} ", StringComparison.Ordinal), "366 for " + channel);
        }

        (await ListAsync(alice, "LIST")).Should().Equal("#dev", "#lobby", "#ops", "#zoo");
        (await ListAsync(alice, "LIST #dev")).Should().Equal("#dev");
        (await ListAsync(alice, "LIST #OPS,#zoo,#nonexistent")).Should().Equal("#ops", "#zoo");
    }
}
