using LanTalk.Core.Client;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Tests.Integration;

/// <summary>
/// The keep-alive of a client whose process did not run for a while (Ctrl+Z, a laptop's suspend): what the server sent
/// meanwhile waits unread in the socket, so the silence is the client's own, not the server's.
/// </summary>
[TestFixture]
public sealed class PausedClientKeepAliveTests
{
    [Test]
    public async Task A_tick_long_overdue_does_not_declare_the_server_dead_and_the_next_one_on_time_does()
    {
        // A paused lantalk said "the server has been silent for 12.4 s" on resume, over the server's own Error still
        // unread in its socket, or closed a connection the server had kept (a network audit, 2026-12-06).
        await using var server = new ScriptedServer();
        // An hour: the timer never ticks by itself during the test; the test drives the ticks.
        await using var client = new ChatClient(new ChatClientOptions { PingInterval = TimeSpan.FromHours(1) });
        var connect = client.ConnectAsync("127.0.0.1", server.Port);
        await server.SendAsync(ScriptedServer.Hello());
        await connect;
        long start = Environment.TickCount64;
        long hour = (long)TimeSpan.FromHours(1).TotalMilliseconds;

        client.KeepAliveTick(start);
        client.KeepAliveTick(start + 3 * hour);

        client.IsConnected.Should().BeTrue("the tick came three hours after the one before: this process was not running, and the reader gets its turn first");

        client.KeepAliveTick(start + 3 * hour + 1);
        var reason = await client.Completion.WaitAsync(Wait.Timeout);
        reason.Kind.Should().Be(DisconnectKind.Timeout, "a tick on time that still finds three hours of silence means the server is gone");
        reason.Message.Should().Contain("the server has been silent");
    }
}
