using System.Text;

namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// Users appear as name!name@lantalk in every reply: the USER command's ident and real name (a client's default is
/// the local Unix account, weechat's "root") are never shown (real server, real sockets).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcIdentityTests
{
    [Test]
    public async Task Who_whois_and_the_sasl_900_line_show_the_lantalk_name_not_the_ident()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var bob = await IrcTestClient.ConnectAsync(server.IrcPort);
        await bob.SendAsync("CAP LS 302");
        await bob.SendAsync("NICK whatever");
        await bob.SendAsync("USER evilident 0 * :Evil Real Name");
        await bob.SendAsync("CAP REQ :sasl");
        await bob.ExpectAsync(l => l.Contains(" ACK ", StringComparison.Ordinal), "CAP ACK");
        await bob.SendAsync("AUTHENTICATE PLAIN");
        await bob.ExpectAsync(l => l == "AUTHENTICATE +", "AUTHENTICATE +");
        await bob.SendAsync("AUTHENTICATE " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"bob\0bob\0{TestServer.Password}")));
        (await bob.ExpectCommandAsync("900")).Should().Contain(" 900 whatever bob!bob@lantalk bob :");
        await bob.SendAsync("CAP END");
        await bob.ExpectCommandAsync("001");

        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.SendAsync("WHO bob");
        (await alice.ExpectCommandAsync("352")).Should().EndWith(" 352 alice * bob lantalk " + server.Server.Settings.IrcServerName + " bob H :0 bob");
        await alice.SendAsync("WHOIS bob");
        (await alice.ExpectCommandAsync("311")).Should().MatchRegex(@" 311 alice bob bob lantalk \* :?bob$");
        await alice.SendAsync("WHO #lobby");
        (await alice.ExpectAsync(l => l.Contains(" 352 ", StringComparison.Ordinal) && l.Contains(" bob ", StringComparison.Ordinal), "bob's 352 in #lobby")).Should().Contain(" bob lantalk ");

        lock (alice.Seen)
        {
            alice.Seen.Should().NotContain(l => l.Contains("evilident", StringComparison.Ordinal) || l.Contains("Evil Real", StringComparison.Ordinal));
        }
    }
}
