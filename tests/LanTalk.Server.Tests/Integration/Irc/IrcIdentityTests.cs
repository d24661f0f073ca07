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
}
