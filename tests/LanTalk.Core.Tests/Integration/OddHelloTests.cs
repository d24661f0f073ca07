using LanTalk.Core.Client;

namespace LanTalk.Core.Tests.Integration;

/// <summary>A ServerHello's numbers are any int32: a client must connect, not end with an internal error.</summary>
[TestFixture]
public sealed class OddHelloTests
{
    [TestCase(int.MaxValue)]
    [TestCase(17_179_870)]
    public async Task A_huge_ping_interval_is_clamped_and_the_connect_succeeds(int pingSeconds)
    {
        // The keep-alive timer threw for 17,179,870 s or more ("dueTime must be less than or equal to 4294967294"),
        // and `lantalk` exited with "unexpected error" (a hostile-server audit).
        await using var server = new ScriptedServer();
        await using var client = new ChatClient();

        var connect = client.ConnectAsync("127.0.0.1", server.Port);
        await server.SendAsync(ScriptedServer.Hello(pingSeconds, idleSeconds: int.MaxValue));

        await FluentActions.Awaiting(() => connect).Should().NotThrowAsync();
        client.ServerHello!.PingIntervalSeconds.Should().Be(pingSeconds);
    }
}
