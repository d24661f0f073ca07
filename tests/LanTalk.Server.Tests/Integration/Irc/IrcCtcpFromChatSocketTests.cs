namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// A ChatSocket text is never a CTCP request on IRC (IRC clients answer those by themselves), and only a message of
/// Kind Action becomes CTCP ACTION, whatever its text holds.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcCtcpFromChatSocketTests
{
    [TestCase("\u0001VERSION\u0001", ":carol!carol@lantalk PRIVMSG #lobby :\uFFFDVERSION\u0001")]
    [TestCase("\u0001ACTION fake\u0001 trailing", ":carol!carol@lantalk PRIVMSG #lobby :\uFFFDACTION fake\u0001 trailing")]
    [TestCase("plain \u0001 inside", ":carol!carol@lantalk PRIVMSG #lobby :plain \u0001 inside")]
    public async Task A_text_starting_with_x01_reaches_irc_as_text_not_as_ctcp(string text, string line)
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "carol");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.ExpectAsync(l => l.Contains(" 366 alice #lobby ", StringComparison.Ordinal), "366 for #lobby");
        await using var carol = await server.LoginAsync("carol");

        await carol.SendPublicAsync(text);

        (await alice.ExpectCommandAsync("PRIVMSG")).Should().Be(line);
    }
}
