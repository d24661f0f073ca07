using LanTalk.Core.Client;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// An account longer than MaxUserNameLength (the operator lowered it) cannot log in on either port: ServerHello
/// announces the limit, and a client may take a longer name in a frame as a protocol violation. Real server and sockets.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class OverlongAccountNameTests
{
    private const string LongName = "longnameuser12";

    [Test]
    public async Task A_ChatSocket_login_as_an_account_longer_than_MaxUserNameLength_gets_InvalidUserName_naming_the_limit()
    {
        await using var server = await TestServer.StartAsync(s => s with { MaxUserNameLength = 8 }, "alice", LongName);
        await using var client = await server.ConnectAsync();
        client.ServerHello!.MaxUserNameLength.Should().Be(8);

        var login = () => client.LoginAsync(LongName, TestServer.Password);

        var failure = (await login.Should().ThrowAsync<ChatClientException>()).Which;
        failure.Code.Should().Be(ErrorCode.InvalidUserName);
        failure.Message.Should().Contain("14 characters").And.Contain("limit of 8 (MaxUserNameLength)");
        (await client.LoginAsync("alice", TestServer.Password)).UserName.Should().Be("alice", "the connection stays open");
    }

    [Test]
    public async Task An_IRC_SASL_login_as_an_account_longer_than_MaxUserNameLength_gets_904_naming_the_limit()
    {
        await using var server = await TestServer.StartIrcAsync(s => s with { MaxUserNameLength = 8 }, LongName);
        await using var irc = await IrcTestClient.ConnectAsync(server.IrcPort);
        await irc.SendAsync("CAP LS 302");
        await irc.SendAsync("CAP REQ :sasl");
        await irc.ExpectAsync(l => l.Contains(" ACK ", StringComparison.Ordinal), "CAP ACK");
        await irc.SendAsync("AUTHENTICATE PLAIN");
        await irc.ExpectAsync(l => l == "AUTHENTICATE +", "AUTHENTICATE +");

        await irc.SendAsync("AUTHENTICATE " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{LongName}\0{LongName}\0{TestServer.Password}")));

        (await irc.ExpectCommandAsync("904")).Should().Contain("limit of 8 (MaxUserNameLength)");
    }
}
