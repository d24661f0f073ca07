using LanTalk.Core.Client;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration;

/// <summary>The server's sweep: sockets that never log in, and logged-in clients that fall silent.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class TimeoutTests
{
    [Test]
    public async Task Socket_that_never_logs_in_gets_LoginTimeout_and_is_closed()
    {
        await using var server = await TestServer.StartAsync(s => s with { LoginTimeoutSeconds = 1 });
        await using var raw = await server.ConnectRawAsync();
        await raw.HelloAsync();

        await raw.ExpectErrorThenCloseAsync(ErrorCode.LoginTimeout);
    }

    [Test]
    public async Task Silent_logged_in_client_is_dropped_with_IdleTimeout()
    {
        await using var server = await TestServer.StartAsync(s => s with { IdleTimeoutSeconds = 2, PingIntervalSeconds = 1 }, "alice", "bob");
        var alice = await server.LoginProbeAsync("alice", FastPings);
        await using var a = alice.Client;
        var bob = await server.LoginRawAsync("bob");
        await alice.Joined.WaitForAsync(n => n == "bob", "alice sees bob join");

        await bob.ExpectErrorThenCloseAsync(ErrorCode.IdleTimeout);
        // The server lingers until the peer closes (up to 2 s); this one does so once it has read the end of stream.
        await bob.DisposeAsync();
        await alice.Left.WaitForAsync(n => n == "bob", "alice sees the silent client leave");
    }

    [Test]
    public async Task Client_that_pings_stays_connected_past_the_idle_timeout()
    {
        await using var server = await TestServer.StartAsync(s => s with { IdleTimeoutSeconds = 2, PingIntervalSeconds = 1 }, "alice", "bob");
        var alice = await server.LoginProbeAsync("alice", FastPings);
        await using var a = alice.Client;
        // Bob logs in after alice and never speaks: when the sweep drops him, alice has been quiet
        // (apart from pings) for longer still, so she would have been dropped too without them.
        await using var bob = await server.LoginRawAsync("bob");

        await bob.ExpectErrorThenCloseAsync(ErrorCode.IdleTimeout);

        var completion = alice.Client.Completion;
        completion.IsCompleted.Should().BeFalse(completion.IsCompleted ? $"alice was disconnected: {completion.Result}" : string.Empty);
        (await alice.Client.SendPublicAsync("still here")).Text.Should().Be("still here");
    }

    /// <summary>
    /// Pings every 800 ms: the server (2 s idle limit) hears from the client after at most 1 s of silence, and the
    /// client's own dead-server check (1.2 s without a pong) leaves a pong 200 ms or more even on a loaded machine.
    /// </summary>
    private static ChatClientOptions FastPings => new()
    {
        ConnectTimeout = Wait.Timeout,
        RequestTimeout = Wait.Timeout,
        PingInterval = TimeSpan.FromMilliseconds(800),
    };
}
