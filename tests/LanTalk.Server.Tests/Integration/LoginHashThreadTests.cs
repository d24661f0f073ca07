
namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// Every password check, ChatSocket and IRC, and a registration's hashing run on the server's lowered hashing
/// threads (HashWorkers), not on the pool threads that carry chat: a user logging in and out in a loop took 85 % of a
/// core and put the others' median latency from 1.5 to 15 ms (an abuse audit, 2026-12-07).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class LoginHashThreadTests
{
    [Test]
    public async Task A_chatsocket_login_and_an_irc_login_are_each_checked_on_the_hashing_threads()
    {
        await using var server = await TestServer.StartIrcAsync(s => s, "alice", "bob");
        long before = server.Server.HashWork.Completed;
        await server.LoginProbeAsync("alice");
        server.Server.HashWork.Completed.Should().Be(before + 1, "alice's password was checked there");

        await using var bob = await IrcTestClient.RegisterAsync(server.IrcPort, "bob");
        server.Server.HashWork.Completed.Should().Be(before + 2, "so was bob's PASS on the IRC port");
    }
}
