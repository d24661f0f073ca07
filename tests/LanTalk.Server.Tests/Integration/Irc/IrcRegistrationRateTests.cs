using System.Text;
using LanTalk.Server.Irc;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>
/// Registration's own lines (CAP, PASS, NICK, USER, AUTHENTICATE) have an allowance of their own: with a small valid
/// MessageBurst they used to be refused with 263 and no client could register (a settings audit, 2026-12-06).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcRegistrationRateTests
{
    private static Func<ServerSettings, ServerSettings> BurstOfOne => s => s with { MessageBurst = 1, MessageRatePerSecond = 0.1 };

    [Test]
    public async Task Pass_nick_and_user_in_one_write_register_with_MessageBurst_1()
    {
        await using var server = await TestServer.StartIrcAsync(BurstOfOne, "alice");
        await using var irc = await IrcTestClient.ConnectAsync(server.IrcPort);

        await irc.SendRawAsync(Encoding.ASCII.GetBytes($"PASS :alice:{TestServer.Password}\r\nNICK alice\r\nUSER alice 0 * :alice\r\n"));

        await irc.ExpectAsync(l => l.Contains(" 001 ", StringComparison.Ordinal), "001 welcome");
        irc.Seen.Should().NotContain(l => l.Contains(" 263 ", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_sasl_login_registers_with_MessageBurst_1()
    {
        await using var server = await TestServer.StartIrcAsync(BurstOfOne, "alice");

        // CAP LS, CAP REQ, AUTHENTICATE twice, CAP END, NICK and USER, each sent when the last is answered.
        await using var irc = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        irc.Seen.Should().NotContain(l => l.Contains(" 263 ", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_flood_of_registration_lines_still_gets_263_then_the_link_is_closed()
    {
        await using var server = await TestServer.StartIrcAsync(s => s with { MessageBurst = 10, MessageRatePerSecond = 0.1 }, "alice");
        await using var irc = await IrcTestClient.ConnectAsync(server.IrcPort);

        // The allowance, the burst of ten and 100 refusals in a row come to 142 lines; 300 is well past it.
        await irc.SendRawAsync(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("CAP LS\r\n", 300))));

        var lines = await irc.ExpectClosedAsync();
        lines.Should().Contain(l => l.Contains(" 263 ", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_clients_own_queries_after_001_are_answered_with_MessageBurst_1()
    {
        await using var server = await TestServer.StartIrcAsync(BurstOfOne, "alice");
        await using var irc = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        // What irssi and weechat ask by themselves once registered, for the one channel it was put in (#lobby).
        await irc.SendRawAsync("MODE alice +i\r\nMODE #lobby\r\nWHO #lobby\r\nMODE #lobby b\r\nUSERHOST alice\r\n"u8.ToArray());

        await irc.ExpectCommandAsync("302");
        irc.Seen.Should().NotContain(l => l.Contains(" 263 ", StringComparison.Ordinal));
        irc.Seen.Should().Contain(l => l.Contains(" 315 ", StringComparison.Ordinal), "the WHO was answered");
    }

    [Test]
    public async Task Queries_past_their_allowance_after_001_spend_the_bucket_again()
    {
        await using var server = await TestServer.StartIrcAsync(BurstOfOne, "alice");
        await using var irc = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        // 16 and 4 for #lobby are free, the burst of one takes the next; the one after that is refused.
        int free = IrcSession.QueriesAfterWelcome + IrcSession.QueriesPerChannel;
        await irc.SendRawAsync(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("ISON alice\r\n", free + 2))));

        var refusal = await irc.ExpectCommandAsync("263");
        refusal.Should().Contain("ISON");
    }

    [Test]
    public async Task The_263_names_the_settings_it_enforces()
    {
        await using var server = await TestServer.StartIrcAsync(BurstOfOne, "alice");
        await using var irc = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        await irc.SendRawAsync("LUSERS\r\nLUSERS\r\n"u8.ToArray());

        var refusal = await irc.ExpectCommandAsync("263");
        refusal.Should().Contain("MessageRatePerSecond").And.Contain("MessageBurst").And.Contain("0.1 lines per second");
    }
}
