using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// A login whose password check overlaps `lantalk-server user remove` (or a remove and an add of the name) is refused:
/// it was admitted after the removal had closed the user's other sessions, never closed, and after an add it was a
/// session of the new person, reached by their private messages with the old password (a race audit, 2026-12-06).
/// The window is held open with the server's LoginVerified hook, so no timing decides the outcome.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class RemovalDuringLoginTests
{
    private const string NewPassword = "a new person's password";

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_chatsocket_login_verified_before_the_removal_is_refused_with_AuthFailed(bool addedAgain)
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var window = LoginCheckHold.For(server, "bob");
        await using var raw = await server.ConnectRawAsync();
        await raw.HelloAsync();
        await raw.SendAsync(ChatCommand.RequestLogin, new LoginPacket("bob", TestServer.Password));
        await Wait.ForAsync(window.Verified, "bob's password check to pass");

        await RemoveAsync(server, addedAgain);
        window.Proceed();

        var answer = await raw.ReadUntilAsync(f => f.Command is ChatCommand.UserAuthenticated or ChatCommand.Error, "the login's answer");
        answer.Packet.Should().BeOfType<ErrorPacket>($"the account bob's password was checked against is gone, got {answer}")
            .Which.Code.Should().Be(ErrorCode.AuthFailed);
        server.Server.Rooms.SessionsOf("bob").Should().BeEmpty();
        await ExpectNoLoginRecordedAsync(server, addedAgain);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task An_irc_pass_login_verified_before_the_removal_gets_464(bool addedAgain)
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        var window = LoginCheckHold.For(server, "bob");
        await using var irc = await IrcTestClient.ConnectAsync(server.IrcPort);
        await irc.SendAsync($"PASS :bob:{TestServer.Password}");
        await irc.SendAsync("NICK bob");
        await irc.SendAsync("USER b 0 * :B");
        await Wait.ForAsync(window.Verified, "bob's password check to pass");

        await RemoveAsync(server, addedAgain);
        window.Proceed();

        var lines = await irc.ExpectClosedAsync();
        lines.Should().NotContain(l => l.Contains(" 001 ", StringComparison.Ordinal), "the removed account's login must not register");
        lines.Should().Contain(l => l.Contains(" 464 ", StringComparison.Ordinal) && l.Contains("wrong user name or password", StringComparison.Ordinal));
        server.Server.Rooms.SessionsOf("bob").Should().BeEmpty();
        await ExpectNoLoginRecordedAsync(server, addedAgain);
    }

    [Test]
    public async Task An_irc_sasl_login_whose_account_is_removed_and_added_before_registration_ends_gets_464()
    {
        // SASL proves the account at AUTHENTICATE; registration may end much later (CAP END), by when it can be gone.
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using var irc = await IrcTestClient.ConnectAsync(server.IrcPort);
        await irc.SendAsync("CAP LS 302");
        await irc.SendAsync("CAP REQ :sasl");
        await irc.ExpectAsync(l => l.Contains(" ACK ", StringComparison.Ordinal), "CAP ACK");
        await irc.AuthenticatePlainAsync("bob", TestServer.Password);

        await RemoveAsync(server, addedAgain: true);
        await irc.SendAsync("CAP END");
        await irc.SendAsync("NICK bob");
        await irc.SendAsync("USER b 0 * :B");

        var lines = await irc.ExpectClosedAsync();
        lines.Should().NotContain(l => l.Contains(" 001 ", StringComparison.Ordinal), "the old account's SASL proof must not register as the new bob");
        lines.Should().Contain(l => l.Contains(" 464 ", StringComparison.Ordinal));
        server.Server.Rooms.SessionsOf("bob").Should().BeEmpty();
    }

    /// <summary>
    /// `user remove bob` (and `user add bob` with a new password), as the CLI does it in another process, then waits
    /// until the server has applied it: its own UsersRemoved handlers ran first (they were added first).
    /// </summary>
    private static async Task RemoveAsync(TestServer server, bool addedAgain)
    {
        var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Users.UsersRemoved += names =>
        {
            if (names.Contains("bob", UserNames.Comparer))
            {
                applied.TrySetResult();
            }
        };
        using (var cli = UserStore.Open(server.DataDirectory, server.Server.Settings))
        {
            cli.Remove("bob").Should().BeTrue();
            if (addedAgain)
            {
                cli.Add("bob", NewPassword, TestServer.TestIterations);
            }
        }

        // The watcher's poll would notice within a second; a sync now is quicker (it returns at once while a poll runs).
        server.Users.Sync();
        await Wait.ForAsync(applied.Task, "the server to apply the removal");
    }

    /// <summary>The refused login's address was not recorded, so it is not the new account's last login address.</summary>
    private static async Task ExpectNoLoginRecordedAsync(TestServer server, bool addedAgain)
    {
        server.Users.PendingLogins.Should().Be(0, "a refused login records nothing");
        if (addedAgain)
        {
            await Task.Run(server.Users.Sync);
            server.Users.Find("bob")!.LastLoginAddress.Should().BeNull("the new bob never logged in");
        }
    }
}
