using System.Text;

namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// Users appear as name!name@lantalk in message prefixes and the SASL 900 line; WHO and WHOIS show the ident and real
/// name the client gave in USER, as IRC servers do (irctest's who.py checks them), and never a client's address
/// (real server, real sockets).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcIdentityTests
{
    [Test]
    public async Task The_sasl_900_line_names_the_logged_in_user_and_who_and_whois_show_the_user_fields()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var bob = await IrcTestClient.ConnectAsync(server.IrcPort);
        await bob.SendAsync("CAP LS 302");
        await bob.SendAsync("NICK whatever");
        await bob.SendAsync("USER someident 0 * :Some Real Name");
        await bob.SendAsync("CAP REQ :sasl");
        await bob.ExpectAsync(l => l.Contains(" ACK ", StringComparison.Ordinal), "CAP ACK");
        await bob.SendAsync("AUTHENTICATE PLAIN");
        await bob.ExpectAsync(l => l == "AUTHENTICATE +", "AUTHENTICATE +");
        await bob.SendAsync("AUTHENTICATE " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"bob\0bob\0{TestServer.Password}")));
        (await bob.ExpectCommandAsync("900")).Should().Contain(" 900 whatever bob!bob@lantalk bob :", "the pre-login nick and ident are not who logged in");
        await bob.SendAsync("CAP END");
        await bob.ExpectCommandAsync("001");

        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.SendAsync("WHO bob");
        (await alice.ExpectCommandAsync("352")).Should().EndWith(" 352 alice * someident lantalk " + server.Server.Settings.IrcServerName + " bob H :0 Some Real Name");
        await alice.SendAsync("WHOIS bob");
        (await alice.ExpectCommandAsync("311")).Should().MatchRegex(@" 311 alice bob someident lantalk \* :Some Real Name$");
        await bob.SendAsync("PRIVMSG alice :hi");
        (await alice.ExpectCommandAsync("PRIVMSG")).Should().StartWith(":bob!bob@lantalk PRIVMSG alice :hi", "message prefixes use the LanTalk name");
    }

    [Test]
    public async Task Whois_of_several_nicks_answers_each_and_more_than_targmax_is_407()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob", "carol");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        await using var carol = await IrcTestClient.RegisterAsync(server.IrcPort, "carol");

        var lines = await alice.LinesBeforePongAsync("WHOIS bob,nobody,carol", "whois-done");

        lines.Where(l => l.Contains(" 311 alice ", StringComparison.Ordinal)).Select(l => l.Split(' ')[3]).Should().BeEquivalentTo(["bob", "carol"]);
        lines.Should().ContainSingle(l => l.Contains(" 401 alice nobody ", StringComparison.Ordinal));
        lines.Where(l => l.Contains(" 318 alice ", StringComparison.Ordinal)).Select(l => l.Split(' ')[3]).Should().BeEquivalentTo(["bob", "nobody", "carol"], "each nick's answer ends with its own 318");

        var tooMany = await alice.LinesBeforePongAsync("WHOIS a,b,c,d,e", "whois-many");
        tooMany.Should().ContainSingle(l => l.Contains(" 407 alice a,b,c,d,e ", StringComparison.Ordinal));
    }

    [Test]
    public async Task Whois_lists_many_shared_channels_over_several_319_lines_each_within_512_bytes()
    {
        // One 319 line for 45 channels was 1,640 bytes; strict clients drop or cut lines past 512.
        await using var server = await TestServer.StartIrcAsync(s => s with { MaxRoomsPerUser = 40 }, "alice", "bob");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        var rooms = Enumerable.Range(0, 25).Select(i => $"#room-with-a-longish-name-{i:00}").ToArray();
        foreach (var client in (IrcTestClient[])[alice, bob])
        {
            // Two JOINs: one would pass the 512-byte line limit.
            await client.SendAsync("JOIN " + string.Join(',', rooms[..13]));
            await client.SendAsync("JOIN " + string.Join(',', rooms[13..]));
            if (client == alice)
            {
                // Alice must be in every room before bob joins, or she gets bob in a 353 rather than his JOIN line;
                // the two connections' lines are read concurrently (this raced once in CI).
                await alice.ExpectAsync(l => l.Contains($" 366 alice {rooms[^1]} ", StringComparison.Ordinal), "alice's 366 for the last room");
            }
        }

        await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":bob!", StringComparison.Ordinal) && l.EndsWith(" JOIN " + rooms[^1], StringComparison.Ordinal), "bob in the last room");

        var lines = await alice.LinesBeforePongAsync("WHOIS bob", "whois-done");

        var channels = lines.Where(l => l.Contains(" 319 alice bob ", StringComparison.Ordinal)).ToList();
        channels.Should().HaveCountGreaterThan(1);
        channels.Should().OnlyContain(l => System.Text.Encoding.UTF8.GetByteCount(l) + 2 <= 512);
        channels.SelectMany(l => l[(l.IndexOf(" :", StringComparison.Ordinal) + 2)..].Split(' ')).Should().BeEquivalentTo(rooms.Append("#lobby"));
    }
}
